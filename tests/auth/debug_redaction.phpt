--TEST--
Debug output shows every line sent and received but never a credential (PLAIN, LOGIN, CRAM-MD5, XOAUTH2)
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$user = 'alice@example.org';
$pass = 'Secr3t-Passw0rd';
$srv = mailer_test_server(['auth_user' => $user, 'auth_pass' => $pass]);
$secrets = [$pass, base64_encode($user), base64_encode($pass), base64_encode("\0$user\0$pass"),
    base64_encode("user=$user\1auth=Bearer $pass\1\1")];
foreach (['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as $mech) {
    ob_start();
    $m = new Mailer('127.0.0.1', $srv->port, $user, $pass, true, ['auth' => $mech, 'allow_insecure_auth' => true]);
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    $m->close();
    $out = ob_get_clean();
    $leaks = array_filter($secrets, fn($s) => str_contains($out, $s));
    $lines = array_filter(explode("\n", $out), fn($l) => str_contains($l, 'AUTH') || str_contains($l, '****'));
    echo "$mech: ", count($leaks), " leaks\n", implode("\n", $lines), "\n";
    // CRAM-MD5's response is a secret-derived digest; it must be masked too
    if ($mech === 'CRAM-MD5') {
        var_dump(preg_match('/debug: C: [A-Za-z0-9+\/]{20,}={0,2}$/m', $out));
    }
}
// the exception never carries the credential either
$m = new Mailer('127.0.0.1', $srv->port, $user, 'wrong-' . $pass, false, ['auth' => 'PLAIN', 'allow_insecure_auth' => true]);
try { $m->connect(); } catch (Mailer\Exception $e) {
    var_dump(str_contains(print_r($e, true), $pass), str_contains((string)$e, $pass));
}
?>
--EXPECT--
PLAIN: 0 leaks
debug: S: 250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2
debug: C: AUTH PLAIN ****
LOGIN: 0 leaks
debug: S: 250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2
debug: C: AUTH LOGIN
debug: C: ****
debug: C: ****
CRAM-MD5: 0 leaks
debug: S: 250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2
debug: C: AUTH CRAM-MD5
debug: C: ****
int(0)
XOAUTH2: 0 leaks
debug: S: 250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2
debug: C: AUTH XOAUTH2 ****
debug: * authenticated with XOAUTH2
bool(false)
bool(false)
