<?php
/*
 * The cost of DKIM signing, next to the same sends unsigned.
 *
 *   php bench/dkim.php [--so=modules/mailer.so] [--n=2000] [--mb=100]
 *
 * Run from the repository after building. It makes an RSA-2048 and an Ed25519
 * key (the openssl command), starts an SMTP sink (this script in "sink" mode:
 * it accepts anything and discards the data), and then, each case in a fresh
 * PHP process (php -n -d extension=SO):
 *   throughput  --n sends of a ~3 KB Mailer\Message (text + HTML) on one
 *               connection: unsigned, rsa-sha256, ed25519-sha256, and both
 *               signatures at once; prints messages/s (wall clock) and CPU
 *               ms per message (user + system time of the sending process)
 *   memory      one message with an --mb MB attachment, unsigned and signed
 *               (rsa-sha256): peak Zend heap, max RSS and CPU seconds. The
 *               signed send reads the file twice (hash pass, send pass).
 * Exits 1 when a send fails or the signed 100 MB message costs 4 MB more
 * memory than the unsigned one on either measure.
 */

declare(strict_types=1);

const LIMIT = 4 * 1024 * 1024;

$mode = $argv[1] ?? 'run';
if ($mode === 'sink') {
    exit(sink());
}
if ($mode === 'send') {
    exit(send(json_decode($argv[2], true)));
}
exit(run());

function option(string $name, string $default): string
{
    foreach ($GLOBALS['argv'] as $arg) {
        if (str_starts_with($arg, "--$name=")) {
            return substr($arg, strlen($name) + 3);
        }
    }
    return $default;
}

function openssl_key(array $genpkey, string $path): void
{
    $cmd = implode(' ', array_map('escapeshellarg', array_merge(['openssl', 'genpkey'], $genpkey, ['-out', $path])));
    exec("$cmd 2>/dev/null", $out, $rc);
    if ($rc !== 0) {
        throw new RuntimeException("openssl genpkey failed (is the openssl command installed?)");
    }
}

/* The orchestrator. */
function run(): int
{
    $so = option('so', __DIR__ . '/../modules/mailer.so');
    $n = (int)option('n', '2000');
    $mb = (int)option('mb', '100');
    if (!is_file($so)) {
        fwrite(STDERR, "bench/dkim.php: $so is missing; build first (scripts/build.sh)\n");
        return 2;
    }
    $so = realpath($so);
    $dir = sys_get_temp_dir() . '/php-mailer-bench-dkim-' . getmypid();
    mkdir($dir, 0700);
    openssl_key(['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], "$dir/rsa.pem");
    openssl_key(['-algorithm', 'ed25519'], "$dir/ed25519.pem");
    $file = "$dir/attachment.bin";
    $f = fopen($file, 'wb');
    for ($i = 0; $i < $mb * 16; $i++) {
        fwrite($f, random_bytes(65536));
    }
    fclose($f);
    $rsa = ['domain' => 'example.org', 'selector' => 'rsa', 'key' => "$dir/rsa.pem"];
    $ed = ['domain' => 'example.org', 'selector' => 'ed', 'key' => "$dir/ed25519.pem"];

    $sink = proc_open([PHP_BINARY, '-n', __FILE__, 'sink'], [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'],
        2 => STDERR], $pipes);
    $port = (int)substr((string)fgets($pipes[1]), 5);
    $ok = true;
    try {
        printf("php-mailer %s, PHP %s, %s\n\n", phpversion_of($so), PHP_VERSION, OPENSSL_VERSION_TEXT);
        printf("%d messages of ~3 KB on one connection, each case in its own process\n", $n);
        printf("%-34s %12s %16s %14s\n", 'case', 'messages/s', 'CPU ms/message', 'vs unsigned');
        $base = null;
        foreach ([
            'unsigned' => null,
            'rsa-sha256 (2048 bits)' => $rsa,
            'ed25519-sha256' => $ed,
            'rsa-sha256 + ed25519-sha256' => [$rsa, $ed],
        ] as $label => $dkim) {
            $r = child($so, ['port' => $port, 'n' => $n, 'dkim' => $dkim, 'attach' => null]);
            if (!$r) {
                $ok = false;
                continue;
            }
            $cpu = $r['cpu'] / $n * 1000;
            $base ??= $cpu;
            printf("%-34s %12.0f %16.3f %14s\n", $label, $n / $r['wall'], $cpu,
                $dkim ? sprintf('%+.3f ms', $cpu - $base) : '');
        }

        printf("\none message with a %d MB attachment, each case in its own process\n", $mb);
        printf("%-34s %14s %14s %10s %10s\n", 'case', 'peak (true)', 'max RSS', 'CPU s', 'wall s');
        $mem = [];
        foreach (['unsigned' => null, 'rsa-sha256 (2048 bits)' => $rsa] as $label => $dkim) {
            $r = child($so, ['port' => $port, 'n' => 1, 'dkim' => $dkim, 'attach' => $file]);
            if (!$r) {
                $ok = false;
                continue;
            }
            $mem[] = $r;
            printf("%-34s %11.1f MB %11.1f MB %10.2f %10.2f\n", $label, $r['peak'] / 1048576, $r['rss'] / 1048576,
                $r['cpu'], $r['wall']);
        }
        if (count($mem) === 2) {
            $dPeak = $mem[1]['peak'] - $mem[0]['peak'];
            $dRss = $mem[1]['rss'] - $mem[0]['rss'];
            printf("%-34s %11s KB %11s KB\n", 'difference', sprintf('%+d', intdiv($dPeak, 1024)),
                sprintf('%+d', intdiv($dRss, 1024)));
            $ok = $ok && $dPeak < LIMIT && $dRss < LIMIT;
        }
        echo "\n", $ok ? 'ok' : 'FAILED', ": every send succeeded; signing the attachment costs less than 4 MB\n";
        return $ok ? 0 : 1;
    } finally {
        proc_terminate($sink);
        proc_close($sink);
        foreach (['rsa.pem', 'ed25519.pem', 'attachment.bin'] as $f) {
            @unlink("$dir/$f");
        }
        rmdir($dir);
    }
}

function phpversion_of(string $so): string
{
    return trim((string)shell_exec(escapeshellarg(PHP_BINARY) . ' -n -d ' . escapeshellarg("extension=$so")
        . ' -r ' . escapeshellarg('echo Mailer::VERSION;')));
}

function child(string $so, array $job): ?array
{
    $out = shell_exec(implode(' ', array_map('escapeshellarg',
        [PHP_BINARY, '-n', '-d', "extension=$so", __FILE__, 'send', json_encode($job)])) . ' 2>&1');
    $r = json_decode((string)$out, true);
    if (!is_array($r)) {
        fwrite(STDERR, "a run failed: $out\n");
        return null;
    }
    return $r;
}

function cpu(): float
{
    $u = getrusage();
    return $u['ru_utime.tv_sec'] + $u['ru_utime.tv_usec'] / 1e6 + $u['ru_stime.tv_sec'] + $u['ru_stime.tv_usec'] / 1e6;
}

/* The sends of one case, in a fresh process; prints its figures as JSON. */
function send(array $job): int
{
    $options = ['timeout' => 120];
    if ($job['dkim']) {
        $options['dkim'] = $job['dkim'];
    }
    $mailer = new Mailer('127.0.0.1', $job['port'], options: $options);
    $m = (new Mailer\Message)
        ->from('Bench <bench@example.org>')
        ->to('Recipient <sink@example.net>')
        ->subject('Your weekly report')
        ->text(str_repeat("0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!?\n", 13))
        ->html('<p>' . str_repeat("0123456789abcdefghijklmnopqrstuvwxyz <b>bold</b> ABCDEFGHIJKLMNOPQRSTUVWXYZ\n", 13)
            . '</p>');
    if ($job['attach']) {
        $m->attach($job['attach'], 'big.bin');
    }
    $mailer->connect();
    $cpu0 = cpu();
    $t0 = hrtime(true);
    for ($i = 0; $i < $job['n']; $i++) {
        $mailer->send($m);
    }
    $wall = (hrtime(true) - $t0) / 1e9;
    $cpu = cpu() - $cpu0;
    $mailer->close();
    echo json_encode(['wall' => $wall, 'cpu' => $cpu, 'peak' => memory_get_peak_usage(true),
        'rss' => getrusage()['ru_maxrss'] * 1024]);
    return 0;
}

/* A minimal SMTP server that accepts everything and discards the data. */
function sink(): int
{
    $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    if (!$server) {
        fwrite(STDERR, "sink: $errstr\n");
        return 2;
    }
    echo 'PORT ', (int)substr(strrchr(stream_socket_get_name($server, false), ':'), 1), "\n";
    fflush(STDOUT);
    while ($conn = @stream_socket_accept($server, 600)) {
        fwrite($conn, "220 sink ESMTP\r\n");
        while (($line = fgets($conn)) !== false) {
            $verb = strtoupper(substr(trim($line), 0, 4));
            if ($verb === 'EHLO' || $verb === 'HELO') {
                fwrite($conn, "250-sink\r\n250 8BITMIME\r\n");
            } elseif ($verb === 'DATA') {
                fwrite($conn, "354 go on\r\n");
                $tail = '';
                while (($chunk = fread($conn, 65536)) !== false && $chunk !== '') {
                    $tail = substr($tail . $chunk, -5);
                    if ($tail === "\r\n.\r\n") {
                        break;
                    }
                }
                fwrite($conn, "250 2.0.0 Ok\r\n");
            } elseif ($verb === 'QUIT') {
                fwrite($conn, "221 bye\r\n");
                break;
            } else {
                fwrite($conn, "250 ok\r\n");
            }
        }
        fclose($conn);
    }
    return 0;
}
