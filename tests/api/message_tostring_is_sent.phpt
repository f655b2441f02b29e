--TEST--
Mailer\Message::toString() is exactly what send() transmits (before dot-stuffing), before and after sending; Date and Message-ID fixed once
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$mailer = new Mailer('127.0.0.1', $srv->port);
$m = (new Mailer\Message)
    ->from('Zoë <a@example.org>')
    ->to('b@example.net')
    ->subject('Grüße 🎉')
    ->text(".leading dot\nbare LF\r\nCRLF\n.\n..\nend")
    ->html("<p>Grüße</p>\n.\n")
    ->embed(mailer_test_file(random_bytes(3000), 'pic.jpg'), 'pic')
    ->attach(mailer_test_file(random_bytes(100000), 'data.bin'))
    ->attachData(".\r\n.\n", 'dots.txt');
$before = $m->toString();
sleep(1); // a later Date would show
$mailer->send($m);
$sent = $srv->message(1);
var_dump($before === $sent, $m->toString() === $sent);
var_dump(str_contains($sent, "\n") && !preg_match('/(?<!\r)\n/', $sent), str_ends_with($sent, "\r\n"));
// sent again: the same message, the same bytes
$mailer->send($m);
var_dump($srv->message(2) === $sent);
// the raw DATA was dot-stuffed; the recorded message is not
var_dump(str_contains($srv->raw(1), "\r\n..leading dot\r\n"), str_contains($sent, "\r\n.leading dot\r\n"));
// a new Message gets its own Date and Message-ID
$h1 = mailer_test_headers(mailer_test_python_parse($sent));
$other = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x');
$h2 = mailer_test_headers(mailer_test_python_parse($other->toString()));
var_dump($h1['message-id'] !== $h2['message-id'], $h1['date'] !== $h2['date']);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
