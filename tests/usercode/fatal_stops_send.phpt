--TEST--
User code that fails during a send: a fatal error (E_USER_ERROR, memory limit) in a debug handler, a stream wrapper or __toString() before the end of data drops the session without a byte more; nothing is delivered, the Mailer is usable in shutdown functions
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/usercode.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]); // no SIZE: the attachment is read once, while sent
$n = 0;
foreach (['fatal' => ['greeting', 'ehlo', 'mail', 'rcpt', '354', 'wrapper', 'data'], 'memory' => ['wrapper', 'data']] as $kind => $points) {
    foreach ($points as $point) {
        [$status, $out] = uc_run_child($kind, $point, $srv->port);
        echo "$kind at $point: status $status\n$out\nthe server got: ", uc_client_said($srv, ++$n), "\n";
    }
}
$tls = mailer_test_server(['starttls' => true, 'ehlo' => ['PIPELINING', '8BITMIME', 'STARTTLS']]);
[$status, $out] = uc_run_child('fatal', 'tostring', $tls->port, $tls->cert['ca']);
echo "fatal at tostring: status $status\n$out\nthe server got: ", uc_client_said($tls, 1), "\n";
var_dump($srv->messageCount(), $tls->messageCount());
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECT--
fatal at greeting: status 255
Fatal error: fatal at S: 220 test.local ESMTP ready in CHILD on line N
shutdown: connected=false
the server got: 
fatal at ehlo: status 255
Fatal error: fatal at S: 250-test.local in CHILD on line N
shutdown: connected=false
the server got: EHLO
fatal at mail: status 255
Fatal error: fatal at S: 250 2.1.0 Ok in CHILD on line N
shutdown: connected=false
the server got: EHLO MAIL
fatal at rcpt: status 255
Fatal error: fatal at S: 250 2.1.5 Ok in CHILD on line N
shutdown: connected=false
the server got: EHLO MAIL RCPT
fatal at 354: status 255
Fatal error: fatal at S: 354 End data with <CR><LF>.<CR><LF> in CHILD on line N
shutdown: connected=false
the server got: EHLO MAIL RCPT DATA
fatal at wrapper: status 255
Fatal error: fatal at offset 65536 in CHILD on line N
shutdown: connected=false
the server got: EHLO MAIL RCPT DATA
fatal at data: status 255
Fatal error: fatal at C: [message: 267 octets, then <CRLF>.<CRLF>] in CHILD on line N
shutdown: connected=false
the server got: EHLO MAIL RCPT DATA
memory at wrapper: status 255
Fatal error: Allowed memory size of 33554432 bytes exhausted (tried to allocate N bytes) in CHILD on line N
shutdown: connected=false
the server got: EHLO MAIL RCPT DATA
memory at data: status 255
Fatal error: Allowed memory size of 33554432 bytes exhausted (tried to allocate N bytes) in CHILD on line N
shutdown: connected=false
the server got: EHLO MAIL RCPT DATA
fatal at tostring: status 255
Fatal error: fatal at cafile in CHILD on line N
shutdown: connected=false
the server got: EHLO STARTTLS
int(0)
int(0)
