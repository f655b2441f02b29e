--TEST--
S/MIME with a 3 MB attachment, signed then encrypted: streamed through OpenSSL and spooled to a temporary file, so PHP's peak memory grows by less than 1 MB; the bytes are the same on every pass (BDAT's announced size matches, DKIM verifies), and the recipient recovers and verifies the exact entity
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/dkim.inc';
mailer_smime_skipif();
mailer_dkim_skipif();
?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/dkim.inc';
$pki = mailer_smime_pki();
$key = mailer_dkim_key('rsa');
$path = mailer_test_tmpdir() . '/big.bin';
$f = fopen($path, 'wb');
for ($i = 0; $i < 3 * 16; $i++) { // 3 MB in 64 KB pieces, never whole in memory
    fwrite($f, random_bytes(65536));
}
fclose($f);
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'CHUNKING', 'SIZE 100000000']]);
$mailer = new Mailer('127.0.0.1', $srv->port, '', '', false, [
    'smime' => ['sign' => ['cert' => $pki['signer'][0], 'key' => $pki['signer'][1]],
                'encrypt' => ['certs' => $pki['recipient'][0], 'cipher' => 'aes-256-cbc']],
    'dkim' => ['domain' => 'example.org', 'selector' => 'big', 'key' => $key['pem']],
]);
$mailer->send((new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->text('small'));
$before = memory_get_peak_usage();
$m = (new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->text('big')->attach($path);
echo $mailer->send($m), "\n";
$grown = memory_get_peak_usage() - $before;
var_dump($grown < 1024 * 1024 ?: $grown);
var_dump($srv->envelope(2)['bdat']);
$eml = $srv->message(2);
var_dump(strlen($eml) > 3 * 1024 * 1024 * 4 / 3 * 4 / 3);
echo mailer_dkim_verify($eml, ['big._domainkey.example.org' => $key['record']]), "\n";
unset($eml);
[$ok, $signed, $err] = mailer_smime_decrypt($pki, file_get_contents($srv->dir . '/msg-2.eml'), $pki['recipient']);
var_dump($ok);
[$ok, $content, $err] = mailer_smime_verify($pki, $signed);
echo $err, "\n";
var_dump($content === mailer_smime_entity($m->toString()));
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
bool(true)
bool(true)
bool(true)
1 rsa-sha256 example.org big: pass
bool(true)
CMS Verification successful
bool(true)
