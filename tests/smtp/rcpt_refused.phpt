--TEST--
Refused recipients: all-or-nothing, RecipientException lists every refusal; nothing delivered, the connection serves the next send
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach ([true, false] as $pipelining) {
    echo "pipelining: ", var_export($pipelining, true), "\n";
    $srv = mailer_test_server(['replies' => [
        'RCPT:nobody@example.net' => '550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown',
        'RCPT:full@example.net' => '450 4.2.1 Mailbox busy',
    ]]);
    $m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['pipelining' => $pipelining]);
    try {
        $m->sendmail('a@example.org', ['ok@example.net', 'nobody@example.net', 'full@example.net', 'ok2@example.net'], 's', 'b');
    } catch (Mailer\RecipientException $e) {
        echo $e->getMessage(), "\n";
        var_dump($e->getStage(), $e->getSmtpCode(), $e->getEnhancedStatus(), $e->getCommand());
        var_dump($e->getRejected());
    }
    foreach ($m->getLastRecipients() as $addr => $r) {
        echo "$addr {$r['code']} {$r['status']}\n";
    }
    echo $m->sendmail('a@example.org', 'ok@example.net', 's', 'b'), "\n";
    $m->close();
    usleep(100000);
    // nothing reached the refused transaction's recipients
    var_dump($srv->messageCount(), $srv->envelope(1)['rcpt']);
    $log = $srv->log(1);
    if ($pipelining) {
        // DATA went out with the envelope and got its 354: the only way to abandon
        // the message is to drop the connection before the final dot
        var_dump(str_contains($log, "C: DATA\nS: 354"), str_contains($log, '* data'), $srv->connectionCount());
    } else {
        var_dump(substr_count($log, 'C: DATA'), substr_count($log, 'C: RSET'), $srv->connectionCount());
    }
}
?>
--EXPECT--
pipelining: true
the server refused 2 of 4 recipients; nothing was sent (first: <nobody@example.net>: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown)
string(4) "rcpt"
int(550)
string(5) "5.1.1"
string(28) "RCPT TO:<nobody@example.net>"
array(2) {
  ["nobody@example.net"]=>
  string(72) "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown"
  ["full@example.net"]=>
  string(22) "450 4.2.1 Mailbox busy"
}
ok@example.net 250 2.1.5
nobody@example.net 550 5.1.1
full@example.net 450 4.2.1
ok2@example.net 250 2.1.5
250 2.0.0 Ok: queued as TEST0001
int(1)
array(1) {
  [0]=>
  string(24) "RCPT TO:<ok@example.net>"
}
bool(true)
bool(false)
int(2)
pipelining: false
the server refused 2 of 4 recipients; nothing was sent (first: <nobody@example.net>: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown)
string(4) "rcpt"
int(550)
string(5) "5.1.1"
string(28) "RCPT TO:<nobody@example.net>"
array(2) {
  ["nobody@example.net"]=>
  string(72) "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown"
  ["full@example.net"]=>
  string(22) "450 4.2.1 Mailbox busy"
}
ok@example.net 250 2.1.5
nobody@example.net 550 5.1.1
full@example.net 450 4.2.1
ok2@example.net 250 2.1.5
250 2.0.0 Ok: queued as TEST0001
int(1)
array(1) {
  [0]=>
  string(24) "RCPT TO:<ok@example.net>"
}
int(1)
int(1)
int(1)
