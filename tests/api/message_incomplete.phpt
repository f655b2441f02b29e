--TEST--
Mailer::send()/Message::toString() without From or without any recipient: a clear ValueError, and the server sees no connection
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$mailer = new Mailer('127.0.0.1', $srv->port);
$messages = [
    (new Mailer\Message)->to('b@example.net')->text('x'),
    (new Mailer\Message)->from('a@example.org')->text('x'),
    (new Mailer\Message)->from('a@example.org')->replyTo('r@example.org')->text('x'),
];
foreach ($messages as $m) {
    foreach ([fn() => $mailer->send($m), fn() => $m->toString()] as $call) {
        try {
            $call();
            echo "ok\n";
        } catch (ValueError $e) {
            echo $e->getMessage(), "\n";
        }
    }
}
var_dump($srv->connectionCount(), $mailer->isConnected());
try {
    $mailer->send('not a message');
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
Mailer::send(): the message has no From address (call Mailer\Message::from())
Mailer\Message::toString(): the message has no From address (call Mailer\Message::from())
Mailer::send(): the message has no recipients (call Mailer\Message::to(), cc() or bcc())
Mailer\Message::toString(): the message has no recipients (call Mailer\Message::to(), cc() or bcc())
Mailer::send(): the message has no recipients (call Mailer\Message::to(), cc() or bcc())
Mailer\Message::toString(): the message has no recipients (call Mailer\Message::to(), cc() or bcc())
int(0)
bool(false)
Mailer::send(): Argument #1 ($message) must be of type Mailer\Message, string given
