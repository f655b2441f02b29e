<?php
/*
 * Splits the round trips seen by bench/delay_proxy.c into the client's, the server's and the
 * proxy's time, from the trace it writes with DELAY_PROXY_TRACE=FILE:
 *
 *   DELAY_PROXY_TRACE=/tmp/trace bench-proxy LISTEN UPSTREAM 5 &   (then run a client through it)
 *   php bench/proxy_trace.php /tmp/trace
 *
 * Per connection: the client's turnaround is the time from a reply reaching it (the proxy's write
 * towards the client) to its next octets reaching the proxy; the server's turnaround is the same
 * on the other side; the proxy's own part is how late each forward left against its arrival +
 * delay. Times are the kernel's receive stamps and the proxy's clock, both CLOCK_MONOTONIC.
 */

declare(strict_types=1);

if ($argc < 2 || !is_readable($argv[1])) {
    fwrite(STDERR, "usage: php bench/proxy_trace.php TRACE_FILE\n");
    exit(2);
}

$lastWrite = [];   // direction id => time of the last forward in that direction
$pendingFrom = []; // direction id => time of the forward a read on the other side answers
$client = $server = [];
$reads = [];       // direction id => [arrival times]
$writes = [];
foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $line) {
    [$kind, $id, $t, $n] = explode(' ', $line) + [null, null, null, null];
    $id = (int)$id;
    $t = (int)$t;
    $other = $id ^ 1;
    if ($kind === 'w') {
        $writes[$id][] = $t;
        // the first forward since the other side last spoke: what the other side answers
        $pendingFrom[$other] ??= $t;
    } elseif ($kind === 'r' && (int)$n > 0) {
        $reads[$id][] = $t;
        if (isset($pendingFrom[$id])) {
            // a read on side $id after octets were forwarded to it: its turnaround
            if ($id % 2 === 0) {
                $client[] = ($t - $pendingFrom[$id]) / 1e6;
            } else {
                $server[] = ($t - $pendingFrom[$id]) / 1e6;
            }
            unset($pendingFrom[$id]);
        }
    }
}

function stats(string $what, array $v): void
{
    if (!$v) {
        printf("%-52s none\n", $what);
        return;
    }
    sort($v);
    $n = count($v);
    printf("%-52s n=%d mean %.3f ms, p50 %.3f, p90 %.3f, p99 %.3f, max %.3f\n", $what, $n, array_sum($v) / $n,
        $v[intdiv($n, 2)], $v[intdiv($n * 90, 100)], $v[min($n - 1, intdiv($n * 99, 100))], $v[$n - 1]);
}

stats('client turnaround (reply delivered -> next octets)', $client);
stats('server turnaround (octets delivered -> its reply)', $server);
$conns = count(array_unique(array_map(fn ($id) => intdiv($id, 2), array_keys($reads))));
printf("%d connection(s), %d reads, %d forwards\n", $conns, array_sum(array_map('count', $reads)),
    array_sum(array_map('count', $writes)));
