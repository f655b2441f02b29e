--TEST--
User code that fails during a send with BDAT (CHUNKING): an exception from a stream wrapper mid-data, or from the debug handler after the whole message was written but for its last octet, leaves the chunk incomplete; nothing is delivered
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/usercode.inc';
require __DIR__ . '/../inc/dkim.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'CHUNKING', 'SIZE 10240000']]);

// 1. the debug line about the message: sendRaw()'s 200 KB left in large writes, all but the last octet
$thrown = null;
$mailer = new Mailer('127.0.0.1', $srv->port, debug: true, options: ['debug_handler' => function (string $line) use (&$thrown) {
    if (str_starts_with($line, 'C: [message')) {
        throw $thrown = new LogicException("thrown at $line");
    }
}]);
$raw = "From: a@example.org\r\nSubject: raw\r\n\r\n" . str_repeat(str_repeat('r', 998) . "\r\n", 200);
try {
    $mailer->sendRaw('a@example.org', 'b@example.net', $raw);
} catch (LogicException $e) {
    echo $e->getMessage(), $e === $thrown ? '' : ' (not the one thrown)', "\n";
}
echo 'the server got: ', uc_client_said($srv, 1), "\n";
preg_match('/BDAT (\d+) LAST\r\n/', $srv->raw(1), $bdat, PREG_OFFSET_CAPTURE);
$announced = (int)$bdat[1][0];
$sent = strlen($srv->raw(1)) - ($bdat[0][1] + strlen($bdat[0][0]));
echo "announced ", $announced === strlen($raw) ? 'the message size' : $announced, ", short by ", $announced - $sent, "\n";

// 2. a stream wrapper throws in the middle of the attachment, on the second pass: the first
// signs (DKIM), and gives the size BDAT announces (a wrapper's file has no size of its own)
$key = mailer_dkim_key('ed25519');
$mailer = new Mailer('127.0.0.1', $srv->port, options: ['dkim' => ['domain' => 'example.org', 'selector' => 's', 'key' => $key['pem']]]);
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('s')->text('body')
    ->attach('ucs://300000/data.bin');
$passes = 0;
UcStream::$onRead = function (int $offset) use (&$passes, &$thrown) {
    if (++$passes === 2) {
        throw $thrown = new LogicException("thrown at offset $offset of the second pass");
    }
};
try {
    $mailer->send($m);
} catch (LogicException $e) {
    echo $e->getMessage(), $e === $thrown ? '' : ' (not the one thrown)', "\n";
}
echo 'the server got: ', uc_client_said($srv, 2), "\n";
var_dump($mailer->isConnected(), $srv->messageCount());
?>
--EXPECT--
thrown at C: [message: 200037 octets]
the server got: EHLO MAIL RCPT BDAT
announced the message size, short by 1
thrown at offset 65536 of the second pass
the server got: EHLO MAIL RCPT BDAT
bool(false)
int(0)
