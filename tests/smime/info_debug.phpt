--TEST--
S/MIME is listed by php --ri mailer (phpinfo), and with debug on a send says what S/MIME did, before the SMTP exchange
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
ob_start();
(new ReflectionExtension('mailer'))->info();
preg_match('/^S\/MIME => .*$/m', ob_get_clean(), $line);
echo $line[0], "\n";

$pki = mailer_smime_pki();
$srv = mailer_test_server();
$lines = [];
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => function (string $l) use (&$lines) { $lines[] = $l; },
    'smime' => ['sign' => ['cert' => $pki['signer'][0], 'key' => $pki['signer'][1]],
                'encrypt' => ['certs' => $pki['recipient'][0], 'cipher' => 'aes-256-cbc']]]);
$m->sendmail('alice@example.org', 'bob@example.net', 'debug', '<p>x</p>');
$first = array_values(array_filter($lines, fn($l) => str_contains($l, 'S/MIME')));
echo preg_replace('/\d+ octets/', 'N octets', $first[0]), "\n";
var_dump(array_search($first[0], $lines, true) < array_search(current(preg_grep('/^S: 220/', $lines)), $lines, true));
?>
--EXPECT--
S/MIME => sign (multipart/signed, sha-256), encrypt (aes-256-gcm, aes-256-cbc)
* S/MIME: signed (sha-256), then aes-256-cbc (N octets)
bool(true)
