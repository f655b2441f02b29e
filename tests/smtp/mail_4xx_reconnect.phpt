--TEST--
451/452 to MAIL FROM on a connection that already carried mail (OpenSMTPD's max-mails): the mailer reconnects once and sends that message, nothing lost or doubled
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['max_mails' => 2]);
$m = new Mailer('127.0.0.1', $srv->port);
for ($i = 1; $i <= 5; $i++) {
    echo $m->sendmail('a@example.org', 'b@example.net', "message $i", 'b'), "\n";
}
$m->close();
$srv->waitClosed(3);
var_dump($srv->messageCount(), $srv->connectionCount());
for ($i = 1; $i <= 5; $i++) {
    preg_match('/^Subject: (.*)\r$/m', $srv->message($i), $s);
    echo $s[1], ' on connection ', $srv->envelope($i)['connection'], "\n";
}
// the worn-out connection was left with QUIT, after the refusal was reset
$log = $srv->log(1);
echo substr($log, strrpos($log, 'C: MAIL FROM'));

// another server's way of saying it: a 451 to the second MAIL
$srv2 = mailer_test_server(['replies' => ['MAIL#2' => '451 4.7.1 Try again later']]);
$m = new Mailer('127.0.0.1', $srv2->port);
echo $m->sendmail('a@example.org', 'b@example.net', 'one', 'b'), "\n";
echo $m->sendmail('a@example.org', 'b@example.net', 'two', 'b'), "\n";
var_dump($srv2->messageCount(), $srv2->connectionCount());
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
250 2.0.0 Ok: queued as TEST0003
250 2.0.0 Ok: queued as TEST0004
250 2.0.0 Ok: queued as TEST0005
int(5)
int(3)
message 1 on connection 1
message 2 on connection 1
message 3 on connection 2
message 4 on connection 2
message 5 on connection 3
C: MAIL FROM:<a@example.org> SIZE=%d
S: 452 4.5.3 Too many messages sent
C: RCPT TO:<b@example.net>
S: 503 5.5.1 Error: need MAIL command
C: DATA
S: 503 5.5.1 Error: need MAIL command
C: RSET
S: 250 2.0.0 Ok
C: QUIT
S: 221 2.0.0 Bye
* closed
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
int(2)
int(2)
