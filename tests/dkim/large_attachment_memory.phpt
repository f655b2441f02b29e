--TEST--
DKIM: signing a message with a 16 MB attachment streams it (hashed in one pass, sent in the next): peak memory grows by less than 1 MB, and the signature verifies
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/dkim.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'SIZE 100000000']]);
$key = mailer_dkim_key('rsa', 2048);
$path = mailer_test_tmpdir() . '/big.bin';
$f = fopen($path, 'wb');
for ($i = 0; $i < 16 * 16; $i++) { // 16 MB in 64 KB pieces, never whole in memory
    fwrite($f, random_bytes(65536));
}
fclose($f);
$mailer = new Mailer('127.0.0.1', $srv->port, '', '', false, [
    'dkim' => ['domain' => 'example.org', 'selector' => 'big', 'key' => $key['pem']],
]);
$mailer->send((new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('small'));
$before = memory_get_peak_usage();
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('big')->attach($path);
echo $mailer->send($m), "\n";
$grown = memory_get_peak_usage() - $before;
var_dump($grown < 1024 * 1024 ?: $grown);
var_dump(filesize($srv->dir . '/msg-2.eml') > 16 * 1024 * 1024 * 4 / 3);
echo mailer_dkim_verify(file_get_contents($srv->dir . '/msg-2.eml'), ['big._domainkey.example.org' => $key['record']]), "\n";
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
bool(true)
bool(true)
1 rsa-sha256 example.org big: pass
