--TEST--
sendMany(): a debug handler throwing abandons that session (not a byte more: nothing of its unsent items reaches the server); every item taken is told once, those not delivered as "failed" (onResult runs normally, the exception set aside), then the exception comes out unchanged; the Mailer and the held Message are usable afterwards
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$datas = 0;
$thrown = new UnexpectedValueException('the logger failed');
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => function (string $line) use (&$datas, $thrown) {
    // the second DATA: item one's end of data and item two's envelope are queued in one flight
    if ($line === 'C: DATA' && ++$datas === 2) {
        throw $thrown;
    }
}]);
$held = many_message('2');
$taken = [];
$items = (function () use (&$taken, $held) {
    $all = ['one' => many_raw('1'), 'two' => $held, 'three' => many_raw('3'), 'four' => many_raw('4')];
    foreach ($all as $key => $item) {
        $item = is_array($item) ? ['from' => "$key@example.org"] + $item : $item->from("$key@example.org");
        $taken[] = $key;
        yield $key => $item;
    }
})();
$told = [];
try {
    $m->sendMany($items, function (string $key, Mailer\Result $r) use (&$told) {
        // PHP code runs normally here: a call whose result is used, an exception caught
        try {
            throw new LogicException('inside onResult');
        } catch (LogicException) {
        }
        $told[$key][] = many_line($key, $r);
    });
    echo "no exception\n";
} catch (UnexpectedValueException $e) {
    var_dump($e === $thrown, $e->getPrevious());
}
sort($taken);
ksort($told);
var_dump(array_keys($told) === $taken);
foreach ($told as $lines) {
    echo implode("\n", $lines), "\n"; // each once
}
// nothing delivered; nothing of the items after the throw at the server, and no QUIT
$log = $srv->log(1);
var_dump(many_delivered($srv), $m->isConnected());
foreach (['one', 'two', 'three', 'four'] as $key) {
    echo $key, ': ', substr_count($log, "C: MAIL FROM:<$key@example.org>"), "\n";
}
var_dump(uc_tail($log));
$held->subject('changed'); // let go
echo $m->sendRaw('a@example.org', 'b@example.net', many_raw('after')['data']), "\n";
$told = [];
var_dump($m->sendMany(['again' => many_raw('again')], function (string $key, Mailer\Result $r) use (&$told) {
    $told[] = many_line($key, $r);
})['sent'], $told, many_delivered($srv));

function uc_tail(string $log): string
{
    $lines = array_values(array_filter(explode("\n", $log), fn($l) => str_starts_with($l, 'C: ')));
    return implode(' | ', array_slice($lines, -3));
}
?>
--EXPECTF--
bool(true)
NULL
bool(true)
four: failed Mailer\ConnectionException [] not sent: the batch was stopped
one: failed Mailer\ConnectionException [] not sent: the batch was stopped
three: failed Mailer\ConnectionException [] not sent: the batch was stopped
two: failed Mailer\ConnectionException [] not sent: the batch was stopped
array(0) {
}
bool(false)
one: 1
two: 0
three: 0
four: 0
string(%d) "C: MAIL FROM:<one@example.org> SIZE=94 | C: RCPT TO:<b@example.net> | C: DATA"
250 2.0.0 Ok: queued as TEST0001
int(1)
array(1) {
  [0]=>
  string(20) "again: sent TEST0002"
}
array(2) {
  ["after"]=>
  int(1)
  ["again"]=>
  int(1)
}
