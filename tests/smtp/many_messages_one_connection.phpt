--TEST--
100 messages over one TCP connection, each accepted, in order
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);
$ok = 0;
for ($i = 1; $i <= 100; $i++) {
    $reply = $m->sendmail('a@example.org', 'b@example.net', "message $i", "body $i");
    if ($reply === sprintf('250 2.0.0 Ok: queued as TEST%04d', $i)) {
        $ok++;
    }
}
$m->close();
$srv->waitClosed(1);
var_dump($ok, $srv->connectionCount(), $srv->messageCount());
var_dump(str_contains($srv->message(57), "Subject: message 57\r\n"), str_ends_with($srv->message(100), "body 100\r\n"));
?>
--EXPECT--
int(100)
int(1)
int(100)
bool(true)
bool(true)
