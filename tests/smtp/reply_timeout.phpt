--TEST--
A reply slower than the timeout option: ConnectionException, bounded wait, connection closed
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['delay' => ['MAIL' => 5.0]]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['timeout' => 0.5]);
$t = microtime(true);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (Mailer\ConnectionException $e) {
    echo $e->getMessage(), "\n";
    var_dump($e->getStage(), $e->getCommand());
}
$elapsed = microtime(true) - $t;
var_dump($elapsed >= 0.4 && $elapsed < 3.0);
var_dump($m->isConnected());
?>
--EXPECTF--
timed out after 0.5 seconds waiting for the server
string(4) "mail"
string(%d) "MAIL FROM:<a@example.org> SIZE=%d"
bool(true)
bool(false)
