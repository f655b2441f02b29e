--TEST--
S/MIME at send time, before anything reaches the wire: a From address the signing certificate does not name, a raw message without From, 8-bit bytes in a raw entity to sign (body or Content-* field) are ValueErrors and no connection is made; a 7-bit raw message (bare LF) is signed, with LF made CRLF, and verifies; encryption alone takes 8-bit
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
$pki = mailer_smime_pki();
$sign = ['cert' => $pki['signer'][0], 'key' => $pki['signer'][1]];
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['smime' => ['sign' => $sign]]);
$tries = [
    'From not in the certificate' => fn() => $m->send((new Mailer\Message)->from('mallory@example.org')->to('bob@example.net')->text('hi')),
    'sendmail(), From not in the certificate' => fn() => $m->sendmail('Alice <alice@example.com>', 'bob@example.net', 'hi', '<p>hi</p>'),
    'sendRaw() without From' => fn() => $m->sendRaw('alice@example.org', 'bob@example.net', "Subject: x\r\n\r\nbody\r\n"),
    'sendRaw() 8-bit body' => fn() => $m->sendRaw('alice@example.org', 'bob@example.net', "From: alice@example.org\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGrüße\r\n"),
    'sign() 8-bit entity header' => fn() => $m->sign("From: alice@example.org\r\nContent-Disposition: attachment; filename=\"ü.txt\"\r\n\r\nab\r\n"),
];
foreach ($tries as $name => $try) {
    try {
        $try();
        echo "$name: sent\n";
    } catch (ValueError $e) {
        echo "$name: ", $e->getMessage(), "\n";
    }
}
var_dump($m->isConnected(), $srv->connectionCount());

// a raw 7-bit message with bare LFs: signed as CRLF, and the From address case-insensitive in its domain
$raw = "From: Alice <alice@EXAMPLE.org>\nTo: bob@example.net\nSubject: raw\nContent-Type: text/plain\n\nline 1\n.line 2\n";
echo $m->sendRaw('alice@example.org', 'bob@example.net', $raw), "\n";
$eml = $srv->message(1);
[$ok, $content, $err] = mailer_smime_verify($pki, $eml);
var_dump($ok, $content === "Content-Type: text/plain\r\n\r\nline 1\r\n.line 2\r\n");

// encryption alone: the 8-bit entity is encrypted as it is
$e = new Mailer('127.0.0.1', 9, '', '', false, ['smime' => ['encrypt' => ['certs' => $pki['recipient'][0]]]]);
[$ok, $content] = mailer_smime_decrypt($pki, $e->sign("From: a@example.org\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n"), $pki['recipient']);
var_dump($ok, $content);
?>
--EXPECTF--
From not in the certificate: S/MIME: the signing certificate does not name the From address <mallory@example.org> (it names: alice@example.org); mail clients would show the signature as not the sender's
sendmail(), From not in the certificate: S/MIME: the signing certificate does not name the From address <alice@example.com> (it names: alice@example.org); mail clients would show the signature as not the sender's
sendRaw() without From: S/MIME: the message has no From field to match the signing certificate
sendRaw() 8-bit body: S/MIME: the body holds 8-bit or NUL bytes, which relays may change and so break the signature; use quoted-printable or base64 (a Mailer\Message does)
sign() 8-bit entity header: S/MIME: the header of the entity holds 8-bit or NUL bytes, which relays may change and so break the signature; use quoted-printable or base64 (a Mailer\Message does)
bool(false)
int(0)
250 2.0.0 Ok: queued as TEST%d
bool(true)
bool(true)
bool(true)
string(%d) "Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

Grüße
"
