--TEST--
sendMany(): a debug handler throwing while an item is on the wire abandons that session as for send() (not a byte more: the item is not delivered, and its fate is not told), the batch stops and the exception comes out; the Mailer and the held Message are usable afterwards
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$datas = 0;
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => function (string $line) use (&$datas) {
    if ($line === 'C: DATA' && ++$datas === 2) {
        throw new UnexpectedValueException('the logger failed');
    }
}]);
$held = many_message('2');
$told = [];
try {
    $m->sendMany(['one' => many_raw('1'), 'two' => $held, 'three' => many_raw('3')],
        function (string $key, Mailer\Result $r) use (&$told) { $told[] = "$key $r->status"; });
    echo "no exception\n";
} catch (UnexpectedValueException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($told, many_delivered($srv), $m->isConnected());
// nothing of item two reached the server (its pipelined commands were still queued), no QUIT
var_dump(uc_tail($srv->log(1)), substr_count($srv->log(1), 'C: MAIL FROM'));
$held->subject('changed'); // let go
echo $m->sendRaw('a@example.org', 'b@example.net', many_raw('after')['data']), "\n";

function uc_tail(string $log): string
{
    $lines = array_values(array_filter(explode("\n", $log), fn($l) => str_starts_with($l, 'C: ')));
    return implode(' | ', array_slice($lines, -3));
}
?>
--EXPECT--
UnexpectedValueException: the logger failed
array(1) {
  [0]=>
  string(8) "one sent"
}
array(1) {
  [1]=>
  int(1)
}
bool(false)
string(43) "C: RCPT TO:<b@example.net> | C: DATA | C: ."
int(1)
250 2.0.0 Ok: queued as TEST0002
