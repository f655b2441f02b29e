--TEST--
STARTTLS injection through PHP's stream buffer: bytes behind a 4098-byte 220 are refused, never read as the EHLO reply after TLS
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
// The 220 fills the core's 4098-byte input buffer exactly; the injected
// reply comes in the same write, so PHP's stream layer (8 KiB reads) holds it.
$last = "220 2.0.0 Ready to start TLS\r\n";
$reply = '220-' . str_repeat('x', 4098 - strlen($last) - 6) . "\r\n" . $last;
$srv = mailer_test_server([
    'starttls' => true,
    'ehlo' => ['PIPELINING', 'STARTTLS'],
    'raw_reply' => ['STARTTLS' => $reply . "250-x\r\n250 AUTH PLAIN\r\n"],
]);
$ctx = stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['context' => $ctx]);
try {
    $m->connect();
    echo "connected\n";
    var_dump($m->getCapabilities());
} catch (Mailer\ConnectionException $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
}
var_dump(strlen($reply), $m->isConnected());
$srv->waitClosed(1);
// the client never started TLS on a stream that held plaintext for after it
var_dump(str_contains($srv->log(1), '* TLS started'));
?>
--EXPECT--
Mailer\ConnectionException [starttls] the server sent data after its STARTTLS reply, before the TLS handshake
int(4098)
bool(false)
bool(false)
