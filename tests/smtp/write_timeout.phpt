--TEST--
A server that stops reading while the message is written: a write timeout within the timeout option (no hang), ConnectionException at stage data, nothing delivered
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING'], 'stop_reading' => ['at' => 'DATA', 'seconds' => 60]]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['timeout' => 1]);
// far more than loopback's socket buffers hold
$data = "Subject: big\r\n\r\n" . str_repeat(str_repeat('x', 998) . "\r\n", 20000);
$t = microtime(true);
try {
    $m->sendRaw('a@example.org', 'b@example.net', $data);
} catch (Mailer\ConnectionException $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
    var_dump($e->getCommand());
}
$elapsed = microtime(true) - $t;
var_dump($elapsed >= 0.9 && $elapsed < 5.0, $m->isConnected(), $srv->messageCount());
echo implode("\n", array_slice(explode("\n", trim($srv->log(1))), -3)), "\n";
?>
--EXPECT--
Mailer\ConnectionException [data] timed out after 1 seconds writing to the server while sending the message; it was not delivered
string(4) "DATA"
bool(true)
bool(false)
int(0)
C: DATA
S: 354 End data with <CR><LF>.<CR><LF>
* stopped reading
