--TEST--
CHUNKING: the message goes as one BDAT of its exact size, without dot-stuffing, byte-exact; chunking=false uses DATA
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'CHUNKING', 'SIZE 100000']]);
$data = "Subject: chunks\r\n\r\n.leading dot\r\n..two\r\nbare LF\nend";
$m = new Mailer('127.0.0.1', $srv->port);
echo $m->sendRaw('a@example.org', 'b@example.net', $data), "\n";
$expected = "Subject: chunks\r\n\r\n.leading dot\r\n..two\r\nbare LF\r\nend\r\n";
$env = $srv->envelope(1);
var_dump($env['bdat'], $srv->message(1) === $expected, $env['mail_from']);
preg_match('/^C: (BDAT .*)$/m', $srv->log(1), $mm);
var_dump($mm[1], strlen($expected));
$m->close(); // the test server serves one connection at a time
$m2 = new Mailer('127.0.0.1', $srv->port, '', '', false, ['chunking' => false]);
$m2->sendRaw('a@example.org', 'b@example.net', $data);
var_dump($srv->envelope(2)['bdat'], $srv->message(2) === $expected);
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
bool(true)
bool(true)
string(33) "MAIL FROM:<a@example.org> SIZE=54"
string(12) "BDAT 54 LAST"
int(54)
bool(false)
bool(true)
