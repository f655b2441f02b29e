--TEST--
Strict test server, rule syntax: an unknown command, MAIL/RCPT not in RFC 5321 form, EHLO without a domain, an argument to RSET, a malformed BDAT: each fails the test
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'CHUNKING']]);
$c = mailer_raw_client($srv);
$c->reply();
foreach (['EHLO', 'EHLO me', 'XYZZY', 'MAIL FROM: <a@example.org>', 'RSET now', 'MAIL FROM:<a@example.org>',
          'RCPT TO:b@example.net', 'BDAT ten LAST'] as $cmd) {
    echo $cmd, ' -> ', $c->cmd($cmd), "\n";
}
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
EHLO -> 501 5.5.4 Syntax: EHLO hostname
EHLO me -> 250-test.local | 250-PIPELINING | 250 CHUNKING
XYZZY -> 500 5.5.2 Error: command not recognized
MAIL FROM: <a@example.org> -> 250 2.1.0 Ok
RSET now -> 250 2.0.0 Ok
MAIL FROM:<a@example.org> -> 250 2.1.0 Ok
RCPT TO:b@example.net -> 501 5.5.4 Syntax: RCPT TO:<address>
BDAT ten LAST -> 501 5.5.4 Syntax: BDAT count [LAST]

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: syntax: "EHLO" without a domain
  connection 1: syntax: unknown command "XYZZY"
  connection 1: syntax: "MAIL FROM: <a@example.org>": not MAIL FROM:<path>[ parameters]
  connection 1: syntax: "RSET now": RSET takes no argument
  connection 1: syntax: "RCPT TO:b@example.net": not RCPT TO:<path>[ parameters]
  connection 1: syntax: "BDAT ten LAST": not BDAT <size> [LAST]
