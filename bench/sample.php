<?php
/*
 * The bulk benchmark's byte check: what the server received, byte for byte,
 * against Mailer\Message::toString() of the same message, for a sample sent
 * the way the bulk columns send (sendMany(), one connection), once over DATA
 * and once over BDAT.
 *
 *   php -d extension=modules/mailer.so bench/sample.php [--n=6]
 *
 * The server is the tests' strict scripted server (tests/inc/smtp_server.php,
 * one process per flavour, started and stopped here by its handle): it records
 * every accepted message exactly as received (after dot-unstuffing for DATA;
 * BDAT chunks joined) with its envelope, and every protocol rule the client
 * broke (pipelining, BDAT without CHUNKING, ...). Flavours: "DATA" (PIPELINING,
 * no CHUNKING: what smtp-sink offers) and "BDAT" (PIPELINING and CHUNKING: what
 * Postfix offers). The sample holds a plain message, one to three recipients,
 * one with lines starting with a dot (dot-stuffing) and one with an attachment
 * (multipart). Without sendMany() in the build the same messages go through
 * send() one by one, and the output says so. Prints one line per flavour and
 * exits 1 on any difference, missing or extra message, or violation.
 */

declare(strict_types=1);

$n = 6;
foreach ($argv as $arg) {
    if (preg_match('/^--n=(\d+)$/', $arg, $m)) {
        $n = max(4, (int)$m[1]);
    }
}
if (!class_exists('Mailer')) {
    fwrite(STDERR, "bench/sample.php: load the extension (php -d extension=.../mailer.so)\n");
    exit(2);
}
$server = dirname(__DIR__) . '/tests/inc/smtp_server.php';
if (!is_file($server)) {
    fwrite(STDERR, "bench/sample.php: $server is missing\n");
    exit(2);
}
$many = method_exists('Mailer', 'sendMany');

/* The sample: $n messages, each kept so its toString() can be taken after the send. */
function sample(int $n): array
{
    $html = "<html><body><h1>Benchmark</h1>\n"
        . str_repeat("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>\n", 8)
        . "</body></html>\n";
    $messages = [];
    for ($i = 0; $i < $n; $i++) {
        $m = (new Mailer\Message())->from('bench@example.com', 'Bench Sender')->subject("Sample message $i");
        $m->to(...array_map(fn ($r) => "rcpt$r@example.net", range(1, $i % 3 + 1)));
        match ($i % 4) {
            0 => $m->html($html),
            1 => $m->text(".a line starting with a dot\r\n..and two\r\n.\r\nend\r\n"),
            2 => $m->html($html)->attachData(random_bytes(3000), 'data.bin', 'application/octet-stream'),
            3 => $m->text(str_repeat("plain text line\r\n", 40)),
        };
        $messages["m$i"] = $m;
    }
    return $messages;
}

function check_flavour(string $server, string $name, array $ehlo, int $n, bool $many): array
{
    $dir = sys_get_temp_dir() . '/mailer-bench-sample.' . getmypid() . ".$name";
    @mkdir($dir, 0700);
    $config = "$dir/config.json";
    file_put_contents($config, json_encode(['ehlo' => $ehlo, 'record_dir' => $dir, 'max_lifetime' => 120,
        'idle_exit' => 60, 'parent_pid' => getmypid()]));
    $proc = proc_open([PHP_BINARY, '-n', $server, $config], [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'],
        2 => ['file', "$dir/server.err", 'w']], $pipes);
    $problems = [];
    try {
        $line = (string)fgets($pipes[1]);
        if (!preg_match('/^PORT (\d+)/', $line, $pm)) {
            return [false, "$name: the server did not start: " . @file_get_contents("$dir/server.err")];
        }
        $messages = sample($n);
        $mailer = new Mailer('127.0.0.1', (int)$pm[1], '', '', false, ['timeout' => 30]);
        $fates = [];
        if ($many) {
            $mailer->sendMany($messages, function (int|string $key, $r) use (&$fates): void {
                $fates[$key] = $r->status;
            }, ['connections' => 1, 'window' => 32]);
        } else {
            foreach ($messages as $key => $m) {
                $mailer->send($m);
                $fates[$key] = 'sent';
            }
        }
        $mailer->close();
        foreach ($messages as $key => $m) {
            if (($fates[$key] ?? 'no result') !== 'sent') {
                $problems[] = "$key: " . ($fates[$key] ?? 'no result');
            }
        }
        // the recordings are complete before the reply that ends the step; QUIT has been answered
        $byId = [];
        $received = 0;
        foreach (glob("$dir/msg-*.eml") ?: [] as $eml) {
            $received++;
            $bytes = (string)file_get_contents($eml);
            $env = json_decode((string)file_get_contents(substr($eml, 0, -4) . '.json'), true);
            if (preg_match('/^Message-ID:\s*(<[^>\r\n]+>)/mi', $bytes, $im)) {
                $byId[$im[1]][] = [$bytes, $env];
            } else {
                $problems[] = basename($eml) . ': no Message-ID';
            }
        }
        $rcpts = 0;
        foreach ($messages as $key => $m) {
            $want = $m->toString();
            preg_match('/^Message-ID:\s*(<[^>\r\n]+>)/mi', $want, $im);
            $got = $byId[$im[1] ?? ''] ?? [];
            if (count($got) !== 1) {
                $problems[] = "$key: received " . count($got) . ' times';
                continue;
            }
            [$bytes, $env] = $got[0];
            if ($bytes !== $want) {
                $at = strspn($bytes ^ $want, "\0");
                $problems[] = "$key: the server's bytes differ from toString() at octet $at of " . strlen($want)
                    . ' (' . json_encode(substr($bytes, $at, 20)) . ' against '
                    . json_encode(substr($want, $at, 20)) . ')';
            }
            $wantRcpt = array_map(fn ($r) => "<rcpt$r@example.net>", range(1, (int)substr($key, 1) % 3 + 1));
            // the recorder keeps each RCPT command line as sent
            $gotRcpt = array_map(fn ($r) => preg_match('/^RCPT TO:(<[^>]*>)/i', $r, $rm) ? $rm[1] : $r,
                $env['rcpt'] ?? []);
            if ($gotRcpt !== $wantRcpt) {
                $problems[] = "$key: envelope recipients " . json_encode($env['rcpt'] ?? null);
            }
            $rcpts += count($gotRcpt);
            if (($env['bdat'] ?? null) !== ($name === 'BDAT')) {
                $problems[] = "$key: sent with " . (($env['bdat'] ?? false) ? 'BDAT' : 'DATA');
            }
        }
        if ($received !== count($messages)) {
            $problems[] = "the server accepted $received messages, " . count($messages) . ' were sent';
        }
        $violations = json_decode((string)@file_get_contents("$dir/violations.json"), true) ?: [];
        foreach ($violations as $v) {
            $problems[] = 'protocol violation: ' . json_encode($v);
        }
        $how = $many ? 'sendMany(), 1 connection' : 'send() one by one: sendMany() not in this build';
        $text = sprintf('%s (%s): %d messages, %d recipients, %d octets', $name, $how, $received, $rcpts,
            array_sum(array_map(fn ($m) => strlen($m->toString()), $messages)));
        return $problems ? [false, "$text: FAILED: " . implode('; ', $problems)]
            : [true, "$text: every byte equal to toString(), envelopes as sent, no protocol violation"];
    } catch (Throwable $e) {
        return [false, "$name: " . get_class($e) . ': ' . $e->getMessage()];
    } finally {
        proc_terminate($proc); // our own child, by its handle
        proc_close($proc);
        foreach (glob("$dir/*") ?: [] as $f) {
            unlink($f);
        }
        @rmdir($dir);
    }
}

$ok = true;
foreach ([
    'DATA' => ['PIPELINING', '8BITMIME', 'SIZE 10240000', 'ENHANCEDSTATUSCODES'],
    'BDAT' => ['PIPELINING', '8BITMIME', 'SIZE 10240000', 'ENHANCEDSTATUSCODES', 'CHUNKING'],
] as $name => $ehlo) {
    [$good, $line] = check_flavour($server, $name, $ehlo, $n, $many);
    echo $line, "\n";
    $ok = $ok && $good;
}
exit($ok ? 0 : 1);
