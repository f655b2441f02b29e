--TEST--
persistent: a session outlives its object and is resumed by the next identical one; close() ends it; a dead one is replaced
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
$events = [];
$debug = function ($l) use (&$events) { if ($l[0] === '*') $events[] = preg_replace('/:\d+/', ':PORT', $l); };
$opts = ['persistent' => 'pool1', 'debug_handler' => $debug];
$a = new Mailer('127.0.0.1', $srv->port, '', '', true, $opts);
echo $a->sendmail('a@example.org', 'b@example.net', 'one', 'b'), "\n";
unset($a); // no QUIT: the session is kept
$b = new Mailer('127.0.0.1', $srv->port, '', '', true, $opts);
echo $b->sendmail('a@example.org', 'b@example.net', 'two', 'b'), "\n";
var_dump($b->getCapabilities() !== []);
echo implode("\n", $events), "\n";
var_dump($srv->connectionCount(), substr_count($srv->log(1), 'C: QUIT'));
// the liveness check before reuse
var_dump(substr_count($srv->log(1), 'C: RSET'));
// the resumed session still pipelines: MAIL, RCPT and DATA in one read, for both messages
var_dump(count(array_filter($srv->reads(1), fn($n) => $n === 3)));
// another pool (or no persistence) is another connection; close() really ends the session
$b->close();
$events = [];
$c = new Mailer('127.0.0.1', $srv->port, '', '', true, $opts);
echo $c->sendmail('a@example.org', 'b@example.net', 'three', 'b'), "\n";
echo implode("\n", $events), "\n";
var_dump($srv->connectionCount());
unset($c);

// the server dropped the kept connection: the next object notices and connects again
$idle = mailer_test_server(['close_after_messages' => 1]);
$d = new Mailer('127.0.0.1', $idle->port, '', '', false, ['persistent' => true]);
$d->sendmail('a@example.org', 'b@example.net', 'one', 'b');
unset($d);
usleep(200000);
$e = new Mailer('127.0.0.1', $idle->port, '', '', false, ['persistent' => true]);
echo $e->sendmail('a@example.org', 'b@example.net', 'two', 'b'), "\n";
var_dump($idle->connectionCount(), $idle->messageCount());

try {
    new Mailer('127.0.0.1', 25, '', '', false, ['persistent' => 'has space']);
} catch (ValueError $ex) {
    echo $ex->getMessage(), "\n";
}
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
bool(true)
* connecting to 127.0.0.1:PORT
* connected
* connecting to 127.0.0.1:PORT
* reusing a persistent connection
int(1)
int(0)
int(1)
int(2)
250 2.0.0 Ok: queued as TEST0003
* connecting to 127.0.0.1:PORT
* connected
int(2)
250 2.0.0 Ok: queued as TEST0002
int(2)
int(2)
Mailer::__construct(): Argument #6 ($options) option "persistent" as a pool id must be 1 to 64 printable ASCII characters without spaces
