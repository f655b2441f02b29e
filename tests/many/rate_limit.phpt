--TEST--
sendMany(): max_per_second holds the rate: 30 items at 20 a second take at least ~1.4 s (the lower bound only: a loaded machine may be slower); without it they go at once
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$m = new Mailer('127.0.0.1', $srv->port);
$items = fn() => array_map(fn($i) => many_raw("r$i"), range(1, 30));
$m->connect();
$t = microtime(true);
$summary = $m->sendMany($items(), null, ['max_per_second' => 20]);
$limited = microtime(true) - $t;
var_dump($summary['sent'], $limited >= 1.4);
if ($limited < 1.4) {
    echo "took $limited s\n";
}
var_dump(count(many_delivered($srv)));
// a fractional rate: 3 items at 4 a second take at least 0.5 s
$t = microtime(true);
$m->sendMany(array_slice($items(), 0, 3), null, ['max_per_second' => 4.0]);
var_dump(microtime(true) - $t >= 0.45);
?>
--EXPECT--
int(30)
bool(true)
int(30)
bool(true)
