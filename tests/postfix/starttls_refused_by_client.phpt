--TEST--
Postfix submission port with the client's tls => none: Postfix requires STARTTLS first and refuses MAIL with 530 5.7.0; the client reports it, nothing delivered
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
// No credentials: a client configured for cleartext must not get as far as AUTH anyway.
$m = mailer_postfix_mailer('submission', ['tls' => 'none'], '', '');
try {
    $m->sendmail('a@example.org', 'b@example.net', "cleartext $tag", 'body', ['Message-ID' => "<clear.$tag@php-mailer.test>"]);
    echo "sent?!\n";
} catch (Mailer\Exception $e) {
    echo get_class($e), ' ', $e->getSmtpCode(), ' ', $e->getEnhancedStatus(), ' ', $e->getStage(), "\n", $e->getReply(), "\n";
}
// With credentials, the client itself refuses to send them in cleartext (secure by default).
$m = mailer_postfix_mailer('submission', ['tls' => 'none']);
try {
    $m->connect();
    echo "connected?!\n";
} catch (Mailer\Exception $e) {
    echo get_class($e), ' ', $e->getStage(), ' ', str_contains($e->getMessage(), 'allow_insecure_auth') ? 'names allow_insecure_auth' : $e->getMessage(), "\n";
}
usleep(200000);
var_dump(mailer_postfix_wait($tag, 1, 0.0));
?>
--EXPECT--
Mailer\Exception 530 5.7.0 mail
530 5.7.0 Must issue a STARTTLS command first
Mailer\AuthenticationException auth names allow_insecure_auth
array(0) {
}
