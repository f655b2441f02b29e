--TEST--
Test server, concurrent: several sessions served at once (each in a child process), the lifetime counts shared: message numbers and queue ids run on over all of them, and POINT#n means the n-th over all sessions
--EXTENSIONS--
mailer
--SKIPIF--
<?php if (!function_exists('pcntl_fork')) die('skip ext/pcntl is needed'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['concurrent' => true, 'replies' => ['MAIL#5' => '550 5.7.1 not you']]);
$mailers = [];
for ($i = 1; $i <= 3; $i++) {
    $mailers[$i] = new Mailer('127.0.0.1', $srv->port, '', '', false, ['timeout' => 5]);
    $mailers[$i]->connect(); // all three open at once: a server serving one at a time would stall here
}
$replies = [];
for ($round = 1; $round <= 2; $round++) {
    foreach ($mailers as $i => $m) {
        try {
            $replies[] = "$i: " . $m->sendRaw('a@example.org', 'b@example.net', "Subject: $round from $i\r\n\r\nx\r\n");
        } catch (Mailer\Exception $e) {
            $replies[] = "$i: " . $e->getReply();
        }
    }
}
echo implode("\n", $replies), "\n";
foreach ($mailers as $m) {
    $m->close();
}
var_dump($srv->connectionCount(), $srv->messageCount());
$subjects = [];
for ($n = 1; $n <= $srv->messageCount(); $n++) {
    preg_match('/^Subject: (.*)\r$/m', $srv->message($n), $mm);
    $subjects[] = $srv->envelope($n)['connection'] . ': ' . $mm[1];
}
echo implode("\n", $subjects), "\n";
?>
--EXPECT--
1: 250 2.0.0 Ok: queued as TEST0001
2: 250 2.0.0 Ok: queued as TEST0002
3: 250 2.0.0 Ok: queued as TEST0003
1: 250 2.0.0 Ok: queued as TEST0004
2: 550 5.7.1 not you
3: 250 2.0.0 Ok: queued as TEST0005
int(3)
int(5)
1: 1 from 1
2: 1 from 2
3: 1 from 3
1: 2 from 1
3: 2 from 3
