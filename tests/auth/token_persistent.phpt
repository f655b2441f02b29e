--TEST--
auth_token: a persistent session resumed already authenticated does not call the callable; close() ends it and the next connection asks again
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['auth_user' => 'me@example.org', 'ehlo' => ['AUTH XOAUTH2'],
    'auth_tokens' => ['tok-ok' => true]]);
$calls = 0;
$opts = ['persistent' => 'oauth', 'allow_insecure_auth' => true,
    'auth_token' => function (bool $refresh) use (&$calls): string {
        $calls++;
        return 'tok-ok';
    }];
$a = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, $opts);
echo $a->sendmail('a@example.org', 'b@example.net', 'one', 'b'), "\n";
unset($a); // kept, not ended
$b = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, $opts);
echo $b->sendmail('a@example.org', 'b@example.net', 'two', 'b'), "\n";
echo "calls: $calls, connections: ", $srv->connectionCount(), ', AUTH: ', substr_count($srv->log(1), 'C: AUTH'), "\n";
unset($b);
// a third object resumes it too, without a call
$d = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, $opts);
echo $d->sendmail('a@example.org', 'b@example.net', 'three', 'b'), "\n";
echo "calls: $calls, connections: ", $srv->connectionCount(), "\n";
// close() ends it: the next one connects and asks for the token
$d->close();
$e = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, $opts);
echo $e->sendmail('a@example.org', 'b@example.net', 'four', 'b'), "\n";
echo "calls: $calls, connections: ", $srv->connectionCount(), "\n";
$e->close();
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
calls: 1, connections: 1, AUTH: 1
250 2.0.0 Ok: queued as TEST0003
calls: 1, connections: 1
250 2.0.0 Ok: queued as TEST0004
calls: 2, connections: 2
