--TEST--
tls=starttls and the server answers STARTTLS with something else than 220: ConnectionException at stage starttls with the reply; no AUTH, no MAIL in plaintext
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach (['454 4.7.0 TLS not available due to temporary reason', '502 5.5.1 Error: command not implemented'] as $reply) {
    foreach ([['u', 'p'], ['', '']] as [$user, $pass]) {
        $srv = mailer_test_server(['starttls' => true, 'auth_user' => 'u', 'auth_pass' => 'p',
            'replies' => ['STARTTLS' => $reply]]);
        $m = new Mailer('127.0.0.1', $srv->port, $user, $pass, false, ['tls' => 'starttls']);
        try {
            $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
            echo "sent?\n";
        } catch (Mailer\Exception $e) {
            echo $user === '' ? 'no user' : 'user', ': ', get_class($e), ' [', $e->getStage(), '] ', $e->getSmtpCode(),
                ' ', $e->getCommand(), ': ', $e->getMessage(), "\n";
        }
        $srv->waitClosed(1);
        preg_match_all('/^C: (\S+)/m', $srv->log(1), $cmds);
        echo '  ', implode(' ', $cmds[1]), ', messages: ', $srv->messageCount(), "\n";
        $srv->stop();
    }
}
?>
--EXPECT--
user: Mailer\ConnectionException [starttls] 454 STARTTLS: the server refused STARTTLS: 454 4.7.0 TLS not available due to temporary reason
  EHLO STARTTLS, messages: 0
no user: Mailer\ConnectionException [starttls] 454 STARTTLS: the server refused STARTTLS: 454 4.7.0 TLS not available due to temporary reason
  EHLO STARTTLS, messages: 0
user: Mailer\ConnectionException [starttls] 502 STARTTLS: the server refused STARTTLS: 502 5.5.1 Error: command not implemented
  EHLO STARTTLS, messages: 0
no user: Mailer\ConnectionException [starttls] 502 STARTTLS: the server refused STARTTLS: 502 5.5.1 Error: command not implemented
  EHLO STARTTLS, messages: 0
