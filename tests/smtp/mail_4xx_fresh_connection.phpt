--TEST--
451/452 to MAIL FROM on a fresh connection (new, or only connect()ed) is the server's answer: thrown at stage mail, no reconnect
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['replies' => ['MAIL' => '452 4.3.1 Insufficient system storage']]);
$m = new Mailer('127.0.0.1', $srv->port);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (Mailer\Exception $e) {
    echo get_class($e), ' (', $e->getStage(), ', ', $e->getSmtpCode(), '): ', $e->getMessage(), "\n";
}
var_dump($m->isConnected(), $srv->connectionCount());
$m->close();

$srv2 = mailer_test_server(['replies' => ['MAIL' => '451 4.7.1 Try again later']]);
$m = new Mailer('127.0.0.1', $srv2->port);
$m->connect();
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (Mailer\Exception $e) {
    echo get_class($e), ' (', $e->getStage(), ', ', $e->getSmtpCode(), '): ', $e->getMessage(), "\n";
}
var_dump($m->isConnected(), $srv2->connectionCount(), substr_count($srv2->log(1), 'C: MAIL FROM'));
?>
--EXPECT--
Mailer\Exception (mail, 452): the server refused the sender: 452 4.3.1 Insufficient system storage
bool(true)
int(1)
Mailer\Exception (mail, 451): the server refused the sender: 451 4.7.1 Try again later
bool(true)
int(1)
int(1)
