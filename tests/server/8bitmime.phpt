--TEST--
Strict test server, rule 8bitmime: a message with 8-bit octets whose MAIL had no BODY=8BITMIME is accepted, as servers do, but fails the test; declared, it passes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
foreach (['', ' BODY=8BITMIME'] as $body) {
    $c->cmd("MAIL FROM:<a@example.org>$body");
    $c->cmd('RCPT TO:<b@example.net>');
    $c->cmd('DATA');
    echo "MAIL$body: ", $c->cmd("Subject: x\r\n\r\nGrüße\r\n."), "\n";
}
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
MAIL: 250 2.0.0 Ok: queued as TEST0001
MAIL BODY=8BITMIME: 250 2.0.0 Ok: queued as TEST0002

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: 8bitmime: the message has 8-bit octets (line 3) but MAIL had no BODY=8BITMIME
