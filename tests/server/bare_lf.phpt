--TEST--
Strict test server, rule bare_lf: a command line ending in a bare LF, or a message with one, gets 521 and a close (nothing recorded) and fails the test
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server([]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->write("NOOP\n");
echo 'command: ', $c->reply(), $c->closed() ? " (closed)\n" : "\n";
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('MAIL FROM:<a@example.org>');
$c->cmd('RCPT TO:<b@example.net>');
$c->cmd('DATA');
// the SMTP smuggling shape: a bare LF before the dot
$c->write("Subject: x\r\n\r\nbody\n.\r\n");
echo 'data: ', $c->reply(), $c->closed() ? " (closed)" : '', ', messages: ', $srv->messageCount(), "\n";
$srv->stop();
?>
--EXPECT--
command: 521 5.5.2 test.local Error: bare <LF> received (closed)
data: 521 5.5.2 test.local Error: bare <LF> received (closed), messages: 0

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: bare_lf: "NOOP" ends in a bare LF
  connection 2: bare_lf: the message has a bare LF (line 3)
