<?php
/*
 * Checks the bulk benchmark's own instruments before their figures are believed:
 * bench/chunk_sink.c (strict order, exact BDAT sizes, counters, the -D dump byte for byte) and
 * bench/delay_proxy.c (the delay in each direction, bytes and order kept through many small
 * and large writes, a half-close forwarded, the connection closed after both ends).
 *
 *   php bench/instruments_check.php          prints one line per check, exits 1 on any failure
 *
 * Builds both with cc into a temporary directory; every process it starts is stopped by its
 * PID, and each lives 120 s at most in any case.
 */

declare(strict_types=1);

$dir = sys_get_temp_dir() . '/mailer-instruments.' . getmypid();
@mkdir($dir, 0700);
$failures = 0;
$procs = [];
register_shutdown_function(function () use (&$procs, $dir): void {
    foreach ($procs as $p) {
        proc_terminate($p);
        proc_close($p);
    }
    array_map('unlink', glob("$dir/*") ?: []);
    @rmdir($dir);
});

function check(string $what, bool $ok, string $detail = ''): void
{
    global $failures;
    echo ($ok ? 'ok   ' : 'FAIL ') . $what . ($detail !== '' ? " ($detail)" : '') . "\n";
    $failures += $ok ? 0 : 1;
}

function free_port(): int
{
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
    fclose($s);
    return $port;
}

function start(array $cmd, string $out): void
{
    global $procs;
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $out, 'w'], 2 => ['file', $out, 'a']], $pipes);
    if (!$p) {
        fwrite(STDERR, "cannot start $cmd[0]\n");
        exit(1);
    }
    $procs[] = $p;
    for ($i = 0; $i < 50 && !str_contains((string)@file_get_contents($out), 'ready'); $i++) {
        usleep(100000);
    }
}

function connect(int $port)
{
    $s = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
    if (!$s) {
        fwrite(STDERR, "cannot connect to $port: $errstr\n");
        exit(1);
    }
    stream_set_timeout($s, 5);
    return $s;
}

/* Reads n reply lines (a multi-line reply counts as its lines). */
function lines($s, int $n): array
{
    $got = [];
    while (count($got) < $n && ($l = fgets($s)) !== false) {
        $got[] = rtrim($l, "\r\n");
    }
    return $got;
}

function counters(string $log): array
{
    preg_match_all('/^sess=(\d+) quit=(\d+) mesg=(\d+) bdat=(\d+) rcpt=(\d+) octets=(\d+) bad=(\d+)\n/m',
        (string)@file_get_contents($log), $m, PREG_SET_ORDER);
    $last = $m ? end($m) : array_fill(0, 8, 0);
    return array_combine(['sess', 'quit', 'mesg', 'bdat', 'rcpt', 'octets', 'bad'],
        array_map('intval', array_slice($last, 1)));
}

function wait_counters(string $log, string $key, int $want): array
{
    for ($i = 0; $i < 100 && counters($log)[$key] < $want; $i++) {
        usleep(20000);
    }
    return counters($log);
}

foreach (['chunk_sink', 'delay_proxy'] as $prog) {
    exec('cc -O2 -Wall -Wextra -Werror -o ' . escapeshellarg("$dir/$prog") . ' ' . escapeshellarg(__DIR__ . "/$prog.c")
        . ' 2>&1', $out, $status);
    check("$prog.c compiles with -Wall -Wextra -Werror", $status === 0, implode(' ', $out));
}

/* ---- the CHUNKING sink ---- */
$sinkPort = free_port();
start(["$dir/chunk_sink", '-D', "$dir/dump", '-L', '120', (string)$sinkPort], "$dir/sink.log");
$s = connect($sinkPort);
$greeting = lines($s, 1);
fwrite($s, "EHLO x\r\n");
$ehlo = lines($s, 6);
check('sink: greets, offers PIPELINING and CHUNKING',
    ($greeting[0] ?? '') === '220 chunk-sink ESMTP' && in_array('250-PIPELINING', $ehlo, true)
    && in_array('250-CHUNKING', $ehlo, true), implode('|', $ehlo));
// one pipelined flight: a BDAT outside a transaction (its octets still read: 503), a transaction
// whose BDAT carries one octet more than announced (the excess, "XRSET", is a bad command, so the
// transaction goes on and the next MAIL is nested: 503), DATA after BDAT refused (503), then
// BDAT LAST ends the message (5 + 2 octets, 2 recipients)
fwrite($s, "BDAT 3\r\nabcMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 5\r\nhelloXRSET\r\nMAIL FROM:<a@b>\r\n"
    . "RCPT TO:<c@d>\r\nBDAT 2\r\nhiDATA\r\nBDAT 0 LAST\r\n");
$codes = array_map(fn ($l) => substr($l, 0, 3), lines($s, 10));
check('sink: strict order and exact BDAT sizes', $codes === ['503', '250', '250', '250', '502', '503', '250', '250',
    '503', '250'], implode(' ', $codes));
// a clean message with DATA (dot-stuffed) and one with BDAT in two chunks, then RSET and QUIT
$body = "Subject: t\r\n\r\n..leading dot\r\n.\r\nnot the end\r\nend\r\n"; // its ".\r\n" line gets stuffed below
$unstuffed = "Subject: t\r\n\r\n.leading dot\r\n.\r\nnot the end\r\nend\r\n"; // what the sender meant
fwrite($s, "MAIL FROM:<x@y>\r\nRCPT TO:<r1@y>\r\nRCPT TO:<r2@y>\r\nDATA\r\n");
$r1 = lines($s, 4);
fwrite($s, str_replace("\r\n.\r\nnot", "\r\n..\r\nnot", $body) . ".\r\n");
$r2 = lines($s, 1);
$raw = "Subject: b\r\n\r\n.raw dot\r\n";
fwrite($s, "MAIL FROM:<x@y>\r\nRCPT TO:<r3@y>\r\nBDAT 10\r\n" . substr($raw, 0, 10) . 'BDAT ' . (strlen($raw) - 10)
    . " LAST\r\n" . substr($raw, 10) . "RSET\r\nQUIT\r\n");
$r3 = lines($s, 6);
check('sink: DATA and BDAT messages accepted, RSET, QUIT', substr($r1[3] ?? '', 0, 3) === '354'
    && str_starts_with($r2[0] ?? '', '250 2.0.0 Ok: queued') && str_starts_with($r3[3] ?? '', '250 2.0.0 Ok: queued')
    && ($r3[5] ?? '') === '221 2.0.0 Bye', implode('|', array_merge($r2, $r3)));
check('sink: closes after QUIT', fgets($s) === false && feof($s));
fclose($s);
$c = wait_counters("$dir/sink.log", 'quit', 1);
check('sink: counters (3 messages, 2 with BDAT, 5 recipients, octets after unstuffing, 4 protocol errors)',
    $c['sess'] === 1 && $c['quit'] === 1 && $c['mesg'] === 3 && $c['bdat'] === 2 && $c['rcpt'] === 5
    && $c['octets'] === 7 + strlen($unstuffed) + strlen($raw) && $c['bad'] === 4, json_encode($c));
$dump = (string)file_get_contents("$dir/dump");
check('sink: -D dumps every message byte for byte with its envelope',
    str_contains($dump, "X-Rcpt: RCPT TO:<r2@y>\r\nX-Octets: " . strlen($unstuffed) . "\r\n$unstuffed\r\n")
    && str_contains($dump, "X-Rcpt: RCPT TO:<r3@y>\r\nX-Octets: " . strlen($raw) . "\r\n$raw\r\n"));

/* ---- the delay proxy, in front of the sink ---- */
$proxyPort = free_port();
start(["$dir/delay_proxy", (string)$proxyPort, (string)$sinkPort, '5', '120'], "$dir/proxy.log");
// one way: the sink greets at once, so the greeting comes 5 ms after the connect (median of 5)
$oneWay = [];
for ($i = 0; $i < 5; $i++) {
    $t0 = hrtime(true);
    $s = connect($proxyPort);
    $greeting = lines($s, 1);
    $oneWay[] = ($greeting[0] ?? '') === '220 chunk-sink ESMTP' ? (hrtime(true) - $t0) / 1e6 : 0.0;
    fwrite($s, "QUIT\r\n");
    lines($s, 1);
    fclose($s);
}
sort($oneWay);
check('proxy: the greeting comes 5 ms late (one way; median of 5, none sooner)', $oneWay[0] >= 5.0 && $oneWay[2] < 7,
    sprintf('median %.2f ms, min %.2f', $oneWay[2], $oneWay[0]));
$s = connect($proxyPort);
lines($s, 1);
$rtt = [];
for ($i = 0; $i < 21; $i++) {
    $t0 = hrtime(true);
    fwrite($s, "NOOP\r\n");
    lines($s, 1);
    $rtt[] = (hrtime(true) - $t0) / 1e6;
}
sort($rtt);
check('proxy: a round trip takes 10 ms (the median of 21; none shorter)', $rtt[10] >= 10.0 && $rtt[10] < 11 && $rtt[0] >= 10.0,
    sprintf('median %.2f ms, min %.2f, max %.2f', $rtt[10], $rtt[0], $rtt[20]));
// 3 MB of random octets in writes of random sizes, as one BDAT: order and bytes kept
$big = '';
for ($i = 0; $i < 48; $i++) {
    $big .= random_bytes(65536);
}
fwrite($s, "EHLO x\r\nMAIL FROM:<big@y>\r\nRCPT TO:<big@y>\r\nBDAT " . strlen($big) . " LAST\r\n");
for ($off = 0; $off < strlen($big);) {
    $n = min(strlen($big) - $off, random_int(1, 200000));
    $w = fwrite($s, substr($big, $off, $n));
    $off += (int)$w;
}
$replies = lines($s, 9);
check('proxy: 3 MB in writes of random sizes arrive whole and in order',
    str_starts_with($replies[8] ?? '', '250 2.0.0 Ok: queued')
    && str_ends_with((string)file_get_contents("$dir/dump"), "X-Octets: " . strlen($big) . "\r\n$big\r\n"),
    $replies[8] ?? 'no reply');
// a half-close: the sink sees the end of stream only after the delay, and the proxy closes when
// both sides are done
fwrite($s, "QUIT\r\n");
stream_socket_shutdown($s, STREAM_SHUT_WR);
$bye = lines($s, 1);
$t0 = hrtime(true);
$eof = fgets($s) === false && feof($s);
check('proxy: QUIT, half-close forwarded, then closed from the server side', ($bye[0] ?? '') === '221 2.0.0 Bye' && $eof);
fclose($s);
// a half-close alone: the server must see the end of stream (and close its side) after 5 ms
$s = connect($proxyPort);
lines($s, 1);
$t0 = hrtime(true);
stream_socket_shutdown($s, STREAM_SHUT_WR);
$eof = fgets($s) === false && feof($s);
$ms = (hrtime(true) - $t0) / 1e6;
check('proxy: a half-close reaches the server, whose close comes back: 10 ms', $eof && $ms >= 10.0 && $ms < 1000,
    sprintf('%.2f ms', $ms));
fclose($s);
$c = wait_counters("$dir/sink.log", 'sess', 8);
check('proxy: the sink counted 7 more sessions through the proxy, 6 of them with QUIT', $c['sess'] === 8 && $c['quit'] === 7
    && $c['mesg'] === 4, json_encode($c));

exit($failures ? 1 : 0);
