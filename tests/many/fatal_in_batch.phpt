--TEST--
sendMany(): a fatal error in PHP code the batch runs (onResult; a debug handler while items are on the wire) ends it without a byte more: nothing can be told after it, an item whose end of data had already left may be delivered, nothing half-sent is (the server's ends of data equal its accepted messages, each whole); only items taken are delivered, each once; every held Message is let go, and the Mailer is usable in shutdown functions
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
        @trigger_error('fatal while items are on the wire', E_USER_ERROR); // @: PHP 8.4 deprecates E_USER_ERROR; the fatal still shows
    }
}]);
$held = many_message('2');
$taken = $told = [];
register_shutdown_function(function () use ($m, $held, &$taken, &$told) {
    $held->subject('changed after the fatal error'); // let go: no Error
    echo "shutdown: connected=", var_export($m->isConnected(), true);
    $s = $m->sendMany([many_raw('shutdown')]);
    echo ", then sent ", $s['sent'], "\n";
    echo 'state: ', json_encode(['taken' => $taken, 'told' => $told]), "\n";
});
$items = (function () use ($held, &$taken) {
    foreach (['1' => many_message('1'), '2' => $held, '3' => many_raw('3'), '4' => many_message('4')] as $key => $item) {
        $taken[] = (string)$key;
        yield (string)$key => $item;
    }
})();
$m->sendMany($items, function ($key, $r) use ($where, &$told) {
    $told[] = "$key $r->status";
    if ($where === 'onResult' && $key === '2') {
        @trigger_error("fatal in onResult for $key", E_USER_ERROR); // @: as above
    }
});
echo "not reached\n";
PHP;
$dir = mailer_test_tmpdir();
file_put_contents("$dir/child.php", $child);
foreach (['onResult', 'debug'] as $where) {
    $srv = mailer_test_server([]);
    $php = getenv('TEST_PHP_EXECUTABLE') ?: PHP_BINARY;
    // fatal_error_backtraces: PHP 8.5 prints a stack trace under each fatal error by default
    $p = proc_open([$php, '-n', '-d', 'extension=' . getenv('MAILER_SO'), '-d', 'display_errors=1',
        '-d', 'fatal_error_backtraces=0',
        "$dir/child.php", (string)$srv->port, $where],
        [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes,
        null, ['MANY_INC' => __DIR__ . '/many.inc', 'PATH' => getenv('PATH')]);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    $status = proc_close($p);
    $state = preg_match('/^state: (.*)$/m', $out, $m) ? json_decode($m[1], true) : null;
    echo "$where: status $status\n", preg_replace('/ in \S+ on line \d+|\nstate: .*/', '', trim($out)), "\n";
    $srv->stop();

    $delivered = many_delivered($srv);
    $told = array_map(fn($t) => strtok($t, ' '), $state['told']);
    $ends = 0;
    for ($c = 1; $c <= $srv->connectionCount(); $c++) {
        $ends += substr_count($srv->log($c), "\nC: .\n");
    }
    $whole = true;
    for ($i = 1; $i <= $srv->messageCount(); $i++) {
        preg_match('/^Message-ID: <([^@>]+)@many\.test>/mi', $srv->message($i), $id);
        $whole = $whole && str_contains($srv->message($i), "body $id[1]");
    }
    sort($state['told']);
    echo "  told before the fatal error: ", implode(', ', $state['told']), "\n";
    echo "  told: each once, each taken: ", json_encode(count($told) === count(array_unique($told))
        && !array_diff($told, $state['taken'])), "\n";
    echo "  delivered: each once, each taken (or the shutdown's): ", json_encode(max($delivered) === 1
        && !array_diff(array_keys($delivered), [...$state['taken'], 'shutdown'])), "\n";
    echo "  sent ones delivered: ", json_encode(!array_diff(
        array_map(fn($t) => strtok($t, ' '), preg_grep('/ sent$/', $state['told'])), array_keys($delivered))), "\n";
    echo "  ends of data = accepted: ", json_encode($ends === $srv->messageCount()), ", each whole: ",
        json_encode($whole), "\n";
}
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECT--
onResult: status 255
Fatal error: fatal in onResult for 2
shutdown: connected=false, then sent 1
  told before the fatal error: 1 sent, 2 sent
  told: each once, each taken: true
  delivered: each once, each taken (or the shutdown's): true
  sent ones delivered: true
  ends of data = accepted: true, each whole: true
debug: status 255
Fatal error: fatal while items are on the wire
shutdown: connected=false, then sent 1
  told before the fatal error: 
  told: each once, each taken: true
  delivered: each once, each taken (or the shutdown's): true
  sent ones delivered: true
  ends of data = accepted: true, each whole: true