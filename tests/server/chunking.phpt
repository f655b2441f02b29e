--TEST--
Strict test server, rule chunking: BDAT without CHUNKING offered, DATA in a transaction begun with BDAT, DATA for BODY=BINARYMIME: each fails the test
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('MAIL FROM:<a@example.org>');
$c->cmd('RCPT TO:<b@example.net>');
$c->write("BDAT 3 LAST\r\nx\r\n");
echo 'BDAT, not offered: ', $c->reply(), "\n";
$c->cmd('QUIT');
$srv->stop();

$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME', 'CHUNKING', 'BINARYMIME']]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('MAIL FROM:<a@example.org>');
$c->cmd('RCPT TO:<b@example.net>');
$c->write("BDAT 3\r\nx\r\n");
echo 'BDAT: ', $c->reply(), "\n";
echo 'then DATA: ', $c->cmd('DATA'), "\n";
$c->cmd("y\r\n.");
$c->cmd('MAIL FROM:<a@example.org> BODY=BINARYMIME');
$c->cmd('RCPT TO:<b@example.net>');
echo 'DATA for BINARYMIME: ', $c->cmd('DATA'), "\n";
$c->cmd("z\r\n.");
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
BDAT, not offered: 502 5.5.1 Error: command not implemented

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: chunking: BDAT sent but CHUNKING not offered in the EHLO reply in force
BDAT: 250 2.0.0 Ok: 3 octets received
then DATA: 354 End data with <CR><LF>.<CR><LF>
DATA for BINARYMIME: 354 End data with <CR><LF>.<CR><LF>

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: chunking: DATA in a transaction that began with BDAT (RFC 3030 2)
  connection 1: chunking: DATA for a BODY=BINARYMIME message (RFC 3030 3: BDAT only)
