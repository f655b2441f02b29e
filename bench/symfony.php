<?php
/*
 * What a Symfony Mailer user gains by changing the DSN: the same Symfony Emails sent through
 * Symfony's own SMTP transport (smtp://, EsmtpTransport) and through the bridge
 * (native+smtp://, bridge/symfony), to the same local sink, in one process, interleaved.
 *
 *   php -d extension=$PWD/modules/mailer.so bench/symfony.php
 *       [--n=300] [--rounds=5] [--rcpt=1] [--attach-kb=0] [--delay-ms=0]
 *
 * Needs Debian's php-symfony-mailer (and php-mbstring, php-intl, which it pulls in) and the
 * built extension. The sink is Postfix's smtp-sink (C, package postfix) when installed,
 * otherwise the project's scripted test server (tests/inc/smtp_server.php, PHP, slower: then
 * the sink, not the client, may bound the rates). With --delay-ms, bench/delay_proxy.php
 * stands in front of it and holds every chunk that long in each direction, as a network
 * would. Each listens on a loopback port picked at run time and is stopped by its PID at the
 * end, also on failure or Ctrl-C.
 *
 * Columns: "smtp://" is Symfony's default; "smtp:// + TCP_NODELAY" is Symfony tuned in code
 * (its stream's socket option: not reachable from a DSN), which removes the 40 ms stalls that
 * Nagle's algorithm and delayed ACKs cause to its lock-step writes; "native+smtp://" is the
 * bridge; the last row is Symfony's own share (the Email rendered, nothing sent), which no
 * transport can go below. Each round sends --n messages per column on one connection
 * (connect, EHLO and QUIT included), the columns in a different order each round; every
 * message is a fresh Symfony\Component\Mime\Email (html + text, ~1 KB, to --rcpt recipients,
 * plus a random attachment of --attach-kb) rendered by the transport, as in an application.
 * Figures are medians over the rounds: messages per second (wall clock) and CPU milliseconds
 * per message (getrusage of this process: user + system; the sink runs in another process).
 */

declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(function (int $no, string $str, string $file, int $line): bool {
    // silenced (@) and deprecation notices (Debian's Symfony 5.4 on PHP 8.2) are not failures
    if (!(error_reporting() & $no) || ($no & (E_DEPRECATED | E_USER_DEPRECATED))) {
        return true;
    }
    throw new ErrorException($str, 0, $no, $file, $line);
});

function opt(string $name, int $default, int $min, int $max): int
{
    foreach (array_slice($GLOBALS['argv'], 1) as $arg) {
        if (str_starts_with($arg, "--$name=")) {
            $v = substr($arg, strlen($name) + 3);
            if (!ctype_digit($v) || (int)$v < $min || (int)$v > $max) {
                fwrite(STDERR, "symfony.php: --$name must be $min..$max\n");
                exit(2);
            }
            return (int)$v;
        }
    }
    return $default;
}

foreach (array_slice($argv, 1) as $arg) {
    if (!preg_match('/^--(n|rounds|attach-kb|rcpt|delay-ms)=/', $arg)) {
        fwrite(STDERR, "usage: php -d extension=modules/mailer.so bench/symfony.php [--n=300] [--rounds=5] [--rcpt=1] [--attach-kb=0] [--delay-ms=0]\n");
        exit(2);
    }
}
$n = opt('n', 300, 1, 100000);
$rounds = opt('rounds', 5, 1, 99);
$attachKb = opt('attach-kb', 0, 0, 100000);
$rcpt = opt('rcpt', 1, 1, 1000);
$delayMs = opt('delay-ms', 0, 0, 1000);

if (!extension_loaded('mailer')) {
    fwrite(STDERR, "symfony.php: the mailer extension is not loaded (php -d extension=\$PWD/modules/mailer.so ...)\n");
    exit(2);
}
if (!(require dirname(__DIR__) . '/bridge/symfony/tests/bootstrap.php')) {
    fwrite(STDERR, "symfony.php: Symfony Mailer is not installed (apt-get install php-symfony-mailer)\n");
    exit(2);
}
foreach (['mbstring', 'intl'] as $ext) {
    if (!extension_loaded($ext)) {
        fwrite(STDERR, "symfony.php: Symfony Mime needs the $ext extension (php-$ext), not loaded here\n");
        exit(2);
    }
}

use Mailer\Bridge\Symfony\NativeSmtpTransportFactory;
use Symfony\Component\Mailer\Mailer as SymfonyMailer;
use Symfony\Component\Mailer\Transport;
use Symfony\Component\Mime\Address;
use Symfony\Component\Mime\Email;

/* ---- helper processes (the sink, the delay proxy): started here, stopped by PID ------------ */

final class Helper
{
    public int $port;
    /** @var resource|null */
    private $proc = null;
    private static array $live = [];

    /**
     * Runs $cmd and waits until 127.0.0.1:$port accepts a connection; with $port 0, the program
     * prints "PORT <n>" first (the project's test server picks its own port).
     */
    public function __construct(public string $name, array $cmd, int $port, private string $err)
    {
        $spec = [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['file', $err, 'w']];
        $this->proc = proc_open($cmd, $spec, $pipes) ?: throw new RuntimeException("cannot start $name");
        self::$live[spl_object_id($this)] = $this;
        // No destructor runs for an object whose constructor threw: stop the process here.
        try {
            if ($port === 0) {
                if (!preg_match('/^PORT (\d+)/', (string)fgets($pipes[1]), $m)) {
                    throw new RuntimeException("$name did not start: " . file_get_contents($err));
                }
                $port = (int)$m[1];
            }
            $this->port = $port;
            for ($i = 0; $i < 100; $i++) {
                if ($c = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 1)) {
                    fclose($c);
                    return;
                }
                usleep(50000);
            }
            throw new RuntimeException("$name did not listen on $port: " . file_get_contents($err));
        } catch (Throwable $e) {
            $this->stop();
            throw $e;
        }
    }

    public function stop(): void
    {
        unset(self::$live[spl_object_id($this)]);
        if ($this->proc === null) {
            return;
        }
        // proc_open() with an array runs the program itself (no shell): this is its PID.
        foreach ([15, 9] as $signal) {
            if (!proc_get_status($this->proc)['running']) {
                break;
            }
            proc_terminate($this->proc, $signal);
            for ($i = 0; $i < 100 && proc_get_status($this->proc)['running']; $i++) {
                usleep(20000);
            }
        }
        proc_close($this->proc);
        $this->proc = null;
    }

    public static function stopAll(): void
    {
        foreach (self::$live as $h) {
            $h->stop();
        }
    }
}

function free_port(): int
{
    // Free now; smtp-sink and the proxy cannot pick a port themselves and tell us.
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
    fclose($s);
    return $port;
}

function start_helpers(string $dir, int $delayMs): array
{
    $helpers = [];
    if (is_executable('/usr/sbin/smtp-sink')) {
        $port = free_port();
        $helpers[] = new Helper('Postfix smtp-sink', ['/usr/sbin/smtp-sink',
            ...(posix_getuid() === 0 ? ['-u', 'nobody'] : []), "127.0.0.1:$port", '256'], $port, "$dir/sink.err");
    } else {
        file_put_contents("$dir/server.json", json_encode([
            'ehlo' => ['PIPELINING', '8BITMIME', 'SIZE 104857600'], 'record_dir' => $dir,
            'max_connections' => 100000, 'max_lifetime' => 3600, 'idle_exit' => 600, 'parent_pid' => getmypid()]));
        $helpers[] = new Helper('tests/inc/smtp_server.php (PHP)', [PHP_BINARY, '-n',
            dirname(__DIR__) . '/tests/inc/smtp_server.php', "$dir/server.json"], 0, "$dir/sink.err");
    }
    if ($delayMs > 0) {
        $port = free_port();
        $helpers[] = new Helper("bench/delay_proxy.php ($delayMs ms each way)", [PHP_BINARY,
            __DIR__ . '/delay_proxy.php', (string)$port, (string)$helpers[0]->port, (string)$delayMs, '3600'],
            $port, "$dir/proxy.err");
    }
    return $helpers;
}

/* ---- the columns --------------------------------------------------------------------------- */

$factories = [new NativeSmtpTransportFactory(), ...Transport::getDefaultFactories()];
$columns = [
    'smtp' => ['smtp://', fn (int $port) => (new Transport($factories))->fromString("smtp://127.0.0.1:$port")],
    'smtp-nodelay' => ['smtp:// + TCP_NODELAY', function (int $port) use ($factories) {
        $t = (new Transport($factories))->fromString("smtp://127.0.0.1:$port");
        $t->getStream()->setStreamOptions(['socket' => ['tcp_nodelay' => true]]);
        return $t;
    }],
    'native' => ['native+smtp://', fn (int $port) => (new Transport($factories))->fromString("native+smtp://127.0.0.1:$port")],
    // The floor: Symfony's own work per message (the Email rendered to a string), no SMTP at all.
    'render' => ['(Symfony rendering alone, no SMTP)', fn (int $port) => new class extends Symfony\Component\Mailer\Transport\AbstractTransport {
        protected function doSend(Symfony\Component\Mailer\SentMessage $message): void
        {
            $message->toString();
        }

        public function __toString(): string
        {
            return 'render://';
        }
    }],
];

$html = "<html><body><h1>Benchmark</h1>\n"
    . str_repeat("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>\n", 8)
    . "</body></html>\n";
$text = str_repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n", 4);
$attachment = $attachKb > 0 ? random_bytes($attachKb * 1024) : null;

function cpu_seconds(): float
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}

/** One cell: $n messages through a new transport, on one connection; returns [wall s, cpu s]. */
function cell(callable $make, int $port, int $n, int $rcpt, string $html, string $text, ?string $attachment): array
{
    $wall0 = hrtime(true);
    $cpu0 = cpu_seconds();
    $transport = $make($port);
    $mailer = new SymfonyMailer($transport);
    for ($i = 1; $i <= $n; $i++) {
        $email = (new Email())
            ->from(new Address('bench@example.com', 'Bench Sender'))
            ->to(...array_map(fn (int $i) => "rcpt$i@example.net", range(1, $rcpt)))
            ->subject("Benchmark message $i")
            ->text($text)
            ->html($html);
        if ($attachment !== null) {
            $email->attach($attachment, 'data.bin', 'application/octet-stream');
        }
        $mailer->send($email);   // throws on any failure: a cell delivers every message or stops the bench
    }
    unset($mailer, $transport);  // QUIT (both transports say it on destruction)
    gc_collect_cycles();
    return [(hrtime(true) - $wall0) / 1e9, cpu_seconds() - $cpu0];
}

function median(array $v): float
{
    sort($v);
    $c = count($v);
    return $c % 2 ? $v[intdiv($c, 2)] : ($v[$c / 2 - 1] + $v[$c / 2]) / 2;
}

$dir = sys_get_temp_dir() . '/mailer-bench-symfony-' . getmypid() . '-' . bin2hex(random_bytes(3));
mkdir($dir, 0700);
if (function_exists('pcntl_async_signals')) {
    pcntl_async_signals(true);
    foreach ([SIGINT, SIGTERM] as $sig) {
        pcntl_signal($sig, function (): void {
            Helper::stopAll();
            exit(130);
        });
    }
}

try {
    $helpers = start_helpers($dir, $delayMs);
    $port = end($helpers)->port;
    $symfonyVersion = trim((string)@shell_exec("dpkg-query -W -f='\${Version}' php-symfony-mailer 2>/dev/null")) ?: '?';
    printf("php-symfony-mailer %s, PHP %s, php-mailer %s; %s\n", $symfonyVersion, PHP_VERSION, Mailer::VERSION,
        implode(' in front of ', array_reverse(array_map(fn (Helper $h) => "$h->name on 127.0.0.1:$h->port", $helpers))));
    printf("%d message(s) per column per round (~1 KB html + text%s, %d recipient(s)), %d round(s), columns interleaved\n\n",
        $n, $attachKb ? ", a $attachKb KB attachment" : '', $rcpt, $rounds);

    // One message per column first: autoloading and compiling are not what is measured.
    foreach ($columns as [$label, $make]) {
        cell($make, $port, 1, $rcpt, $html, $text, $attachment);
    }
    $rates = $cpus = [];
    $order = array_keys($columns);
    for ($r = 0; $r < $rounds; $r++) {
        foreach ($order as $id) {
            [$wall, $cpu] = cell($columns[$id][1], $port, $n, $rcpt, $html, $text, $attachment);
            $rates[$id][] = $n / $wall;
            $cpus[$id][] = $cpu * 1000 / $n;
            fprintf(STDERR, "round %d %-36s %9.1f msg/s %7.3f CPU ms/msg\n", $r + 1, $columns[$id][0], $n / $wall, $cpu * 1000 / $n);
        }
        $order[] = array_shift($order);   // rotate: no column always goes first
    }

    $native = ['rate' => median($rates['native']), 'cpu' => median($cpus['native'])];
    printf("| transport (DSN) | messages/s | CPU ms/message | native+smtp:// is |\n|---|---:|---:|---|\n");
    foreach ($columns as $id => [$label]) {
        $rate = median($rates[$id]);
        $cpu = median($cpus[$id]);
        $vs = $id === 'native' || $id === 'render' ? '' : sprintf('%.1f× faster, %.2f× the CPU', $native['rate'] / $rate, $native['cpu'] / $cpu);
        printf("| %s | %.1f | %.3f | %s |\n", $label, $rate, $cpu, $vs);
    }
} finally {
    Helper::stopAll();
    foreach (glob("$dir/*") ?: [] as $f) {
        unlink($f);
    }
    rmdir($dir);
}
