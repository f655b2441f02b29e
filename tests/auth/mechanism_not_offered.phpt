--TEST--
auth option naming a mechanism the server does not offer (or no AUTH offered at all): AuthenticationException before any AUTH command goes out
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach ([['LOGIN', ['PIPELINING', 'AUTH PLAIN CRAM-MD5']], ['PLAIN', ['PIPELINING']],
          ['XOAUTH2', ['PIPELINING', 'AUTH PLAIN LOGIN']]] as [$mech, $ehlo]) {
    $srv = mailer_test_server(['ehlo' => $ehlo, 'auth_user' => 'u', 'auth_pass' => 'p']);
    $m = new Mailer('127.0.0.1', $srv->port, 'u', 'p', false, ['allow_insecure_auth' => true, 'auth' => $mech]);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    } catch (Mailer\AuthenticationException $e) {
        echo $mech, ': [', $e->getStage(), '] ', $e->getMessage(), "\n";
    }
    unset($m);
    $srv->waitClosed(1);
    // nothing of the credentials, no AUTH and no MAIL reached the server
    var_dump(preg_match('/^C: (AUTH|MAIL)/m', $srv->log(1)), $srv->messageCount());
    $srv->stop();
}
?>
--EXPECT--
LOGIN: [auth] the auth option asks for LOGIN, which the server does not offer (it offers: PLAIN CRAM-MD5)
int(0)
int(0)
PLAIN: [auth] a user name was given but the server does not offer AUTH
int(0)
int(0)
XOAUTH2: [auth] the auth option asks for XOAUTH2, which the server does not offer (it offers: PLAIN LOGIN)
int(0)
int(0)
