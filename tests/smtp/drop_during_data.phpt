--TEST--
The connection dropping in the middle of the message (DATA or BDAT): ConnectionException at stage data saying it was not delivered; nothing delivered, not retried behind the user's back
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
// far more than the socket buffers hold, so the drop comes while the client is still writing
$data = "Subject: big\r\n\r\n" . str_repeat(str_repeat('x', 76) . "\r\n", 220000);
foreach ([['PIPELINING', 'SIZE 100000000'], ['PIPELINING', 'CHUNKING']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo, 'drop_data_after' => 65536]);
    $m = new Mailer('127.0.0.1', $srv->port);
    try {
        $m->sendRaw('a@example.org', 'b@example.net', $data);
        echo "sent?\n";
    } catch (Mailer\ConnectionException $e) {
        echo $ehlo[1], ': [', $e->getStage(), '] ', $e->getMessage(), ' (', preg_replace('/\d+/', 'N', $e->getCommand()), ")\n";
    }
    var_dump($m->isConnected(), $srv->messageCount(), $srv->connectionCount());
    var_dump(str_contains($srv->log(1), '* drop after '));
    $srv->stop();
}
?>
--EXPECT--
SIZE 100000000: [data] connection lost while sending the message; it was not delivered (DATA)
bool(false)
int(0)
int(1)
bool(true)
CHUNKING: [data] connection lost while sending the message; it was not delivered (BDAT N LAST)
bool(false)
int(0)
int(1)
bool(true)
