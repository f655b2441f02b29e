--TEST--
Host list "a;b": a host that refuses the connection or greets with 421 is skipped before MAIL FROM
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
// a port with nothing listening: bind and close to find a free one
$probe = stream_socket_server('tcp://127.0.0.1:0');
$dead = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
$busy = mailer_test_server(['greeting' => '421 4.3.2 busy']);
$good = mailer_test_server();
$lines = [];
$m = new Mailer("127.0.0.1:$dead; 127.0.0.1:{$busy->port};127.0.0.1:{$good->port}", 25, '', '', true,
    ['debug_handler' => function ($l) use (&$lines) { $lines[] = $l; }]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
$m->close();
var_dump($good->messageCount(), $busy->messageCount());
foreach ($lines as $l) {
    if ($l[0] === '*') {
        echo preg_replace('/:\d+/', ':PORT', $l), "\n";
    }
}
// all hosts failing: the last host's failure is reported
$m = new Mailer("127.0.0.1:$dead;127.0.0.1:{$busy->port}");
try {
    $m->connect();
} catch (Mailer\Exception $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
}
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST0001
int(1)
int(0)
* connecting to 127.0.0.1:PORT
* could not connect to 127.0.0.1:PORT: Connection refused
* trying the next host
* connecting to 127.0.0.1:PORT
* connected
* connection closed
* trying the next host
* connecting to 127.0.0.1:PORT
* connected
* connection closed
Mailer\ConnectionException [greeting] the server refused the connection: 421 4.3.2 busy
