--TEST--
Symfony bridge against Postfix: a wrong password on submission is a TransportException with code 535 (the password nowhere), a recipient Postfix refuses is one with code 550 and nobody gets the message, a certificate from an unknown CA is refused
--EXTENSIONS--
mailer
mbstring
intl
iconv
ctype
--SKIPIF--
<?php
require __DIR__ . '/bridge.inc';
require __DIR__ . '/../inc/postfix.inc';
mailer_bridge_skipif();
mailer_postfix_skipif();
?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
require __DIR__ . '/../inc/postfix.inc';
mailer_bridge_load();

use Symfony\Component\Mailer\Exception\TransportException;
use Symfony\Component\Mime\Email;

$pf = mailer_postfix_env();
$tag = mailer_postfix_tag();
$ca = rawurlencode($pf['MAILER_POSTFIX_CA']);
$user = rawurlencode($pf['MAILER_POSTFIX_USER']);
$email = fn (string $id, string ...$to) => (new Email())->from('a@example.org')->to(...$to)
    ->subject("$id $tag")->text("body $tag\n");
$report = function (TransportException $e): void {
    $p = $e->getPrevious();
    echo get_class($e), ' code=', $e->getCode(), ' ', get_class($p), ' ', $p->getEnhancedStatus(), ' ', $p->getStage(), "\n";
};

echo "-- wrong password\n";
$secret = "wrong-$tag";
$t = mailer_bridge_transport("native+smtp://$user:$secret@127.0.0.1:{$pf['MAILER_POSTFIX_SUBMISSION_PORT']}?cafile=$ca&transcript=1");
try {
    $t->send($email('auth', 'b@example.net'));
    echo "sent?!\n";
} catch (TransportException $e) {
    $report($e);
    echo '  ', $e->getMessage(), "\n";
    $all = $e->getMessage() . $e->getDebug() . $e . $e->getPrevious()->getReply() . $e->getPrevious()->getCommand();
    var_dump(str_contains($all, $secret), str_contains($all, base64_encode($secret)),
        str_contains($e->getDebug(), 'C: AUTH '));
}

echo "-- refused recipient\n";
$bad = 'nobody@' . $pf['MAILER_POSTFIX_REJECT_DOMAIN'];
$t = mailer_bridge_transport("native+smtp://127.0.0.1:{$pf['MAILER_POSTFIX_RELAY_PORT']}");
try {
    $t->send($email('refused', 'ok@example.net', $bad));
    echo "sent?!\n";
} catch (TransportException $e) {
    $report($e);
    echo '  ', json_encode(array_keys($e->getPrevious()->getRejected())), "\n";
}
// the transport goes on: the next message arrives, the refused one never does
$sent = $t->send($email('after', 'ok@example.net'));
$files = mailer_postfix_wait("after $tag");
var_dump(count($files), preg_match('/^[0-9A-Za-z]+$/', $sent->getMessageId()));
usleep(300000);
var_dump(count(mailer_postfix_wait("refused $tag", 1, 0.0)));

echo "-- certificate of an unknown CA (no cafile: the system store)\n";
$t = mailer_bridge_transport("native+smtps://$user:x@127.0.0.1:{$pf['MAILER_POSTFIX_SMTPS_PORT']}?timeout=10");
try {
    $t->send($email('ca', 'b@example.net'));
    echo "sent?!\n";
} catch (TransportException $e) {
    $report($e);
}
mailer_postfix_cleanup($tag);
mailer_bridge_cleanup();
?>
--EXPECTF--
-- wrong password
Symfony\Component\Mailer\Exception\TransportException code=535 Mailer\AuthenticationException 5.7.8 auth
  %s535 5.7.8 Error: authentication failed: %s
bool(false)
bool(false)
bool(true)
-- refused recipient
Symfony\Component\Mailer\Exception\TransportException code=550 Mailer\RecipientException 5.1.1 rcpt
  ["nobody@rejected.test"]
int(1)
int(1)
int(0)
-- certificate of an unknown CA (no cafile: the system store)
Symfony\Component\Mailer\Exception\TransportException code=0 Mailer\ConnectionException  connect
