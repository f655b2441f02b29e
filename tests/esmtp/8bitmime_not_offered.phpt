--TEST--
8BITMIME not offered: sendRaw() of 8-bit data is refused before MAIL FROM (by DATA and by BDAT); 7-bit raw data and built messages still go
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$eightBit = "Subject: x\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n";
foreach ([['PIPELINING', 'SIZE 100000'], ['PIPELINING', 'CHUNKING']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo]);
    $m = new Mailer('127.0.0.1', $srv->port);
    try {
        $m->sendRaw('a@example.org', 'b@example.net', $eightBit);
    } catch (Mailer\Exception $e) {
        echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
    }
    echo $m->sendRaw('a@example.org', 'b@example.net', "Subject: x\r\n\r\nplain\r\n"), "\n";
    echo $m->sendmail('a@example.org', 'b@example.net', 'Grüße', 'Grüße'), "\n";
    $m->close();
    // the 8-bit message never reached the server: no MAIL for it, two 7-bit messages
    preg_match_all('/^C: MAIL .*$/m', $srv->log(1), $mails);
    echo implode("\n", $mails[0]), "\n";
    var_dump($srv->messageCount(), preg_match('/[\x80-\xff]/', $srv->message(1) . $srv->message(2)));
    $srv->stop();
}
?>
--EXPECTF--
Mailer\Exception [mail] the message has 8-bit data, which needs 8BITMIME (RFC 6152); the server does not offer it; nothing was sent
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
C: MAIL FROM:<a@example.org> SIZE=%d
C: MAIL FROM:<a@example.org> SIZE=%d
int(2)
int(0)
Mailer\Exception [mail] the message has 8-bit data, which needs 8BITMIME (RFC 6152); the server does not offer it; nothing was sent
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
C: MAIL FROM:<a@example.org>
C: MAIL FROM:<a@example.org>
int(2)
int(0)
