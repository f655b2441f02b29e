--TEST--
Strict test server, rule smtputf8: a non-ASCII address in MAIL or RCPT without the SMTPUTF8 parameter gets 553 5.6.7 and fails the test; declared, it passes
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME', 'SMTPUTF8']]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
foreach (['MAIL FROM:<jösé@example.org>', 'MAIL FROM:<a@example.org>', 'RCPT TO:<zoë@example.net>', 'RSET',
          'MAIL FROM:<jösé@example.org> SMTPUTF8', 'RCPT TO:<zoë@example.net>'] as $cmd) {
    echo $cmd, ' -> ', $c->cmd($cmd), "\n";
}
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
MAIL FROM:<jösé@example.org> -> 553 5.6.7 Non-ASCII address without SMTPUTF8
MAIL FROM:<a@example.org> -> 250 2.1.0 Ok
RCPT TO:<zoë@example.net> -> 553 5.6.7 Non-ASCII address without SMTPUTF8
RSET -> 250 2.0.0 Ok
MAIL FROM:<jösé@example.org> SMTPUTF8 -> 250 2.1.0 Ok
RCPT TO:<zoë@example.net> -> 250 2.1.5 Ok

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: smtputf8: "MAIL FROM:<jösé@example.org>": a non-ASCII address without SMTPUTF8
  connection 1: smtputf8: "RCPT TO:<zoë@example.net>": a non-ASCII address without SMTPUTF8
