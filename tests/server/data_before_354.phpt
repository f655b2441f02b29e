--TEST--
Strict test server, rule data_before_354: message data sent behind DATA before its 354 (with or without PIPELINING) gets 554, nothing is recorded, and the test fails
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
foreach ([['PIPELINING'], ['8BITMIME']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo]);
    $c = mailer_raw_client($srv);
    $c->reply();
    $c->cmd('EHLO me');
    $c->cmd('MAIL FROM:<a@example.org>');
    $c->cmd('RCPT TO:<b@example.net>');
    $c->write("DATA\r\nSubject: early\r\n\r\nbody\r\n.\r\n");
    echo $ehlo[0], ': ', $c->reply(), $c->closed() ? " (closed)" : '', ', messages: ', $srv->messageCount(), "\n";
    $srv->stop();
}
?>
--EXPECT--
PIPELINING: 554 5.5.0 Error: SMTP protocol synchronization (closed), messages: 0

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: data_before_354: "Subject: early" sent after DATA before its reply (354)
8BITMIME: 554 5.5.0 Error: SMTP protocol synchronization (closed), messages: 0

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: data_before_354: "Subject: early" sent after DATA before its reply (354)
