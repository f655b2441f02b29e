--TEST--
S/MIME: one byte changed in the signed entity, in the signature, or (AES-GCM) in the ciphertext makes openssl cms fail; the untouched message passes
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
$pki = mailer_smime_pki();
$sign = ['cert' => $pki['signer'][0], 'key' => $pki['signer'][1]];
$m = new Mailer('127.0.0.1', 9, '', '', false, ['smime' => ['sign' => $sign]]);
$msg = (new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->subject('Pay')
    ->text("Pay 100 EUR to account 1234.\n");
$eml = $m->sign($msg);
echo 'untouched: ', mailer_smime_verify($pki, $eml)[2], "\n";
$amount = str_replace('Pay 100 EUR', 'Pay 900 EUR', $eml);
echo 'entity: ', explode("\n", mailer_smime_verify($pki, $amount)[2])[0], "\n";
// one character of the base64 signature, in the signature value near its end
$at = strrpos($eml, "\r\n--=_smime") - 10;
$sig = substr_replace($eml, $eml[$at] === 'A' ? 'B' : 'A', $at, 1);
echo 'signature: ', explode("\n", mailer_smime_verify($pki, $sig)[2])[0], "\n";

$e = new Mailer('127.0.0.1', 9, '', '', false, ['smime' => ['encrypt' => ['certs' => $pki['recipient'][0]]]]);
$enc = $e->sign($msg);
echo 'encrypted, untouched: ', var_export(mailer_smime_decrypt($pki, $enc, $pki['recipient'])[0], true), "\n";
[$head, $b64] = explode("\r\n\r\n", $enc, 2);
$der = base64_decode($b64);
var_dump(str_contains($der, 'Pay'));  // not in clear
// a byte of the encrypted content: the first OCTET STRING inside the [0] that holds it, as OpenSSL parses it
file_put_contents($pki['dir'] . '/enc.der', $der);
$parsed = mailer_smime_openssl(['asn1parse', '-inform', 'DER', '-in', $pki['dir'] . '/enc.der']);
preg_match('/cont \[ 0 \]\s*\n\s*(\d+):d=\d+\s+hl=(\d+) l=\s*(\d+) prim:\s+OCTET STRING/', $parsed, $chunk);
$pos = (int)$chunk[1] + (int)$chunk[2] + intdiv((int)$chunk[3], 2);
$der[$pos] = chr(ord($der[$pos]) ^ 1);
$bad = $head . "\r\n\r\n" . chunk_split(base64_encode($der), 76, "\r\n");
[$ok, $content, $err] = mailer_smime_decrypt($pki, $bad, $pki['recipient']);
// (the openssl command has written the plaintext out before it checks the tag: a failure it reports)
echo 'encrypted, one bit flipped: ', var_export($ok, true), "\n";
?>
--EXPECT--
untouched: CMS Verification successful
entity: CMS Verification failure
signature: CMS Verification failure
encrypted, untouched: true
bool(false)
encrypted, one bit flipped: false
