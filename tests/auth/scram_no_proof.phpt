--TEST--
SCRAM-SHA-256: a server that answers the client's proof with 235 but never sends its own ("v=") is refused: AuthenticationException, no MAIL
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['auth_user' => 'u', 'auth_pass' => 'p', 'scram_no_proof' => true,
    'ehlo' => ['AUTH SCRAM-SHA-256']]);
$m = new Mailer('127.0.0.1', $srv->port, 'u', 'p', false, ['allow_insecure_auth' => true]);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    echo "sent\n";
} catch (Mailer\AuthenticationException $e) {
    echo $e->getStage(), ': ', $e->getMessage(), "\n";
}
var_dump($m->isConnected());
usleep(50000);
var_dump(preg_match('/^C: MAIL/m', $srv->log(1)));
?>
--EXPECT--
auth: the server accepted SCRAM without proving it knows the password
bool(false)
int(0)
