--TEST--
auth=auto picks the strongest offered mechanism (CRAM-MD5, then PLAIN, then LOGIN); no AUTH offered is a clear error
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach (['AUTH LOGIN PLAIN CRAM-MD5', 'AUTH LOGIN PLAIN', 'AUTH LOGIN', 'AUTH GSSAPI', null] as $auth) {
    $ehlo = ['PIPELINING'];
    if ($auth) {
        $ehlo[] = $auth;
    }
    $srv = mailer_test_server(['ehlo' => $ehlo, 'auth_user' => 'u', 'auth_pass' => 'p']);
    $m = new Mailer('127.0.0.1', $srv->port, 'u', 'p', false, ['allow_insecure_auth' => true]);
    try {
        $m->connect();
        $m->close();
        preg_match('/^C: (AUTH \S+)/m', $srv->log(1), $mm);
        echo ($auth ?? 'none'), ' -> ', $mm[1], "\n";
    } catch (Mailer\AuthenticationException $e) {
        echo ($auth ?? 'none'), ' -> ', $e->getMessage(), "\n";
    }
    $srv->stop();
}
?>
--EXPECT--
AUTH LOGIN PLAIN CRAM-MD5 -> AUTH CRAM-MD5
AUTH LOGIN PLAIN -> AUTH PLAIN
AUTH LOGIN -> AUTH LOGIN
AUTH GSSAPI -> the server offers no supported AUTH mechanism (it offers: GSSAPI)
none -> a user name was given but the server does not offer AUTH
