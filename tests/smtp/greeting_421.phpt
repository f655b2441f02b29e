--TEST--
A 421 greeting is a Mailer\ConnectionException (the server will not serve) at stage "greeting" with the server's code and reply
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['greeting' => '421 4.3.2 Service not available, closing channel']);
$m = new Mailer('127.0.0.1', $srv->port);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (Mailer\ConnectionException $e) {
    echo get_class($e), "\n", $e->getMessage(), "\n";
    var_dump($e->getStage(), $e->getSmtpCode(), $e->getCode(), $e->getEnhancedStatus(), $e->getReply());
}
var_dump($m->isConnected());
$srv->waitClosed(1);
var_dump(str_contains($srv->log(1), 'MAIL FROM'));
?>
--EXPECT--
Mailer\ConnectionException
the server refused the connection: 421 4.3.2 Service not available, closing channel
string(8) "greeting"
int(421)
int(421)
string(5) "4.3.2"
string(48) "421 4.3.2 Service not available, closing channel"
bool(false)
bool(false)
