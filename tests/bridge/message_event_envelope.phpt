--TEST--
Symfony bridge: a MessageEvent listener's changes reach the server: a new envelope (sender and recipients), recipients changed on the envelope in place, and a header added to the message; the message's own To is not the envelope
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/bridge.inc'; mailer_bridge_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Symfony\Component\EventDispatcher\EventDispatcher;
use Symfony\Component\Mailer\Envelope;
use Symfony\Component\Mailer\Event\MessageEvent;
use Symfony\Component\Mime\Address;
use Symfony\Component\Mime\Email;

$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]);
$dispatcher = new EventDispatcher();
$dispatcher->addListener(MessageEvent::class, function (MessageEvent $event): void {
    $message = $event->getMessage();
    $message->getHeaders()->addTextHeader('X-Listener', 'seen');
    if ($message->getSubject() === 'replaced') {
        // a whole new envelope: bounces to another address, one other recipient
        $event->setEnvelope(new Envelope(new Address('bounces+42@example.org'), [new Address('staging@example.net')]));
    } else {
        // the envelope Symfony made, changed in place: one recipient more
        $envelope = $event->getEnvelope();
        $envelope->setRecipients([...$envelope->getRecipients(), new Address('archive@example.org')]);
    }
});
$t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port", $dispatcher);
foreach (['replaced', 'in place'] as $i => $subject) {
    $t->send((new Email())->from('a@example.org')->to('b@example.net')->subject($subject)->text("body\n"));
    $env = $srv->envelope($i + 1);
    echo "-- $subject\n", $env['mail_from'], "\n", implode("\n", $env['rcpt']), "\n";
    $h = mailer_test_headers(mailer_test_python_parse($srv->message($i + 1)));
    echo 'To: ', $h['to'][0], ', X-Listener: ', $h['x-listener'][0], "\n";
}
mailer_bridge_cleanup();
?>
--EXPECT--
-- replaced
MAIL FROM:<bounces+42@example.org>
RCPT TO:<staging@example.net>
To: b@example.net, X-Listener: seen
-- in place
MAIL FROM:<a@example.org>
RCPT TO:<b@example.net>
RCPT TO:<archive@example.org>
To: b@example.net, X-Listener: seen
