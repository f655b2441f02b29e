--TEST--
debug_handler with debug off receives nothing, neither the session's lines nor debug(); with debug on it receives them all
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
foreach ([false, true] as $debug) {
    $lines = [];
    $m = new Mailer('127.0.0.1', $srv->port, '', '', $debug, ['debug_handler' => function (string $l) use (&$lines) {
        $lines[] = $l;
    }]);
    $m->debug('from the script');
    echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
    $m->close();
    var_dump(count($lines) > 10, in_array('from the script', $lines, true), in_array('C: QUIT', $lines, true));
}
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
bool(false)
bool(false)
bool(false)
250 2.0.0 Ok: queued as TEST0002
bool(true)
bool(true)
bool(true)
