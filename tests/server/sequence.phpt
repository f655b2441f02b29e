--TEST--
Strict test server, rule sequence: MAIL before EHLO (also after STARTTLS), a second MAIL, RCPT or DATA without MAIL fail the test; RCPT and DATA sent blind behind a refused MAIL under PIPELINING do not
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server(['starttls' => true, 'replies' => ['MAIL:refuse@' => '550 5.7.1 Refused']]);
$c = mailer_raw_client($srv);
$c->reply();
foreach (['MAIL FROM:<a@example.org>', 'EHLO me', 'RCPT TO:<b@example.net>', 'DATA', 'MAIL FROM:<a@example.org>',
          'MAIL FROM:<a@example.org>', 'RSET'] as $cmd) {
    echo $cmd, ' -> ', $c->cmd($cmd), "\n";
}
// RFC 2920: the client learns of the refusal only after it sent the whole group
$c->write("MAIL FROM:<refuse@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
echo 'pipelined: ', $c->reply(), ', ', $c->reply(), ', ', $c->reply(), "\n";
$c->cmd('RSET');
$c->cmd('STARTTLS');
$c->startTls($srv);
echo 'after TLS, no EHLO: ', $c->cmd('MAIL FROM:<a@example.org>'), "\n";
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
MAIL FROM:<a@example.org> -> 503 5.5.1 Error: send HELO/EHLO first
EHLO me -> 250-test.local | 250-PIPELINING | 250-SIZE 10240000 | 250-8BITMIME | 250 STARTTLS
RCPT TO:<b@example.net> -> 503 5.5.1 Error: need MAIL command
DATA -> 503 5.5.1 Error: need MAIL command
MAIL FROM:<a@example.org> -> 250 2.1.0 Ok
MAIL FROM:<a@example.org> -> 503 5.5.1 Error: nested MAIL command
RSET -> 250 2.0.0 Ok
pipelined: 550 5.7.1 Refused, 503 5.5.1 Error: need MAIL command, 503 5.5.1 Error: need MAIL command
after TLS, no EHLO: 503 5.5.1 Error: send HELO/EHLO first

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: sequence: MAIL before EHLO/HELO
  connection 1: sequence: RCPT without a MAIL transaction
  connection 1: sequence: DATA without a MAIL transaction
  connection 1: sequence: a second MAIL in an open transaction
  connection 1: sequence: MAIL after TLS started without a new EHLO (RFC 3207 4.2)
