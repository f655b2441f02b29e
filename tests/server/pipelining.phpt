--TEST--
Strict test server, rule pipelining: a client that sends before a reply it must wait for (without PIPELINING, after EHLO, before the greeting, during AUTH) gets 554 and the test fails; pipelining as RFC 2920 allows passes; allow_violations serves it
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$session = function (MailerTestServer $srv, bool $greet = true): MailerRawClient {
    $c = mailer_raw_client($srv);
    if ($greet) {
        $c->reply();
    }
    return $c;
};
$srv = mailer_test_server(['ehlo' => ['8BITMIME', 'AUTH LOGIN'], 'auth_user' => 'u', 'auth_pass' => 'p',
    'delay' => ['GREETING#3' => 0.5]]);
// 1: MAIL and RCPT together, but the server did not offer PIPELINING
$c = $session($srv);
$c->cmd('EHLO me');
$c->write("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n");
echo '1: ', $c->reply(), $c->closed() ? " (closed)\n" : "\n";
// 2: lock-step is fine
$c = $session($srv);
echo '2: ', $c->cmd('EHLO me') !== 'EOF' ? 'EHLO ok, ' : '', $c->cmd('MAIL FROM:<a@example.org>'), ', ',
    $c->cmd('QUIT'), "\n";
// 3: the client talks before the greeting (which is delayed)
$c = $session($srv, false);
$c->write("EHLO me\r\n");
echo '3: ', $c->reply(), $c->closed() ? " (closed)\n" : "\n";
// 4: the AUTH LOGIN user name sent before the 334 asks for it
$c = $session($srv);
$c->cmd('EHLO me');
$c->write("AUTH LOGIN\r\ndQ==\r\n");
echo '4: ', $c->reply(), $c->closed() ? " (closed)\n" : "\n";
$srv->stop();

$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'AUTH PLAIN'], 'auth_user' => 'u', 'auth_pass' => 'p']);
// 5: with PIPELINING, EHLO still ends a group: nothing may follow it unanswered
$c = $session($srv);
$c->write("EHLO me\r\nMAIL FROM:<a@example.org>\r\n");
echo '5: ', $c->reply(), $c->closed() ? " (closed)\n" : "\n";
// 6: with PIPELINING, MAIL, RCPT and DATA together, the next MAIL behind the end of data, then QUIT
$c = $session($srv);
$c->cmd('EHLO me');
$c->write("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
echo '6: ', $c->reply(), ', ', $c->reply(), ', ', $c->reply();
$c->write("Subject: x\r\n\r\nx\r\n.\r\nMAIL FROM:<a@example.org>\r\nRSET\r\nQUIT\r\n");
echo ', ', $c->reply(), ', ', $c->reply(), ', ', $c->reply(), ', ', $c->reply(), "\n";
// 7: AUTH PLAIN with its response completes in one round trip: MAIL may follow it (RFC 4954 4)
$c = $session($srv);
$c->cmd('EHLO me');
$c->write('AUTH PLAIN ' . base64_encode("\0u\0p") . "\r\nMAIL FROM:<a@example.org>\r\n");
echo '7: ', $c->reply(), ', ', $c->reply(), ', ', $c->cmd('QUIT'), "\n";
$srv->stop();

// 8: declared by the test: recorded as allowed, served as before, no report
$srv = mailer_test_server(['ehlo' => ['8BITMIME'], 'allow_violations' => ['pipelining']]);
$c = $session($srv);
$c->cmd('EHLO me');
$c->write("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n");
echo '8: ', $c->reply(), ', ', $c->reply(), "\n";
$c->close();
$srv->waitClosed(1);
$srv->stop();
echo json_encode($srv->violations()), "\n";
?>
--EXPECT--
1: 554 5.5.0 Error: SMTP protocol synchronization (closed)
2: EHLO ok, 250 2.1.0 Ok, 221 2.0.0 Bye
3: 554 5.5.0 Error: SMTP protocol synchronization (closed)
4: 554 5.5.0 Error: SMTP protocol synchronization (closed)

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: pipelining: "RCPT TO:<b@example.net>" sent before the reply to MAIL without PIPELINING
  connection 3: pipelining: "EHLO me" sent before the greeting
  connection 4: pipelining: "dQ==" sent before the reply to AUTH, which must end a pipelined group (RFC 2920)
5: 554 5.5.0 Error: SMTP protocol synchronization (closed)
6: 250 2.1.0 Ok, 250 2.1.5 Ok, 354 End data with <CR><LF>.<CR><LF>, 250 2.0.0 Ok: queued as TEST0001, 250 2.1.0 Ok, 250 2.0.0 Ok, 221 2.0.0 Bye
7: 235 2.7.0 Authentication successful, 250 2.1.0 Ok, 221 2.0.0 Bye

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: pipelining: "MAIL FROM:<a@example.org>" sent before the reply to EHLO, which must end a pipelined group (RFC 2920)
8: 250 2.1.0 Ok, 250 2.1.5 Ok
[{"connection":1,"rule":"pipelining","detail":"\"RCPT TO:<b@example.net>\" sent before the reply to MAIL without PIPELINING","allowed":true}]
