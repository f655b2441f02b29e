--TEST--
sendMany(): "connections" => 3 runs up to three sessions at once: every item delivered once (by Message-ID), no more than three connections, each session's debug lines numbered
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/many.inc';
if (!many_sessions_honoured()) die('skip "connections" > 1 is not honoured yet (the reference driver of core/send/batch.c runs one session)');
?>
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server(['concurrent' => true]);
$lines = [];
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => function ($l) use (&$lines) {
    $lines[] = $l;
}]);
$items = [];
for ($i = 1; $i <= 30; $i++) {
    $items["k$i"] = $i % 3 ? many_raw((string)$i) : many_message((string)$i);
}
$told = [];
$summary = $m->sendMany($items, function (string $key, Mailer\Result $r) use (&$told) {
    $told[$key] = ($told[$key] ?? 0) + 1;
}, ['connections' => 3, 'window' => 4]);
var_dump($summary['sent'], count($told), max($told));
$delivered = many_delivered($srv);
var_dump(count($delivered), max($delivered), $srv->connectionCount() <= 3);
// the batch's own sessions said QUIT at its end; the Mailer's keeps its connection
$quit = 0;
for ($c = 1; $c <= $srv->connectionCount(); $c++) {
    $quit += str_contains($srv->log($c), 'C: QUIT');
}
var_dump($quit === $srv->connectionCount() - 1, $m->isConnected());
$numbers = [];
foreach ($lines as $l) {
    $numbers[preg_match('/^\[(\d+)\] /', $l, $mm) ? $mm[1] : 'none'] = true;
}
ksort($numbers);
var_dump(array_keys($numbers));
?>
--EXPECT--
int(30)
int(30)
int(1)
int(30)
int(1)
bool(true)
bool(true)
bool(true)
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(2)
  [2]=>
  int(3)
}
