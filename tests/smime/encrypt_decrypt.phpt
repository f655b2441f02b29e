--TEST--
S/MIME encryption: application/pkcs7-mime, base64; AES-256-GCM (AuthEnvelopedData, smime-type=authEnveloped-data) by default, AES-256-CBC (EnvelopedData) on request; openssl cms -decrypt recovers exactly the entity; every recipient can decrypt, another key cannot; a fresh key per message
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/mime.inc';
$pki = mailer_smime_pki();
$carol = mailer_smime_issue($pki, 'carol', 'carol@example.com', "keyUsage=keyAgreement\n", 2, 'ec');
$stranger = mailer_smime_issue($pki, 'dave', 'dave@example.com');
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'CHUNKING']]);
foreach ([null, 'aes-256-gcm', 'aes-256-cbc'] as $i => $cipher) {
    $encrypt = ['certs' => [$pki['recipient'][0], file_get_contents($carol[0])]];
    if ($cipher) {
        $encrypt['cipher'] = $cipher;
    }
    $m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['smime' => ['encrypt' => $encrypt]]);
    $msg = (new Mailer\Message)->from('alice@example.org')->to('bob@example.net', 'carol@example.com')
        ->subject('Secret')->text("The secret is 42.\n")->attachData(str_repeat("x\x00", 40000), 'x.bin');
    $plain = $msg->toString();
    echo $cipher ?? 'default', ': ', $m->send($msg), "\n";
    $eml = $srv->message($i + 1);
    $p = mailer_test_python_parse($eml);
    $h = mailer_test_headers($p);
    echo $p['structure'], "\n", $h['content-type'][0], "\n", $h['content-transfer-encoding'][0], "\n";
    var_dump(str_contains($eml, 'secret is'), $h['subject'][0]);
    foreach ([$pki['recipient'], $carol] as $who) {
        [$ok, $content, $err] = mailer_smime_decrypt($pki, $eml, $who);
        var_dump($ok && $content === mailer_smime_entity($plain));
    }
    [$ok, , $err] = mailer_smime_decrypt($pki, $eml, $stranger);
    var_dump($ok);
    // the algorithm, as OpenSSL reads the structure
    $der = base64_decode(explode("\r\n\r\n", $eml, 2)[1]);
    file_put_contents($pki['dir'] . '/p7.der', $der);
    $dump = mailer_smime_openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', $pki['dir'] . '/p7.der']);
    preg_match('/contentEncryptionAlgorithm:\s*\n\s*algorithm: (\S+)/', $dump, $alg);
    preg_match('/^\s*contentType: (\S+)/m', $dump, $type);
    echo $type[1], ' ', $alg[1], "\n";
}
// a new content key each time: the same message twice never gives the same bytes
$a = $m->sign($msg);
$b = $m->sign($msg);
var_dump($a !== $b);
?>
--EXPECTF--
default: 250 2.0.0 Ok: queued as TEST%d
application/pkcs7-mime
application/pkcs7-mime; smime-type="authEnveloped-data"; name="smime.p7m"
base64
bool(false)
string(6) "Secret"
bool(true)
bool(true)
bool(false)
id-smime-ct-authEnvelopedData aes-256-gcm
aes-256-gcm: 250 2.0.0 Ok: queued as TEST%d
application/pkcs7-mime
application/pkcs7-mime; smime-type="authEnveloped-data"; name="smime.p7m"
base64
bool(false)
string(6) "Secret"
bool(true)
bool(true)
bool(false)
id-smime-ct-authEnvelopedData aes-256-gcm
aes-256-cbc: 250 2.0.0 Ok: queued as TEST%d
application/pkcs7-mime
application/pkcs7-mime; smime-type="enveloped-data"; name="smime.p7m"
base64
bool(false)
string(6) "Secret"
bool(true)
bool(true)
bool(false)
pkcs7-envelopedData aes-256-cbc
bool(true)
