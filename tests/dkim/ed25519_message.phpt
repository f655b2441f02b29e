--TEST--
DKIM ed25519-sha256 (RFC 8463): send() of a Mailer\Message with attachments, an inline image and non-ASCII folded headers verifies; the message under the signature is toString()'s
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/dkim.inc';
$srv = mailer_test_server();
$key = mailer_dkim_key('ed25519');
$mailer = new Mailer('127.0.0.1', $srv->port, '', '', false, [
    'dkim' => ['domain' => 'example.org', 'selector' => 'ed1', 'key' => $key['pem']],
]);
$m = (new Mailer\Message)
    ->from('Zoë Martin-Dupont <zoe@example.org>')
    ->to('Ünïcødé Recipient <b@example.net>', 'c@example.net')
    ->cc('Ça va <d@example.net>')
    ->replyTo('help@example.org')
    ->subject(str_repeat('Grüße aus Köln – ein sehr langer Betreff ', 4) . '🎉')
    ->text("Hallo,\n\n  indented   with   runs   of spaces \t\nend\n\n\n\n")
    ->html('<p>Hallo <img src="cid:logo"></p>')
    ->embed(mailer_test_file(random_bytes(2000), 'logo.png'), 'logo')
    ->attach(mailer_test_file(random_bytes(300000), 'report.pdf'), 'Rapport de mars – 2026.pdf')
    ->attachData("a,b\r\n1,2\r\n", 'figures.csv')
    ->header('X-Campaign', str_repeat('ünïcødé ', 20));
echo $mailer->send($m), "\n";
$msg = $srv->message(1);
echo mailer_dkim_verify($msg, ['ed1._domainkey.example.org' => $key['record']]), "\n";
preg_match('/^DKIM-Signature: .*?h=([^;]*);/ms', $msg, $h);
echo preg_replace('/\s+/', '', $h[1]), "\n";
var_dump(str_contains($msg, 'a=ed25519-sha256'), mailer_dkim_strip($msg) === $m->toString());
// the subject really is folded and encoded
var_dump(preg_match('/^Subject: =\?UTF-8\?.*\r\n /m', $msg) === 1);
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
1 ed25519-sha256 example.org ed1: pass
From:To:Cc:Subject:Date:Message-ID:MIME-Version:Content-Type:Reply-To
bool(true)
bool(true)
bool(true)
