--TEST--
SIZE: the size is announced with MAIL FROM; a message over the server's limit is refused before anything is sent
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'SIZE 2000']]);
$m = new Mailer('127.0.0.1', $srv->port);
$m->sendmail('a@example.org', 'b@example.net', 'small', str_repeat("x\n", 10));
preg_match('/SIZE=(\d+)/', $srv->envelope(1)['mail_from'], $mm);
var_dump((int)$mm[1] === strlen($srv->message(1)));
try {
    $m->sendmail('a@example.org', 'b@example.net', 'big', str_repeat("0123456789\n", 300));
} catch (Mailer\Exception $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', preg_replace('/\d{4}/', 'N', $e->getMessage()), "\n";
}
$m->close();
usleep(100000);
var_dump(substr_count($srv->log(1), 'C: MAIL'), $srv->messageCount());
?>
--EXPECT--
bool(true)
Mailer\Exception [mail] the message is N octets; the server accepts at most N (SIZE); nothing was sent
int(1)
int(1)
