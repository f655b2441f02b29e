--TEST--
PIPELINING: MAIL, all 50 RCPTs and DATA leave together and the replies are read after; lock-step without it
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$rcpts = [];
for ($i = 1; $i <= 50; $i++) {
    $rcpts[] = "r$i@example.net";
}
foreach ([['PIPELINING'], ['8BITMIME']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo, 'replies' => ['RCPT:r17@' => '550 5.1.1 unknown']]);
    $order = '';
    $m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['partial' => true,
        'debug_handler' => function ($l) use (&$order) { $order .= $l[0]; }]);
    echo $m->sendmail('a@example.org', $rcpts, 's', 'b'), "\n";
    // C = a line sent, S = a line received: "CCC...SSS" is one batch, "CSCS" is lock-step
    $envelope = substr($order, strpos($order, 'C', 8));
    echo $ehlo[0], ': ', preg_replace(['/C{2,}/', '/S{2,}/'], ['C*', 'S*'], substr($envelope, 0, 110)), "\n";
    $recipients = $m->getLastRecipients();
    // refusals are matched to the right recipient
    var_dump(count($recipients), $recipients['r17@example.net']['code'], $recipients['r18@example.net']['code']);
    var_dump(count($srv->envelope(1)['rcpt']));
    // what the server saw: the reads that carried MAIL, the 50 RCPTs and DATA
    $reads = $srv->reads(1);
    $envelopeReads = array_slice($reads, 1, $ehlo[0] === 'PIPELINING' ? 1 : 52);
    echo 'envelope reads: ', count($envelopeReads), ', commands: ', array_sum($envelopeReads), "\n";
}
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
PIPELINING: C*S*CS
int(50)
int(550)
int(250)
int(49)
envelope reads: 1, commands: 52
250 2.0.0 Ok: queued as TEST0001
8BITMIME: CSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCSCS
int(50)
int(550)
int(250)
int(49)
envelope reads: 52, commands: 52
