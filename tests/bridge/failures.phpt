--TEST--
Symfony bridge: failures are Symfony TransportExceptions with the SMTP code (refused recipient, MAIL, end of data, AUTH, no server), the extension's exception as previous, the transcript in getDebug() without the password; a message the extension refuses to send is an InvalidArgumentException
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
use Symfony\Component\Mailer\Exception\TransportExceptionInterface;
use Symfony\Component\Mime\Address;
use Symfony\Component\Mime\Email;
use Symfony\Component\Mime\RawMessage;

function show(callable $send): void
{
    try {
        $sent = $send();
        echo 'sent: ', $sent->getMessageId(), "\n";
    } catch (TransportExceptionInterface $e) {
        $p = $e->getPrevious();
        printf("%s code=%d previous=%s stage=%s\n  %s\n", get_class($e), $e->getCode(),
            get_class($p), $p->getStage(), $e->getMessage());
        if ($p instanceof Mailer\RecipientException) {
            echo '  rejected: ', json_encode($p->getRejected()), "\n";
        }
        if ($e->getDebug() !== '') {
            // the last lines of the transcript, which is that of this send only
            $lines = explode("\n", trim($e->getDebug()));
            echo '  debug: ', count(preg_grep('/^C: EHLO /', $lines)), ' EHLO, ends with ', end($lines), "\n";
        }
    } catch (Symfony\Component\Mailer\Exception\ExceptionInterface $e) {
        printf("%s previous=%s\n  %s\n", get_class($e), get_class($e->getPrevious()), $e->getMessage());
    }
}

$email = fn (string ...$to) => (new Email())->from('a@example.org')->to(...$to)->subject('s')->text("body\n");

$srv = mailer_test_server(['replies' => [
    'RCPT:bad@example.net' => '550 5.1.1 <bad@example.net>: Recipient address rejected: User unknown',
    'MAIL#2' => '451 4.3.0 Try again later',
    'EOD#1' => '554 5.7.1 Message rejected as spam',
]]);
$t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port?transcript=1");
show(fn () => $t->send($email('ok@example.net', 'bad@example.net')));
show(fn () => $t->send($email('ok@example.net')));
show(fn () => $t->send($email('ok@example.net')));
show(fn () => $t->send($email('ok@example.net')));   // the transport goes on working
var_dump($srv->messageCount());

// A line over 998 octets cannot go out as is: refused before anything reaches the server.
$raw = new RawMessage("From: a@example.org\r\nTo: ok@example.net\r\nSubject: long\r\n\r\n" . str_repeat('x', 1200) . "\r\n");
show(fn () => $t->send($raw, new Envelope(new Address('a@example.org'), [new Address('ok@example.net')])));
var_dump($srv->messageCount());

// Wrong password: 535 from the server; the password appears nowhere.
$secret = 'wrong-' . bin2hex(random_bytes(4));
$auth = mailer_test_server(['auth_user' => 'user', 'auth_pass' => 'right']);
$t = mailer_bridge_transport("native+smtp://user:$secret@127.0.0.1:$auth->port?allow_insecure_auth=1&transcript=1");
try {
    $t->send($email('ok@example.net'));
} catch (TransportExceptionInterface $e) {
    printf("%s code=%d previous=%s\n", get_class($e), $e->getCode(), get_class($e->getPrevious()));
    $all = $e->getMessage() . $e->getDebug() . $e . $e->getPrevious()->getCommand();
    var_dump(str_contains($all, $secret), str_contains($all, base64_encode("\0user\0$secret")));
}
// Credentials over a connection without TLS are refused by default, as the extension does.
$t = mailer_bridge_transport("native+smtp://user:right@127.0.0.1:$auth->port");
show(fn () => $t->send($email('ok@example.net')));

// Nothing listens: a connection failure, SMTP code 0.
$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
$t = mailer_bridge_transport("native+smtp://127.0.0.1:$port?timeout=5");
show(fn () => $t->send($email('ok@example.net')));
mailer_bridge_cleanup();
?>
--EXPECTF--
Symfony\Component\Mailer\Exception\TransportException code=550 previous=Mailer\RecipientException stage=rcpt
  the server refused 1 of 2 recipients; nothing was sent (first: <bad@example.net>: 550 5.1.1 <bad@example.net>: Recipient address rejected: User unknown)
  rejected: {"bad@example.net":"550 5.1.1 <bad@example.net>: Recipient address rejected: User unknown"}
  debug: 1 EHLO, ends with %s
Symfony\Component\Mailer\Exception\TransportException code=451 previous=Mailer\Exception stage=mail
  the server refused the sender: 451 4.3.0 Try again later
  debug: %d EHLO, ends with %s
Symfony\Component\Mailer\Exception\TransportException code=554 previous=Mailer\Exception stage=eod
  the server refused the message: 554 5.7.1 Message rejected as spam
  debug: 0 EHLO, ends with S: 554 5.7.1 Message rejected as spam
sent: TEST0002
int(1)
Symfony\Component\Mailer\Exception\InvalidArgumentException previous=ValueError
  Mailer::sendRaw(): Argument #3 ($data) has a line longer than 998 octets (RFC 5322 section 2.1.1)
int(1)
Symfony\Component\Mailer\Exception\TransportException code=535 previous=Mailer\AuthenticationException
bool(false)
bool(false)
Symfony\Component\Mailer\Exception\TransportException code=0 previous=Mailer\AuthenticationException stage=auth
  refusing to send credentials over a connection without TLS: use TLS, or set the allow_insecure_auth option to allow it
Symfony\Component\Mailer\Exception\TransportException code=0 previous=Mailer\ConnectionException stage=connect
  could not connect to 127.0.0.1:%d: Connection refused
