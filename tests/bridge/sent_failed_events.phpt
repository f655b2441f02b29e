--TEST--
Symfony bridge: SentMessageEvent (with the queue ID as message id and the debug transcript) and FailedMessageEvent (with the TransportException and its SMTP code) are dispatched as for Symfony's own transports (Symfony 6.2 and later)
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_skipif();
mailer_bridge_load();
if (!class_exists(Symfony\Component\Mailer\Event\SentMessageEvent::class)) {
    die('skip Symfony Mailer before 6.2 has no SentMessageEvent/FailedMessageEvent (Debian 12 ships 5.4; scripts/compat.sh runs this on 6.4 and 7.4)');
}
?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Symfony\Component\EventDispatcher\EventDispatcher;
use Symfony\Component\Mailer\Event\FailedMessageEvent;
use Symfony\Component\Mailer\Event\MessageEvent;
use Symfony\Component\Mailer\Event\SentMessageEvent;
use Symfony\Component\Mime\Email;

$srv = mailer_test_server(['replies' => [
    'RCPT:bad@example.net' => '550 5.1.1 <bad@example.net>: Recipient address rejected: User unknown',
    'EOD#1' => '250 2.0.0 Ok: queued as 4Fh2X',
]]);
$dispatcher = new EventDispatcher();
foreach ([MessageEvent::class, SentMessageEvent::class, FailedMessageEvent::class] as $class) {
    $dispatcher->addListener($class, function (object $event) use ($class): void {
        $name = substr($class, strrpos($class, '\\') + 1);
        if ($event instanceof SentMessageEvent) {
            $sent = $event->getMessage();
            echo "$name: ", get_class($sent), ' ', $sent->getMessageId(), ', debug: ',
                count(preg_grep('/^C: MAIL FROM/', explode("\n", $sent->getDebug()))), " MAIL FROM\n";
        } elseif ($event instanceof FailedMessageEvent) {
            $e = $event->getError();
            echo "$name: ", get_class($e), ' code=', $e->getCode(), ' ', get_class($e->getPrevious()), "\n";
        } else {
            echo "$name: ", $event->getMessage()->getSubject(), "\n";
        }
    });
}
$t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port?transcript=1", $dispatcher);
$mailer = new Symfony\Component\Mailer\Mailer($t);
$mailer->send((new Email())->from('a@example.org')->to('b@example.net')->subject('good')->text("body\n"));
try {
    $mailer->send((new Email())->from('a@example.org')->to('bad@example.net')->subject('refused')->text("body\n"));
} catch (Symfony\Component\Mailer\Exception\TransportExceptionInterface $e) {
    echo 'caught: ', $e->getCode(), "\n";
}
echo $srv->messageCount(), " message\n";
mailer_bridge_cleanup();
?>
--EXPECT--
MessageEvent: good
SentMessageEvent: Symfony\Component\Mailer\SentMessage 4Fh2X, debug: 1 MAIL FROM
MessageEvent: refused
FailedMessageEvent: Symfony\Component\Mailer\Exception\TransportException code=550 Mailer\RecipientException
caught: 550
1 message
