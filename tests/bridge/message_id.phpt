--TEST--
Symfony bridge: SentMessage::getMessageId() is the queue ID of the server's final reply ("queued as ID", Exim's "id=ID", last line of a multi-line reply), otherwise the Message-ID Symfony wrote
--EXTENSIONS--
mailer
mbstring
intl
iconv
ctype
--SKIPIF--
<?php require __DIR__ . '/bridge.inc'; mailer_bridge_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Symfony\Component\Mailer\Envelope;
use Symfony\Component\Mime\Address;
use Symfony\Component\Mime\Email;
use Symfony\Component\Mime\RawMessage;

$srv = mailer_test_server(['replies' => [
    'EOD#2' => '250 2.0.0 Ok',
    'EOD#3' => '250 OK id=1eGWNZ-0000uc-UK',
    'EOD#4' => ['250-2.0.0 accepted', '250 2.0.0 Ok: queued as 4Fh2X'],
    'EOD#5' => '250 2.0.0 Ok: queued as jgPG8nNrAASLhUHQSvB6ch',
]]);
$t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port");
for ($i = 1; $i <= 5; $i++) {
    $email = (new Email())->from('a@example.org')->to('b@example.net')->subject("n$i")->text("body\n");
    $sent = $t->send($email);
    $field = preg_match('/^Message-ID: <(.+)>\r$/m', $sent->toString(), $m) ? $m[1] : null;
    echo $i, ' ', $sent->getMessageId(), $sent->getMessageId() === $field ? ' (the Message-ID field)' : '', "\n";
}
// A RawMessage has no Message-ID for Symfony to know: the queue ID is all there is.
$sent = $t->send(new RawMessage("From: a@example.org\r\nTo: b@example.net\r\nSubject: raw\r\n\r\nbody\r\n"),
    new Envelope(new Address('a@example.org'), [new Address('b@example.net')]));
echo $sent->getMessageId(), "\n";
mailer_bridge_cleanup();
?>
--EXPECTF--
1 TEST0001
2 %s@example.org (the Message-ID field)
3 1eGWNZ-0000uc-UK
4 4Fh2X
5 jgPG8nNrAASLhUHQSvB6ch
TEST0006
