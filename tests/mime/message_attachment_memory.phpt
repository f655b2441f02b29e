--TEST--
Mailer\Message: a 24 MB attachment is streamed from its file: peak memory grows by less than 1 MB, the bytes arrive intact
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME', 'SIZE 100000000']]);
$path = mailer_test_tmpdir() . '/big.bin';
$f = fopen($path, 'wb');
$ctx = hash_init('sha256');
for ($i = 0; $i < 24 * 16; $i++) { // 24 MB in 64 KB pieces, never whole in memory
    $chunk = random_bytes(65536);
    fwrite($f, $chunk);
    hash_update($ctx, $chunk);
}
fclose($f);
unset($chunk);
$sha = hash_final($ctx);
$mailer = new Mailer('127.0.0.1', $srv->port);
$mailer->send((new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('small'));
$before = memory_get_peak_usage();
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('big')->attach($path);
echo $mailer->send($m), "\n";
$grown = memory_get_peak_usage() - $before;
var_dump($grown < 1024 * 1024 ?: $grown);
// the recorded message is checked in a separate parser process
$eml = $srv->dir . '/msg-2.eml';
var_dump(filesize($eml) > 24 * 1024 * 1024 * 4 / 3);
$p = mailer_test_python_parse(file_get_contents($eml));
var_dump($p['parts'][1]['sha256'] === $sha, $p['parts'][1]['size']);
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
bool(true)
bool(true)
bool(true)
int(25165824)
