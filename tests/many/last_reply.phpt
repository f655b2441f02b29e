--TEST--
sendMany(): afterwards getLastReply() and getLastRecipients() tell the last item told, its acceptance or its refusal, not what the session read last (with BDAT, an RSET goes between pipelined messages and its 250 comes after a refusal)
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
foreach ([['PIPELINING', 'CHUNKING'], ['PIPELINING']] as $ehlo) {
    $srv = mailer_test_server([
        'ehlo' => $ehlo,
        'replies' => ['RCPT:bad@' => '550 5.1.1 <bad@example.net>: No such user'],
    ]);
    $m = new Mailer('127.0.0.1', $srv->port);
    $last = null;
    $m->sendMany(['ok' => many_raw('1'), 'refused' => many_raw('2', 'bad@example.net')],
        function (string $key, Mailer\Result $r) use (&$last) {
            $last = [$key, $r];
        });
    [$key, $r] = $last;
    echo implode(' ', $ehlo), ": last told: $key $r->status\n";
    echo "  getLastReply(): ", $m->getLastReply(), "\n";
    var_dump($m->getLastReply() === $r->reply, $m->getLastRecipients() === $r->recipients);

    // and a sent one last: its acceptance
    $m->sendMany(['refused' => many_raw('3', 'bad@example.net'), 'ok' => many_raw('4')],
        function (string $key, Mailer\Result $r) use (&$last) {
            $last = [$key, $r];
        });
    [$key, $r] = $last;
    echo "  then: $key $r->status, getLastReply() is its reply: ",
        var_export($m->getLastReply() === $r->reply && str_starts_with($r->reply, '250'), true), "\n";
}
?>
--EXPECTF--
PIPELINING CHUNKING: last told: refused rejected
  getLastReply(): 550 5.1.1 <bad@example.net>: No such user
bool(true)
bool(true)
  then: ok sent, getLastReply() is its reply: true
PIPELINING: last told: refused rejected
  getLastReply(): 550 5.1.1 <bad@example.net>: No such user
bool(true)
bool(true)
  then: ok sent, getLastReply() is its reply: true
