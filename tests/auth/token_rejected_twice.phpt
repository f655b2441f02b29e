--TEST--
auth_token: when the refreshed token is refused too, AuthenticationException (535, stage auth); the callable was called exactly twice, nothing more was tried and nothing sent
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['auth_user' => 'me@example.org', 'ehlo' => ['AUTH XOAUTH2 OAUTHBEARER'],
    'auth_tokens' => ['tok-1' => false, 'tok-2' => false, 'tok-3' => true]]);
$calls = [];
$n = 0;
$m = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, ['allow_insecure_auth' => true,
    'auth_token' => function (bool $refresh) use (&$calls, &$n): string {
        $calls[] = $refresh;
        return 'tok-' . ++$n;
    }]);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    echo "sent?\n";
} catch (Mailer\AuthenticationException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
    echo $e->getSmtpCode(), ' ', $e->getEnhancedStatus(), ' ', $e->getStage(), ' ', $e->getCommand(), "\n";
    var_dump(str_contains(print_r($e, true), 'tok-'));
}
echo 'calls: ', json_encode($calls), "\n";
$srv->waitClosed(1);
$log = $srv->log(1);
echo 'AUTH commands: ', substr_count($log, 'C: AUTH OAUTHBEARER'), ', MAIL: ', substr_count($log, 'C: MAIL'),
    ', messages: ', $srv->messageCount(), ', connections: ', $srv->connectionCount(), "\n";
var_dump($m->isConnected());
// the next send starts over: a new connection, the callable asked afresh ($refresh false first)
$calls = [];
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
echo 'calls: ', json_encode($calls), "\n";
?>
--EXPECT--
Mailer\AuthenticationException: authentication failed: 535 5.7.8 Error: authentication failed
535 5.7.8 auth AUTH OAUTHBEARER ****
bool(false)
calls: [false,true]
AUTH commands: 2, MAIL: 0, messages: 0, connections: 1
bool(false)
250 2.0.0 Ok: queued as TEST0001
calls: [false]
