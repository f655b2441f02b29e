--TEST--
Laravel (10 and later, Debian's packages): an application with the README's Mail::extend provider and config/mail.php entry sends a Mailable (Blade html and text views, an inline image, an attachment), the same Mailable queued (database queue, run by queue:work in another process) and Mail::raw() through native+smtp://; each arrives intact with its Bcc in the envelope only
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/frameworks.inc';
mailer_bridge_skipif();
$v = mailer_laravel_version();
if ($v === null || version_compare($v, '10', '<')) {
    die('skip LARAVEL 10+ NOT INSTALLED: needs Debian\'s php-laravel-framework 10 or later (Debian 13 or later: '
        . 'scripts/compat.sh runs this in its roots; ' . ($v === null ? 'none here' : "Laravel $v here, before Symfony Mailer") . ')');
}
if (!is_file(ini_get('extension_dir') . '/pdo_sqlite.so') && !extension_loaded('pdo_sqlite')) {
    die('skip php-sqlite3 not installed (the database queue)');
}
?>
--FILE--
<?php
require __DIR__ . '/frameworks.inc';

$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME', 'SIZE 10240000']]);
$storage = sys_get_temp_dir() . '/mailer-laravel-' . getmypid();
$png = "\x89PNG\r\n\x1a\n" . random_bytes(1500);
$pdf = "%PDF-1.4\n" . random_bytes(20000) . "\n%%EOF\n";
$env = ['LARAVEL_STORAGE' => $storage, 'MAIL_MAILER' => 'native',
    'MAIL_NATIVE_DSN' => "native+smtp://127.0.0.1:$srv->port",
    'INVOICE_LOGO' => mailer_test_file($png, 'logo.png'), 'INVOICE_PDF' => mailer_test_file($pdf, 'facture.pdf')];
$artisan = fn (string ...$args) => mailer_framework_run(__DIR__ . '/laravel/artisan.php', $args, $env);

foreach ([['migrate'], ['send', 'sent'], ['queue', 'queued'], ['work'], ['raw', 'raw']] as $args) {
    [$status, $out] = $artisan(...$args);
    echo $args[0], ': ', trim($out), $status ? " (status $status)" : '', ', server has ', $srv->messageCount(), "\n";
}

for ($i = 1; $i <= $srv->messageCount(); $i++) {
    $env = $srv->envelope($i);
    $p = mailer_test_python_parse($srv->message($i));
    $h = mailer_test_headers($p);
    echo "-- message $i: ", $h['subject'][0], "\n";
    // the extension's EHLO (Symfony's own transport says "EHLO [127.0.0.1]")
    echo '  ', $env['helo'] === 'EHLO [127.0.0.1]' ? 'Symfony\'s transport?!' : 'native transport', ', ',
        implode(' ', array_map(fn ($r) => substr($r, 8), $env['rcpt'])), "\n";
    echo '  ', $p['structure'], "\n";
    echo '  from: ', $h['from'][0], ', bcc header: ', isset($h['bcc']) ? 'yes?!' : 'no', "\n";
    if ($img = mailer_test_part($p, 'image/png')) {
        $html = mailer_test_part($p, 'text/html');
        $cid = trim($img['content_id'], '<>');
        echo '  png ', $img['sha256'] === hash('sha256', $png) ? 'intact' : 'differs', ', referenced: ',
            str_contains($html['text'], "cid:$cid") ? 'yes' : 'no', "\n";
        $att = mailer_test_part($p, 'application/pdf');
        echo '  ', $att['disposition'], ' ', $att['filename'], ' ', $att['sha256'] === hash('sha256', $pdf) ? 'intact' : 'differs', "\n";
    }
    echo '  text: ', json_encode(str_replace("\r\n", "\n", mailer_test_part($p, 'text/plain')['text'])), "\n";
}
exec('rm -rf ' . escapeshellarg($storage));
?>
--EXPECT--
migrate: migrated, server has 0
send: sent, server has 1
queue: queued, jobs: 1, server has 1
work: worked (status 0), jobs: 0, failed: 0, server has 2
raw: raw sent, server has 3
-- message 1: Facture pour Zoë (sent)
  native transport, <zoe@example.net> <audit@example.org>
  multipart/mixed(multipart/related(multipart/alternative(text/plain,text/html),image/png),application/pdf)
  from: Boutique Élise <factures@example.org>, bcc header: no
  png intact, referenced: yes
  attachment facture n°42.pdf intact
  text: "Bonjour Zo\u00eb,\n\nvotre facture est jointe.\n"
-- message 2: Facture pour Zoë (queued)
  native transport, <zoe@example.net> <audit@example.org>
  multipart/mixed(multipart/related(multipart/alternative(text/plain,text/html),image/png),application/pdf)
  from: Boutique Élise <factures@example.org>, bcc header: no
  png intact, referenced: yes
  attachment facture n°42.pdf intact
  text: "Bonjour Zo\u00eb,\n\nvotre facture est jointe.\n"
-- message 3: Brut raw
  native transport, <li@example.com>
  text/plain
  from: Boutique Élise <factures@example.org>, bcc header: no
  text: "Bonjour,\n\nun message brut (raw).\n"
