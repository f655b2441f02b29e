--TEST--
STARTTLS then AUTH PLAIN (the default secure path): credentials only after TLS, server requires both
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['starttls' => true, 'tls_require' => true, 'auth_user' => 'me', 'auth_pass' => 'pw',
    'auth_require' => true, 'ehlo' => ['STARTTLS'], 'ehlo_after_tls' => ['AUTH PLAIN LOGIN', 'SIZE 1000']]);
$ctx = stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]]);
$m = new Mailer('127.0.0.1', $srv->port, 'me', 'pw', false, ['context' => $ctx]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
$m->close();
$srv->waitClosed(1);
$log = $srv->log(1);
var_dump(strpos($log, '* TLS started') < strpos($log, 'C: AUTH PLAIN'));
var_dump($srv->envelope(1)['auth'], $srv->envelope(1)['tls']);
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
bool(true)
string(2) "me"
bool(true)
