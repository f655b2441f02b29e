--TEST--
auth_token: the callable runs while the Mailer is busy: every Mailer method called from it is an Error "Mailer is busy sending"; the send goes on and delivers once
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../usercode/usercode.inc';
$srv = mailer_test_server(['auth_user' => 'me@example.org', 'ehlo' => ['AUTH OAUTHBEARER'],
    'auth_tokens' => ['tok-ok' => true]]);
$mailer = null;
$seen = null;
$mailer = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, ['allow_insecure_auth' => true,
    'auth_token' => function (bool $refresh) use (&$mailer, &$seen): string {
        $seen = uc_mailer_calls($mailer);
        return 'tok-ok';
    }]);
echo $mailer->sendmail('a@example.org', 'b@example.net', 'subject', 'body'), "\n";
uc_print($seen);
$mailer->close();
$srv->waitClosed(1);
var_dump($srv->connectionCount(), $srv->messageCount());
echo substr_count($srv->log(1), 'C: AUTH'), ' AUTH, ', substr_count($srv->log(1), 'C: MAIL FROM'), " MAIL\n";
$mailer = null; // the callable holds it by reference
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
__construct: Error: Mailer::__construct() cannot be called twice
sendmail: Error: Mailer is busy sending; Mailer::sendmail() cannot be called until that is done
send: Error: Mailer is busy sending; Mailer::send() cannot be called until that is done
sendRaw: Error: Mailer is busy sending; Mailer::sendRaw() cannot be called until that is done
sign: Error: Mailer is busy sending; Mailer::sign() cannot be called until that is done
debug: Error: Mailer is busy sending; Mailer::debug() cannot be called until that is done
connect: Error: Mailer is busy sending; Mailer::connect() cannot be called until that is done
close: Error: Mailer is busy sending; Mailer::close() cannot be called until that is done
isConnected: Error: Mailer is busy sending; Mailer::isConnected() cannot be called until that is done
getCapabilities: Error: Mailer is busy sending; Mailer::getCapabilities() cannot be called until that is done
getLastReply: Error: Mailer is busy sending; Mailer::getLastReply() cannot be called until that is done
getLastRecipients: Error: Mailer is busy sending; Mailer::getLastRecipients() cannot be called until that is done
int(1)
int(1)
1 AUTH, 1 MAIL
