--TEST--
sendMany(): per message as send() does it: SMTPUTF8 only on the item that needs it, BDAT when offered, and with "partial" an item with a refused recipient is sent to the others (its Result's recipients tell each one), while one with all refused is rejected
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([
    'ehlo' => ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'CHUNKING', 'SIZE 10000000'],
    'replies' => ['RCPT:bad@' => '550 5.1.1 <bad@example.net>: User unknown'],
]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['partial' => true]);
$items = [
    'ascii' => many_message('ascii', 'zoe@example.net'),
    'utf8' => many_message('utf8', 'Jösé <jösé@example.org>'),
    'some refused' => many_raw('partial', ['good@example.net', 'bad@example.net']),
    'all refused' => many_raw('none', 'bad@example.net'),
];
$m->sendMany($items, function (string $key, Mailer\Result $r) {
    echo many_line($key, $r), "\n";
    foreach ($r->recipients as $rcpt => $reply) {
        echo "    $rcpt: {$reply['code']}\n";
    }
});
for ($i = 1; $i <= $srv->messageCount(); $i++) {
    $env = $srv->envelope($i);
    echo $env['mail_from'], ' | ', implode(' | ', $env['rcpt']), $env['bdat'] ? ' (BDAT)' : '', "\n";
}
?>
--EXPECTF--
ascii: sent TEST0001
    zoe@example.net: 250
utf8: sent TEST0002
    jösé@example.org: 250
some refused: sent TEST0003
    good@example.net: 250
    bad@example.net: 550
all refused: rejected Mailer\RecipientException [rcpt] %s
    bad@example.net: 550
MAIL FROM:<a@example.org> SIZE=%d | RCPT TO:<zoe@example.net> (BDAT)
MAIL FROM:<a@example.org> SIZE=%d SMTPUTF8 | RCPT TO:<jösé@example.org> (BDAT)
MAIL FROM:<a@example.org> SIZE=%d | RCPT TO:<good@example.net> (BDAT)
