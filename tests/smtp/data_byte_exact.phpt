--TEST--
sendRaw(): leading dots are stuffed, bare LF and bare CR become CRLF, the server receives the message byte-exact
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);
$data = "From: a@example.org\nTo: b@example.net\nSubject: dots\n\n.\n..two\n.three\r\nmid.dot\rCR only\r\n.\r\nlast line without newline";
echo $m->sendRaw('a@example.org', 'b@example.net', $data), "\n";
$m->close();
$expected = "From: a@example.org\r\nTo: b@example.net\r\nSubject: dots\r\n\r\n.\r\n..two\r\n.three\r\nmid.dot\r\nCR only\r\n.\r\nlast line without newline\r\n";
var_dump($srv->message(1) === $expected);
$raw = $srv->raw(1);
// on the wire: every line-leading dot doubled, then the terminator
var_dump(str_contains($raw, "\r\n\r\n..\r\n...two\r\n..three\r\nmid.dot\r\nCR only\r\n..\r\nlast line without newline\r\n.\r\n"));
var_dump(preg_match("/(?<!\r)\n/", $raw));
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
bool(true)
bool(true)
int(0)
