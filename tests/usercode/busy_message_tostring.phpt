--TEST--
Re-entrancy: a stream wrapper read during Mailer\Message::toString() gets an Error for every method of that Message and for Mailer::send() of it; the result is intact
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/usercode.inc';
$mailer = new Mailer('127.0.0.1', 9); // never reached: send() is refused before connecting
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('s')->text('body')
    ->attach('ucs://200000/data.bin');
$calls = null;
UcStream::$onRead = function (int $offset) use ($mailer, $m, &$calls) {
    $calls = uc_message_calls($m) + ['mailer->send' => uc_try(fn() => $mailer->send($m))];
};
$eml = $m->toString();
uc_print($calls);
$p = mailer_test_python_parse($eml);
$part = mailer_test_part($p, 'application/octet-stream');
var_dump($p['structure'], $part['sha256'] === hash('sha256', uc_bytes(200000)));
echo mailer_test_headers($p)['subject'][0], ' ', mailer_test_part($p, 'text/plain')['text'], "\n";
// usable again once toString() returned
var_dump($m->subject('t') === $m, strlen($m->toString()) === strlen($eml));
?>
--EXPECT--
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
mailer->send: Error: Mailer\Message is busy being sent or converted; Mailer::send() cannot take it until that is done
string(52) "multipart/mixed(text/plain,application/octet-stream)"
bool(true)
s body
bool(true)
bool(true)
