--TEST--
DKIM: the verifier really checks: a changed body, a changed signed header, an added signed header or the wrong key fail; changes that relaxed canonicalisation ignores pass
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/dkim.inc';
$rsa = mailer_dkim_key('rsa', 1024);
$ed = mailer_dkim_key('ed25519');
$other = mailer_dkim_key('rsa', 1024);
$mailer = new Mailer('mail.invalid', 25, '', '', false, ['dkim' => [
    ['domain' => 'example.org', 'selector' => 'rsa', 'key' => $rsa['pem']],
    ['domain' => 'example.org', 'selector' => 'ed', 'key' => $ed['pem']],
]]);
$records = ['rsa._domainkey.example.org' => $rsa['record'], 'ed._domainkey.example.org' => $ed['record']];
$signed = $mailer->sign((new Mailer\Message)->from('a@example.org')->to('b@example.net')
    ->subject('Original subject')->text("Pay 100 EUR to account 1234.\n"));
$cases = [
    'as signed' => $signed,
    'body changed' => str_replace('100 EUR', '900 EUR', $signed),
    'subject changed' => str_replace('Subject: Original', 'Subject: Changed', $signed),
    'second From added' => preg_replace('/^From: /m', "From: evil@example.com\r\nFrom: ", $signed, 1),
    'unsigned header added' => str_replace("\r\n\r\n", "\r\nX-Added: yes\r\n\r\n", $signed),
    'whitespace in body (relaxed)' => str_replace('Pay 100', "Pay   100", $signed),
    'trailing blank lines added' => $signed . "\r\n\r\n",
];
foreach ($cases as $name => $msg) {
    echo "$name:\n", mailer_dkim_verify($msg, $records), "\n";
}
echo "wrong key in DNS:\n", mailer_dkim_verify($signed, ['rsa._domainkey.example.org' => $other['record'],
    'ed._domainkey.example.org' => $ed['record']]), "\n";
?>
--EXPECTF--
as signed:
1 rsa-sha256 example.org rsa: pass
2 ed25519-sha256 example.org ed: pass
body changed:
1 rsa-sha256 example.org rsa: fail (body hash mismatch%s)
2 ed25519-sha256 example.org ed: fail (body hash mismatch%s)
subject changed:
1 rsa-sha256 example.org rsa: fail (signature mismatch)
2 ed25519-sha256 example.org ed: fail (signature mismatch)
second From added:
1 rsa-sha256 example.org rsa: fail (signature mismatch)
2 ed25519-sha256 example.org ed: fail (signature mismatch)
unsigned header added:
1 rsa-sha256 example.org rsa: pass
2 ed25519-sha256 example.org ed: pass
whitespace in body (relaxed):
1 rsa-sha256 example.org rsa: pass
2 ed25519-sha256 example.org ed: pass
trailing blank lines added:
1 rsa-sha256 example.org rsa: pass
2 ed25519-sha256 example.org ed: pass
wrong key in DNS:
1 rsa-sha256 example.org rsa: fail (signature mismatch)
2 ed25519-sha256 example.org ed: pass
