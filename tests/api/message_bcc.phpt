--TEST--
Mailer::send(Message): Bcc in the envelope only, never in the message; Bcc-only gives "To: undisclosed-recipients:;"; duplicates sent once
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$mailer = new Mailer('127.0.0.1', $srv->port);
$m = (new Mailer\Message)->from('a@example.org')->to('To <to@example.net>')->cc('cc@example.net')
    ->bcc('Hidden One <hidden1@example.com>', 'hidden2@example.com', 'TO@example.net')->subject('bcc')->text('x');
$mailer->send($m);
$eml = $srv->message(1);
var_dump(stripos($eml, 'hidden'), stripos($eml, 'bcc:'));
$h = mailer_test_headers($srv->parse(1));
echo $h['to'][0], "\n", $h['cc'][0], "\n";
var_dump($srv->envelope(1)['rcpt']);

$only = (new Mailer\Message)->from('a@example.org')->bcc('x@example.net', 'y@example.net')->text('x');
$mailer->send($only);
$h = mailer_test_headers($srv->parse(2));
var_dump($h['to'], stripos($srv->message(2), 'example.net'));
var_dump($srv->envelope(2)['rcpt']);
?>
--EXPECT--
bool(false)
bool(false)
To <to@example.net>
cc@example.net
array(4) {
  [0]=>
  string(24) "RCPT TO:<to@example.net>"
  [1]=>
  string(24) "RCPT TO:<cc@example.net>"
  [2]=>
  string(29) "RCPT TO:<hidden1@example.com>"
  [3]=>
  string(29) "RCPT TO:<hidden2@example.com>"
}
array(1) {
  [0]=>
  string(24) "undisclosed-recipients:;"
}
bool(false)
array(2) {
  [0]=>
  string(23) "RCPT TO:<x@example.net>"
  [1]=>
  string(23) "RCPT TO:<y@example.net>"
}
