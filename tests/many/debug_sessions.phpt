--TEST--
sendMany(): debug lines with one connection carry no session number, and show each item's MAIL FROM, its RCPT TOs and its data command in that order (DATA, and BDAT where offered); with several connections each line starts with its session's number ("[2] C: MAIL FROM:..."), and a PSR-3 logger gets the number as "session" in its context
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';

/** Items k1..kN, each with its own sender and two recipients of its own. */
function items(string $prefix, int $n): array
{
    $items = [];
    for ($i = 1; $i <= $n; $i++) {
        $items["$prefix$i"] = ['from' => "$prefix$i@example.org"] + many_raw("$prefix$i", ["x$prefix$i@example.net", "y$prefix$i@example.net"]);
    }
    return $items;
}

/**
 * For each item: "MAIL, RCPT, RCPT, data" when its MAIL FROM, its two RCPT TOs and a data command
 * come once each and in that order (the data command the first after its last RCPT TO, on its
 * session); otherwise what was found. $lines are "C: ..." lines without a session number, with
 * the session each came from.
 */
function order(array $items, array $lines): array
{
    $found = [];
    foreach ($items as $key => $item) {
        $at = [];
        foreach (["C: MAIL FROM:<{$item['from']}>", "C: RCPT TO:<{$item['to'][0]}>", "C: RCPT TO:<{$item['to'][1]}>"] as $start) {
            $hits = array_keys(array_filter($lines, fn($l) => str_starts_with($l[1], $start)));
            $at[] = count($hits) === 1 ? $hits[0] : -1;
        }
        $data = -1;
        foreach ($lines as $i => [$session, $line]) {
            if ($at[0] >= 0 && $i > $at[2] && $session === $lines[$at[0]][0] && preg_match('/^C: (DATA|BDAT \d+ LAST)$/', $line)) {
                $data = $i;
                break;
            }
        }
        $at[] = $data;
        $ok = !in_array(-1, $at, true) && $at === array_values(array_unique($at)) && $at == array_values(array_sort($at));
        $found[$key] = $ok ? 'MAIL, RCPT, RCPT, data' : json_encode($at);
    }
    return $found;
}

function array_sort(array $a): array
{
    sort($a);
    return $a;
}

/** [session, line] for each client line; session 0: the line had no number. */
function client_lines(array $lines): array
{
    $out = [];
    foreach ($lines as $line) {
        $session = preg_match('/^\[(\d+)\] (.*)$/s', $line, $m) ? (int)$m[1] : 0;
        $text = $session ? $m[2] : $line;
        if (str_starts_with($text, 'C: ')) {
            $out[] = [$session, $text];
        }
    }
    return $out;
}

$lines = [];
$options = ['debug_handler' => function (string $line) use (&$lines) { $lines[] = $line; }];

// one connection: no numbers; DATA, then BDAT where offered
foreach ([[], ['ehlo' => ['PIPELINING', 'SIZE 10240000', '8BITMIME', 'CHUNKING']]] as $config) {
    $srv = mailer_test_server($config);
    $m = new Mailer('127.0.0.1', $srv->port, '', '', true, $options);
    $lines = [];
    $items = items('k', 4);
    $summary = $m->sendMany($items);
    echo json_encode($summary), "\n";
    var_dump(preg_grep('/^\[\d+\] /', $lines));
    print_r(order($items, client_lines($lines)));
    $verbs = array_map(fn($l) => preg_replace('/^C: (\S+).*$/', '$1', $l[1]), client_lines($lines));
    echo 'DATA ', count(array_keys($verbs, 'DATA')), ', BDAT ', count(array_keys($verbs, 'BDAT')), "\n";
    echo json_encode(many_delivered($srv)), "\n";
    $m->close();
    $srv->stop();
}

// several connections: every line of the batch numbered, each item in order on its session
$srv = mailer_test_server(['concurrent' => true]); // sessions run at once
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, $options);
$lines = [];
$items = items('s', 9);
echo json_encode($m->sendMany($items, null, ['connections' => 3, 'window' => 1])), "\n";
$batch = $lines;
$m->close(); // not the batch's: unnumbered
var_dump(end($lines));
var_dump(preg_grep('/^\[[123]\] /', $batch, PREG_GREP_INVERT));
$sessions = array_unique(array_column(client_lines($batch), 0));
sort($sessions);
echo 'sessions: ', implode(',', $sessions), "\n";
print_r(array_unique(order($items, client_lines($batch))));
echo json_encode(many_delivered($srv)), "\n";

// PSR-3: the session's number in the context, the line unchanged
if (!interface_exists('Psr\Log\LoggerInterface')) {
    eval('namespace Psr\Log; interface LoggerInterface { public function debug(string|\Stringable $message, array $context = []): void; }');
}
final class Logger implements Psr\Log\LoggerInterface
{
    public array $seen = [];
    public function debug(string|\Stringable $message, array $context = []): void
    {
        $this->seen[] = [$context['session'] ?? 0, (string)$message];
    }
    public function __call($name, $args) {}
}
$log = new Logger;
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => $log]);
$items = items('p', 6);
$m->sendMany($items, null, ['connections' => 2, 'window' => 1]);
var_dump(preg_grep('/^\[\d+\] /', array_column($log->seen, 1))); // no number in the line
$sessions = array_unique(array_column($log->seen, 0));
sort($sessions);
echo 'sessions: ', implode(',', $sessions), "\n";
print_r(array_unique(order($items, array_values(array_filter($log->seen, fn($l) => str_starts_with($l[1], 'C: '))))));
?>
--EXPECT--
{"sent":4,"rejected":0,"failed":0,"uncertain":0}
array(0) {
}
Array
(
    [k1] => MAIL, RCPT, RCPT, data
    [k2] => MAIL, RCPT, RCPT, data
    [k3] => MAIL, RCPT, RCPT, data
    [k4] => MAIL, RCPT, RCPT, data
)
DATA 4, BDAT 0
{"k1":1,"k2":1,"k3":1,"k4":1}
{"sent":4,"rejected":0,"failed":0,"uncertain":0}
array(0) {
}
Array
(
    [k1] => MAIL, RCPT, RCPT, data
    [k2] => MAIL, RCPT, RCPT, data
    [k3] => MAIL, RCPT, RCPT, data
    [k4] => MAIL, RCPT, RCPT, data
)
DATA 0, BDAT 4
{"k1":1,"k2":1,"k3":1,"k4":1}
{"sent":9,"rejected":0,"failed":0,"uncertain":0}
string(19) "* connection closed"
array(0) {
}
sessions: 1,2,3
Array
(
    [s1] => MAIL, RCPT, RCPT, data
)
{"s1":1,"s2":1,"s3":1,"s4":1,"s5":1,"s6":1,"s7":1,"s8":1,"s9":1}
array(0) {
}
sessions: 1,2
Array
(
    [p1] => MAIL, RCPT, RCPT, data
)