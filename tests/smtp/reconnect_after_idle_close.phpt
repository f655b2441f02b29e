--TEST--
The server closed the connection between sends: the next send reconnects before MAIL FROM, once
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['close_after_messages' => 1]);
$m = new Mailer('127.0.0.1', $srv->port);
echo $m->sendmail('a@example.org', 'b@example.net', 'one', 'b'), "\n";
usleep(100000);
echo $m->sendmail('a@example.org', 'b@example.net', 'two', 'b'), "\n";
usleep(100000);
echo $m->sendmail('a@example.org', 'b@example.net', 'three', 'b'), "\n";
$m->close();
var_dump($srv->messageCount(), $srv->connectionCount());
$srv2 = mailer_test_server(['close_after_messages' => 1, 'close_reply' => '421 4.4.2 idle timeout']);
$m = new Mailer('127.0.0.1', $srv2->port);
echo $m->sendmail('a@example.org', 'b@example.net', 'one', 'b'), "\n";
usleep(100000);
echo $m->sendmail('a@example.org', 'b@example.net', 'two', 'b'), "\n";
var_dump($srv2->messageCount(), $srv2->connectionCount());
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
250 2.0.0 Ok: queued as TEST0003
int(3)
int(3)
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
int(2)
int(2)
