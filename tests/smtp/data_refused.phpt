--TEST--
A 554 reply to DATA (pipelined or not): Mailer\Exception at stage data with the reply; the message is never sent, nothing recorded, and the session serves the next message
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach ([['PIPELINING', '8BITMIME'], ['8BITMIME']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo, 'replies' => ['DATA#1' => '554 5.7.1 Delivery not authorized']]);
    $m = new Mailer('127.0.0.1', $srv->port);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 'secret subject', 'secret body');
        echo "sent?\n";
    } catch (Mailer\Exception $e) {
        echo $ehlo[0], ': ', get_class($e), ' [', $e->getStage(), '] ', $e->getSmtpCode(), ' ',
            $e->getEnhancedStatus(), ' ', $e->getCommand(), ': ', $e->getMessage(), "\n";
    }
    // the next message goes through on the same connection
    echo $m->sendmail('a@example.org', 'b@example.net', 'next', 'next'), "\n";
    $m->close();
    // after the 554 the client said RSET; none of the first message reached the server
    preg_match_all('/^C: (\S+)/m', $srv->log(1), $cmds);
    echo implode(' ', $cmds[1]), "\n";
    var_dump(str_contains($srv->raw(1), 'secret'), $srv->messageCount(), $srv->connectionCount());
    $srv->stop();
}
?>
--EXPECT--
PIPELINING: Mailer\Exception [data] 554 5.7.1 DATA: the server refused DATA: 554 5.7.1 Delivery not authorized
250 2.0.0 Ok: queued as TEST0001
EHLO MAIL RCPT DATA RSET MAIL RCPT DATA . QUIT
bool(false)
int(1)
int(1)
8BITMIME: Mailer\Exception [data] 554 5.7.1 DATA: the server refused DATA: 554 5.7.1 Delivery not authorized
250 2.0.0 Ok: queued as TEST0001
EHLO MAIL RCPT DATA RSET MAIL RCPT DATA . QUIT
bool(false)
int(1)
int(1)
