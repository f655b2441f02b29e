--TEST--
S/MIME through Postfix: signed, and signed then encrypted, messages as delivered to the Maildir (trace fields added, LF line ends) still pass openssl cms -verify with the test CA and decrypt to the entity that was sent
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/postfix.inc';
mailer_smime_skipif();
mailer_postfix_skipif();
?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
require_once __DIR__ . '/../inc/postfix.inc';
$pki = mailer_smime_pki();
$sign = ['cert' => $pki['signer'][0], 'key' => $pki['signer'][1]];
foreach (['signed' => ['sign' => $sign],
          'signed+encrypted' => ['sign' => $sign, 'encrypt' => ['certs' => $pki['recipient'][0]]]] as $what => $smime) {
    $tag = mailer_postfix_tag();
    $m = mailer_postfix_mailer('relay', ['smime' => $smime]);
    $msg = (new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->subject("S/MIME $tag")
        ->header('Message-ID', "<$tag@php-mailer.test>")->text("Grüße, Bob.\n.a dot line\n")
        ->attachData(random_bytes(20000), 'blob.bin');
    $plain = $msg->toString();
    $m->send($msg);
    $m->close();
    $files = mailer_postfix_wait($tag);
    $eml = file_get_contents($files[0]);
    echo "$what: delivered, ", str_contains($eml, "\r\n") ? 'CRLF' : 'LF', ', ',
        preg_match('/^Received: /m', $eml) ? 'with Received' : 'no Received', "\n";
    if (isset($smime['encrypt'])) {
        [$ok, $eml, $err] = mailer_smime_decrypt($pki, $eml, $pki['recipient']);
        echo "decrypted: ", var_export($ok, true), "\n";
    }
    [$ok, $content, $err] = mailer_smime_verify($pki, $eml);
    echo $err, "\n";
    var_dump($content === mailer_smime_entity($plain));
    mailer_postfix_cleanup($tag);
}
?>
--EXPECT--
signed: delivered, LF, with Received
CMS Verification successful
bool(true)
signed+encrypted: delivered, LF, with Received
decrypted: true
CMS Verification successful
bool(true)
