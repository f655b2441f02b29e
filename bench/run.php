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
 *
 * Interleaving: run 1 goes through every case, and within a case through every
 * column, then run 2 does the same with the columns in another order, and so
 * on; a machine that slows down during the bench slows every column alike.
 * Figures are medians over the runs; ratios are taken per run between cells of
 * the same case, then their median is shown.
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
];
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
    $port = $case['proxy'] ? $ctx['proxy_port'] : $ctx['sink_port'];
    $before = sink_counts($ctx['sink_log']);
    if ($column === 'smtp-source') {
        $json = $ctx['work'] . '/rusage.json';
        @unlink($json);
        $cmd = [$ctx['rusage'], $json, 'smtp-source', '-m', (string)$n, '-l', (string)source_length($case),
            '-f', 'bench@example.com', '-t', 'rcpt@example.net', '-S', 'Benchmark message'];
        if ($case['mode'] === 'keep' || $case['mode'] === 'rcpt50') {
            $cmd[] = '-d'; // one connection for all messages
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
    }
    // the sink counts a message when its "." arrives, which can trail the client's exit a little
    $want = $before['mesg'] + $r['sent'];
    $deadline = microtime(true) + 5;
    do {
        $after = sink_counts($ctx['sink_log']);
        if ($after['mesg'] >= $want) {
            break;
        }
        usleep(20000);
    } while (microtime(true) < $deadline);
    $delivered = $after['mesg'] - $before['mesg'];
    if ($delivered !== $r['sent']) {
        return ['error' => "smtp-sink counted $delivered messages, the client reports {$r['sent']}"];
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
];
// every PHP column runs with the same php.ini, plus the extension under test
$ctx['load'] = ['-d', 'extension=' . $ctx['so']];
if (extension_loaded('mailer')) {
    say("run.php: php.ini already loads mailer " . phpversion('mailer') . ": measuring that build, not {$ctx['so']}\n");
    $ctx['load'] = [];
}
$outFile = opt('out', __DIR__ . '/results.md');
$cases = cases($ctx['work']);
if (($only = opt('cases', '')) !== '') {
    $cases = array_intersect_key($cases, array_flip(explode(',', $only)));
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
            $n = $case['n'];
            if (isset($case['few']) && in_array($column, $case['few'][1], true)) {
                $n = $case['few'][0];
            }
            $cell = run_cell($column, $case, $n, $ctx);
            $results[$cid][$column][$run] = $cell;
            if (isset($cell['error'])) {
                $errors++;
                say("\n  ERROR $column: {$cell['error']}\n");
            } else {
                say('.');
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
        ];
    }
}

/* Per-run ratio of the extension to a column, then the median: $what is
 * 'rate' (ext / other: > 1 means the extension is faster) or 'cpu'
 * (ext / other per message: < 1 means it uses less). */
function ratio(array $results, string $cid, string $other, string $what): ?float
{
    $r = [];
    foreach ($results[$cid]['ext'] ?? [] as $run => $e) {
        $o = $results[$cid][$other][$run] ?? null;
        if (!$o || isset($e['error']) || isset($o['error'])) {
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
        if (!in_array($column, $columns, true)) {
            continue;
        }
        $row = [];
        foreach ($caseIds as $cid) {
            $row[] = isset($fig[$cid][$column]) ? $cell($fig[$cid][$column], $cid) : '–';
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
    if ($column === 'ext' || !in_array($column, $columns, true)) {
        continue;
    }
    $row = [];
    foreach ($caseIds as $cid) {
        $row[] = isset($fig[$cid][$column])
            ? 'speed ' . fmt_ratio(ratio($results, $cid, $column, 'rate')) . ', CPU ' . fmt_ratio(ratio($results, $cid, $column, 'cpu'))
            : '–';
    }
    $md[] = "| $label | " . implode(' | ', $row) . ' |';
}
$md[] = '';

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
