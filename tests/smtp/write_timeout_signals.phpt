--TEST--
The write timeout is a deadline too: with a signal every 0.5 s, a server that stops reading still gives a write timeout within the timeout option
--EXTENSIONS--
mailer
pcntl
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/signals.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING'], 'stop_reading' => ['at' => 'DATA', 'seconds' => 60]]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['timeout' => 2]);
// far more than loopback's socket buffers hold
$data = "Subject: big\r\n\r\n" . str_repeat(str_repeat('x', 998) . "\r\n", 20000);
$storm = mailer_test_signal_storm(0.5, 12.0);
$t = microtime(true);
try {
    $m->sendRaw('a@example.org', 'b@example.net', $data);
} catch (Mailer\ConnectionException $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
    var_dump($e->getCommand());
}
$elapsed = microtime(true) - $t;
$sent = $storm->sent();
$storm->stop();
// a wait restarted by each signal would last until the storm ends (12 s) and 2 s more; valgrind
// (USE_ZEND_ALLOC=0) slows the exchange before the data, hence its wider bound
$bound = getenv('USE_ZEND_ALLOC') === '0' ? 9.0 : 5.0;
var_dump($elapsed >= 1.9 && $elapsed < $bound, $sent >= 2, $m->isConnected(), $srv->messageCount());
echo implode("\n", array_slice(explode("\n", trim($srv->log(1))), -3)), "\n";
?>
--EXPECT--
Mailer\ConnectionException [data] timed out after 2 seconds writing to the server while sending the message; it was not delivered
string(4) "DATA"
bool(true)
bool(true)
bool(false)
int(0)
C: DATA
S: 354 End data with <CR><LF>.<CR><LF>
* stopped reading
