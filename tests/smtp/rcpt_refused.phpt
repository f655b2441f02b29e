--TEST--
Refused recipients: all-or-nothing, RecipientException lists every refusal, RSET, no DATA
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['replies' => [
    'RCPT:nobody@example.net' => '550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown',
    'RCPT:full@example.net' => '450 4.2.1 Mailbox busy',
]]);
$m = new Mailer('127.0.0.1', $srv->port);
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
var_dump($m->isConnected());
// the connection is reusable after the reset
echo $m->sendmail('a@example.org', 'ok@example.net', 's', 'b'), "\n";
$m->close();
$srv->waitClosed(1);
$log = $srv->log(1);
var_dump(substr_count($log, 'C: DATA'), substr_count($log, 'C: RSET'), $srv->messageCount());
?>
--EXPECT--
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
bool(true)
250 2.0.0 Ok: queued as TEST0001
int(1)
int(1)
int(1)
