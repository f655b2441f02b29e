--TEST--
DKIM: a missing, unreadable, malformed, wrong-type, too small, public or wrongly encrypted key is a ValueError at construction, with OpenSSL's reason
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
function attempt(array $signer): void
{
    try {
        new Mailer('mail.invalid', 25, '', '', false, ['dkim' => $signer + ['domain' => 'example.org', 'selector' => 's1']]);
        echo "accepted\n";
    } catch (ValueError | TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
$dir = mailer_test_tmpdir();
$rsa = openssl_pkey_new(['private_key_type' => OPENSSL_KEYTYPE_RSA, 'private_key_bits' => 1024]);
openssl_pkey_export($rsa, $plain);
openssl_pkey_export($rsa, $encrypted, 'correct horse');
$small = openssl_pkey_new(['private_key_type' => OPENSSL_KEYTYPE_RSA, 'private_key_bits' => 512]);
openssl_pkey_export($small, $small_pem);
$ec = openssl_pkey_new(['private_key_type' => OPENSSL_KEYTYPE_EC, 'curve_name' => 'prime256v1']);
openssl_pkey_export($ec, $ec_pem);
file_put_contents("$dir/key.pem", $encrypted);
file_put_contents("$dir/not-a-key.txt", "hello\n");

echo "-- files\n";
attempt(['key' => "$dir/missing.pem"]);
attempt(['key' => $dir]);
attempt(['key' => "$dir/not-a-key.txt"]);
attempt(['key' => "$dir/key.pem"]);
attempt(['key' => "$dir/key.pem", 'passphrase' => 'correct horse']);
attempt(['key' => 'https://example.org/key.pem']);
echo "-- PEM text\n";
attempt(['key' => "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"]);
attempt(['key' => openssl_pkey_get_details($rsa)['key']]);
attempt(['key' => $encrypted]);
attempt(['key' => $encrypted, 'passphrase' => 'wrong']);
attempt(['key' => $encrypted, 'passphrase' => 'correct horse']);
attempt(['key' => $plain, 'passphrase' => 'ignored: the key is not encrypted']);
echo "-- types and sizes\n";
attempt(['key' => $ec_pem]);
attempt(['key' => $small_pem]);
attempt(['key' => $plain, 'algorithm' => 'ed25519-sha256']);
attempt(['key' => $plain, 'algorithm' => 'rsa-sha256']);
echo "-- open_basedir\n";
copy("$dir/key.pem", "$dir/../outside-" . getmypid() . '.pem');
ini_set('open_basedir', $dir);
attempt(['key' => "$dir/../outside-" . getmypid() . '.pem', 'passphrase' => 'correct horse']);
attempt(['key' => "$dir/key.pem", 'passphrase' => 'correct horse']);
ini_restore('open_basedir');
@unlink("$dir/../outside-" . getmypid() . '.pem');
?>
--EXPECTF--
-- files
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": cannot open the key file "%s/missing.pem" (missing or unreadable)
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": the key file "%s" is a directory
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": cannot load the key as a PEM private key: error:%s
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": the key is encrypted and no "passphrase" was given (error:%s)
accepted
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": "key" must be a local file, not a URL
-- PEM text
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": cannot load the key as a PEM private key: error:%s
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": cannot load the key as a PEM private key: error:%s
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": the key is encrypted and no "passphrase" was given (error:%s)
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": cannot decrypt the key (wrong passphrase?): error:%s
accepted
accepted
-- types and sizes
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": the key is an EC key; DKIM signs with an RSA key (rsa-sha256) or an Ed25519 key (ed25519-sha256)
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": the RSA key has 512 bits; DKIM needs 1024 to 4096 (2048 recommended)
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": algorithm "ed25519-sha256" needs an Ed25519 key, the key is RSA (1024 bits)
accepted
-- open_basedir
ValueError: Mailer::__construct(): Argument #6 ($options) option "dkim": the key file "%s/../outside-%d.pem" is outside open_basedir
accepted
