--TEST--
auth_token: checked at construction (callable; auth auto, XOAUTH2 or OAUTHBEARER; a user name and no password); auto picks OAUTHBEARER, else XOAUTH2, as offered; what the callable returns is checked before anything is sent
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$token = fn(bool $refresh): string => 'tok-ok';
$try = function (callable $make) {
    try {
        $make();
        echo "constructed\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
};
$try(fn() => new Mailer('h', 25, 'me', '', false, ['auth_token' => 'no_such_function']));
$try(fn() => new Mailer('h', 25, 'me', '', false, ['auth_token' => 'tok-ok']));
$try(fn() => new Mailer('h', 25, 'me', '', false, ['auth_token' => $token, 'auth' => 'PLAIN']));
$try(fn() => new Mailer('h', 25, 'me', '', false, ['auth' => 'scram-sha-256', 'auth_token' => $token]));
$try(fn() => new Mailer('h', 25, '', '', false, ['auth_token' => $token]));
$try(fn() => new Mailer('h', 25, 'me', 'secret', false, ['auth_token' => $token]));
$try(fn() => new Mailer('h', 25, 'me', '', false, ['auth_token' => $token, 'auth' => 'xoauth2']));
$try(fn() => new Mailer('h', 25, 'me', '', false, ['auth_token' => 'strtoupper', 'auth' => 'OAUTHBEARER']));

// auto with a token: OAUTHBEARER when offered, else XOAUTH2; a password mechanism never
$srv = mailer_test_server(['auth_user' => 'me@example.org', 'auth_tokens' => ['tok-ok' => true],
    'ehlo' => ['AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER SCRAM-SHA-256']]);
$x = mailer_test_server(['auth_user' => 'me@example.org', 'auth_tokens' => ['tok-ok' => true],
    'ehlo' => ['AUTH PLAIN XOAUTH2']]);
$none = mailer_test_server(['auth_user' => 'me@example.org', 'auth_pass' => 'pw', 'ehlo' => ['AUTH PLAIN LOGIN CRAM-MD5']]);
foreach (['both' => $srv, 'xoauth2 only' => $x, 'neither' => $none] as $name => $s) {
    $m = new Mailer('127.0.0.1', $s->port, 'me@example.org', '', false, ['allow_insecure_auth' => true, 'auth_token' => $token]);
    try {
        $m->connect();
        $m->close();
        $s->waitClosed(1);
        preg_match('/^C: (AUTH \S+)/m', $s->log(1), $a);
        echo "$name: ", $a[1], "\n";
    } catch (Mailer\Exception $e) {
        echo "$name: ", get_class($e), ': ', $e->getMessage(), "\n";
        $s->waitClosed(1);
        echo '  AUTH sent: ', substr_count($s->log(1), 'C: AUTH'), "\n";
    }
}

// the callable's value: a string, not empty, no control characters; nothing goes out otherwise
$n = 1;
foreach ([42, null, '', "tok\r\nQUIT", "tok\x01x"] as $bad) {
    $m = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, ['allow_insecure_auth' => true,
        'auth_token' => fn(bool $refresh) => $bad]);
    try {
        $m->connect();
        echo "connected?\n";
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    $srv->waitClosed(++$n);
    echo '  the server got: ', implode(' ', array_map(fn($l) => explode(' ', substr($l, 3))[0],
        preg_grep('/^C: /', explode("\n", $srv->log($n))))), '; connected: ', var_export($m->isConnected(), true), "\n";
}
?>
--EXPECT--
TypeError: Mailer::__construct(): Argument #6 ($options) option "auth_token" must be of type callable, string given
TypeError: Mailer::__construct(): Argument #6 ($options) option "auth_token" must be of type callable, string given
ValueError: Mailer::__construct(): Argument #6 ($options) option "auth_token" needs "auth" to be "auto", "XOAUTH2" or "OAUTHBEARER", "PLAIN" given
ValueError: Mailer::__construct(): Argument #6 ($options) option "auth_token" needs "auth" to be "auto", "XOAUTH2" or "OAUTHBEARER", "SCRAM-SHA-256" given
ValueError: Mailer::__construct(): Argument #3 ($user) must be the account's user name when option "auth_token" is given (the token is for that account)
ValueError: Mailer::__construct(): Argument #4 ($pass) must be empty when option "auth_token" is given (the token takes the password's place)
constructed
constructed
both: AUTH OAUTHBEARER
xoauth2 only: AUTH XOAUTH2
neither: Mailer\AuthenticationException: the auth_token option needs OAUTHBEARER or XOAUTH2, which the server does not offer (it offers: PLAIN LOGIN CRAM-MD5)
  AUTH sent: 0
TypeError: Mailer: option "auth_token": the callable must return a string, int returned
  the server got: EHLO; connected: false
TypeError: Mailer: option "auth_token": the callable must return a string, null returned
  the server got: EHLO; connected: false
ValueError: Mailer: option "auth_token": the callable returned an empty token or one with control characters
  the server got: EHLO; connected: false
ValueError: Mailer: option "auth_token": the callable returned an empty token or one with control characters
  the server got: EHLO; connected: false
ValueError: Mailer: option "auth_token": the callable returned an empty token or one with control characters
  the server got: EHLO; connected: false
