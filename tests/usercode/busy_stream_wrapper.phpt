--TEST--
Re-entrancy: a stream wrapper read for an attachment during send() gets an Error for every method of the busy Mailer and Mailer\Message; the message is delivered once, intact
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/usercode.inc';
$srv = mailer_test_server();
$mailer = new Mailer('127.0.0.1', $srv->port);
$other = new Mailer('127.0.0.1', $srv->port);
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('s')->text('body')
    ->attach('ucs://300000/data.bin');
$passes = [];
UcStream::$onRead = function (int $offset) use ($mailer, $other, $m, &$passes) {
    $passes[] = uc_mailer_calls($mailer) + uc_message_calls($m) + ['other->send' => uc_try(fn() => $other->send($m))];
};
echo $mailer->send($m), "\n";
// one pass: the message's size (SIZE) is computed, not measured by reading the file
echo count($passes), " passes\n";
uc_print($passes[0]);
var_dump(count(array_unique(array_map('serialize', $passes))));
$mailer->close();
$srv->waitClosed(1);
var_dump($srv->connectionCount(), $srv->messageCount());
$p = $srv->parse(1);
$part = mailer_test_part($p, 'application/octet-stream');
var_dump($p['structure'], $part['filename'], $part['sha256'] === hash('sha256', uc_bytes(300000)));
echo mailer_test_headers($p)['subject'][0], ' ', mailer_test_part($p, 'text/plain')['text'], "\n";
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
1 passes
__construct: Error: Mailer::__construct() cannot be called twice
sendmail: Error: Mailer is busy sending; Mailer::sendmail() cannot be called until that is done
send: Error: Mailer is busy sending; Mailer::send() cannot be called until that is done
sendRaw: Error: Mailer is busy sending; Mailer::sendRaw() cannot be called until that is done
sign: Error: Mailer is busy sending; Mailer::sign() cannot be called until that is done
debug: Error: Mailer is busy sending; Mailer::debug() cannot be called until that is done
connect: Error: Mailer is busy sending; Mailer::connect() cannot be called until that is done
close: Error: Mailer is busy sending; Mailer::close() cannot be called until that is done
isConnected: Error: Mailer is busy sending; Mailer::isConnected() cannot be called until that is done
getCapabilities: Error: Mailer is busy sending; Mailer::getCapabilities() cannot be called until that is done
getLastReply: Error: Mailer is busy sending; Mailer::getLastReply() cannot be called until that is done
getLastRecipients: Error: Mailer is busy sending; Mailer::getLastRecipients() cannot be called until that is done
from: Error: Mailer\Message is busy being sent or converted; Mailer\Message::from() cannot be called until that is done
to: Error: Mailer\Message is busy being sent or converted; Mailer\Message::to() cannot be called until that is done
cc: Error: Mailer\Message is busy being sent or converted; Mailer\Message::cc() cannot be called until that is done
bcc: Error: Mailer\Message is busy being sent or converted; Mailer\Message::bcc() cannot be called until that is done
replyTo: Error: Mailer\Message is busy being sent or converted; Mailer\Message::replyTo() cannot be called until that is done
subject: Error: Mailer\Message is busy being sent or converted; Mailer\Message::subject() cannot be called until that is done
text: Error: Mailer\Message is busy being sent or converted; Mailer\Message::text() cannot be called until that is done
html: Error: Mailer\Message is busy being sent or converted; Mailer\Message::html() cannot be called until that is done
attach: Error: Mailer\Message is busy being sent or converted; Mailer\Message::attach() cannot be called until that is done
attachData: Error: Mailer\Message is busy being sent or converted; Mailer\Message::attachData() cannot be called until that is done
embed: Error: Mailer\Message is busy being sent or converted; Mailer\Message::embed() cannot be called until that is done
header: Error: Mailer\Message is busy being sent or converted; Mailer\Message::header() cannot be called until that is done
toString: Error: Mailer\Message is busy being sent or converted; Mailer\Message::toString() cannot be called until that is done
other->send: Error: Mailer\Message is busy being sent or converted; Mailer::send() cannot take it until that is done
int(1)
int(1)
int(1)
string(52) "multipart/mixed(text/plain,application/octet-stream)"
string(8) "data.bin"
bool(true)
s body
