--TEST--
sendMany(): 10,000 items from a generator in constant memory: the peak grows less than 2 MB over that of a 100-item batch (items are read lazily and let go once told)
--EXTENSIONS--
mailer
--SKIPIF--
<?php if (getenv('USE_ZEND_ALLOC') === '0') die('skip memory_get_peak_usage() means nothing without the Zend allocator (valgrind run)'); ?>
--FILE--
<?php
require __DIR__ . '/many.inc';
// nothing recorded ("" as record_dir): 10,200 messages are counted by their Results
$srv = mailer_test_server(['record_dir' => '']);
$m = new Mailer('127.0.0.1', $srv->port);
$gen = function (int $n) {
    for ($i = 1; $i <= $n; $i++) {
        // a new string each time, as a database cursor would give
        yield $i => ['from' => 'a@example.org', 'to' => "user$i@example.net",
            'data' => "Subject: item $i\r\nMessage-ID: <$i@many.test>\r\n\r\n" . str_repeat("line $i\r\n", 20)];
    }
};
$sent = 0;
$count = function ($key, Mailer\Result $r) use (&$sent) { $sent += $r->status === 'sent'; };
$m->sendMany($gen(100), $count);
memory_reset_peak_usage();
$base = memory_get_peak_usage();
$m->sendMany($gen(100), $count);
$small = memory_get_peak_usage() - $base;
memory_reset_peak_usage();
$m->sendMany($gen(10000), $count);
$large = memory_get_peak_usage() - $base;
var_dump($sent);
var_dump($large - $small < 2 * 1024 * 1024);
if ($large - $small >= 2 * 1024 * 1024) {
    echo "100 items: $small, 10000 items: $large\n";
}
?>
--EXPECT--
int(10200)
bool(true)
