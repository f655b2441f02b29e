--TEST--
sendMany(): a fatal error in PHP code the batch runs (onResult; a debug handler while a Message is on the wire) ends it without a byte more: nothing half-sent is delivered, every held Message is let go, and the Mailer is usable in shutdown functions
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$child = <<<'PHP'
<?php
[, $port, $where] = $argv;
require getenv('MANY_INC');
$lines = 0;
$m = new Mailer('127.0.0.1', (int)$port, '', '', true, ['debug_handler' => function ($line) use ($where, &$lines) {
    if ($where === 'debug' && $line === 'C: DATA' && ++$lines === 2) {
        trigger_error('fatal while item 2 is on the wire', E_USER_ERROR);
    }
}]);
$held = many_message('2');
register_shutdown_function(function () use ($m, $held) {
    $held->subject('changed after the fatal error'); // let go: no Error
    echo "shutdown: connected=", var_export($m->isConnected(), true);
    $s = $m->sendMany([many_raw('shutdown')]);
    echo ", then sent ", $s['sent'], "\n";
});
$m->sendMany(['1' => many_message('1'), '2' => $held, '3' => many_raw('3')], function ($key, $r) use ($where) {
    echo "told $key: $r->status\n";
    if ($where === 'onResult' && $key === 2) {
        trigger_error("fatal in onResult for $key", E_USER_ERROR);
    }
});
echo "not reached\n";
PHP;
$dir = mailer_test_tmpdir();
file_put_contents("$dir/child.php", $child);
foreach (['onResult', 'debug'] as $where) {
    $srv = mailer_test_server([]);
    $php = getenv('TEST_PHP_EXECUTABLE') ?: PHP_BINARY;
    $p = proc_open([$php, '-n', '-d', 'extension=' . getenv('MAILER_SO'), '-d', 'display_errors=1',
        "$dir/child.php", (string)$srv->port, $where],
        [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes,
        null, ['MANY_INC' => __DIR__ . '/many.inc', 'PATH' => getenv('PATH')]);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    $status = proc_close($p);
    echo "$where: status $status\n", preg_replace('/ in \S+ on line \d+/', '', trim($out)), "\n";
    echo "delivered: ", json_encode(many_delivered($srv)), "\n";
    $srv->stop();
}
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECT--
onResult: status 255
told 1: sent
told 2: sent

Fatal error: fatal in onResult for 2
shutdown: connected=false, then sent 1
delivered: {"1":1,"2":1,"shutdown":1}
debug: status 255
told 1: sent

Fatal error: fatal while item 2 is on the wire
shutdown: connected=false, then sent 1
delivered: {"1":1,"shutdown":1}
