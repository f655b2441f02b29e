--TEST--
A server that refuses EHLO and HELO will not serve: ConnectionException at stage ehlo, and a host list fails over past it
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$refusing = mailer_test_server(['ehlo_reply' => '502 5.5.1 EHLO not implemented',
    'replies' => ['HELO' => '554 5.7.1 Access denied']]);
$m = new Mailer('127.0.0.1', $refusing->port, '', '', false, ['helo' => 'client.test']);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (Mailer\Exception $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
    var_dump($e->getSmtpCode(), $e->getCommand());
}
var_dump($m->isConnected());
// EHLO refused outright (not with a code that asks for HELO)
$no = mailer_test_server(['ehlo_reply' => '554 5.7.1 No SMTP service here']);
try {
    (new Mailer('127.0.0.1', $no->port))->connect();
} catch (Mailer\Exception $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
}
$good = mailer_test_server();
$m = new Mailer("127.0.0.1:{$refusing->port};127.0.0.1:{$good->port}");
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
var_dump($refusing->messageCount(), $good->messageCount());
?>
--EXPECT--
Mailer\ConnectionException [ehlo] the server refused EHLO and HELO: 554 5.7.1 Access denied
int(554)
string(16) "HELO client.test"
bool(false)
Mailer\ConnectionException [ehlo] the server refused EHLO: 554 5.7.1 No SMTP service here
250 2.0.0 Ok: queued as TEST0001
int(0)
int(1)
