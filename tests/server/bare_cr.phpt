--TEST--
Strict test server, rule bare_cr: a command line or a message with a CR not followed by LF gets 521 and a close (nothing recorded) and fails the test
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server([]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->write("NOOP a\rb\r\n");
echo 'command: ', $c->reply(), $c->closed() ? " (closed)\n" : "\n";
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('MAIL FROM:<a@example.org>');
$c->cmd('RCPT TO:<b@example.net>');
$c->cmd('DATA');
$c->write("Subject: x\r\n\r\none\rtwo\r\n.\r\n");
echo 'data: ', $c->reply(), $c->closed() ? " (closed)" : '', ', messages: ', $srv->messageCount(), "\n";
$srv->stop();
?>
--EXPECT--
command: 521 5.5.2 test.local Error: bare <CR> received (closed)
data: 521 5.5.2 test.local Error: bare <CR> received (closed), messages: 0

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: bare_cr: "NOOP a\rb" has a bare CR
  connection 2: bare_cr: the message has a bare CR (line 3)
