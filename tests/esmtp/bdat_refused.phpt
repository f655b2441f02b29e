--TEST--
CHUNKING: a 5xx reply to BDAT ... LAST is Mailer\Exception with the code, the enhanced status and stage eod; the message is not delivered and the session serves the next one
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach ([['PIPELINING', 'CHUNKING'], ['CHUNKING']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo,
        'replies' => ['BDAT#1' => '552 5.3.4 Message size exceeds fixed maximum message size']]);
    $m = new Mailer('127.0.0.1', $srv->port);
    try {
        echo $m->sendmail('a@example.org', 'b@example.net', 'first', 'first'), "\n";
    } catch (Mailer\Exception $e) {
        echo implode(' ', $ehlo), ': ', get_class($e), ' [', $e->getStage(), '] ', $e->getSmtpCode(), ' ',
            $e->getEnhancedStatus(), ' ', preg_replace('/\d+/', 'N', $e->getCommand()), ': ', $e->getMessage(), "\n";
    }
    echo $m->sendmail('a@example.org', 'b@example.net', 'second', 'second'), "\n";
    $m->close();
    preg_match_all('/^C: (\S+)/m', $srv->log(1), $cmds);
    echo implode(' ', $cmds[1]), "\n";
    var_dump($srv->messageCount(), str_contains($srv->message(1), 'Subject: second'));
    $srv->stop();
}
?>
--EXPECT--
PIPELINING CHUNKING: Mailer\Exception [eod] 552 5.3.4 BDAT N LAST: the server refused the message: 552 5.3.4 Message size exceeds fixed maximum message size
250 2.0.0 Ok: queued as TEST0001
EHLO MAIL RCPT BDAT MAIL RCPT BDAT QUIT
int(1)
bool(true)
CHUNKING: Mailer\Exception [eod] 552 5.3.4 BDAT N LAST: the server refused the message: 552 5.3.4 Message size exceeds fixed maximum message size
250 2.0.0 Ok: queued as TEST0001
EHLO MAIL RCPT BDAT MAIL RCPT BDAT QUIT
int(1)
bool(true)
