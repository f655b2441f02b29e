--TEST--
DKIM: an attached file that changes after the message was signed is caught on the next pass (measuring, DATA, BDAT): a Mailer\Exception at stage data, and no message is delivered with a signature that would not verify
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
require_once __DIR__ . '/../inc/dkim.inc';
$pem = mailer_dkim_key('rsa', 1024)['pem']; // the CLI: fast under valgrind too
$path = mailer_test_file(str_repeat('A', 200000), 'data.bin');
// the debug line after which the file changes (same size, other bytes)
foreach ([
    'DATA, changed before the send pass' => [['PIPELINING'], 'S: 354'],
    'SIZE, changed before the measuring pass' => [['PIPELINING', 'SIZE 10000000'], '* DKIM: signed'],
    'BDAT, changed between measuring and sending' => [['PIPELINING', 'CHUNKING'], 'C: BDAT'],
] as $name => [$ehlo, $trigger]) {
    file_put_contents($path, str_repeat('A', 200000));
    $srv = mailer_test_server(['ehlo' => $ehlo]);
    $m = new Mailer('127.0.0.1', $srv->port, '', '', true, [
        'dkim' => ['domain' => 'example.org', 'selector' => 's1', 'key' => $pem],
        'debug_handler' => function (string $line) use ($path, $trigger) {
            if (str_starts_with($line, $trigger)) {
                file_put_contents($path, str_repeat('B', 200000));
            }
        },
    ]);
    $msg = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x')->attach($path);
    try {
        $m->send($msg);
        echo "$name: sent\n";
    } catch (Mailer\Exception $e) {
        echo "$name: ", get_class($e), ' (', $e->getStage(), '): ', $e->getMessage(), "\n";
    }
    $srv->waitClosed(1);
    var_dump($srv->messageCount(), $m->isConnected());
    // unchanged from now on: the next send goes through (the mailer reconnects)
    echo $m->send($msg), "\n";
    $srv->stop();
}
?>
--EXPECTF--
DATA, changed before the send pass: Mailer\Exception (data): the message changed after it was DKIM-signed (was an attached file modified?); it was not delivered
int(0)
bool(false)
250 2.0.0 Ok: queued as TEST%d
SIZE, changed before the measuring pass: Mailer\Exception (data): the message changed after it was DKIM-signed (was an attached file modified?); it was not delivered
int(0)
bool(%s)
250 2.0.0 Ok: queued as TEST%d
BDAT, changed between measuring and sending: Mailer\Exception (data): the message changed after it was DKIM-signed (was an attached file modified?); it was not delivered
int(0)
bool(false)
250 2.0.0 Ok: queued as TEST%d
