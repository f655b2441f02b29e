<?php
/*
 * One benchmark cell: one PHP process sends with one library and prints one
 * JSON line {"sent", "wall", "cpu", "rss_kb"}. bench/run.php starts it
 * as
 *
 *   php -d extension=mailer.so bench/client.php COLUMN MODE PORT COUNT [FILE]
 *
 * COLUMN  ext | phpmailer | symfony | swift | netsmtp (each with a "-nodelay"
 *         variant: TCP_NODELAY through the library's own stream-context option)
 *         | original
 *         | many-N: the extension's sendMany() with N connections, the messages
 *         from a generator (window: MAILER_BENCH_WINDOW, default 32); prints
 *         {"na": ...} and exits 0 when this build has no sendMany()
 * MODE    keep   COUNT messages on one connection
 *         fresh  COUNT messages, a new connection (and a new client object) each
 *         rcpt50 COUNT messages to 50 recipients each, on one connection
 *         attach one message with FILE attached
 *
 * Wall and CPU (getrusage of this process) cover the sending only: libraries
 * are loaded (autoloaded and compiled) before the clock starts, so the figures
 * are per-message costs, not PHP's start-up. Peak RSS is the process's whole
 * life (ru_maxrss). Any failed send exits 1: a cell either delivers every
 * message or is an error.
 */

declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(function (int $no, string $str, string $file, int $line): bool {
    // silenced (@) and deprecation notices of the libraries on PHP 8.2 are not failures; anything else is
    if (!(error_reporting() & $no) || ($no & (E_DEPRECATED | E_USER_DEPRECATED))) {
        return true;
    }
    throw new ErrorException($str, 0, $no, $file, $line);
});

if ($argc < 5) {
    fwrite(STDERR, "usage: client.php COLUMN MODE PORT COUNT [FILE]\n");
    exit(2);
}
[, $column, $mode, $port, $count] = $argv;
$port = (int)$port;
$count = (int)$count;
$file = $argv[5] ?? '';
$library = preg_replace('/-nodelay$/', '', $column);
$nodelay = $library !== $column;

const FROM = 'bench@example.com';
const FROM_NAME = 'Bench Sender';

$rcpts = $mode === 'rcpt50'
    ? array_map(fn (int $i) => sprintf('rcpt%02d@example.net', $i), range(1, 50))
    : ['rcpt@example.net'];
// ~1 KB once the libraries' headers are added
$html = "<html><body><h1>Benchmark</h1>\n"
    . str_repeat("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.</p>\n", 8)
    . "</body></html>\n";
if ($mode === 'attach') {
    $count = 1;
    if (!is_readable($file)) {
        fwrite(STDERR, "client.php: attach needs a readable FILE\n");
        exit(2);
    }
}
$fresh = $mode === 'fresh';
$batch = null; // a closure sending all COUNT messages at once, for the columns that batch

const WINDOW_DEFAULT = 32;
if (preg_match('/^many-([1-9]\d*)$/', $column, $m)) {
    $connections = (int)$m[1];
    $library = 'many';
}

/* Each library as a pair of closures: open() makes a client (connecting when
 * the library does), send($client, $i) sends message $i, close($client) ends
 * the session. */
switch ($library) {
case 'ext':
    $options = [];
    $open = fn () => new Mailer('127.0.0.1', $port, '', '', false, $options);
    $send = function (Mailer $m, int $i) use ($rcpts, $html, $file): void {
        if ($file === '') {
            $m->sendmail(FROM_NAME . ' <' . FROM . '>', $rcpts, "Benchmark message $i", $html);
        } else {
            $m->send((new Mailer\Message())->from(FROM, FROM_NAME)->to(...$rcpts)
                ->subject("Benchmark message $i")->html($html)->attach($file, null, 'application/octet-stream'));
        }
    };
    $close = fn (Mailer $m) => $m->close();
    break;

case 'many':
    if (!method_exists('Mailer', 'sendMany')) {
        echo json_encode(['na' => 'sendMany() not in this build']), "\n";
        exit(0);
    }
    if ($file !== '' || $fresh) {
        fwrite(STDERR, "client.php: $column sends 1 KB messages on kept connections (keep, rcpt50)\n");
        exit(2);
    }
    $window = (int)(getenv('MAILER_BENCH_WINDOW') ?: WINDOW_DEFAULT);
    $open = fn () => new Mailer('127.0.0.1', $port, '', '', false, []);
    // the same message as the ext column's, as a Mailer\Message, made when sendMany() asks for it
    $messages = function (int $count) use ($rcpts, $html): Generator {
        for ($i = 0; $i < $count; $i++) {
            yield $i => (new Mailer\Message())->from(FROM, FROM_NAME)->to(...$rcpts)
                ->subject("Benchmark message $i")->html($html);
        }
    };
    $batch = function (Mailer $m, int $count) use ($messages, $connections, $window, $column): void {
        $fates = [];
        $m->sendMany($messages($count), function (int|string $key, $result) use (&$fates, $column): void {
            $fates[$result->status] = ($fates[$result->status] ?? 0) + 1;
            if ($result->status !== 'sent') {
                fwrite(STDERR, "client.php $column: message $key: {$result->status}: "
                    . ($result->error ?? $result->reply ?? '') . "\n");
            }
        }, ['connections' => $connections, 'window' => $window]);
        // a cell delivers every message or is an error
        if (($fates['sent'] ?? 0) !== $count) {
            throw new RuntimeException("sendMany(): " . json_encode($fates) . " of $count messages");
        }
    };
    $send = fn () => throw new LogicException('many-N sends in one batch');
    $close = fn (Mailer $m) => $m->close();
    break;

case 'phpmailer':
    require '/usr/share/php/libphp-phpmailer/autoload.php';
    class_exists(PHPMailer\PHPMailer\PHPMailer::class);
    class_exists(PHPMailer\PHPMailer\SMTP::class);
    $open = function () use ($port, $nodelay, $fresh): PHPMailer\PHPMailer\PHPMailer {
        $m = new PHPMailer\PHPMailer\PHPMailer(true);
        $m->isSMTP();
        $m->Host = '127.0.0.1';
        $m->Port = $port;
        $m->SMTPKeepAlive = !$fresh; // the documented way to send many messages on one connection
        if ($nodelay) {
            $m->SMTPOptions = ['socket' => ['tcp_nodelay' => true]];
        }
        return $m;
    };
    $send = function (PHPMailer\PHPMailer\PHPMailer $m, int $i) use ($rcpts, $html, $file): void {
        $m->clearAllRecipients();
        $m->clearAttachments();
        $m->setFrom(FROM, FROM_NAME);
        foreach ($rcpts as $r) {
            $m->addAddress($r);
        }
        $m->Subject = "Benchmark message $i";
        $m->isHTML(true);
        $m->Body = $html;
        if ($file !== '') {
            $m->addAttachment($file, basename($file), PHPMailer\PHPMailer\PHPMailer::ENCODING_BASE64,
                'application/octet-stream');
        }
        $m->send();
    };
    $close = fn (PHPMailer\PHPMailer\PHPMailer $m) => $m->smtpClose();
    break;

case 'symfony':
case 'symfony-native':
    require '/usr/share/php/Symfony/Component/Mailer/autoload.php';
    require dirname(__DIR__) . '/bridge/symfony/tests/bootstrap.php';
    class_exists(Symfony\Component\Mailer\Transport\Smtp\EsmtpTransport::class);
    class_exists(Mailer\Bridge\Symfony\NativeSmtpTransport::class);
    class_exists(Symfony\Component\Mime\Email::class);
    $open = function () use ($port, $nodelay, $library): array {
        if ($library === 'symfony-native') {
            // the bridge: Symfony renders, the extension sends (native+smtp://)
            $transport = (new Symfony\Component\Mailer\Transport([new Mailer\Bridge\Symfony\NativeSmtpTransportFactory()]))
                ->fromString("native+smtp://127.0.0.1:$port");
            return [$transport, new Symfony\Component\Mailer\Mailer($transport)];
        }
        $transport = Symfony\Component\Mailer\Transport::fromDsn("smtp://127.0.0.1:$port");
        if ($nodelay) {
            $transport->getStream()->setStreamOptions(['socket' => ['tcp_nodelay' => true]]);
        }
        return [$transport, new Symfony\Component\Mailer\Mailer($transport)];
    };
    $send = function (array $c, int $i) use ($rcpts, $html, $file): void {
        $email = (new Symfony\Component\Mime\Email())
            ->from(new Symfony\Component\Mime\Address(FROM, FROM_NAME))
            ->to(...$rcpts)
            ->subject("Benchmark message $i")
            ->html($html);
        if ($file !== '') {
            $email->attachFromPath($file, basename($file), 'application/octet-stream');
        }
        $c[1]->send($email);
    };
    // SmtpTransport::stop() is private in 5.4: its destructor says QUIT when the client is unset
    $close = fn (array $c) => null;
    break;

case 'swift':
    require '/usr/share/php/Swift/autoload.php';
    class_exists(Swift_SmtpTransport::class);
    class_exists(Swift_Message::class);
    $open = function () use ($port, $nodelay): array {
        $transport = new Swift_SmtpTransport('127.0.0.1', $port);
        if ($nodelay) {
            $transport->setStreamOptions(['socket' => ['tcp_nodelay' => true]]);
        }
        return [$transport, new Swift_Mailer($transport)];
    };
    $send = function (array $c, int $i) use ($rcpts, $html, $file): void {
        $message = (new Swift_Message("Benchmark message $i"))
            ->setFrom([FROM => FROM_NAME])
            ->setTo($rcpts)
            ->setBody($html, 'text/html');
        if ($file !== '') {
            $message->attach(Swift_Attachment::fromPath($file, 'application/octet-stream'));
        }
        $failed = [];
        if ($c[1]->send($message, $failed) !== count($rcpts)) {
            throw new RuntimeException('SwiftMailer refused: ' . implode(', ', $failed));
        }
    };
    $close = fn (array $c) => $c[0]->stop();
    break;

case 'netsmtp':
    require_once 'PEAR.php';
    require_once 'Net/SMTP.php';
    require_once 'Mail/mime.php';
    $check = function ($result): void {
        if (PEAR::isError($result)) {
            throw new RuntimeException('Net_SMTP: ' . $result->getMessage());
        }
    };
    $open = function () use ($port, $nodelay, $check): Net_SMTP {
        $smtp = new Net_SMTP('127.0.0.1', $port, null, false, 0,
            $nodelay ? ['socket' => ['tcp_nodelay' => true]] : null);
        $check($smtp->connect());
        return $smtp;
    };
    $send = function (Net_SMTP $smtp, int $i) use ($rcpts, $html, $file, $check): void {
        $mime = new Mail_mime(['eol' => "\r\n"]);
        $mime->setHTMLBody($html);
        if ($file !== '') {
            $check($mime->addAttachment($file, 'application/octet-stream'));
        }
        $body = $mime->get(['html_charset' => 'UTF-8', 'head_charset' => 'UTF-8']);
        $headers = $mime->txtHeaders([
            'From' => FROM_NAME . ' <' . FROM . '>',
            'To' => implode(', ', $rcpts),
            'Subject' => "Benchmark message $i",
            'Date' => date('r'),
            'Message-ID' => '<' . bin2hex(random_bytes(16)) . '@example.com>',
        ]);
        $check($smtp->mailFrom(FROM));
        foreach ($rcpts as $r) {
            $check($smtp->rcptTo($r));
        }
        $check($smtp->data($body, rtrim($headers, "\r\n")));
    };
    $close = fn (Net_SMTP $smtp) => $smtp->disconnect();
    break;

case 'original':
    require __DIR__ . '/OriginalMailer.php';
    // its own connection per message, whatever the mode: that is the class
    $open = fn () => new OriginalMailer('127.0.0.1', $port);
    $send = function (OriginalMailer $m, int $i) use ($rcpts, $html, $file): void {
        if ($file !== '') {
            throw new RuntimeException('the original class has no attachments');
        }
        if (!$m->sendmail(FROM, implode(', ', $rcpts), "Benchmark message $i", $html)) {
            throw new RuntimeException("OriginalMailer failed on message $i");
        }
    };
    $close = fn (OriginalMailer $m) => null;
    break;

default:
    fwrite(STDERR, "client.php: unknown column $column\n");
    exit(2);
}

function cpu_seconds(): float
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}

$i = -1; // a failure before the first message
$cpu0 = cpu_seconds();
$t0 = hrtime(true);
try {
    if ($batch) {
        $client = $open();
        $batch($client, $count);
        $close($client);
        unset($client);
    } elseif ($fresh) {
        for ($i = 0; $i < $count; $i++) {
            $client = $open();
            $send($client, $i);
            $close($client);
            unset($client);
        }
    } else {
        $client = $open();
        for ($i = 0; $i < $count; $i++) {
            $send($client, $i);
        }
        $close($client);
        unset($client);
    }
} catch (Throwable $e) {
    fwrite(STDERR, "client.php $column $mode: message $i: " . get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(1);
}
$wall = (hrtime(true) - $t0) / 1e9;
$cpu = cpu_seconds() - $cpu0;
echo json_encode([
    'sent' => $count,
    'wall' => $wall,
    'cpu' => $cpu,
    'rss_kb' => getrusage()['ru_maxrss'],
]), "\n";
