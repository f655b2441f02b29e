--TEST--
8BITMIME: sendRaw() of 8-bit data asks for BODY=8BITMIME when offered; built messages stay 7-bit (quoted-printable) and never need it
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]);
$m = new Mailer('127.0.0.1', $srv->port);
$m->sendRaw('a@example.org', 'b@example.net', "Subject: x\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n");
$m->sendRaw('a@example.org', 'b@example.net', "Subject: x\r\n\r\nplain\r\n");
$m->sendmail('a@example.org', 'b@example.net', 'Grüße', 'Grüße');
echo $srv->envelope(1)['mail_from'], "\n", $srv->envelope(2)['mail_from'], "\n", $srv->envelope(3)['mail_from'], "\n";
var_dump(preg_match('/[\x80-\xff]/', $srv->message(3)));
?>
--EXPECTF--
MAIL FROM:<a@example.org> BODY=8BITMIME
MAIL FROM:<a@example.org>
MAIL FROM:<a@example.org>
int(0)
