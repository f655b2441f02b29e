--TEST--
XOAUTH2: a token too long for one command line goes after "AUTH XOAUTH2" and a 334; an error challenge gets an empty answer, then 535
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$token = str_repeat('ya29.', 120); // 600 octets: past the 512-octet line limit once encoded
$srv = mailer_test_server(['auth_user' => 'user@example.org', 'auth_pass' => $token]);
$m = new Mailer('127.0.0.1', $srv->port, 'user@example.org', $token, false, ['auth' => 'XOAUTH2', 'allow_insecure_auth' => true]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
$m->close();
$srv->waitClosed(1);
$log = explode("\n", $srv->log(1));
foreach ($log as $l) {
    if (str_starts_with($l, 'C: AUTH') || str_starts_with($l, 'S: 334') || str_starts_with($l, 'S: 235')) {
        echo strlen($l) > 40 ? substr($l, 0, 20) . '...' : $l, "\n";
    }
}
$m = new Mailer('127.0.0.1', $srv->port, 'user@example.org', 'expired', false, ['auth' => 'XOAUTH2', 'allow_insecure_auth' => true]);
try {
    $m->connect();
} catch (Mailer\AuthenticationException $e) {
    echo $e->getSmtpCode(), ' ', $e->getCommand(), "\n";
}
$srv->waitClosed(2);
$log = $srv->log(2);
// after the 334 error challenge the client sent an empty line
var_dump((bool)preg_match('/S: 334 \S+\nC: \nS: 535/', $log));
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
C: AUTH XOAUTH2
S: 334 
S: 235 2.7.0 Authentication successful
535 AUTH XOAUTH2 ****
bool(true)
