--TEST--
Mailer\Message: a 3 MB random binary under a non-ASCII file name arrives byte-identical (sha256), named exactly, with every line <= 998 octets
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$name = 'Résumé 2026 – 日本.pdf';
$bytes = random_bytes(3 * 1024 * 1024 + 17);
$path = mailer_test_file($bytes, 'upload.bin');
$m = (new Mailer\Message)
    ->from('a@example.org')
    ->to('b@example.net')
    ->subject('big one')
    ->text("Attached.\n")
    ->attach($path, $name);
echo (new Mailer('127.0.0.1', $srv->port))->send($m), "\n";
$p = $srv->parse(1);
echo $p['structure'], "\n";
$att = mailer_test_part($p, 'application/pdf');
var_dump($att['filename'] === $name, $att['disposition'], $att['cte'], $att['size'] === strlen($bytes),
    $att['sha256'] === hash('sha256', $bytes));
var_dump($p['max_line'], $p['bare_lf'], $p['bare_cr'], mailer_test_param_defects($p));
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
multipart/mixed(text/plain,application/pdf)
bool(true)
string(10) "attachment"
string(6) "base64"
bool(true)
bool(true)
int(78)
bool(false)
bool(false)
array(0) {
}
