--TEST--
sendMany(): a generator is read lazily, its keys (int or string, repeated ones too) passed back to onResult; a key of another type stops the batch with a TypeError after what was taken is finished; an Iterator and an IteratorAggregate work too
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$m = new Mailer('127.0.0.1', $srv->port);
$taken = 0;
$gen = function () use (&$taken) {
    foreach (['x' => '1', 7 => '2', 'x ' => '3', -1 => '4'] as $k => $id) {
        $taken++;
        yield $k => $id === '2' ? many_message($id) : many_raw($id);
    }
    $taken++;
    yield 'x' => many_raw('5'); // the same key again: keys are the caller's
};
$keys = [];
$summary = $m->sendMany($gen(), function ($key, Mailer\Result $r) use (&$keys) {
    $keys[] = var_export($key, true) . " $r->status";
});
sort($keys);
echo implode("\n", $keys), "\n";
var_dump($taken, $summary['sent'], many_delivered($srv));

// keys that are neither int nor string
foreach ([1.5, null, [1], new stdClass, true] as $badKey) {
    $g = (function () use ($badKey) {
        yield 'fine' => many_raw('ok');
        yield $badKey => many_raw('never');
        echo "not reached\n";
    })();
    try {
        $m->sendMany($g, function ($key, Mailer\Result $r) { echo many_line($key, $r), "\n"; });
        echo "no exception\n";
    } catch (TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}

// an Iterator without keys of its own (ArrayIterator) and an IteratorAggregate
final class Items implements IteratorAggregate
{
    public function getIterator(): Iterator
    {
        return new ArrayIterator(['agg' => many_raw('agg')]);
    }
}
$m->sendMany(new ArrayIterator([10 => many_raw('it')]), function ($key, $r) { echo many_line($key, $r), "\n"; });
$m->sendMany(new Items, function ($key, $r) { echo many_line($key, $r), "\n"; });
var_dump(count(many_delivered($srv)), array_sum(many_delivered($srv)));
?>
--EXPECTF--
'x ' sent
'x' sent
'x' sent
-1 sent
7 sent
int(5)
int(5)
array(5) {
  [1]=>
  int(1)
  [2]=>
  int(1)
  [3]=>
  int(1)
  [4]=>
  int(1)
  [5]=>
  int(1)
}
fine: sent TEST0006
TypeError: Mailer::sendMany(): Argument #1 ($messages) must have int or string keys (they are passed back to $onResult), float given
fine: sent TEST0007
TypeError: Mailer::sendMany(): Argument #1 ($messages) must have int or string keys (they are passed back to $onResult), null given
fine: sent TEST0008
TypeError: Mailer::sendMany(): Argument #1 ($messages) must have int or string keys (they are passed back to $onResult), array given
fine: sent TEST0009
TypeError: Mailer::sendMany(): Argument #1 ($messages) must have int or string keys (they are passed back to $onResult), stdClass given
fine: sent TEST0010
TypeError: Mailer::sendMany(): Argument #1 ($messages) must have int or string keys (they are passed back to $onResult), bool given
10: sent TEST0011
agg: sent TEST0012
int(8)
int(12)
