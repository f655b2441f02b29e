--TEST--
sendMany(): debug lines as send() gives them with one connection; with several, each line carries its session's number ("[1] C: MAIL FROM:..."), and a PSR-3 logger gets the number in its context
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server(['concurrent' => true]); // sessions may run at once
$lines = [];
$options = ['debug_handler' => function (string $line) use (&$lines) { $lines[] = $line; }];
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, $options);
$m->sendMany([many_raw('1'), many_raw('2')]);
$m->close();
$many = $lines;
$lines = [];
$m->sendRaw('a@example.org', 'b@example.net', many_raw('1')['data']);
$m->sendRaw('a@example.org', 'b@example.net', many_raw('2')['data']);
$m->close();
// the same exchange, the same lines (but for the queue ids)
var_dump(preg_replace('/TEST\d+/', 'TEST', $many) === preg_replace('/TEST\d+/', 'TEST', $lines));
echo implode("\n", array_slice($many, 0, 3)), "\n";

$lines = [];
$m->sendMany([many_raw('3'), many_raw('4')], null, ['connections' => 3]);
$batch = $lines;
$m->close(); // not the batch's: unnumbered
var_dump(end($lines));
$lines = $batch;
// every line of the batch is numbered; the reference driver uses session 1 only, a poll driver any of 1..3
var_dump(count($lines) > 10, preg_grep('/^\[[123]\] /', $lines, PREG_GREP_INVERT));
echo implode("\n", preg_grep("/MAIL FROM/", $lines)), "\n";

// PSR-3: the session's number in the context, the line unchanged
if (!interface_exists('Psr\Log\LoggerInterface')) {
    eval('namespace Psr\Log; interface LoggerInterface { public function debug(string|\Stringable $message, array $context = []): void; }');
}
final class Logger implements Psr\Log\LoggerInterface
{
    public array $seen = [];
    public function debug(string|\Stringable $message, array $context = []): void
    {
        $this->seen[] = $context['session'] . ' ' . $message;
    }
    public function __call($name, $args) {}
}
$log = new Logger;
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => $log]);
$m->sendMany([many_raw('5')], null, ['connections' => 2]);
echo implode("\n", preg_grep('/MAIL FROM/', $log->seen)), "\n";
?>
--EXPECTF--
bool(true)
* connecting to 127.0.0.1:%d
* connected
S: 220 test.local ESMTP ready
string(19) "* connection closed"
bool(true)
array(0) {
}
[%d] C: MAIL FROM:<a@example.org> SIZE=94
[%d] C: MAIL FROM:<a@example.org> SIZE=94
%d C: MAIL FROM:<a@example.org> SIZE=94
