--TEST--
sendMany(): a message with a 5 MB attachment goes in its session's flight, pulled as the connection takes it: with "connections" => 2 small items finish on the other session while it is still being written (results told before its end of data was queued; its own result comes last), it arrives intact, and PHP's memory does not hold it
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/many.inc';
if (!many_sessions_honoured()) die('skip "connections" > 1 is not honoured');
?>
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server(['concurrent' => true]);
$file = mailer_test_tmpdir() . '/big.bin';
$fh = fopen($file, 'wb');
for ($i = 0; $i < 80; $i++) {
    fwrite($fh, random_bytes(65536)); // 5 MB: 6.8 MB as base64
}
fclose($fh);

// debug lines and Results in the order they came, one list
$events = [];
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => function (string $l) use (&$events) {
    $events[] = $l;
}]);
$items = ['big' => many_message('big')->attach($file, 'big.bin')];
for ($i = 1; $i <= 5; $i++) {
    $items["s$i"] = many_raw("s$i");
}
$order = [];
$base = memory_get_usage();
$peak = 0;
$summary = $m->sendMany($items, function (string $key, Mailer\Result $r) use (&$order, &$events, &$peak, $base) {
    $order[] = "$key $r->status";
    $events[] = "result $key";
    $peak = max($peak, memory_get_peak_usage() - $base);
}, ['connections' => 2, 'window' => 1]);
var_dump($summary['sent']);
echo implode(', ', $order), "\n";

// the big message's session said its end ("C: [message: ...]", queued once all the rest of it
// was written but the last piece) after a small item's result: that one was sent while the big
// one was still being written (a blocking send of it would have stopped every other session)
$end = null;
foreach ($events as $i => $l) {
    if (preg_match('/^\[(\d+)\] C: \[message: (\d+) octets/', $l, $mm) && (int)$mm[2] > 5000000) {
        $end = $i;
    }
}
$results = array_keys(array_filter($events, fn ($l) => preg_match('/^result s\d$/', $l)));
var_dump($end !== null && $results && min($results) < $end);

// delivered once each, the attachment intact (decoded by Python's parser)
$delivered = many_delivered($srv);
var_dump(count($delivered), max($delivered));
for ($i = 1; $i <= $srv->messageCount(); $i++) {
    if (str_contains((string)$srv->message($i), '<big@many.test>')) {
        foreach (mailer_test_python_parse((string)$srv->message($i))['parts'] as $p) {
            if ($p['filename'] === 'big.bin') {
                var_dump($p['sha256'] === hash_file('sha256', $file));
            }
        }
    }
}
var_dump($peak < 2 * 1024 * 1024 || getenv('USE_ZEND_ALLOC') === '0');
?>
--EXPECT--
int(6)
s1 sent, s2 sent, s3 sent, s4 sent, s5 sent, big sent
bool(true)
int(6)
int(1)
bool(true)
bool(true)
