--TEST--
S/MIME option: bad PEM, a missing or wrong passphrase, a key that does not match the certificate, an expired certificate (not yet valid: tests/unit/test_smime.c), a certificate that may not sign, a recipient certificate that cannot encrypt, unknown keys, bad types and ciphers: each a ValueError or TypeError at construction, with OpenSSL's reason
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
$pki = mailer_smime_pki();
$d = $pki['dir'];
[$cert, $key] = $pki['signer'];
mailer_smime_openssl(['pkey', '-in', $key, '-aes256', '-passout', 'pass:s3cret', '-out', "$d/enc.key"]);
$expired = mailer_smime_issue($pki, 'old', 'alice@example.org', MAILER_SMIME_EXT_SIGN, -1);
$noSign = mailer_smime_issue($pki, 'nosign', 'alice@example.org', "keyUsage=critical,keyEncipherment\n");
$tlsOnly = mailer_smime_issue($pki, 'tls', 'bob@example.net', "keyUsage=keyEncipherment\nextendedKeyUsage=serverAuth\n");
$signOnly = mailer_smime_issue($pki, 'signonly', 'bob@example.net', "keyUsage=critical,digitalSignature\n");
$ed = mailer_smime_issue($pki, 'ed', 'bob@example.net', "", 2, 'ed25519');
file_put_contents("$d/two.pem", file_get_contents($pki['recipient'][0]) . file_get_contents($pki['ca']));

$cases = [
    'not PEM' => ['sign' => ['cert' => "-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n", 'key' => $key]],
    'missing file' => ['sign' => ['cert' => "$d/nope.pem", 'key' => $key]],
    'key for cert' => ['sign' => ['cert' => $key, 'key' => $key]],
    'no passphrase' => ['sign' => ['cert' => $cert, 'key' => "$d/enc.key"]],
    'wrong passphrase' => ['sign' => ['cert' => $cert, 'key' => "$d/enc.key", 'passphrase' => 'wrong']],
    'right passphrase' => ['sign' => ['cert' => $cert, 'key' => "$d/enc.key", 'passphrase' => 's3cret']],
    'other key' => ['sign' => ['cert' => $cert, 'key' => $pki['recipient'][1]]],
    'expired' => ['sign' => ['cert' => $expired[0], 'key' => $expired[1]]],
    'may not sign' => ['sign' => ['cert' => $noSign[0], 'key' => $noSign[1]]],
    'no cert' => ['sign' => ['key' => $key]],
    'unknown sign key' => ['sign' => ['cert' => $cert, 'key' => $key, 'pass' => 'x']],
    'bad extracerts' => ['sign' => ['cert' => $cert, 'key' => $key, 'extracerts' => [42]]],
    'recipient expired' => ['encrypt' => ['certs' => $expired[0]]],
    'recipient TLS only' => ['encrypt' => ['certs' => [$tlsOnly[0]]]],
    'recipient sign only' => ['encrypt' => ['certs' => [$signOnly[0]]]],
    'recipient Ed25519' => ['encrypt' => ['certs' => [$ed[0]]]],
    'recipient chain' => ['encrypt' => ['certs' => "$d/two.pem"]],
    'no recipients' => ['encrypt' => ['certs' => []]],
    'cipher' => ['encrypt' => ['certs' => $pki['recipient'][0], 'cipher' => 'des-ede3-cbc']],
    'cipher type' => ['encrypt' => ['certs' => $pki['recipient'][0], 'cipher' => 256]],
    'unknown part' => ['sign' => ['cert' => $cert, 'key' => $key], 'compress' => true],
    'empty' => [],
    'not array' => 'yes',
    'sign not array' => ['sign' => $cert],
];
foreach ($cases as $name => $smime) {
    try {
        new Mailer('127.0.0.1', 25, '', '', false, ['smime' => $smime]);
        echo "$name: accepted\n";
    } catch (ValueError | TypeError $e) {
        // paths vary; OpenSSL's error codes are kept, its file:line is not there
        echo "$name: ", get_class($e), ': ', str_replace($d, 'DIR', $e->getMessage()), "\n";
    }
}
?>
--EXPECTF--
not PEM: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign": cannot load the signing certificate as a PEM certificate: error:%s
missing file: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign" "cert": cannot open the file "DIR/nope.pem" (missing or unreadable)
key for cert: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign": cannot load the signing certificate as a PEM certificate: error:%s:no start line
no passphrase: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign": the signing key is encrypted and no "passphrase" was given (error:%s)
wrong passphrase: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign": cannot decrypt the signing key (wrong passphrase?): error:%s
right passphrase: accepted
other key: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign": the signing key does not match the signing certificate (/CN=alice/emailAddress=alice@example.org): error:%s:key values mismatch
expired: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign": the signing certificate (/CN=old/emailAddress=alice@example.org) has expired (certificate has expired)
may not sign: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign": the signing certificate (/CN=nosign/emailAddress=alice@example.org) may not sign e-mail (its key usage lacks digitalSignature, or its extended key usage emailProtection)
no cert: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign" needs "cert"
unknown sign key: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": unknown key "pass" in "sign" (known: cert, key, passphrase, extracerts)
bad extracerts: TypeError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign" "extracerts" must be a list of strings, int found
recipient expired: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "encrypt" "certs": the recipient certificate (/CN=old/emailAddress=alice@example.org) has expired (certificate has expired)
recipient TLS only: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "encrypt" "certs": the recipient certificate (/CN=tls/emailAddress=bob@example.net) cannot encrypt: its key usage lacks keyEncipherment, or its extended key usage emailProtection
recipient sign only: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "encrypt" "certs": the recipient certificate (/CN=signonly/emailAddress=bob@example.net) cannot encrypt: its key usage lacks keyEncipherment, or its extended key usage emailProtection
recipient Ed25519: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "encrypt" "certs": the recipient certificate (/CN=ed/emailAddress=bob@example.net) cannot encrypt: its key is ED25519, S/MIME encrypts to RSA or EC keys
recipient chain: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "encrypt" "certs": a recipient certificate must be one certificate, 2 found
no recipients: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "encrypt" needs "certs" (one recipient certificate or a list of them)
cipher: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": "encrypt" "cipher" must be "aes-256-gcm" or "aes-256-cbc"
cipher type: TypeError: Mailer::__construct(): Argument #6 ($options) option "smime": "encrypt" "cipher" must be of type string, int given
unknown part: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime": unknown key "compress" (known: sign, encrypt)
empty: ValueError: Mailer::__construct(): Argument #6 ($options) option "smime" needs "sign" or "encrypt"
not array: TypeError: Mailer::__construct(): Argument #6 ($options) option "smime" must be of type array, string given
sign not array: TypeError: Mailer::__construct(): Argument #6 ($options) option "smime": "sign" must be of type array, string given
