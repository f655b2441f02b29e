--TEST--
S/MIME then DKIM: the DKIM signature covers the S/MIME message as sent (dkimpy verifies it, by DATA and by BDAT), and openssl cms verifies or decrypts the same bytes; sign() gives the same layers
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/dkim.inc';
mailer_smime_skipif();
mailer_dkim_skipif();
?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/dkim.inc';
$pki = mailer_smime_pki();
$key = mailer_dkim_key('rsa');
$records = ['s1._domainkey.example.org' => $key['record']];
$dkim = ['domain' => 'example.org', 'selector' => 's1', 'key' => $key['pem']];
$sign = ['cert' => $pki['signer'][0], 'key' => $pki['signer'][1]];
$encrypt = ['certs' => $pki['recipient'][0]];

foreach ([['PIPELINING', 'SIZE 1000000'], ['PIPELINING', 'CHUNKING']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo]);
    $n = 0;
    foreach (['sign' => ['sign' => $sign], 'sign+encrypt' => ['sign' => $sign, 'encrypt' => $encrypt]] as $what => $smime) {
        $m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['smime' => $smime, 'dkim' => $dkim]);
        $msg = (new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->subject("DKIM over S/MIME")
            ->text("Hello\n")->attachData(str_repeat("\x01\x02", 5000), 'a.bin');
        $plain = $msg->toString();
        $m->send($msg);
        $eml = $srv->message(++$n);
        $bdat = $srv->envelope($n)['bdat'] ? 'BDAT' : 'DATA';
        echo "$bdat $what: ", mailer_dkim_verify($eml, $records), "\n";
        var_dump(str_starts_with($eml, 'DKIM-Signature: '));
        if (isset($smime['encrypt'])) {
            [$ok, $eml] = mailer_smime_decrypt($pki, $eml, $pki['recipient']);
            var_dump($ok);
        }
        [$ok, $content, $err] = mailer_smime_verify($pki, $eml);
        var_dump($ok, $content === mailer_smime_entity($plain));
        $m->close();
    }
}
// sign(): DKIM outside, S/MIME inside
$m = new Mailer('127.0.0.1', 9, '', '', false, ['smime' => ['sign' => $sign], 'dkim' => $dkim]);
$signed = $m->sign((new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->text('x'));
echo 'sign(): ', mailer_dkim_verify($signed, $records), ', ', mailer_smime_verify($pki, $signed)[2], "\n";
?>
--EXPECT--
DATA sign: 1 rsa-sha256 example.org s1: pass
bool(true)
bool(true)
bool(true)
DATA sign+encrypt: 1 rsa-sha256 example.org s1: pass
bool(true)
bool(true)
bool(true)
bool(true)
BDAT sign: 1 rsa-sha256 example.org s1: pass
bool(true)
bool(true)
bool(true)
BDAT sign+encrypt: 1 rsa-sha256 example.org s1: pass
bool(true)
bool(true)
bool(true)
bool(true)
sign(): 1 rsa-sha256 example.org s1: pass, CMS Verification successful
