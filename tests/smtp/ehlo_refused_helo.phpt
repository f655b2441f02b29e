--TEST--
EHLO refused with 502: the client falls back to HELO and sends without extensions
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['ehlo_reply' => '502 5.5.1 EHLO not implemented']);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['helo' => 'old.test']);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
var_dump($m->getCapabilities());
$m->close();
$srv->waitClosed(1);
$log = explode("\n", $srv->log(1));
echo implode("\n", array_slice($log, 0, 6)), "\n";
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
array(0) {
}
S: 220 test.local ESMTP ready
C: EHLO old.test
S: 502 5.5.1 EHLO not implemented
C: HELO old.test
S: 250 test.local
C: MAIL FROM:<a@example.org>
