--TEST--
Strict test server, rule starttls: STARTTLS the server did not offer, STARTTLS inside TLS, STARTTLS in a transaction: each fails the test
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server([]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
echo 'not offered: ', $c->cmd('STARTTLS'), "\n";
$c->cmd('QUIT');
$srv->stop();

$srv = mailer_test_server(['implicit_tls' => true, 'starttls' => true, 'ehlo_after_tls' => ['PIPELINING', 'STARTTLS']]);
$c = mailer_raw_client($srv, true);
$c->reply();
$c->cmd('EHLO me');
echo 'inside TLS: ', $c->cmd('STARTTLS'), "\n";
$c->cmd('QUIT');
$srv->stop();

$srv = mailer_test_server(['starttls' => true]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('MAIL FROM:<a@example.org>');
echo 'in a transaction: ', $c->cmd('STARTTLS'), ', TLS: ', var_export($c->startTls($srv), true), "\n";
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
not offered: 502 5.5.1 Error: command not implemented

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: starttls: STARTTLS sent but not offered in the EHLO reply in force
inside TLS: 554 5.5.1 Error: TLS already active

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: starttls: STARTTLS inside TLS
in a transaction: 220 2.0.0 Ready to start TLS, TLS: true

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: starttls: STARTTLS during a mail transaction
