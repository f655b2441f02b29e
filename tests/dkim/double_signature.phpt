--TEST--
DKIM: a list of signers (RSA and Ed25519, as RFC 8463 recommends) puts two signatures on one message, in the list's order; each covers the message without the other, and both verify
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/dkim.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'CHUNKING', 'SIZE 10000000']]);
$rsa = mailer_dkim_key('rsa', 2048);
$ed = mailer_dkim_key('ed25519');
$records = ['rsa._domainkey.example.org' => $rsa['record'], 'ed._domainkey.mail.example.org' => $ed['record']];
$mailer = new Mailer('127.0.0.1', $srv->port, '', '', false, ['dkim' => [
    ['domain' => 'example.org', 'selector' => 'rsa', 'key' => $rsa['pem'], 'algorithm' => 'rsa-sha256'],
    ['domain' => 'mail.example.org', 'selector' => 'ed', 'key' => $ed['pem'], 'algorithm' => 'ed25519-sha256',
     'canonicalization' => 'simple/simple'],
]]);
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('Two signatures')
    ->text("Body\n")->attachData(random_bytes(50000), 'data.bin');
echo $mailer->send($m), "\n";
$msg = $srv->message(1);
echo mailer_dkim_verify($msg, $records), "\n";
var_dump(substr_count($msg, "DKIM-Signature:"), str_starts_with($msg, 'DKIM-Signature: v=1; a=rsa-sha256;'));
// sent by BDAT: the measured size included both fields
var_dump($srv->envelope(1)['bdat']);
// the same signers through sign(): the same fields before toString()
$signed = $mailer->sign($m);
echo mailer_dkim_verify($signed, $records), "\n";
var_dump(mailer_dkim_strip($signed) === $m->toString());
// one signature removed: the other still verifies on its own
$only_ed = preg_replace('/^DKIM-Signature: v=1; a=rsa-sha256;.*\r\n(?:\t.*\r\n)*/m', '', $msg);
echo mailer_dkim_verify($only_ed, $records), "\n";
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
1 rsa-sha256 example.org rsa: pass
2 ed25519-sha256 mail.example.org ed: pass
int(2)
bool(true)
bool(true)
1 rsa-sha256 example.org rsa: pass
2 ed25519-sha256 mail.example.org ed: pass
bool(true)
1 ed25519-sha256 mail.example.org ed: pass
