--TEST--
sendMany(): every Mailer option applies per item: S/MIME then DKIM on each (openssl cms and dkimpy verify every message as delivered), DSN parameters on each envelope; an item whose attachment can no longer be read is a "failed" Result at stage data and the batch goes on
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/../smime/smime.inc';
require_once __DIR__ . '/../inc/dkim.inc';
mailer_smime_skipif();
mailer_dkim_skipif();
?>
--FILE--
<?php
require __DIR__ . '/../smime/smime.inc';
require_once __DIR__ . '/../inc/dkim.inc';
require_once __DIR__ . '/many.inc';
$pki = mailer_smime_pki();
$key = mailer_dkim_key('rsa');
$records = ['s1._domainkey.example.org' => $key['record']];
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'SIZE 1000000', 'DSN']]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, [
    'smime' => ['sign' => ['cert' => $pki['signer'][0], 'key' => $pki['signer'][1]]],
    'dkim' => ['domain' => 'example.org', 'selector' => 's1', 'key' => $key['pem']],
    'dsn' => ['notify' => 'FAILURE', 'ret' => 'HDRS'],
]);
$gone = $pki['dir'] . '/gone.bin';
file_put_contents($gone, 'soon gone');
$items = [
    'm1' => (new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->subject('one')->text("first\n")
        ->header('Message-ID', '<m1@many.test>'),
    'gone' => (new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->subject('gone')->text("x\n")
        ->attach($gone),
    'raw' => ['from' => 'alice@example.org', 'to' => 'bob@example.net',
        'data' => "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: raw\r\nMessage-ID: <raw@many.test>\r\n"
            . "Content-Type: text/plain\r\n\r\nraw body\r\n"],
    'm2' => (new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->subject('two')->text("second\n")
        ->attachData(str_repeat("\x01\x02", 3000), 'a.bin')->header('Message-ID', '<m2@many.test>'),
];
unlink($gone);
// fates in completion order (the one whose attachment is gone as soon as it is taken): by key
$fates = [];
$summary = $m->sendMany($items, many_recorder($fates));
echo many_fates($fates);
var_dump($summary, many_delivered($srv));
$seen = [];
for ($i = 1; $i <= $srv->messageCount(); $i++) {
    $eml = $srv->message($i);
    [$ok, , $err] = mailer_smime_verify($pki, $eml);
    preg_match('/^Subject: (.*)$/mi', $eml, $s);
    $env = $srv->envelope($i);
    $seen[trim($s[1])] = trim($s[1]) . ': DKIM ' . mailer_dkim_verify($eml, $records) . ', S/MIME '
        . ($ok ? 'verified' : "failed: $err") . "\n  " . $env['mail_from'] . ' | ' . $env['rcpt'][0] . "\n";
}
ksort($seen);
echo implode('', $seen);
?>
--EXPECTF--
gone: failed Mailer\Exception [data] %s
m1: sent TEST0001
m2: sent TEST0003
raw: sent TEST0002
array(4) {
  ["sent"]=>
  int(3)
  ["rejected"]=>
  int(0)
  ["failed"]=>
  int(1)
  ["uncertain"]=>
  int(0)
}
array(3) {
  ["m1"]=>
  int(1)
  ["m2"]=>
  int(1)
  ["raw"]=>
  int(1)
}
one: DKIM 1 rsa-sha256 example.org s1: pass, S/MIME verified
  MAIL FROM:<alice@example.org> SIZE=%d RET=HDRS | RCPT TO:<bob@example.net> NOTIFY=FAILURE ORCPT=rfc822;bob@example.net
raw: DKIM 1 rsa-sha256 example.org s1: pass, S/MIME verified
  MAIL FROM:<alice@example.org> SIZE=%d RET=HDRS | RCPT TO:<bob@example.net> NOTIFY=FAILURE ORCPT=rfc822;bob@example.net
two: DKIM 1 rsa-sha256 example.org s1: pass, S/MIME verified
  MAIL FROM:<alice@example.org> SIZE=%d RET=HDRS | RCPT TO:<bob@example.net> NOTIFY=FAILURE ORCPT=rfc822;bob@example.net
