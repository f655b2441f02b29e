--TEST--
SCRAM-SHA-256: chosen first by auth=auto, the server's signature verified; a wrong password or a server that cannot prove itself fails
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['auth_user' => 'user,name', 'auth_pass' => 'pencil', 'auth_require' => true,
    'ehlo' => ['PIPELINING', 'AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256']]);
$m = new Mailer('127.0.0.1', $srv->port, 'user,name', 'pencil', false, ['allow_insecure_auth' => true]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
$m->close();
usleep(50000);
preg_match('/^C: (AUTH \S+)/m', $srv->log(1), $mm);
var_dump($mm[1], $srv->envelope(1)['auth']);
$m = new Mailer('127.0.0.1', $srv->port, 'user,name', 'wrong', false, ['allow_insecure_auth' => true]);
try {
    $m->connect();
} catch (Mailer\AuthenticationException $e) {
    echo $e->getSmtpCode(), ' ', $e->getCommand(), "\n";
}
$liar = mailer_test_server(['auth_user' => 'u', 'auth_pass' => 'p', 'scram_bad_signature' => true,
    'ehlo' => ['AUTH SCRAM-SHA-256']]);
$m = new Mailer('127.0.0.1', $liar->port, 'u', 'p', false, ['allow_insecure_auth' => true]);
try {
    $m->connect();
} catch (Mailer\AuthenticationException $e) {
    echo $e->getMessage(), "\n";
}
var_dump($m->isConnected());
$slow = mailer_test_server(['auth_user' => 'u', 'auth_pass' => 'p', 'scram_iterations' => 50000000,
    'ehlo' => ['AUTH SCRAM-SHA-256']]);
$m = new Mailer('127.0.0.1', $slow->port, 'u', 'p', false, ['allow_insecure_auth' => true]);
try {
    $m->connect();
} catch (Mailer\AuthenticationException $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
string(18) "AUTH SCRAM-SHA-256"
string(9) "user,name"
535 AUTH SCRAM-SHA-256 ****
the server's SCRAM signature is wrong: it does not know the password (not the server it claims to be?)
bool(false)
the server's SCRAM iteration count is missing or out of range
