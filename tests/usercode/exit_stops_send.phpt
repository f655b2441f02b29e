--TEST--
User code that fails during a send: exit() in a debug handler, a stream wrapper or __toString() at any point before the end of data exits with its status; nothing is delivered, no end of data, no QUIT
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/usercode.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]); // no SIZE: the attachment is read once, while sent
$n = 0;
foreach (['greeting', 'ehlo', 'mail', 'rcpt', '354', 'wrapper', 'data'] as $point) {
    [$status, $out] = uc_run_child('exit', $point, $srv->port);
    echo "$point: status $status, $out; the server got: ", uc_client_said($srv, ++$n), "\n";
}
$tls = mailer_test_server(['starttls' => true, 'ehlo' => ['PIPELINING', '8BITMIME', 'STARTTLS']]);
$n = 0;
foreach (['starttls', 'tostring'] as $point) {
    [$status, $out] = uc_run_child('exit', $point, $tls->port, $tls->cert['ca']);
    echo "$point: status $status, $out; the server got: ", uc_client_said($tls, ++$n), "\n";
}
var_dump($srv->messageCount(), $tls->messageCount());
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECT--
greeting: status 7, shutdown: connected=false; the server got: 
ehlo: status 7, shutdown: connected=false; the server got: EHLO
mail: status 7, shutdown: connected=false; the server got: EHLO MAIL
rcpt: status 7, shutdown: connected=false; the server got: EHLO MAIL RCPT
354: status 7, shutdown: connected=false; the server got: EHLO MAIL RCPT DATA
wrapper: status 7, shutdown: connected=false; the server got: EHLO MAIL RCPT DATA
data: status 7, shutdown: connected=false; the server got: EHLO MAIL RCPT DATA
starttls: status 7, shutdown: connected=false; the server got: EHLO STARTTLS
tostring: status 7, shutdown: connected=false; the server got: EHLO STARTTLS
int(0)
int(0)
