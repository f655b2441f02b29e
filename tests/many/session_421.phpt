--TEST--
sendMany(): a 421 on one of several sessions closes that session and the batch goes on on the others (or a new one): every item delivered once, by Message-ID
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
$srv = mailer_test_server(['concurrent' => true,
    'replies' => ['MAIL#7' => '421 4.7.0 test.local closing, try later']]);
$m = new Mailer('127.0.0.1', $srv->port);
$items = [];
for ($i = 1; $i <= 20; $i++) {
    $items[$i] = many_raw((string)$i);
}
$fates = [];
$summary = $m->sendMany($items, function (int $key, Mailer\Result $r) use (&$fates) {
    $fates[$r->status] = ($fates[$r->status] ?? 0) + 1;
}, ['connections' => 3, 'window' => 2]);
var_dump($fates, $summary['sent']);
$delivered = many_delivered($srv);
var_dump(count($delivered), max($delivered));
?>
--EXPECT--
array(1) {
  ["sent"]=>
  int(20)
}
int(20)
int(20)
int(1)
