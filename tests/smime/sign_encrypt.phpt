--TEST--
S/MIME sign then encrypt: the recipient decrypts a multipart/signed entity that openssl cms -verify accepts and whose signed content is exactly the message's entity; the chain (extracerts) travels with the signature; an EC signer works too
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/mime.inc';
$pki = mailer_smime_pki();
// a signer issued by an intermediate CA: verifying needs the intermediate, which extracerts sends
$inter = mailer_smime_issue($pki, 'intermediate', null,
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n");
$sub = $pki;
$sub['ca'] = $inter[0];
rename($inter[1], $pki['dir'] . '/ca-inter.key');
$sub['dir'] = $pki['dir'];
$d = $pki['dir'];
// issue from the intermediate (mailer_smime_issue signs with "$dir/ca.key": swap keys for the call)
rename("$d/ca.key", "$d/ca-root.key");
rename("$d/ca-inter.key", "$d/ca.key");
$ecSigner = mailer_smime_issue($sub, 'erin', 'erin@example.org', MAILER_SMIME_EXT_SIGN, 2, 'ec');
rename("$d/ca.key", "$d/ca-inter.key");
rename("$d/ca-root.key", "$d/ca.key");

$srv = mailer_test_server();
foreach ([['alice@example.org', $pki['signer'], null], ['erin@example.org', $ecSigner, $inter[0]]] as $i => [$from, $signer, $extra]) {
    $sign = ['cert' => $signer[0], 'key' => file_get_contents($signer[1])];
    if ($extra) {
        $sign['extracerts'] = [$extra];
    }
    $m = new Mailer('127.0.0.1', $srv->port, '', '', false,
        ['smime' => ['sign' => $sign, 'encrypt' => ['certs' => $pki['recipient'][0]]]]);
    $msg = (new Mailer\Message)->from($from)->to('bob@example.net')->subject('Signed and sealed')
        ->text("Für Bob: ünïcödé text\n");
    $plain = $msg->toString();
    echo $m->send($msg), "\n";
    $eml = $srv->message($i + 1);
    [$ok, $signed, $err] = mailer_smime_decrypt($pki, $eml, $pki['recipient']);
    var_dump($ok);
    $p = mailer_test_python_parse($signed);
    echo $p['structure'], "\n";
    [$ok, $content, $err] = mailer_smime_verify($pki, $signed);
    echo $err, "\n";
    var_dump($content === mailer_smime_entity($plain));
    // the decrypted entity is the signed one, with nothing 8-bit in it
    var_dump(preg_match('/[\x80-\xff]/', $signed));
}
// without extracerts the intermediate is missing: the chain cannot be built
$m = new Mailer('127.0.0.1', 9, '', '', false, ['smime' => ['sign' => ['cert' => $ecSigner[0], 'key' => $ecSigner[1]]]]);
[$ok, , $err] = mailer_smime_verify($pki, $m->sign((new Mailer\Message)->from('erin@example.org')->to('b@example.net')->text('x')));
var_dump($ok, str_contains($err, 'unable to get local issuer certificate'));
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
bool(true)
multipart/signed(text/plain,application/pkcs7-signature)
CMS Verification successful
bool(true)
int(0)
250 2.0.0 Ok: queued as TEST%d
bool(true)
multipart/signed(text/plain,application/pkcs7-signature)
CMS Verification successful
bool(true)
int(0)
bool(false)
bool(true)
