--TEST--
The timeout is a deadline: a signal every 0.5 s does not restart the wait for a silent server's reply (timeout 2 gives up after ~2 s, not when the signals stop)
--EXTENSIONS--
mailer
pcntl
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/signals.inc';
$srv = mailer_test_server(['delay' => ['MAIL' => 30]]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['timeout' => 2]);
$storm = mailer_test_signal_storm(0.5, 12.0);
$t = microtime(true);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (Mailer\ConnectionException $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
}
$elapsed = microtime(true) - $t;
$sent = $storm->sent();
$storm->stop();
var_dump($elapsed >= 1.9 && $elapsed < 4.0, $sent >= 3, $m->isConnected());
if ($elapsed >= 4.0) {
    echo "gave up after $elapsed s\n";
}
?>
--EXPECT--
Mailer\ConnectionException [mail] timed out after 2 seconds waiting for the server
bool(true)
bool(true)
bool(false)
