--TEST--
Strict test server, rule line_length: a command line over 512 octets (more for MAIL/RCPT as SIZE and DSN allow) or a message line over 998 octets (the dot doubled for transparency not counted) fails the test
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'SIZE 100000', 'DSN']]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$cmd = 'NOOP ' . str_repeat('x', 593);
echo 'NOOP, ', strlen($cmd) + 2, ' octets: ', $c->cmd($cmd), "\n";
echo $c->cmd('MAIL FROM:<a@example.org>'), "\n";
// the longest address (64 + 1 + 253 octets): RCPT may be 512 + 500 (DSN) long
$addr = str_repeat('l', 64) . '@' . implode('.', [str_repeat('a', 63), str_repeat('b', 63), str_repeat('c', 63),
    str_repeat('d', 61)]);
$cmd = "RCPT TO:<$addr> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;$addr";
echo 'RCPT, ', strlen($cmd) + 2, ' octets: ', $c->cmd($cmd), "\n";
$c->cmd('DATA');
// 998 octets are fine, also when a leading dot is doubled for transparency (999 on the wire)
echo 'data: ', $c->cmd("Subject: x\r\n\r\nshort\r\n" . str_repeat('y', 999) . "\r\n" . str_repeat('z', 998) . "\r\n"
    . '..' . str_repeat('z', 997) . "\r\n."), "\n";
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
NOOP, 600 octets: 250 2.0.0 Ok
250 2.1.0 Ok
RCPT, 691 octets: 250 2.1.5 Ok
data: 250 2.0.0 Ok: queued as TEST0001

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: line_length: NOOP line of 600 octets (at most 512 here)
  connection 1: line_length: message line 4 has 999 octets (at most 998 + CRLF)
