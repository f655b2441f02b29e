<?php
/*
 * Constant memory: sending a 100 MB attachment must not cost more memory than
 * sending a 1 KB message (within 4 MB), because attachments are read in 64 KB
 * chunks while the message is written, never held whole.
 *
 *   php bench/memory.php [--so=modules/mailer.so] [--mb=100] [--smime]
 *
 * Run from the repository after building. It writes a random file of --mb
 * megabytes in a temp dir, starts an SMTP sink (this script in "sink" mode: it
 * accepts anything and discards the data, counting octets), then sends in two
 * separate PHP processes (php -n -d extension=SO, each starting from nothing):
 *   1 KB   a Mailer\Message with a 1 KB text body
 *   N MB   the same message with the file attached (Message::attach())
 * and prints, for each, memory_get_peak_usage(true) (the Zend heap, what PHP's
 * memory_limit counts) and the process's max RSS (getrusage ru_maxrss: heap,
 * libraries, kernel buffers, everything). It exits 1 when the attachment costs
 * 4 MB or more on either measure, or when the sink did not get every octet.
 *
 * --smime adds the same two messages signed then encrypted with S/MIME (the
 * "smime" option, certificates made by the openssl command): the attachment,
 * signed and encrypted, must also stay within 4 MB of the small message sent
 * without S/MIME (the output is spooled to a temporary file, not memory).
 *
 *   php bench/memory.php --many [--so=...] [--count=100000] [--connections=8] [--window=32]
 *
 * --many instead: bulk sending in constant memory. Two fresh processes send
 * 1 KB messages made by a generator through Mailer::sendMany() to smtp-sink
 * (Postfix's, started here on a free loopback port and stopped by its handle;
 * PIPELINING, so every session keeps its window full): 100 messages, then
 * --count. The peak RSS of the big batch must be within 8 MB of the small one
 * (the window bounds what is held, not the count), and smtp-sink's counter
 * must have grown by exactly the messages each process reports sent. Says
 * "n/a" and exits 0 when the build has no sendMany().
 */

declare(strict_types=1);

const LIMIT = 4 * 1024 * 1024;

$mode = $argv[1] ?? 'run';
if ($mode === 'sink') {
    exit(sink());
}
if ($mode === 'send') {
    exit(send((int)$argv[2], $argv[3], $argv[4] ?? '-'));
}
if ($mode === 'many') {
    exit(send_many((int)$argv[2], (int)$argv[3], (int)$argv[4], (int)$argv[5]));
}
exit(in_array('--many', $argv, true) ? run_many() : run());

function option(string $name, string $default): string
{
    foreach ($GLOBALS['argv'] as $arg) {
        if (str_starts_with($arg, "--$name=")) {
            return substr($arg, strlen($name) + 3);
        }
    }
    return $default;
}

/* The orchestrator. */
function run(): int
{
    $so = option('so', __DIR__ . '/../modules/mailer.so');
    $mb = (int)option('mb', '100');
    if (!is_file($so)) {
        fwrite(STDERR, "bench/memory.php: $so is missing; build first (scripts/build.sh)\n");
        return 2;
    }
    $so = realpath($so);
    $dir = sys_get_temp_dir() . '/php-mailer-bench-' . getmypid();
    mkdir($dir, 0700);
    $file = "$dir/attachment.bin";
    $f = fopen($file, 'wb');
    for ($i = 0; $i < $mb * 16; $i++) {
        fwrite($f, random_bytes(65536));
    }
    fclose($f);

    $sink = proc_open([PHP_BINARY, '-n', __FILE__, 'sink'], [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'],
        2 => STDERR], $pipes);
    $port = (int)substr((string)fgets($pipes[1]), 5);
    try {
        printf("php-mailer %s, PHP %s, %d MB attachment\n\n", phpversion_of($so), PHP_VERSION, $mb);
        printf("%-36s %14s %14s %s\n", 'case (separate process)', 'peak (true)', 'max RSS', 'server saw');
        $results = [];
        $cases = [['1 KB message', '', '-'], ["$mb MB attachment", $file, '-']];
        if (in_array('--smime', $GLOBALS['argv'], true)) {
            $smime = smime_options($dir);
            $cases[] = ['1 KB message, S/MIME', '', $smime];
            $cases[] = ["$mb MB attachment, S/MIME", $file, $smime];
        }
        foreach ($cases as [$label, $attach, $options]) {
            $out = shell_exec(implode(' ', array_map('escapeshellarg',
                [PHP_BINARY, '-n', '-d', "extension=$so", __FILE__, 'send', (string)$port, $attach ?: '-', $options])));
            $r = json_decode((string)$out, true);
            if (!is_array($r)) {
                fwrite(STDERR, "the $label run failed: $out\n");
                return 1;
            }
            $results[] = $r;
            printf("%-36s %11.1f MB %11.1f MB %s\n", $label, $r['peak'] / 1048576, $r['rss'] / 1048576, $r['reply']);
        }
        $small = $results[0];
        $ok = true;
        $complete = true;
        // each attachment case against the small message without S/MIME
        foreach ([1, 3] as $i) {
            if (!isset($results[$i])) {
                continue;
            }
            $big = $results[$i];
            $dPeak = $big['peak'] - $small['peak'];
            $dRss = $big['rss'] - $small['rss'];
            printf("%-36s %11s KB %11s KB\n", 'difference: ' . $cases[$i][0], sprintf('%+d', intdiv($dPeak, 1024)),
                sprintf('%+d', intdiv($dRss, 1024)));
            $expected = (int)(ceil($mb * 1048576 / 3) * 4 + ceil($mb * 1048576 / 57) * 2); // base64 + CRLFs
            preg_match('/(\d+) octets/', $big['reply'], $m);
            $complete = $complete && isset($m[1]) && (int)$m[1] > $expected;
            $ok = $ok && $dPeak < LIMIT && $dRss < LIMIT;
        }
        $ok = $ok && $complete;
        echo "\n", $ok ? 'ok' : 'FAILED', ": the attachment costs less than 4 MB on both measures",
            $complete ? '' : ' (but the sink did not get the whole message)', "\n";
        return $ok ? 0 : 1;
    } finally {
        proc_terminate($sink);
        proc_close($sink);
        foreach (glob("$dir/*") ?: [] as $f) {
            unlink($f);
        }
        rmdir($dir);
    }
}

function phpversion_of(string $so): string
{
    return trim((string)shell_exec(escapeshellarg(PHP_BINARY) . ' -n -d ' . escapeshellarg("extension=$so")
        . ' -r ' . escapeshellarg('echo Mailer::VERSION;')));
}

/* --many: the orchestrator. */
function run_many(): int
{
    $so = option('so', __DIR__ . '/../modules/mailer.so');
    $count = (int)option('count', '100000');
    $connections = (int)option('connections', '8');
    $window = (int)option('window', '32');
    $limit = 8 * 1024 * 1024;
    if (!is_file($so)) {
        fwrite(STDERR, "bench/memory.php: $so is missing; build first (scripts/build.sh)\n");
        return 2;
    }
    $so = realpath($so);
    $has = trim((string)shell_exec(implode(' ', array_map('escapeshellarg', [PHP_BINARY, '-n', '-d', "extension=$so",
        '-r', 'echo method_exists("Mailer", "sendMany") ? "yes" : "no";']))));
    if ($has !== 'yes') {
        echo "n/a — sendMany() not in this build ($so)\n";
        return 0;
    }
    $sinkBin = trim((string)shell_exec('command -v smtp-sink || ls /usr/sbin/smtp-sink 2>/dev/null'));
    if ($sinkBin === '') {
        fwrite(STDERR, "bench/memory.php --many: needs Postfix's smtp-sink (apt-get install postfix)\n");
        return 2;
    }
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
    fclose($probe);
    $log = tempnam(sys_get_temp_dir(), 'mailer-bench-sink');
    // smtp-sink refuses to run as root
    $root = (function_exists('posix_getuid') ? posix_getuid() : (int)shell_exec('id -u')) === 0;
    $cmd = [$sinkBin, '-c', ...($root ? ['-u', 'nobody'] : []), "127.0.0.1:$port", '256'];
    $sink = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'w'], 2 => STDERR], $pipes);
    try {
        for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
            usleep(50000);
        }
        printf("php-mailer %s, PHP %s, sendMany() with %d connections, window %d, to smtp-sink\n\n",
            phpversion_of($so), PHP_VERSION, $connections, $window);
        printf("%-40s %12s %12s %10s %s\n", 'case (separate process)', 'peak (true)', 'max RSS', 'seconds',
            'smtp-sink counted');
        $results = [];
        foreach ([100, $count] as $n) {
            $before = sink_messages($log);
            $out = shell_exec(implode(' ', array_map('escapeshellarg', [PHP_BINARY, '-n', '-d', "extension=$so",
                __FILE__, 'many', (string)$port, (string)$n, (string)$connections, (string)$window])));
            $r = json_decode((string)$out, true);
            if (!is_array($r)) {
                fwrite(STDERR, "the $n-message run failed: $out\n");
                return 1;
            }
            // the sink counts a message at its "."; its status line can trail the client's exit
            for ($i = 0; $i < 100 && sink_messages($log) - $before < $r['sent']; $i++) {
                usleep(50000);
            }
            $r['counted'] = sink_messages($log) - $before;
            $results[] = $r;
            printf("%-40s %9.1f MB %9.1f MB %10.2f %d of %d\n", number_format($n) . ' messages from a generator',
                $r['peak'] / 1048576, $r['rss'] / 1048576, $r['wall'], $r['counted'], $n);
        }
        [$small, $big] = $results;
        $dRss = $big['rss'] - $small['rss'];
        $dPeak = $big['peak'] - $small['peak'];
        printf("%-40s %+9d KB %+9d KB\n", 'difference', intdiv($dPeak, 1024), intdiv($dRss, 1024));
        $counted = $small['counted'] === 100 && $small['sent'] === 100 && $big['counted'] === $count
            && $big['sent'] === $count;
        $ok = $counted && $dRss < $limit && $dPeak < $limit;
        echo "\n", $ok ? 'ok' : 'FAILED', ': ', number_format($count), ' messages cost less than 8 MB more than 100',
            $counted ? '' : ' (but smtp-sink did not count every message as sent, or some were not sent)', "\n";
        return $ok ? 0 : 1;
    } finally {
        proc_terminate($sink); // our own child, by its handle
        proc_close($sink);
        @unlink($log);
    }
}

/* smtp-sink -c's last status line: "sess=N quit=N mesg=N", rewritten after each "." (CR-ended). */
function sink_messages(string $log): int
{
    $text = (string)@file_get_contents($log, false, null, max(0, (int)@filesize($log) - 512));
    return preg_match_all('/mesg=(\d+)/', $text, $m) ? (int)end($m[1]) : 0;
}

/* --many: one batch in a fresh process; prints its figures as JSON. */
function send_many(int $port, int $count, int $connections, int $window): int
{
    $messages = function () use ($count): Generator {
        $body = str_repeat("0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!?\n", 13);
        for ($i = 0; $i < $count; $i++) {
            yield $i => (new Mailer\Message)->from('Bench <bench@example.org>')->to('sink@example.net')
                ->subject("memory $i")->text($body);
        }
    };
    $fates = [];
    $t0 = hrtime(true);
    $summary = (new Mailer('127.0.0.1', $port, options: ['timeout' => 120]))->sendMany($messages(),
        function (int|string $key, $r) use (&$fates): void {
            $fates[$r->status] = ($fates[$r->status] ?? 0) + 1;
        }, ['connections' => $connections, 'window' => $window]);
    echo json_encode(['peak' => memory_get_peak_usage(true), 'rss' => getrusage()['ru_maxrss'] * 1024,
        'sent' => $fates['sent'] ?? 0, 'fates' => $fates, 'summary' => $summary,
        'wall' => (hrtime(true) - $t0) / 1e9]);
    return 0;
}

/* A signer and a recipient for --smime, made by the openssl command; returns the options' JSON file. */
function smime_options(string $dir): string
{
    $run = function (string $args) use ($dir): void {
        exec('cd ' . escapeshellarg($dir) . " && openssl $args 2>&1", $o, $rc);
        if ($rc !== 0) {
            throw new RuntimeException("openssl $args failed: " . implode("\n", $o));
        }
    };
    $run('req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=bench'
        . ' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign');
    $files = [];
    foreach (['signer' => 'bench@example.org', 'recipient' => 'sink@example.net'] as $name => $email) {
        file_put_contents("$dir/$name.ext", "subjectAltName=email:$email\nextendedKeyUsage=emailProtection\n"
            . "keyUsage=critical,digitalSignature,keyEncipherment\n");
        $run("req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$email");
        $run("x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -set_serial " . random_int(2, 1 << 30)
            . " -days 1 -extfile $name.ext -out $name.pem");
        $files[] = "$dir/$name.pem";
        $files[] = "$dir/$name.key";
    }
    file_put_contents("$dir/smime.json", json_encode(['smime' => [
        'sign' => ['cert' => $files[0], 'key' => $files[1]],
        'encrypt' => ['certs' => [$files[2]]],
    ]]));
    return "$dir/smime.json";
}

/* One send in a fresh process; prints its figures as JSON. */
function send(int $port, string $attach, string $options = '-'): int
{
    $m = (new Mailer\Message)
        ->from('Bench <bench@example.org>')
        ->to('sink@example.net')
        ->subject('memory')
        ->text(str_repeat("0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!?\n", 13));
    if ($attach !== '-') {
        $m->attach($attach, 'big.bin');
    }
    $opts = ['timeout' => 120] + ($options === '-' ? [] : json_decode((string)file_get_contents($options), true));
    $reply = (new Mailer('127.0.0.1', $port, options: $opts))->send($m);
    echo json_encode(['peak' => memory_get_peak_usage(true), 'rss' => getrusage()['ru_maxrss'] * 1024,
        'reply' => $reply]);
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
        while (true) {
            $line = fgets($conn);
            if ($line === false) {
                break;
            }
            $verb = strtoupper(substr(trim($line), 0, 4));
            if ($verb === 'EHLO' || $verb === 'HELO') {
                fwrite($conn, "250-sink\r\n250 8BITMIME\r\n");
            } elseif ($verb === 'DATA') {
                fwrite($conn, "354 go on\r\n");
                $octets = 0;
                $tail = '';
                while (($chunk = fread($conn, 65536)) !== false && $chunk !== '') {
                    $octets += strlen($chunk);
                    $tail = substr($tail . $chunk, -5);
                    if ($tail === "\r\n.\r\n") {
                        break;
                    }
                }
                fwrite($conn, "250 2.0.0 Ok: $octets octets\r\n");
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
