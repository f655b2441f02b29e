--TEST--
Postfix submission port: a wrong password is AuthenticationException with Postfix's 535 5.7.8, for each mechanism, and the password appears nowhere
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$secret = "wrong-$tag";
foreach (['PLAIN', 'LOGIN', 'CRAM-MD5'] as $mech) {
    $m = mailer_postfix_mailer('submission', ['auth' => $mech], null, $secret);
    try {
        $m->sendmail('a@example.org', 'b@example.net', "never sent $tag", 'body');
        echo "$mech: sent?!\n";
    } catch (Mailer\AuthenticationException $e) {
        echo $mech, ': ', get_class($e), ' ', $e->getSmtpCode(), ' ', $e->getEnhancedStatus(), ' ', $e->getStage(), "\n";
        echo '  ', $e->getReply(), "\n";
        $all = $e->getMessage() . $e->getReply() . $e->getCommand() . $e;
        var_dump(str_contains($all, $secret), str_contains($all, base64_encode($secret)));
    }
}
// The right password still works on the same port: the failures were only the password's.
$m = mailer_postfix_mailer('submission', ['auth' => 'PLAIN']);
$m->connect();
var_dump($m->isConnected());
$m->close();
?>
--EXPECTF--
PLAIN: Mailer\AuthenticationException 535 5.7.8 auth
  535 5.7.8 Error: authentication failed: %s
bool(false)
bool(false)
LOGIN: Mailer\AuthenticationException 535 5.7.8 auth
  535 5.7.8 Error: authentication failed: %s
bool(false)
bool(false)
CRAM-MD5: Mailer\AuthenticationException 535 5.7.8 auth
  535 5.7.8 Error: authentication failed: %s
bool(false)
bool(false)
bool(true)
