--TEST--
DKIM: the option's shape is checked at construction: required keys, names, algorithm, canonicalization, headers, lists, types; errors name the signer
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require_once __DIR__ . '/../inc/dkim.inc';
$pem = mailer_dkim_key('rsa', 1024)['pem']; // the CLI: fast under valgrind too
$ok = ['domain' => 'example.org', 'selector' => 's1', 'key' => $pem];
$cases = [
    'not an array' => 'example.org',
    'empty' => [],
    'no domain' => ['selector' => 's1', 'key' => $pem],
    'no selector' => ['domain' => 'example.org', 'key' => $pem],
    'no key' => ['domain' => 'example.org', 'selector' => 's1'],
    'bad domain' => ['domain' => 'example..org'] + $ok,
    'domain with a space' => ['domain' => 'example org'] + $ok,
    'bad selector' => ['selector' => 's1;x=y'] + $ok,
    'int domain' => ['domain' => 42] + $ok,
    'unknown key' => $ok + ['identity' => '@example.org'],
    'bad algorithm' => ['algorithm' => 'rsa-sha1'] + $ok,
    'bad canonicalization' => ['canonicalization' => 'relaxed'] + $ok,
    'headers without From' => ['headers' => ['To', 'Subject']] + $ok,
    'headers not names' => ['headers' => ['From', 'Bad Name']] + $ok,
    'headers not an array' => ['headers' => 'From'] + $ok,
    'passphrase not a string' => ['passphrase' => 123] + $ok,
    'list with a bad second signer' => [$ok, ['selector' => 's2'] + $ok, ['domain' => '']  + $ok],
    'list with a string' => [$ok, 'x'],
];
foreach ($cases as $name => $dkim) {
    try {
        new Mailer('mail.invalid', 25, '', '', false, ['dkim' => $dkim]);
        echo "$name: accepted\n";
    } catch (ValueError | TypeError $e) {
        echo "$name: ", get_class($e), ': ', substr($e->getMessage(), strlen('Mailer::__construct(): Argument #6 ($options) ')), "\n";
    }
}
// accepted: an IDN domain (as A-labels), oversigning From, every canonicalisation, a list, passphrase null
foreach ([
    ['domain' => 'bücher.example', 'headers' => ['From', 'From', 'Subject', 'List-Id']] + $ok,
    ['canonicalization' => 'simple/relaxed', 'passphrase' => null] + $ok,
    [$ok, ['selector' => 's2'] + $ok],
] as $dkim) {
    $m = new Mailer('mail.invalid', 25, '', '', false, ['dkim' => $dkim]);
    $signed = $m->sign("From: a@example.org\r\n\r\nbody\r\n");
    preg_match_all('/ d=([^;]+);.*? h=([^;]+);/s', $signed, $mm);
    echo implode(' | ', array_map(fn($d, $h) => "d=$d h=$h", $mm[1], $mm[2])), "\n";
}
?>
--EXPECT--
not an array: TypeError: option "dkim" must be of type array, string given
empty: ValueError: option "dkim" must be a signer (domain, selector, key, ...) or a list of at most 8 of them
no domain: ValueError: option "dkim": "domain" is required
no selector: ValueError: option "dkim": "selector" is required
no key: ValueError: option "dkim": "key" is required
bad domain: ValueError: option "dkim": "domain" must be a domain name (labels of letters, digits, "-" and "_" separated by dots)
domain with a space: ValueError: option "dkim": "domain" must be a domain name (labels of letters, digits, "-" and "_" separated by dots)
bad selector: ValueError: option "dkim": "selector" must be a domain name (labels of letters, digits, "-" and "_" separated by dots)
int domain: TypeError: option "dkim": "domain" must be of type string, int given
unknown key: ValueError: option "dkim": unknown key "identity" (known: domain, selector, key, passphrase, algorithm, canonicalization, headers)
bad algorithm: ValueError: option "dkim": "algorithm" must be "rsa-sha256" or "ed25519-sha256"
bad canonicalization: ValueError: option "dkim": "canonicalization" must be "relaxed/relaxed", "relaxed/simple", "simple/relaxed" or "simple/simple"
headers without From: ValueError: option "dkim": "headers" must include "From" (RFC 6376 section 5.4)
headers not names: ValueError: option "dkim": "headers" must be a list of header field names
headers not an array: TypeError: option "dkim": "headers" must be of type array, string given
passphrase not a string: TypeError: option "dkim": "passphrase" must be of type string, int given
list with a bad second signer: ValueError: option "dkim" (signer #3): "domain" must be a domain name (labels of letters, digits, "-" and "_" separated by dots)
list with a string: TypeError: option "dkim" (signer #2) must be of type array, string given
d=xn--bcher-kva.example h=From:From:Subject:List-Id
d=example.org h=From
d=example.org h=From | d=example.org h=From
