--TEST--
sendMany(): an exception thrown by the generator (or by a Message's own checks of the iterable's code) stops the batch: what was taken is finished and told, nothing more is sent, and the exception comes out unchanged; the Mailer stays usable
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$m = new Mailer('127.0.0.1', $srv->port);
$gen = function () {
    yield 'a' => many_raw('1');
    yield 'b' => many_raw('2');
    throw new RuntimeException('the database cursor broke');
    yield 'c' => many_raw('3');
};
$told = [];
try {
    $m->sendMany($gen(), function ($key, Mailer\Result $r) use (&$told) { $told[] = "$key $r->status"; });
    echo "no exception\n";
} catch (RuntimeException $e) {
    echo get_class($e), ': ', $e->getMessage(), ' (line ', $e->getLine(), ")\n";
}
sort($told);
var_dump($told, many_delivered($srv));
// the transcript has no transaction left open: each MAIL is followed by its end of data
$log = $srv->log(1);
var_dump(substr_count($log, 'C: MAIL FROM'), substr_count($log, 'S: 250 2.0.0 Ok: queued'));
// usable afterwards, on the same connection
echo $m->sendRaw('a@example.org', 'b@example.net', many_raw('after')['data']), "\n";
var_dump($srv->connectionCount());

// a generator that throws before its first item: nothing connected
$srv2 = mailer_test_server([]);
$m2 = new Mailer('127.0.0.1', $srv2->port);
try {
    $m2->sendMany((function () { throw new LogicException('no items today'); yield 1; })());
} catch (LogicException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($srv2->connectionCount(), $m2->isConnected());
?>
--EXPECT--
RuntimeException: the database cursor broke (line 8)
array(2) {
  [0]=>
  string(6) "a sent"
  [1]=>
  string(6) "b sent"
}
array(2) {
  [1]=>
  int(1)
  [2]=>
  int(1)
}
int(2)
int(2)
250 2.0.0 Ok: queued as TEST0003
int(1)
LogicException: no items today
int(0)
bool(false)
