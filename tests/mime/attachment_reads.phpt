--TEST--
Attachments are read once without DKIM and twice with it (the signing pass counts the size): a stream wrapper counts its opens and reads through send() and sendmail(), with and without DKIM, with SIZE, CHUNKING (BDAT), both or neither; what SIZE= and BDAT announce is the size that arrived
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
require __DIR__ . '/../inc/dkim.inc';

final class CountingFile
{
    public static string $data = '';
    public static int $opens = 0;
    public static int $reads = 0;
    public static int $octets = 0;
    public $context;
    private int $pos = 0;

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
        self::$opens++;
        return true;
    }

    public function stream_read(int $count): string|false
    {
        $chunk = substr(self::$data, $this->pos, $count);
        $this->pos += strlen($chunk);
        self::$reads++;
        self::$octets += strlen($chunk);
        return $chunk;
    }

    public function stream_eof(): bool
    {
        return $this->pos >= strlen(self::$data);
    }

    public function stream_stat(): array|false
    {
        return ['size' => strlen(self::$data), 'mode' => 0100644];
    }

    public function url_stat(string $path, int $flags): array|false
    {
        return ['size' => strlen(self::$data), 'mode' => 0100644];
    }
}
stream_wrapper_register('counting', CountingFile::class);
CountingFile::$data = random_bytes(300000);
$plain = mailer_test_file(random_bytes(100000), 'plain.bin');
$key = mailer_dkim_key('ed25519');
$dkim = ['dkim' => ['domain' => 'example.org', 'selector' => 's', 'key' => $key['pem']]];

/* What the client announced for each message of a connection: "BDAT n" or "DATA", with SIZE=n or not. */
function announced(MailerTestServer $srv, int $conn): array
{
    preg_match_all('/^C: (MAIL FROM:<[^>]*>(?: SIZE=(\d+))?|BDAT (\d+) LAST|DATA)/m', $srv->log($conn), $m, PREG_SET_ORDER);
    $out = [];
    foreach ($m as $line) {
        if (str_starts_with($line[1], 'MAIL')) {
            $out[] = ['size' => $line[2] ?? '', 'data' => ''];
        } else {
            $out[count($out) - 1]['data'] = $line[1] === 'DATA' ? 'DATA' : "BDAT {$line[3]}";
        }
    }
    return $out;
}

foreach ([[], ['SIZE 10240000'], ['CHUNKING'], ['SIZE 10240000', 'CHUNKING']] as $caps) {
    $srv = mailer_test_server(['ehlo' => array_merge(['PIPELINING'], $caps)]);
    $n = 0;
    foreach (['no DKIM' => [], 'DKIM' => $dkim] as $signing => $options) {
        $mailer = new Mailer('127.0.0.1', $srv->port, options: $options);
        $conn = $srv->connectionCount() + 1;
        $m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('file')->text('see the file')
            ->attach('counting://data.bin', 'data.bin', 'application/octet-stream');
        CountingFile::$opens = CountingFile::$reads = CountingFile::$octets = 0;
        $mailer->send($m);
        $counts = sprintf('opened %d, %d octets read', CountingFile::$opens, CountingFile::$octets);
        $part = mailer_test_part($srv->parse(++$n), 'application/octet-stream');
        $intact = $part['sha256'] === hash('sha256', CountingFile::$data);
        $mailer->sendmail('a@example.org', 'b@example.net', 'body', str_repeat("<p>line</p>\n", 1000));
        $sizes = [strlen($srv->message($n)), strlen($srv->message(++$n))];
        $mailer->send((new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x')->attach($plain));
        $sizes[] = strlen($srv->message(++$n));
        $said = [];
        foreach (announced($srv, $conn) as $i => $a) {
            $exact = ($a['size'] === '' || (int)$a['size'] === $sizes[$i])
                && (!str_starts_with($a['data'], 'BDAT') || (int)substr($a['data'], 5) === $sizes[$i]);
            $said[] = ($a['size'] === '' ? '' : 'SIZE ') . preg_replace('/ \d+/', '', $a['data']) . ($exact ? '' : ' (WRONG SIZE)');
        }
        printf("%-19s %-7s send(): %s, %s; %s | sendmail(): %s | send() of a plain file: %s\n",
            implode(' ', array_map(fn($c) => explode(' ', $c)[0], $caps)) ?: 'none', $signing, $counts,
            $intact ? 'intact' : 'CORRUPT', $said[0], $said[1], $said[2]);
    }
    $srv->stop();
}
?>
--EXPECT--
none                no DKIM send(): opened 1, 300000 octets read, intact; DATA | sendmail(): DATA | send() of a plain file: DATA
none                DKIM    send(): opened 2, 600000 octets read, intact; DATA | sendmail(): DATA | send() of a plain file: DATA
SIZE                no DKIM send(): opened 1, 300000 octets read, intact; DATA | sendmail(): SIZE DATA | send() of a plain file: SIZE DATA
SIZE                DKIM    send(): opened 2, 600000 octets read, intact; SIZE DATA | sendmail(): SIZE DATA | send() of a plain file: SIZE DATA
CHUNKING            no DKIM send(): opened 1, 300000 octets read, intact; DATA | sendmail(): BDAT | send() of a plain file: BDAT
CHUNKING            DKIM    send(): opened 2, 600000 octets read, intact; BDAT | sendmail(): BDAT | send() of a plain file: BDAT
SIZE CHUNKING       no DKIM send(): opened 1, 300000 octets read, intact; DATA | sendmail(): SIZE BDAT | send() of a plain file: SIZE BDAT
SIZE CHUNKING       DKIM    send(): opened 2, 600000 octets read, intact; SIZE BDAT | sendmail(): SIZE BDAT | send() of a plain file: SIZE BDAT
