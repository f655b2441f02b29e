--TEST--
AUTH PLAIN, LOGIN, CRAM-MD5 and XOAUTH2: right credentials accepted, wrong ones an AuthenticationException with 535
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['auth_user' => 'user@example.org', 'auth_pass' => 's3cret pass', 'auth_require' => true]);
foreach (['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as $mech) {
    foreach (['s3cret pass', 'wrong'] as $pass) {
        $m = new Mailer('127.0.0.1', $srv->port, 'user@example.org', $pass, false,
            ['auth' => $mech, 'allow_insecure_auth' => true]);
        try {
            $reply = $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
            echo "$mech $pass: $reply\n";
        } catch (Mailer\AuthenticationException $e) {
            echo "$mech $pass: ", get_class($e), ' [', $e->getStage(), '] ', $e->getSmtpCode(), ' ',
                $e->getEnhancedStatus(), ' ', $e->getCommand(), "\n";
            var_dump($m->isConnected());
        }
        $m->close();
    }
}
?>
--EXPECT--
PLAIN s3cret pass: 250 2.0.0 Ok: queued as TEST0001
PLAIN wrong: Mailer\AuthenticationException [auth] 535 5.7.8 AUTH PLAIN ****
bool(false)
LOGIN s3cret pass: 250 2.0.0 Ok: queued as TEST0002
LOGIN wrong: Mailer\AuthenticationException [auth] 535 5.7.8 AUTH LOGIN ****
bool(false)
CRAM-MD5 s3cret pass: 250 2.0.0 Ok: queued as TEST0003
CRAM-MD5 wrong: Mailer\AuthenticationException [auth] 535 5.7.8 AUTH CRAM-MD5 ****
bool(false)
XOAUTH2 s3cret pass: 250 2.0.0 Ok: queued as TEST0004
XOAUTH2 wrong: Mailer\AuthenticationException [auth] 535 5.7.8 AUTH XOAUTH2 ****
bool(false)
