--TEST--
Strict test server, rule after_starttls: commands pipelined behind STARTTLS are discarded (RFC 3207) and plaintext sent after the 220 instead of the handshake is seen; either fails the test
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server(['starttls' => true]);
// 1: EHLO pipelined behind STARTTLS: thrown away, TLS goes on, the client must say EHLO again
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->write("STARTTLS\r\nEHLO injected\r\n");
echo '1: ', $c->reply(), ', TLS: ', var_export($c->startTls($srv), true), ', ', $c->cmd('NOOP'), "\n";
$c->cmd('QUIT');
// 2: after the 220, plaintext instead of a TLS handshake
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
echo '2: ', $c->cmd('STARTTLS');
$c->write("EHLO plain\r\n");
echo $c->closed() ? " (closed)\n" : "\n";
$srv->waitClosed(2);
echo str_contains($srv->log(1), "* discarded 15 plaintext bytes pipelined after STARTTLS\n* TLS started\n") ? "discarded\n" : $srv->log(1);
$srv->stop();
?>
--EXPECT--
1: 220 2.0.0 Ready to start TLS, TLS: true, 250 2.0.0 Ok
2: 220 2.0.0 Ready to start TLS (closed)
discarded

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: after_starttls: "EHLO injected" sent after STARTTLS before its reply and the TLS handshake
  connection 2: after_starttls: "EHLO plain" sent in plaintext after the 220, instead of the TLS handshake
