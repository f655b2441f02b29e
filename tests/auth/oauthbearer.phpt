--TEST--
OAUTHBEARER (RFC 7628): the token is accepted; a rejected token's JSON challenge is answered with ^A and ends in 535
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['auth_user' => 'me@example.org', 'auth_pass' => 'tok-123', 'ehlo' => ['AUTH OAUTHBEARER XOAUTH2']]);
$m = new Mailer('127.0.0.1', $srv->port, 'me@example.org', 'tok-123', false, ['auth' => 'OAUTHBEARER', 'allow_insecure_auth' => true]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
$m->close();
$m = new Mailer('127.0.0.1', $srv->port, 'me@example.org', 'expired', false, ['auth' => 'OAUTHBEARER', 'allow_insecure_auth' => true]);
try {
    $m->connect();
} catch (Mailer\AuthenticationException $e) {
    echo $e->getSmtpCode(), ' ', $e->getCommand(), "\n";
}
$srv->waitClosed(2);
var_dump((bool)preg_match('/S: 334 \S+\nC: AQ==\nS: 535/', $srv->log(2)));
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
535 AUTH OAUTHBEARER ****
bool(true)
