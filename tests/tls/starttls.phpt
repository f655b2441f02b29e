--TEST--
STARTTLS: certificate verified against the context's cafile, EHLO again after TLS, earlier capabilities forgotten
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server([
    'starttls' => true,
    'ehlo' => ['PIPELINING', 'STARTTLS', 'X-BEFORE-TLS'],
    'ehlo_after_tls' => ['PIPELINING', 'SIZE 1000000', 'X-AFTER-TLS'],
]);
$ctx = stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['context' => $ctx, 'helo' => 'client.test']);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
var_dump(array_keys($m->getCapabilities()));
$m->close();
$srv->waitClosed(1);
echo $srv->log(1);
var_dump($srv->envelope(1)['tls']);
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST0001
array(3) {
  [0]=>
  string(10) "PIPELINING"
  [1]=>
  string(4) "SIZE"
  [2]=>
  string(11) "X-AFTER-TLS"
}
S: 220 test.local ESMTP ready
C: EHLO client.test
S: 250-test.local
S: 250-PIPELINING
S: 250-STARTTLS
S: 250 X-BEFORE-TLS
C: STARTTLS
S: 220 2.0.0 Ready to start TLS
* TLS started
C: EHLO client.test
S: 250-test.local
S: 250-PIPELINING
S: 250-SIZE 1000000
S: 250 X-AFTER-TLS
C: MAIL FROM:<a@example.org> SIZE=%d
S: 250 2.1.0 Ok
C: RCPT TO:<b@example.net>
S: 250 2.1.5 Ok
C: DATA
S: 354 End data with <CR><LF>.<CR><LF>
* data %d octets
C: .
S: 250 2.0.0 Ok: queued as TEST0001
C: QUIT
S: 221 2.0.0 Bye
* closed
bool(true)
