--TEST--
Connection dropped after the end of data: ConnectionException at stage "eod", delivery uncertain, no retry
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['drop' => ['at' => 'EOD']]);
$m = new Mailer('127.0.0.1', $srv->port);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (Mailer\ConnectionException $e) {
    echo $e->getMessage(), "\n";
    var_dump($e->getStage(), $e->getSmtpCode(), $e->getCommand());
}
var_dump($m->isConnected());
usleep(200000);
// no second attempt behind the caller's back
var_dump($srv->connectionCount(), substr_count($srv->log(1), 'C: MAIL FROM'));
?>
--EXPECT--
connection closed by the server after the end of the message was sent: delivery is uncertain, the message may or may not have been accepted
string(3) "eod"
int(0)
string(1) "."
bool(false)
int(1)
int(1)
