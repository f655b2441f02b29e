<?php
/*
 * The side-by-side benchmark's driver. bench/run.sh starts it after it has
 * installed the packages, built the extension and started smtp-sink and the
 * delay proxy (it owns those processes and stops them); this script runs every
 * case × column, checks each cell against smtp-sink's counters, and prints the
 * tables (markdown), also written to --out.
 *
 *   php bench/run.php --so=SO --sink-port=P --sink-log=FILE --proxy-port=P
 *                     --rusage=BIN --work=DIR [--runs=3] [--out=bench/results.md]
 *                     [--cases=keep,fresh,...] [--columns=ext,phpmailer,...] [--so-base=SO]
 *                     [--proxy-pid=PID --proxy-accuracy=TEXT --proxy-rt=TEXT]
 *                     [--bulk-sink-port=P --bulk-sink-log=FILE --bulk-sink-dump=FILE
 *                      --bulk-sink-proxy-port=P --bulk-sink-proxy-pid=PID] [--postfix-port=P
 *                      --postfix-log=FILE --postfix-proxy-port=P --postfix-proxy-pid=PID]
 *                     [--chunk-sink-port=P --chunk-sink-log=FILE --chunk-sink-pid=PID
 *                      --chunk-sink-proxy-port=P --chunk-sink-proxy-pid=PID]
 *
 * Interleaving: run 1 goes through every case, and within a case through every
 * column, then run 2 does the same with the columns in another order, and so
 * on; a machine that slows down during the bench slows every column alike.
 * Figures are medians over the runs; ratios are taken per run between cells of
 * the same case, then their median is shown.
 *
 * The bulk cases (bulk*) run their own columns (BULK_COLUMNS): on loopback
 * against the plain smtp-sink; at 10 ms against a second smtp-sink that dumps
 * every transaction, so that recipients are counted too; and against a private
 * Postfix that discards (bench/postfix_discard.sh), whose log counts messages
 * ("removed") and recipients ("status=sent"); and against bench/chunk_sink.c, which offers
 * CHUNKING without being the cap, and counts messages, those sent with BDAT, recipients and
 * protocol errors. The delay proxies' CPU (and the CHUNKING sink's) is read per cell from
 * /proc/PID/schedstat, to show they are not the limit. Before them bench/sample.php
 * compares a sample's bytes at the server with toString(). The many-N columns
 * are "n/a" when the build has no sendMany().
 */

declare(strict_types=1);

const CELL_TIMEOUT = 300; // seconds one cell may take before it is an error

/* Columns in table order. "php" columns run bench/client.php, the reference runs smtp-source. */
const COLUMNS = [
    'ext' => 'php-mailer (this extension)',
    'ext-base' => 'php-mailer, baseline build (--so-base)',
    'phpmailer' => 'PHPMailer',
    'phpmailer-nodelay' => 'PHPMailer + TCP_NODELAY',
    'symfony' => 'Symfony Mailer',
    'symfony-nodelay' => 'Symfony Mailer + TCP_NODELAY',
    'symfony-native' => 'Symfony Mailer on native+smtp:// (bridge/symfony)',
    'swift' => 'SwiftMailer',
    'swift-nodelay' => 'SwiftMailer + TCP_NODELAY',
    'netsmtp' => 'PEAR Net_SMTP + Mail_Mime',
    'netsmtp-nodelay' => 'PEAR Net_SMTP + Mail_Mime + TCP_NODELAY',
    'original' => 'original userland class',
    'smtp-source' => 'Postfix smtp-source (C)',
    'many-1' => 'php-mailer sendMany(), 1 connection',
    'many-8' => 'php-mailer sendMany(), 8 connections',
    'many-32' => 'php-mailer sendMany(), 32 connections',
    'smtp-source-8' => 'Postfix smtp-source -d -s 8',
    'smtp-source-32' => 'Postfix smtp-source -d -s 32',
];
/* Only in the bulk cases; the bulk cases run only BULK_COLUMNS. */
const BULK_ONLY = ['many-1', 'many-8', 'many-32', 'smtp-source-8', 'smtp-source-32'];
const BULK_COLUMNS = ['ext', 'many-1', 'many-8', 'many-32', 'smtp-source', 'smtp-source-8', 'smtp-source-32',
    'swift-nodelay', 'phpmailer-nodelay'];
const MANY = ['many-1', 'many-8', 'many-32'];
const NO_MANY = 'n/a — sendMany() not in this build';
const DEFAULT_PEERS = ['phpmailer', 'symfony', 'swift', 'netsmtp'];
const TUNED_PEERS = ['phpmailer-nodelay', 'symfony-nodelay', 'swift-nodelay', 'netsmtp-nodelay'];
const LOCKSTEP = ['phpmailer', 'phpmailer-nodelay', 'symfony', 'symfony-nodelay', 'netsmtp', 'netsmtp-nodelay',
    'original', 'smtp-source'];

/*
 * Cases. n: messages per cell; fewer for the columns in "few" (those that
 * stall 40 ms per message, or take 53 round trips of 10 ms per message), so
 * the whole bench stays within minutes: a rate does not depend on how many
 * messages measured it once there are enough of them. The table says n.
 */
function cases(string $work): array
{
    return [
        'keep' => ['label' => '1 KB, one connection', 'mode' => 'keep', 'proxy' => false,
            'n' => 2000, 'few' => [100, DEFAULT_PEERS]],
        'fresh' => ['label' => '1 KB, new connection each', 'mode' => 'fresh', 'proxy' => false,
            'n' => 300, 'few' => [50, DEFAULT_PEERS]],
        'rcpt50' => ['label' => '50 recipients, one connection', 'mode' => 'rcpt50', 'proxy' => false,
            'n' => 200, 'few' => [40, [...DEFAULT_PEERS, 'swift-nodelay']]],
        'att20' => ['label' => '20 MB attachment', 'mode' => 'attach', 'proxy' => false,
            'n' => 1, 'file' => "$work/attachment-20MB.bin", 'mb' => 20],
        'att100' => ['label' => '100 MB attachment', 'mode' => 'attach', 'proxy' => false,
            'n' => 1, 'file' => "$work/attachment-100MB.bin", 'mb' => 100],
        'keep-5ms' => ['label' => '1 KB, one connection, 5 ms proxy', 'mode' => 'keep', 'proxy' => true,
            'n' => 100, 'few' => [40, LOCKSTEP]],
        'rcpt50-5ms' => ['label' => '50 recipients, one connection, 5 ms proxy', 'mode' => 'rcpt50', 'proxy' => true,
            'n' => 20, 'few' => [5, LOCKSTEP]],
        /* Bulk: 1 KB messages, all on kept connections. n per column: each cell takes one to a few
         * seconds at the rate its column reaches (Postfix, its queue on a tmpfs, takes ~700 a second
         * on 2 cores whatever the client). On loopback the plain smtp-sink (messages counted): the
         * dumping one, which counts recipients too, takes ~40% more time per message and would
         * cap the fastest columns; at 10 ms it is far from being the limit. */
        'bulk' => ['label' => 'bulk 1 KB, smtp-sink, loopback', 'mode' => 'keep', 'proxy' => false,
            'target' => 'sink', 'n' => 5000, 'n_by' => ['swift-nodelay' => 500, 'phpmailer-nodelay' => 2000]],
        'bulk-10ms' => ['label' => 'bulk 1 KB, smtp-sink, 10 ms round trip', 'mode' => 'keep', 'proxy' => true,
            'target' => 'bulk-sink', 'n' => 4000, 'n_by' => ['ext' => 100, 'many-1' => 500, 'smtp-source' => 40,
                'smtp-source-8' => 300, 'smtp-source-32' => 1000, 'swift-nodelay' => 100, 'phpmailer-nodelay' => 40]],
        'bulk-postfix' => ['label' => 'bulk 1 KB, Postfix (CHUNKING), loopback', 'mode' => 'keep', 'proxy' => false,
            'target' => 'postfix', 'n' => 2000, 'n_by' => ['swift-nodelay' => 300, 'phpmailer-nodelay' => 1000]],
        'bulk-postfix-10ms' => ['label' => 'bulk 1 KB, Postfix (CHUNKING), 10 ms round trip', 'mode' => 'keep',
            'proxy' => true, 'target' => 'postfix', 'n' => 2000, 'n_by' => ['ext' => 100, 'smtp-source' => 40,
                'smtp-source-8' => 300, 'smtp-source-32' => 1000, 'swift-nodelay' => 100, 'phpmailer-nodelay' => 40]],
        /* BDAT against a server that is not the cap: bench/chunk_sink.c (C, one process, counts
         * messages, BDAT messages and recipients), on loopback and behind its own 5 ms proxy.
         * sendMany() reaches 10,000 to 25,000 a second here: 20,000 messages keep its cells near a
         * second or more, so that the sessions' set-up and QUIT (4 round trips) do not weigh. */
        'bulk-chunk' => ['label' => 'bulk 1 KB, CHUNKING sink, loopback', 'mode' => 'keep', 'proxy' => false,
            'target' => 'chunk-sink', 'n' => 20000, 'n_by' => ['ext' => 5000, 'smtp-source' => 5000,
                'smtp-source-8' => 5000, 'smtp-source-32' => 5000, 'swift-nodelay' => 500, 'phpmailer-nodelay' => 2000]],
        'bulk-chunk-10ms' => ['label' => 'bulk 1 KB, CHUNKING sink, 10 ms round trip', 'mode' => 'keep',
            'proxy' => true, 'target' => 'chunk-sink', 'n' => 20000, 'n_by' => ['ext' => 100, 'many-1' => 8000,
                'smtp-source' => 40, 'smtp-source-8' => 300, 'smtp-source-32' => 1000, 'swift-nodelay' => 100,
                'phpmailer-nodelay' => 40]],
    ];
}

function opt(string $name, ?string $default = null): string
{
    foreach ($GLOBALS['argv'] as $arg) {
        if (str_starts_with($arg, "--$name=")) {
            return substr($arg, strlen($name) + 3);
        }
    }
    if ($default === null) {
        fwrite(STDERR, "run.php: --$name is required\n");
        exit(2);
    }
    return $default;
}

function say(string $text): void
{
    fwrite(STDERR, $text);
}

/* smtp-sink -c rewrites one status line ("sess=N quit=N mesg=N", ended by CR)
 * after each session, QUIT and ".": the last complete one is the count. */
function sink_counts(string $log): array
{
    clearstatcache(true, $log);
    $size = (int)@filesize($log);
    $f = @fopen($log, 'rb');
    if (!$f) {
        return ['sess' => 0, 'quit' => 0, 'mesg' => 0];
    }
    fseek($f, max(0, $size - 512));
    $tail = (string)fread($f, 512);
    fclose($f);
    if (!preg_match_all('/sess=(\d+) quit=(\d+) mesg=(\d+)/', $tail, $m, PREG_SET_ORDER)) {
        return ['sess' => 0, 'quit' => 0, 'mesg' => 0];
    }
    $last = end($m);
    return ['sess' => (int)$last[1], 'quit' => (int)$last[2], 'mesg' => (int)$last[3]];
}

/* Counts lines matching patterns in a log another process appends to, reading only what is new
 * since the last call (whole lines: a line still being written waits for the next call). */
final class LogCounter
{
    private int $offset = 0;
    private string $partial = '';
    public array $counts;

    /** @param array<string, string> $patterns name => regex matched against one line */
    public function __construct(private string $file, private array $patterns)
    {
        $this->counts = array_fill_keys(array_keys($patterns), 0);
    }

    public function update(): array
    {
        $f = @fopen($this->file, 'rb');
        if ($f) {
            fseek($f, $this->offset);
            while (($chunk = fread($f, 1 << 20)) !== false && $chunk !== '') {
                $this->offset += strlen($chunk);
                $lines = explode("\n", $this->partial . $chunk);
                $this->partial = array_pop($lines);
                foreach ($lines as $line) {
                    foreach ($this->patterns as $name => $re) {
                        if (preg_match($re, $line)) {
                            $this->counts[$name]++;
                        }
                    }
                }
            }
            fclose($f);
        }
        return $this->counts;
    }
}

/* bench/chunk_sink.c's last complete counter line (it writes one when idle, or every 100 ms). */
function chunk_sink_counts(string $log): array
{
    $zero = ['sess' => 0, 'quit' => 0, 'mesg' => 0, 'bdat' => 0, 'rcpt' => 0, 'octets' => 0, 'bad' => 0];
    clearstatcache(true, $log);
    $size = (int)@filesize($log);
    $f = @fopen($log, 'rb');
    if (!$f) {
        return $zero;
    }
    fseek($f, max(0, $size - 1024));
    $tail = (string)fread($f, 1024);
    fclose($f);
    if (!preg_match_all('/^sess=(\d+) quit=(\d+) mesg=(\d+) bdat=(\d+) rcpt=(\d+) octets=(\d+) bad=(\d+)\n/m', $tail,
        $m, PREG_SET_ORDER)) {
        return $zero;
    }
    return array_combine(array_keys($zero), array_map('intval', array_slice(end($m), 1)));
}

/* CPU seconds a process has run so far (the scheduler's nanoseconds), null when it is gone. */
function process_cpu(int $pid): ?float
{
    $stat = $pid > 0 ? @file_get_contents("/proc/$pid/schedstat") : false;
    return $stat === false ? null : (int)explode(' ', $stat)[0] / 1e9;
}

/* CPU seconds of a Postfix instance so far: its master and every daemon it started (they are all
 * the master's children), in clock ticks. A daemon that exited is not in it (the master's
 * cutime did not grow with them here): bench/postfix_discard.sh's max_use keeps them all alive
 * through a bench; with POSTFIX_DISCARD_TUNED=0 cleanup and discard exit every 100 messages and
 * the figure is low. */
function postfix_cpu(int $master): ?float
{
    $fields = fn (string $stat): array => explode(' ', substr($stat, strrpos($stat, ')') + 2));
    $m = $master > 0 ? @file_get_contents("/proc/$master/stat") : false;
    if ($m === false) {
        return null;
    }
    $f = $fields($m); // [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime
    $ticks = (int)$f[11] + (int)$f[12] + (int)$f[13] + (int)$f[14];
    foreach (glob('/proc/[0-9]*/stat') ?: [] as $file) {
        $st = @file_get_contents($file);
        if ($st !== false && (int)($f2 = $fields($st))[1] === $master) {
            $ticks += (int)$f2[11] + (int)$f2[12];
        }
    }
    return $ticks / 100; // USER_HZ: 100 on Linux
}

/* What the case's server has received so far: messages, recipients (null: not counted: the plain
 * smtp-sink counts messages only), and anything the server refused or bounced. */
function server_counts(array $case, array $ctx): array
{
    static $dump = null, $postfix = null;
    switch ($case['target'] ?? 'sink') {
    case 'chunk-sink':
        return chunk_sink_counts($ctx['chunk_sink_log']);
    case 'bulk-sink':
        $dump ??= new LogCounter($ctx['bulk_sink_dump'], ['mail' => '/^X-Mail-Args:/', 'rcpt' => '/^X-Rcpt-Args:/']);
        $d = $dump->update();
        // -c's counter and the dump must agree on the messages
        return ['mesg' => min(sink_counts($ctx['bulk_sink_log'])['mesg'], $d['mail']), 'rcpt' => $d['rcpt'],
            'bad' => 0];
    case 'postfix':
        // qmgr logs "removed" once per message, discard "status=sent (bench)" once per recipient
        $postfix ??= new LogCounter($ctx['postfix_log'], ['mesg' => '/: removed$/', 'rcpt' => '/status=sent \(bench\)/',
            // not warnings: under load cleanup warns that the clock moved ("resetting file time stamps")
            'bad' => '/status=(?!sent)|: reject: |: fatal: |: panic: /']);
        return $postfix->update();
    default:
        return ['mesg' => sink_counts($ctx['sink_log'])['mesg'], 'rcpt' => null, 'bad' => 0];
    }
}

function case_port(array $case, array $ctx): int
{
    $key = match ($case['target'] ?? 'sink') {
        'bulk-sink' => $case['proxy'] ? 'bulk_sink_proxy_port' : 'bulk_sink_port',
        'postfix' => $case['proxy'] ? 'postfix_proxy_port' : 'postfix_port',
        'chunk-sink' => $case['proxy'] ? 'chunk_sink_proxy_port' : 'chunk_sink_port',
        default => $case['proxy'] ? 'proxy_port' : 'sink_port',
    };
    return $ctx[$key];
}

/* Runs one command with a time limit; returns [exit code, stdout, stderr, seconds]. */
function run_command(array $cmd, int $timeout): array
{
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    if (!$p) {
        return [127, '', 'cannot start ' . $cmd[0], 0.0];
    }
    $out = $err = '';
    $t0 = hrtime(true);
    stream_set_blocking($pipes[1], false);
    stream_set_blocking($pipes[2], false);
    $killed = false;
    while (true) {
        $r = [$pipes[1], $pipes[2]];
        $w = $e = null;
        if (@stream_select($r, $w, $e, 0, 200000) > 0) {
            foreach ($r as $s) {
                $chunk = (string)fread($s, 65536);
                $s === $pipes[1] ? $out .= $chunk : $err .= $chunk;
            }
        }
        if (feof($pipes[1]) && feof($pipes[2])) {
            break;
        }
        if (!$killed && (hrtime(true) - $t0) / 1e9 > $timeout) {
            proc_terminate($p, 9); // our own child, by its handle
            $killed = true;
            $err .= "\n(killed after $timeout s)";
        }
    }
    fclose($pipes[1]);
    fclose($pipes[2]);
    $status = proc_close($p);
    return [$killed ? 124 : $status, $out, $err, (hrtime(true) - $t0) / 1e9];
}

/* The message size smtp-source should send to move as many bytes as the
 * extension does: a ~1 KB message, or base64 of the attachment in 76-column
 * lines plus the text part and headers. */
function source_length(array $case): int
{
    if ($case['mode'] !== 'attach') {
        return 900; // + smtp-source's ~110 octets of headers = the extension's ~1 KB message
    }
    $raw = $case['mb'] * 1048576;
    $b64 = 4 * intdiv($raw + 2, 3);
    return $b64 + 2 * intdiv($b64 + 75, 76) + 1500;
}

/* One cell: returns ['sent', 'wall', 'cpu', 'rss_kb'] or ['error' => text]. */
function run_cell(string $column, array $case, int $n, array $ctx): array
{
    if (in_array($column, MANY, true) && !$ctx['has_many']) {
        return ['na' => NO_MANY];
    }
    $port = case_port($case, $ctx);
    if ($port <= 0) {
        return ['error' => 'the server of this case was not started (bench/run.sh starts it for bulk cases)'];
    }
    $before = server_counts($case, $ctx);
    // the instruments' CPU over the cell: the proxy of a proxied case, the CHUNKING sink
    $proxyPid = !$case['proxy'] ? 0 : match ($case['target'] ?? 'sink') {
        'bulk-sink' => $ctx['bulk_sink_proxy_pid'],
        'postfix' => $ctx['postfix_proxy_pid'],
        'chunk-sink' => $ctx['chunk_sink_proxy_pid'],
        default => $ctx['proxy_pid'],
    };
    $sinkPid = ($case['target'] ?? '') === 'chunk-sink' ? $ctx['chunk_sink_pid'] : 0;
    $proxyCpu0 = process_cpu($proxyPid);
    $sinkCpu0 = process_cpu($sinkPid);
    $postfixCpu0 = ($case['target'] ?? '') === 'postfix' ? postfix_cpu($ctx['postfix_master_pid']) : null;
    if (preg_match('/^smtp-source(?:-(\d+))?$/', $column, $sm)) {
        $sessions = $sm[1] ?? '1';
        $json = $ctx['work'] . '/rusage.json';
        @unlink($json);
        $cmd = [$ctx['rusage'], $json, 'smtp-source', '-m', (string)$n, '-l', (string)source_length($case),
            '-f', 'bench@example.com', '-t', 'rcpt@example.net', '-S', 'Benchmark message'];
        if ($case['mode'] === 'keep' || $case['mode'] === 'rcpt50') {
            $cmd[] = '-d'; // one connection for all messages (of each session)
        }
        if ($sessions !== '1') {
            array_push($cmd, '-s', $sessions); // sessions in parallel, sharing the -m messages
        }
        if ($case['mode'] === 'rcpt50') {
            array_push($cmd, '-r', '50');
        }
        $cmd[] = "127.0.0.1:$port";
        [$status, $out, $err] = run_command($cmd, CELL_TIMEOUT);
        $r = json_decode((string)@file_get_contents($json), true);
        if ($status !== 0 || !is_array($r)) {
            return ['error' => "smtp-source exited $status: " . trim($err . $out)];
        }
        $r['sent'] = $n;
    } else {
        // the baseline column is the same client code with another build of the extension
        $load = $column === 'ext-base' ? ['-d', 'extension=' . $ctx['so_base']] : $ctx['load'];
        $client = $column === 'ext-base' ? 'ext' : $column;
        $cmd = [PHP_BINARY, ...$load, $ctx['dir'] . '/client.php', $client, $case['mode'], (string)$port,
            (string)$n];
        if ($case['mode'] === 'attach') {
            $cmd[] = $case['file'];
        }
        [$status, $out, $err] = run_command($cmd, CELL_TIMEOUT);
        $r = json_decode(trim($out), true);
        if ($status !== 0 || !is_array($r)) {
            return ['error' => "exit $status: " . trim($err . $out)];
        }
        if (isset($r['na'])) {
            return ['na' => NO_MANY];
        }
    }
    // the sink counts a message when its "." arrives, which can trail the client's exit a little;
    // Postfix counts it when the discard transport is done, after the queue manager got to it
    $rcptEach = $case['mode'] === 'rcpt50' ? 50 : 1;
    $want = $before['mesg'] + $r['sent'];
    $wantRcpt = $before['rcpt'] === null ? null : $before['rcpt'] + $r['sent'] * $rcptEach;
    $deadline = microtime(true) + (($case['target'] ?? 'sink') === 'postfix' ? 120 : 5);
    do {
        $after = server_counts($case, $ctx);
        if ($after['mesg'] >= $want && ($wantRcpt === null || $after['rcpt'] >= $wantRcpt)) {
            usleep(50000); // anything beyond (a message delivered twice) shows up too
            $after = server_counts($case, $ctx);
            break;
        }
        usleep(20000);
    } while (microtime(true) < $deadline);
    $server = match ($case['target'] ?? 'sink') {
        'postfix' => 'Postfix',
        'chunk-sink' => 'the CHUNKING sink',
        default => 'smtp-sink',
    };
    $delivered = $after['mesg'] - $before['mesg'];
    if ($delivered !== $r['sent']) {
        return ['error' => "$server counted $delivered messages, the client reports {$r['sent']}"];
    }
    if ($wantRcpt !== null && $after['rcpt'] - $before['rcpt'] !== $r['sent'] * $rcptEach) {
        return ['error' => "$server counted " . ($after['rcpt'] - $before['rcpt']) . ' recipients, the client sent '
            . $r['sent'] * $rcptEach];
    }
    if ($after['bad'] !== $before['bad']) {
        return ['error' => "$server logged " . ($after['bad'] - $before['bad'])
            . ' rejections, bounces or fatal errors'];
    }
    // the extension sends with BDAT where it is offered: the CHUNKING sink must have had only that
    if (isset($before['bdat']) && ($column === 'ext' || in_array($column, MANY, true))
        && $after['bdat'] - $before['bdat'] !== $r['sent']) {
        return ['error' => "$server counted " . ($after['bdat'] - $before['bdat']) . ' messages sent with BDAT of '
            . $r['sent']];
    }
    $r['rcpt'] = $r['sent'] * $rcptEach;
    if ($proxyCpu0 !== null && ($cpu = process_cpu($proxyPid)) !== null) {
        $r['proxy_cpu'] = $cpu - $proxyCpu0;
    }
    if ($sinkCpu0 !== null && ($cpu = process_cpu($sinkPid)) !== null) {
        $r['sink_cpu'] = $cpu - $sinkCpu0;
    }
    // Postfix's whole work for the cell (the queue drained: the counters were waited for above)
    if ($postfixCpu0 !== null && ($cpu = postfix_cpu($ctx['postfix_master_pid'])) !== null) {
        $r['postfix_cpu'] = $cpu - $postfixCpu0;
    }
    return $r;
}

function median(array $v): ?float
{
    $v = array_values(array_filter($v, fn ($x) => $x !== null));
    if (!$v) {
        return null;
    }
    sort($v);
    $c = count($v);
    return $c % 2 ? $v[intdiv($c, 2)] : ($v[$c / 2 - 1] + $v[$c / 2]) / 2;
}

function fmt_rate(?float $v): string
{
    if ($v === null) {
        return 'error';
    }
    return $v >= 100 ? number_format($v) : ($v >= 10 ? sprintf('%.1f', $v) : sprintf('%.2f', $v));
}

function fmt_num(?float $v, int $decimals = 3): string
{
    return $v === null ? 'error' : number_format($v, $decimals);
}

function fmt_ratio(?float $v): string
{
    if ($v === null) {
        return '–';
    }
    return $v >= 100 ? sprintf('%.0f×', $v) : ($v >= 10 ? sprintf('%.1f×', $v) : sprintf('%.2f×', $v));
}

/* ---- main ---- */

$runs = max(1, (int)opt('runs', '3'));
$ctx = [
    'so' => opt('so'),
    'so_base' => opt('so-base', ''),
    'sink_port' => (int)opt('sink-port'),
    'sink_log' => opt('sink-log'),
    'proxy_port' => (int)opt('proxy-port'),
    'rusage' => opt('rusage'),
    'work' => opt('work'),
    'dir' => __DIR__,
    'bulk_sink_port' => (int)opt('bulk-sink-port', '0'),
    'bulk_sink_log' => opt('bulk-sink-log', ''),
    'bulk_sink_dump' => opt('bulk-sink-dump', ''),
    'bulk_sink_proxy_port' => (int)opt('bulk-sink-proxy-port', '0'),
    'postfix_port' => (int)opt('postfix-port', '0'),
    'postfix_log' => opt('postfix-log', ''),
    'postfix_proxy_port' => (int)opt('postfix-proxy-port', '0'),
    'proxy_pid' => (int)opt('proxy-pid', '0'),
    'bulk_sink_proxy_pid' => (int)opt('bulk-sink-proxy-pid', '0'),
    'postfix_proxy_pid' => (int)opt('postfix-proxy-pid', '0'),
    'postfix_master_pid' => (int)opt('postfix-master-pid', '0'),
    'chunk_sink_port' => (int)opt('chunk-sink-port', '0'),
    'chunk_sink_log' => opt('chunk-sink-log', ''),
    'chunk_sink_pid' => (int)opt('chunk-sink-pid', '0'),
    'chunk_sink_proxy_port' => (int)opt('chunk-sink-proxy-port', '0'),
    'chunk_sink_proxy_pid' => (int)opt('chunk-sink-proxy-pid', '0'),
    'proxy_accuracy' => opt('proxy-accuracy', ''),
    'proxy_rt' => opt('proxy-rt', ''),
    'proxy_kind' => opt('proxy-kind', 'bench/delay_proxy.c'),
];
// every PHP column runs with the same php.ini, plus the extension under test
$ctx['load'] = ['-d', 'extension=' . $ctx['so']];
if (extension_loaded('mailer')) {
    say("run.php: php.ini already loads mailer " . phpversion('mailer') . ": measuring that build, not {$ctx['so']}\n");
    $ctx['load'] = [];
}
$ctx['has_many'] = trim((string)shell_exec(implode(' ', array_map('escapeshellarg', [PHP_BINARY, ...$ctx['load'], '-r',
    'echo method_exists("Mailer", "sendMany") ? "yes" : "no";'])))) === 'yes';
$outFile = opt('out', __DIR__ . '/results.md');
$cases = cases($ctx['work']);
if (($only = opt('cases', '')) !== '') {
    $cases = array_intersect_key($cases, array_flip(explode(',', $only)));
} else {
    $cases = array_filter($cases, fn ($c) => !isset($c['target'])); // the bulk cases run with --bulk
}
$columns = array_keys(COLUMNS);
if ($ctx['so_base'] === '') {
    $columns = array_values(array_diff($columns, ['ext-base']));
}
if (($only = opt('columns', '')) !== '') {
    $columns = array_values(array_intersect($columns, explode(',', $only)));
}

// attachments: random, so no layer can compress or shortcut them
foreach ($cases as $case) {
    if (isset($case['file']) && (!is_file($case['file']) || filesize($case['file']) !== $case['mb'] * 1048576)) {
        $f = fopen($case['file'], 'wb');
        for ($i = 0; $i < $case['mb'] * 16; $i++) {
            fwrite($f, random_bytes(65536));
        }
        fclose($f);
    }
}

$results = []; // [case][column][run] => cell
$started = microtime(true);
$errors = 0;

// the bulk cases' byte check: a sample sent as the many-N columns send it, compared with toString()
$sample = null;
if (array_filter($cases, fn ($c) => isset($c['target']))) {
    [$status, $out, $err] = run_command([PHP_BINARY, ...$ctx['load'], __DIR__ . '/sample.php'], CELL_TIMEOUT);
    $sample = trim($out . ($status === 0 ? '' : "\n" . trim($err) . "\n(exit $status)"));
    if ($status !== 0) {
        $errors++;
    }
    say("sample: $sample\n");
}
for ($run = 0; $run < $runs; $run++) {
    // a different column order each run: no column always goes first or after the same one
    $order = $columns;
    for ($k = 0; $k < $run * 3; $k++) {
        $order[] = array_shift($order);
    }
    if ($run % 2) {
        $order = array_reverse($order);
    }
    foreach ($cases as $cid => $case) {
        say(sprintf("run %d/%d  %-11s", $run + 1, $runs, $cid));
        foreach ($order as $column) {
            if ($case['mode'] === 'attach' && $column === 'original') {
                continue; // the original class cannot attach files
            }
            if (isset($case['target']) ? !in_array($column, BULK_COLUMNS, true) : in_array($column, BULK_ONLY, true)) {
                continue;
            }
            $n = $case['n_by'][$column] ?? $case['n'];
            if (isset($case['few']) && in_array($column, $case['few'][1], true)) {
                $n = $case['few'][0];
            }
            $cell = run_cell($column, $case, $n, $ctx);
            $results[$cid][$column][$run] = $cell;
            if (isset($cell['error'])) {
                $errors++;
                say("\n  ERROR $column: {$cell['error']}\n");
            } else {
                say(isset($cell['na']) ? '-' : '.');
            }
        }
        say("\n");
    }
}
$elapsed = microtime(true) - $started;

/* ---- figures ---- */

$fig = []; // [case][column] => medians
foreach ($results as $cid => $byColumn) {
    foreach ($byColumn as $column => $cells) {
        if (count(array_filter($cells, fn ($c) => isset($c['na']))) === count($cells)) {
            $fig[$cid][$column] = ['na' => reset($cells)['na'], 'rate' => null, 'wall' => null, 'cpu1000' => null,
                'cpu' => null, 'rss' => null, 'n' => null];
            continue;
        }
        $ok = array_filter($cells, fn ($c) => !isset($c['error']));
        $fig[$cid][$column] = [
            'n' => $ok ? reset($ok)['sent'] : null,
            'ok' => count($ok),
            'runs' => count($cells),
            'rate' => count($ok) === count($cells) ? median(array_map(fn ($c) => $c['sent'] / $c['wall'], $ok)) : null,
            'wall' => count($ok) === count($cells) ? median(array_map(fn ($c) => $c['wall'], $ok)) : null,
            'cpu1000' => count($ok) === count($cells)
                ? median(array_map(fn ($c) => $c['cpu'] / $c['sent'] * 1000, $ok)) : null,
            'cpu' => count($ok) === count($cells) ? median(array_map(fn ($c) => $c['cpu'], $ok)) : null,
            'rss' => count($ok) === count($cells) ? median(array_map(fn ($c) => $c['rss_kb'] / 1024, $ok)) : null,
            // the instruments' CPU as a share of one core over the client's wall time
            'proxy_load' => median(array_map(fn ($c) => isset($c['proxy_cpu']) ? $c['proxy_cpu'] / $c['wall'] : null, $ok)),
            'sink_load' => median(array_map(fn ($c) => isset($c['sink_cpu']) ? $c['sink_cpu'] / $c['wall'] : null, $ok)),
            'postfix_ms' => median(array_map(fn ($c) => isset($c['postfix_cpu']) ? $c['postfix_cpu'] / $c['sent'] * 1000
                : null, $ok)),
        ];
    }
}

/* Per-run ratio of the extension to a column, then the median: $what is
 * 'rate' (ext / other: > 1 means the extension is faster) or 'cpu'
 * (ext / other per message: < 1 means it uses less). */
function ratio(array $results, string $cid, string $other, string $what): ?float
{
    return ratio_of($results, $cid, 'ext', $other, $what);
}

/* The same for any two columns: $col against $other. */
function ratio_of(array $results, string $cid, string $col, string $other, string $what): ?float
{
    $r = [];
    foreach ($results[$cid][$col] ?? [] as $run => $e) {
        $o = $results[$cid][$other][$run] ?? null;
        if (!$o || isset($e['error']) || isset($o['error']) || isset($e['na']) || isset($o['na'])) {
            return null;
        }
        $r[] = $what === 'rate'
            ? ($e['sent'] / $e['wall']) / ($o['sent'] / $o['wall'])
            : ($e['cpu'] / $e['sent']) / max(1e-9, $o['cpu'] / $o['sent']);
    }
    return median($r);
}

$cpuModel = 'unknown';
foreach (file('/proc/cpuinfo') ?: [] as $line) {
    if (str_starts_with($line, 'model name')) {
        $cpuModel = trim(explode(':', $line, 2)[1]);
        break;
    }
}
$phpMailerVersion = trim((string)shell_exec(escapeshellarg(PHP_BINARY) . ' -n -d extension='
    . escapeshellarg($ctx['so']) . ' -r "echo Mailer::VERSION;"'));
$pkgVersions = [];
foreach (['libphp-phpmailer', 'php-symfony-mailer', 'php-swiftmailer', 'php-net-smtp', 'php-mail-mime', 'postfix']
         as $pkg) {
    $pkgVersions[] = "$pkg " . trim((string)shell_exec('dpkg-query -W -f=\'${Version}\' ' . $pkg . ' 2>/dev/null'));
}

$md = [];
$md[] = '## Results';
$md[] = '';
$md[] = sprintf('%s; %d core(s), %s; PHP %s, %s; php-mailer %s; %s. %d run(s), columns interleaved, '
    . 'medians shown; bench took %.0f s.',
    gmdate('Y-m-d H:i') . ' UTC', (int)trim((string)shell_exec('nproc')), $cpuModel, PHP_VERSION,
    OPENSSL_VERSION_TEXT, $phpMailerVersion ?: '?', implode(', ', $pkgVersions), $runs, $elapsed);
$md[] = '';
if ($ctx['proxy_accuracy'] !== '' && array_filter($cases, fn ($c) => $c['proxy'])) {
    $md[] = sprintf('The delay proxy (%s, 5 ms each way; priority: %s), measured before the cells '
        . 'by bench/delay_proxy.c --pingpong: %s', $ctx['proxy_kind'], $ctx['proxy_rt'] === 'none' ? 'normal' : $ctx['proxy_rt'],
        rtrim(str_replace(';', '; ', $ctx['proxy_accuracy']), '; '));
    $md[] = '';
    // the 10 ms cases mean what they say only if the proxy's part of a round trip is 10.0-10.3 ms
    if (!preg_match('/proxy\'s part[^;]* mean=([\d.]+)ms/', $ctx['proxy_accuracy'], $pm)
        || (float)$pm[1] < 10.0 || (float)$pm[1] > 10.3) {
        $md[] = '**Warning: the proxy\'s part of a round trip is ' . (isset($pm[1]) ? "$pm[1] ms" : 'not measured')
            . ', outside 10.0–10.3 ms: the 10 ms figures are off by as much (a busy machine? see bench/README.md, '
            . '"The instruments").**';
        $md[] = '';
        say("run.php: the delay proxy's round trip is outside 10.0-10.3 ms\n");
    }
}

$caseIds = array_keys($fig);
$head = '| | ' . implode(' | ', array_map(fn ($c) => $cases[$c]['label'], $caseIds)) . ' |';
$sep = '|---|' . str_repeat('---:|', count($caseIds));

$tables = [
    ['Messages per second (wall); for the attachments: seconds for the message', function (array $f, string $cid) use ($cases) {
        if ($f['rate'] === null) {
            return 'error';
        }
        return $cases[$cid]['mode'] === 'attach' ? sprintf('%.2f s', $f['wall']) : fmt_rate($f['rate']) . ' (n=' . $f['n'] . ')';
    }],
    ['CPU seconds per 1000 messages (the sending process only); for the attachments: CPU seconds for the message',
        function (array $f, string $cid) use ($cases) {
            return $cases[$cid]['mode'] === 'attach' ? fmt_num($f['cpu']) : fmt_num($f['cpu1000']);
        }],
    ['Peak RSS of the sending process, MiB', fn (array $f) => $f['rss'] === null ? 'error' : sprintf('%.1f', $f['rss'])],
];
foreach ($tables as [$title, $cell]) {
    $md[] = "### $title";
    $md[] = '';
    $md[] = $head;
    $md[] = $sep;
    foreach (COLUMNS as $column => $label) {
        if (!in_array($column, $columns, true) || !array_filter($caseIds, fn ($c) => isset($fig[$c][$column]))) {
            continue;
        }
        $row = [];
        foreach ($caseIds as $cid) {
            $row[] = !isset($fig[$cid][$column]) ? '–'
                : (isset($fig[$cid][$column]['na']) ? $fig[$cid][$column]['na'] : $cell($fig[$cid][$column], $cid));
        }
        $md[] = "| $label | " . implode(' | ', $row) . ' |';
    }
    $md[] = '';
}

// the instruments must not be the limit: their CPU during each proxied or CHUNKING-sink cell
$instrumentIds = array_values(array_filter($caseIds, fn ($c) => isset($cases[$c]['target'])
    && ($cases[$c]['proxy'] || $cases[$c]['target'] !== 'sink')));
if ($instrumentIds) {
    $md[] = '### The instruments\' and servers\' CPU during the cell: delay proxy and CHUNKING sink in % of one core over '
        . 'the client\'s wall time; Postfix (all its processes, the queue drained) in CPU ms per message';
    $md[] = '';
    $md[] = '| | ' . implode(' | ', array_map(fn ($c) => $cases[$c]['label'], $instrumentIds)) . ' |';
    $md[] = '|---|' . str_repeat('---:|', count($instrumentIds));
    foreach (COLUMNS as $column => $label) {
        if (!in_array($column, $columns, true) || !array_filter($instrumentIds, fn ($c) => isset($fig[$c][$column]))) {
            continue;
        }
        $row = [];
        foreach ($instrumentIds as $cid) {
            $f = $fig[$cid][$column] ?? null;
            $parts = [];
            foreach (['proxy_load' => 'proxy', 'sink_load' => 'sink'] as $k => $name) {
                if (isset($f[$k])) {
                    $parts[] = sprintf('%s %.0f%%', $name, 100 * $f[$k]);
                }
            }
            if (isset($f['postfix_ms'])) {
                $parts[] = sprintf('Postfix %.2f ms/msg', $f['postfix_ms']);
            }
            $row[] = $parts ? implode(', ', $parts) : '–';
        }
        $md[] = "| $label | " . implode(' | ', $row) . ' |';
    }
    $md[] = '';
}

$md[] = '### The extension against each column (median of per-run ratios; speed: > 1 is faster, CPU: < 1 is less)';
$md[] = '';
$md[] = '| | ' . implode(' | ', array_map(fn ($c) => $cases[$c]['label'], $caseIds)) . ' |';
$md[] = $sep;
foreach (COLUMNS as $column => $label) {
    if ($column === 'ext' || !in_array($column, $columns, true)
        || !array_filter($caseIds, fn ($c) => isset($fig[$c][$column]))) {
        continue;
    }
    $row = [];
    foreach ($caseIds as $cid) {
        $row[] = !isset($fig[$cid][$column]) ? '–' : ($fig[$cid][$column]['na']
            ?? 'speed ' . fmt_ratio(ratio($results, $cid, $column, 'rate')) . ', CPU '
                . fmt_ratio(ratio($results, $cid, $column, 'cpu')));
    }
    $md[] = "| $label | " . implode(' | ', $row) . ' |';
}
$md[] = '';

// the bulk cases read better from sendMany()'s side: each of its columns against the others
$bulkIds = array_values(array_filter($caseIds, fn ($c) => isset($cases[$c]['target'])));
if ($bulkIds && $ctx['has_many']) {
    foreach (MANY as $many) {
        if (!array_filter($bulkIds, fn ($c) => isset($fig[$c][$many]))) {
            continue;
        }
        $md[] = '### ' . COLUMNS[$many] . ' against each column (bulk cases; median of per-run ratios)';
        $md[] = '';
        $md[] = '| | ' . implode(' | ', array_map(fn ($c) => $cases[$c]['label'], $bulkIds)) . ' |';
        $md[] = '|---|' . str_repeat('---:|', count($bulkIds));
        foreach (COLUMNS as $column => $label) {
            if ($column === $many || !array_filter($bulkIds, fn ($c) => isset($fig[$c][$column]))) {
                continue;
            }
            $row = [];
            foreach ($bulkIds as $cid) {
                $row[] = !isset($fig[$cid][$column]) ? '–'
                    : 'speed ' . fmt_ratio(ratio_of($results, $cid, $many, $column, 'rate')) . ', CPU '
                        . fmt_ratio(ratio_of($results, $cid, $many, $column, 'cpu'));
            }
            $md[] = "| $label | " . implode(' | ', $row) . ' |';
        }
        $md[] = '';
    }
}

/* The targets of the issue, each checked on the figures of this run. */
$targets = [];
$check = function (string $what, ?float $value, string $op, float $bound, string $shown) use (&$targets): void {
    $met = $value !== null && ($op === '>=' ? $value >= $bound : $value <= $bound);
    $targets[] = [$what, $shown, $met ? 'met' : ($value === null ? 'no figure' : 'not met')];
};
if (isset($fig['keep']['ext'], $fig['keep']['smtp-source'])) {
    $v = ratio($results, 'keep', 'smtp-source', 'rate');
    $check('one connection: ≥ 1.5× smtp-source\'s rate', $v, '>=', 1.5, fmt_ratio($v));
    $v = ratio($results, 'keep', 'smtp-source', 'cpu');
    $check('one connection: ≤ 1.5× smtp-source\'s CPU per message', $v, '<=', 1.5, fmt_ratio($v));
    foreach (TUNED_PEERS as $p) {
        if (isset($fig['keep'][$p])) {
            $v = ratio($results, 'keep', $p, 'rate');
            $check("one connection: ≥ 3× " . COLUMNS[$p], $v, '>=', 3, fmt_ratio($v));
        }
    }
    foreach (DEFAULT_PEERS as $p) {
        if (isset($fig['keep'][$p])) {
            $v = ratio($results, 'keep', $p, 'rate');
            $check("one connection: ≥ 100× " . COLUMNS[$p], $v, '>=', 100, fmt_ratio($v));
        }
    }
}
if (isset($fig['fresh']['ext'], $fig['fresh']['smtp-source'])) {
    $v = ratio($results, 'fresh', 'smtp-source', 'rate');
    $check('new connection each: ≥ smtp-source\'s rate', $v, '>=', 1, fmt_ratio($v));
}
if (isset($fig['rcpt50-5ms']['ext'])) {
    if (isset($fig['rcpt50-5ms']['swift-nodelay'])) {
        $v = ratio($results, 'rcpt50-5ms', 'swift-nodelay', 'rate');
        $check('50 recipients over 5 ms: ≥ tuned SwiftMailer\'s rate', $v, '>=', 1, fmt_ratio($v));
        $v = ratio($results, 'rcpt50-5ms', 'swift-nodelay', 'cpu');
        $check('50 recipients over 5 ms: ≤ ⅓ of tuned SwiftMailer\'s CPU', $v, '<=', 1 / 3, fmt_ratio($v));
    }
    if (isset($fig['rcpt50-5ms']['phpmailer-nodelay'])) {
        $v = ratio($results, 'rcpt50-5ms', 'phpmailer-nodelay', 'rate');
        $check('50 recipients over 5 ms: ≥ 15× tuned PHPMailer', $v, '>=', 15, fmt_ratio($v));
    }
}
foreach (['att20' => '20 MB', 'att100' => '100 MB'] as $cid => $size) {
    if (!isset($fig[$cid]['ext'])) {
        continue;
    }
    if (isset($fig[$cid]['smtp-source'])) {
        $v = ratio($results, $cid, 'smtp-source', 'rate');
        $check("$size attachment: wall within 1.1× smtp-source's", $v === null ? null : 1 / $v, '<=', 1.1,
            $v === null ? '–' : sprintf('%.2f×', 1 / $v));
    }
    $slowest = null;
    foreach (array_merge(DEFAULT_PEERS, TUNED_PEERS) as $p) {
        if (isset($fig[$cid][$p])) {
            $v = ratio($results, $cid, $p, 'rate');
            $slowest = $slowest === null || $v === null ? ($slowest ?? $v) : min($slowest, $v);
        }
    }
    if ($slowest !== null) {
        $check("$size attachment: ahead of every peer", $slowest, '>=', 1, 'nearest peer ' . fmt_ratio($slowest));
    }
    if (isset($fig['keep']['ext']['rss'], $fig[$cid]['ext']['rss'])) {
        $d = $fig[$cid]['ext']['rss'] - $fig['keep']['ext']['rss'];
        $check("$size attachment: peak RSS within 4 MB of the 1 KB case", $d, '<=', 4, sprintf('%+.1f MiB', $d));
    }
}
/* The bulk targets (issue 15): sendMany() against the sendmail() loop, smtp-source and the libraries. */
$rateOf = fn (string $cid, string $col): ?float => $fig[$cid][$col]['rate'] ?? null;
$bulkCheck = function (string $what, ?float $value, string $op, float $bound, string $shown)
    use ($check, $ctx, &$targets): void {
    if (!$ctx['has_many']) {
        $targets[] = [$what, '–', 'pending: sendMany() not in this build'];
        return;
    }
    $check($what, $value, $op, $bound, $shown);
};
if (isset($fig['bulk-10ms'])) {
    $v = $rateOf('bulk-10ms', 'many-1');
    $bulkCheck('10 ms, one connection, DATA (smtp-sink): ≥ 90 messages/s', $v, '>=', 90, fmt_rate($v));
}
foreach (['bulk-postfix' => 'BDAT (Postfix)', 'bulk-chunk' => 'BDAT (CHUNKING sink)'] as $near => $how) {
    $far = "$near-10ms";
    if (!isset($fig[$far])) {
        continue;
    }
    $v = $rateOf($far, 'many-1');
    $bulkCheck("10 ms, one connection, $how: ≥ 1,000 messages/s", $v, '>=', 1000, fmt_rate($v));
    if (isset($fig[$near]) && $near === 'bulk-postfix') {
        // where the server itself is slower than the target, this says whether a round trip is still paid
        // per message: with BDAT pipelined, 10 ms away is as fast as loopback
        $r = [];
        foreach ($results[$far]['many-1'] ?? [] as $run => $f) {
            $n = $results[$near]['many-1'][$run] ?? null;
            if ($n && isset($f['wall'], $n['wall'])) {
                $r[] = ($f['sent'] / $f['wall']) / ($n['sent'] / $n['wall']);
            }
        }
        $v = median($r);
        $bulkCheck("10 ms, one connection, $how: ≥ 0.9× the same on loopback (no round trip per message)",
            $v, '>=', 0.9, fmt_ratio($v));
    }
}
foreach (['bulk-10ms' => 'DATA (smtp-sink)', 'bulk-postfix-10ms' => 'BDAT (Postfix)',
    'bulk-chunk-10ms' => 'BDAT (CHUNKING sink)'] as $cid => $how) {
    if (!isset($fig[$cid])) {
        continue;
    }
    $v = ratio_of($results, $cid, 'many-8', 'many-1', 'rate');
    $bulkCheck("10 ms, $how: 8 connections ≥ 7× one", $v, '>=', 7, fmt_ratio($v));
    if (isset($fig[$cid]['smtp-source-8'])) {
        $v = ratio_of($results, $cid, 'many-8', 'smtp-source-8', 'rate');
        $bulkCheck("10 ms, $how: 8 connections ≥ 3× smtp-source -d -s 8", $v, '>=', 3, fmt_ratio($v));
    }
}
$best = $bestLib = null;
$bestAt = '';
foreach (['bulk-10ms', 'bulk-postfix-10ms', 'bulk-chunk-10ms'] as $cid) {
    foreach (MANY as $col) {
        if (($v = $rateOf($cid, $col)) !== null && $v > ($best ?? 0)) {
            [$best, $bestAt] = [$v, "$col, $cid"];
        }
    }
    foreach (['ext', 'swift-nodelay', 'phpmailer-nodelay'] as $col) {
        if (($v = $rateOf($cid, $col)) !== null && $v > ($bestLib ?? 0)) {
            $bestLib = $v;
        }
    }
}
if (isset($fig['bulk-10ms']) || isset($fig['bulk-postfix-10ms']) || isset($fig['bulk-chunk-10ms'])) {
    $bulkCheck('10 ms, best configuration: ≥ 2,000 messages/s', $best, '>=', 2000,
        $best === null ? '–' : fmt_rate($best) . " ($bestAt)");
    $v = $best !== null && $bestLib ? $best / $bestLib : null;
    $bulkCheck('10 ms, best configuration: ≥ 50× the best PHP library or sendmail() loop', $v, '>=', 50,
        fmt_ratio($v));
}
if (isset($fig['bulk'])) {
    $v = ratio_of($results, 'bulk', 'many-1', 'ext', 'rate');
    $bulkCheck('loopback, one connection: ≥ 1.5× the sendmail() loop', $v, '>=', 1.5, fmt_ratio($v));
    $v = ratio_of($results, 'bulk', 'many-1', 'ext', 'cpu');
    $bulkCheck('loopback, one connection: CPU per message ≤ the sendmail() loop\'s', $v, '<=', 1, fmt_ratio($v));
}
if ($sample !== null) {
    $md[] = '### Sample: the server\'s bytes against toString() (bench/sample.php)';
    $md[] = '';
    foreach (explode("\n", $sample) as $line) {
        $md[] = "- $line";
    }
    $md[] = '';
}
if ($targets) {
    $md[] = '### Targets of the issue, checked on these figures';
    $md[] = '';
    $md[] = '| target | figure | |';
    $md[] = '|---|---:|---|';
    foreach ($targets as [$what, $shown, $state]) {
        $md[] = "| $what | $shown | $state |";
    }
    $md[] = '';
}
if ($errors) {
    $md[] = "$errors cell run(s) failed (shown as \"error\"); see the bench's output.";
    $md[] = '';
}

$text = implode("\n", $md);
echo $text;
$doc = "# php-mailer benchmark results\n\nWritten by `bench/run.sh` (see bench/README.md).\n\n" . $text;
file_put_contents($outFile, $doc);
say("\nwritten to $outFile\n");
exit($errors ? 1 : 0);
