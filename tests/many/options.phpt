--TEST--
sendMany(): a bad option (unknown, wrong type, out of range) or a bad argument is a ValueError/TypeError naming it, before anything is read from the iterable or connected
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$m = new Mailer('127.0.0.1', $srv->port);
$gen = function () { echo "the iterable was read\n"; yield many_raw('1'); };
foreach ([
    ['connections' => 0], ['connections' => 65], ['connections' => '2'], ['connections' => 1.0],
    ['window' => 0], ['window' => 1025], ['window' => null],
    ['max_per_second' => -1], ['max_per_second' => NAN], ['max_per_second' => INF], ['max_per_second' => '5'],
    ['conections' => 2], [5],
] as $options) {
    try {
        $m->sendMany($gen(), null, $options);
        echo "accepted\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
foreach (['a string', 42, new stdClass] as $bad) {
    try {
        $m->sendMany($bad);
    } catch (TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
try {
    $m->sendMany([], 'no_such_function');
} catch (TypeError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
// the limits themselves are fine
var_dump($m->sendMany([], null, ['connections' => 64, 'window' => 1024, 'max_per_second' => 0.5]));
var_dump($m->sendMany([], null, ['connections' => 1, 'window' => 1, 'max_per_second' => 0]));
var_dump($srv->connectionCount(), $m->isConnected());
?>
--EXPECT--
ValueError: Mailer::sendMany(): Argument #3 ($options) option "connections" must be between 1 and 64, 0 given
ValueError: Mailer::sendMany(): Argument #3 ($options) option "connections" must be between 1 and 64, 65 given
TypeError: Mailer::sendMany(): Argument #3 ($options) option "connections" must be of type int, string given
TypeError: Mailer::sendMany(): Argument #3 ($options) option "connections" must be of type int, float given
ValueError: Mailer::sendMany(): Argument #3 ($options) option "window" must be between 1 and 1024, 0 given
ValueError: Mailer::sendMany(): Argument #3 ($options) option "window" must be between 1 and 1024, 1025 given
TypeError: Mailer::sendMany(): Argument #3 ($options) option "window" must be of type int, null given
ValueError: Mailer::sendMany(): Argument #3 ($options) option "max_per_second" must be a finite number >= 0 (0: no limit)
ValueError: Mailer::sendMany(): Argument #3 ($options) option "max_per_second" must be a finite number >= 0 (0: no limit)
ValueError: Mailer::sendMany(): Argument #3 ($options) option "max_per_second" must be a finite number >= 0 (0: no limit)
TypeError: Mailer::sendMany(): Argument #3 ($options) option "max_per_second" must be of type int|float, string given
ValueError: Mailer::sendMany(): Argument #3 ($options) unknown option "conections" (known options: connections, window, max_per_second)
ValueError: Mailer::sendMany(): Argument #3 ($options) must have option names as keys, 0 given
TypeError: Mailer::sendMany(): Argument #1 ($messages) must be of type Traversable|array, string given
TypeError: Mailer::sendMany(): Argument #1 ($messages) must be of type Traversable|array, int given
TypeError: Mailer::sendMany(): Argument #1 ($messages) must be of type Traversable|array, stdClass given
TypeError: Mailer::sendMany(): Argument #2 ($onResult) must be a valid callback or null, function "no_such_function" not found or invalid function name
array(4) {
  ["sent"]=>
  int(0)
  ["rejected"]=>
  int(0)
  ["failed"]=>
  int(0)
  ["uncertain"]=>
  int(0)
}
array(4) {
  ["sent"]=>
  int(0)
  ["rejected"]=>
  int(0)
  ["failed"]=>
  int(0)
  ["uncertain"]=>
  int(0)
}
int(0)
bool(false)
