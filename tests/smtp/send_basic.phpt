--TEST--
sendmail(): one message, exact client transcript, the server's final reply returned
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();

$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['helo' => 'client.test']);
var_dump($m->isConnected());
$reply = $m->sendmail('Sender <sender@example.org>', 'rcpt@example.net', 'Hello', '<p>Hi</p>');
var_dump($reply);
var_dump($m->isConnected(), $m->getLastReply());
$m->close();
var_dump($m->isConnected());
$srv->waitClosed(1);
echo $srv->log(1);
$env = $srv->envelope(1);
var_dump($env['mail_from'], $env['rcpt']);
?>
--EXPECTF--
bool(false)
string(32) "250 2.0.0 Ok: queued as TEST0001"
bool(true)
string(32) "250 2.0.0 Ok: queued as TEST0001"
bool(false)
S: 220 test.local ESMTP ready
C: EHLO client.test
S: 250-test.local
S: 250-PIPELINING
S: 250-SIZE 10240000
S: 250 8BITMIME
C: MAIL FROM:<sender@example.org> SIZE=%d
S: 250 2.1.0 Ok
C: RCPT TO:<rcpt@example.net>
S: 250 2.1.5 Ok
C: DATA
S: 354 End data with <CR><LF>.<CR><LF>
* data %d octets
C: .
S: 250 2.0.0 Ok: queued as TEST0001
C: QUIT
S: 221 2.0.0 Bye
* closed
string(%d) "MAIL FROM:<sender@example.org> SIZE=%d"
array(1) {
  [0]=>
  string(26) "RCPT TO:<rcpt@example.net>"
}
