--TEST--
PEM values (the "dkim" key; the "smime" sign cert, key and extracerts, and encrypt certs): each way the text cannot be had (empty, a NUL, a URL, a directory, a missing, empty or too large file, outside open_basedir) is a ValueError naming the value, before OpenSSL sees anything
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../smime/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../smime/smime.inc';
$pki = mailer_smime_pki();
$d = $pki['dir'];
[$cert, $key] = $pki['signer'];
mkdir("$d/dir");
touch("$d/empty.pem");
// one byte past each limit: 64 KB for a DKIM key, 256 KB for S/MIME
file_put_contents("$d/64k.pem", str_repeat('x', 64 * 1024 + 1));
file_put_contents("$d/256k.pem", str_repeat('x', 256 * 1024 + 1));

$placements = [
    'dkim key' => fn($v, $big) => ['dkim' => ['domain' => 'example.org', 'selector' => 's', 'key' => $v]],
    'dkim key, signer #2' => fn($v, $big) => ['dkim' => [
        ['domain' => 'example.org', 'selector' => 's', 'key' => $key],
        ['domain' => 'example.org', 'selector' => 's', 'key' => $v],
    ]],
    'smime sign cert' => fn($v, $big) => ['smime' => ['sign' => ['cert' => $v, 'key' => $key]]],
    'smime sign key' => fn($v, $big) => ['smime' => ['sign' => ['cert' => $cert, 'key' => $v]]],
    'smime sign extracerts' => fn($v, $big) => ['smime' => ['sign' => ['cert' => $cert, 'key' => $key,
        'extracerts' => [$pki['ca'], $v]]]],
    'smime encrypt certs' => fn($v, $big) => ['smime' => ['encrypt' => ['certs' => [$pki['recipient'][0], $v]]]],
];
$values = [
    'empty' => fn($big) => '',
    'NUL' => fn($big) => "$d/key\0.pem",
    'URL' => fn($big) => 'http://example.org/key.pem',
    'directory' => fn($big) => "$d/dir",
    'missing' => fn($big) => "$d/missing.pem",
    'empty file' => fn($big) => "$d/empty.pem",
    'too large' => fn($big) => $big,
];
function attempt(string $what, array $options): void
{
    try {
        new Mailer('mail.invalid', 25, '', '', false, $options);
        echo "$what: accepted\n";
    } catch (ValueError | TypeError $e) {
        echo "$what: ", get_class($e), ': ',
            substr($e->getMessage(), strlen('Mailer::__construct(): Argument #6 ($options) ')), "\n";
    }
}
foreach ($placements as $where => $options) {
    $big = str_starts_with($where, 'dkim') ? "$d/64k.pem" : "$d/256k.pem";
    echo "-- $where\n";
    foreach ($values as $name => $value) {
        attempt($name, $options($value($big), $big));
    }
}
echo "-- open_basedir\n";
$outside = dirname($d) . '/outside-' . getmypid() . '.pem';
copy($key, $outside);
ini_set('open_basedir', $d);
foreach ($placements as $where => $options) {
    attempt($where, $options($outside, ''));
}
ini_restore('open_basedir');
@unlink($outside);
?>
--EXPECTF--
-- dkim key
empty: ValueError: option "dkim": "key" must be a PEM private key or the path of one
NUL: ValueError: option "dkim": "key" must be a PEM private key or the path of one
URL: ValueError: option "dkim": "key" must be a local file, not a URL
directory: ValueError: option "dkim": the key file "%s/dir" is a directory
missing: ValueError: option "dkim": cannot open the key file "%s/missing.pem" (missing or unreadable)
empty file: ValueError: option "dkim": the key file "%s/empty.pem" is empty, unreadable or larger than 64 KB
too large: ValueError: option "dkim": the key file "%s/64k.pem" is empty, unreadable or larger than 64 KB
-- dkim key, signer #2
empty: ValueError: option "dkim" (signer #2): "key" must be a PEM private key or the path of one
NUL: ValueError: option "dkim" (signer #2): "key" must be a PEM private key or the path of one
URL: ValueError: option "dkim" (signer #2): "key" must be a local file, not a URL
directory: ValueError: option "dkim" (signer #2): the key file "%s/dir" is a directory
missing: ValueError: option "dkim" (signer #2): cannot open the key file "%s/missing.pem" (missing or unreadable)
empty file: ValueError: option "dkim" (signer #2): the key file "%s/empty.pem" is empty, unreadable or larger than 64 KB
too large: ValueError: option "dkim" (signer #2): the key file "%s/64k.pem" is empty, unreadable or larger than 64 KB
-- smime sign cert
empty: ValueError: option "smime": "sign" "cert" must be PEM text or the path of a PEM file
NUL: ValueError: option "smime": "sign" "cert" must be PEM text or the path of a PEM file
URL: ValueError: option "smime": "sign" "cert" must be a local file, not a URL
directory: ValueError: option "smime": "sign" "cert": the file "%s/dir" is a directory
missing: ValueError: option "smime": "sign" "cert": cannot open the file "%s/missing.pem" (missing or unreadable)
empty file: ValueError: option "smime": "sign" "cert": the file "%s/empty.pem" is empty, unreadable or larger than 256 KB
too large: ValueError: option "smime": "sign" "cert": the file "%s/256k.pem" is empty, unreadable or larger than 256 KB
-- smime sign key
empty: ValueError: option "smime": "sign" "key" must be PEM text or the path of a PEM file
NUL: ValueError: option "smime": "sign" "key" must be PEM text or the path of a PEM file
URL: ValueError: option "smime": "sign" "key" must be a local file, not a URL
directory: ValueError: option "smime": "sign" "key": the file "%s/dir" is a directory
missing: ValueError: option "smime": "sign" "key": cannot open the file "%s/missing.pem" (missing or unreadable)
empty file: ValueError: option "smime": "sign" "key": the file "%s/empty.pem" is empty, unreadable or larger than 256 KB
too large: ValueError: option "smime": "sign" "key": the file "%s/256k.pem" is empty, unreadable or larger than 256 KB
-- smime sign extracerts
empty: ValueError: option "smime": "sign" "extracerts" must be PEM text or the path of a PEM file
NUL: ValueError: option "smime": "sign" "extracerts" must be PEM text or the path of a PEM file
URL: ValueError: option "smime": "sign" "extracerts" must be a local file, not a URL
directory: ValueError: option "smime": "sign" "extracerts": the file "%s/dir" is a directory
missing: ValueError: option "smime": "sign" "extracerts": cannot open the file "%s/missing.pem" (missing or unreadable)
empty file: ValueError: option "smime": "sign" "extracerts": the file "%s/empty.pem" is empty, unreadable or larger than 256 KB
too large: ValueError: option "smime": "sign" "extracerts": the file "%s/256k.pem" is empty, unreadable or larger than 256 KB
-- smime encrypt certs
empty: ValueError: option "smime": "encrypt" "certs" must be PEM text or the path of a PEM file
NUL: ValueError: option "smime": "encrypt" "certs" must be PEM text or the path of a PEM file
URL: ValueError: option "smime": "encrypt" "certs" must be a local file, not a URL
directory: ValueError: option "smime": "encrypt" "certs": the file "%s/dir" is a directory
missing: ValueError: option "smime": "encrypt" "certs": cannot open the file "%s/missing.pem" (missing or unreadable)
empty file: ValueError: option "smime": "encrypt" "certs": the file "%s/empty.pem" is empty, unreadable or larger than 256 KB
too large: ValueError: option "smime": "encrypt" "certs": the file "%s/256k.pem" is empty, unreadable or larger than 256 KB
-- open_basedir
dkim key: ValueError: option "dkim": the key file "%s/outside-%d.pem" is outside open_basedir
dkim key, signer #2: ValueError: option "dkim" (signer #2): the key file "%s/outside-%d.pem" is outside open_basedir
smime sign cert: ValueError: option "smime": "sign" "cert": the file "%s/outside-%d.pem" is outside open_basedir
smime sign key: ValueError: option "smime": "sign" "key": the file "%s/outside-%d.pem" is outside open_basedir
smime sign extracerts: ValueError: option "smime": "sign" "extracerts": the file "%s/outside-%d.pem" is outside open_basedir
smime encrypt certs: ValueError: option "smime": "encrypt" "certs": the file "%s/outside-%d.pem" is outside open_basedir
