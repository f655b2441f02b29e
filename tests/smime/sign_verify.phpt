--TEST--
S/MIME signing: send() transmits multipart/signed (protocol, micalg=sha-256) over exactly the message's entity; openssl cms -verify with the test CA accepts it, Python's parser sees the structure, sign() gives a message that verifies too
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/mime.inc';
$pki = mailer_smime_pki();
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'SIZE 10000000']]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false,
    ['smime' => ['sign' => ['cert' => $pki['signer'][0], 'key' => $pki['signer'][1]]]]);
$msg = (new Mailer\Message)->from('alice@example.org', 'Alice')->to('bob@example.net')
    ->subject('Signed, with an attachment')->text("Hello Bob,\n.a leading dot\nBye")
    ->html('<p>Hello <b>Bob</b></p>')->attachData(random_bytes(3000) . "\x00\xff", 'data.bin');
$plain = $msg->toString();  // fixes Date and Message-ID: the send uses the same
echo $m->send($msg), "\n";
$eml = $srv->message(1);

[$ok, $content, $err] = mailer_smime_verify($pki, $eml);
echo 'openssl: ', $err, "\n";
var_dump($ok, $content === mailer_smime_entity($plain));

$p = mailer_test_python_parse($eml);
$h = mailer_test_headers($p);
echo $p['structure'], "\n", $h['content-type'][0], "\n";
var_dump($p['defects'], $h['mime-version'], $h['subject'], $h['from'], $p['bare_lf'], $p['max_line'] <= 78);
echo 'signature part: ', $p['parts'][count($p['parts']) - 1]['content_type'], ' ',
    $p['parts'][count($p['parts']) - 1]['filename'], "\n";
// nothing 8-bit inside the signed part
var_dump(preg_match('/[\x80-\xff\x00]/', $eml));

// sign(): the same shape, verified likewise, nothing connected
$s = $m->sign($msg);
[$ok, $content] = mailer_smime_verify($pki, $s);
var_dump($ok, $content === mailer_smime_entity($plain));
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
openssl: CMS Verification successful
bool(true)
bool(true)
multipart/signed(multipart/mixed(multipart/alternative(text/plain,text/html),application/octet-stream),application/pkcs7-signature)
multipart/signed; protocol="application/pkcs7-signature"; micalg="sha-256"; boundary="=_smime%x"
array(0) {
}
array(1) {
  [0]=>
  string(3) "1.0"
}
array(1) {
  [0]=>
  string(26) "Signed, with an attachment"
}
array(1) {
  [0]=>
  string(25) "Alice <alice@example.org>"
}
bool(false)
bool(true)
signature part: application/pkcs7-signature smime.p7s
int(0)
bool(true)
bool(true)
