--TEST--
Credentials are never sent without TLS unless allow_insecure_auth: the error names the option, the server saw no AUTH
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['auth_user' => 'u', 'auth_pass' => 'p']);
$m = new Mailer('127.0.0.1', $srv->port, 'u', 'p');
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (Mailer\AuthenticationException $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
}
$srv->waitClosed(1);
var_dump(str_contains($srv->log(1), 'C: AUTH'), str_contains($srv->raw(1), base64_encode("\0u\0p")), $srv->messageCount());
$m = new Mailer('127.0.0.1', $srv->port, 'u', 'p', false, ['allow_insecure_auth' => true]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
?>
--EXPECT--
Mailer\AuthenticationException [auth] refusing to send credentials over a connection without TLS: use TLS, or set the allow_insecure_auth option to allow it
bool(false)
bool(false)
int(0)
250 2.0.0 Ok: queued as TEST0001
