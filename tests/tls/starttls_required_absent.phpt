--TEST--
tls=starttls (or "tls://") towards a server without STARTTLS: ConnectionException, nothing sent in clear
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'AUTH PLAIN LOGIN'], 'auth_user' => 'u', 'auth_pass' => 'p']);
foreach ([['127.0.0.1', ['tls' => 'starttls']], ["tls://127.0.0.1:{$srv->port}", []]] as [$host, $opts]) {
    $m = new Mailer($host, $srv->port, 'u', 'p', false, $opts);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    } catch (Mailer\ConnectionException $e) {
        echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
    }
}
usleep(100000);
$all = $srv->log(1) . $srv->log(2);
var_dump(str_contains($all, 'C: AUTH'), str_contains($all, 'C: MAIL FROM'), $srv->messageCount());
?>
--EXPECT--
Mailer\ConnectionException [starttls] the server does not offer STARTTLS, which the tls option "starttls" requires
Mailer\ConnectionException [starttls] the server does not offer STARTTLS, which the tls option "starttls" requires
bool(false)
bool(false)
int(0)
