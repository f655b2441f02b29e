--TEST--
Postfix relay port: a recipient refused at RCPT by Postfix's access map is RecipientException listing it; the transaction is dropped, nobody gets the message
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$bad = 'nobody@' . mailer_postfix_env()['MAILER_POSTFIX_REJECT_DOMAIN'];
$m = mailer_postfix_mailer('relay');
try {
    $m->sendmail('a@example.org', ['ok1@example.net', $bad, 'ok2@example.net'], "refused $tag", 'body',
        ['Message-ID' => "<refused.$tag@php-mailer.test>"]);
    echo "sent?!\n";
} catch (Mailer\RecipientException $e) {
    echo get_class($e), ' ', $e->getSmtpCode(), ' ', $e->getEnhancedStatus(), ' ', $e->getStage(), "\n";
    var_dump($e->getRejected());
}
// The session is still usable: the next message on it goes through.
var_dump(mailer_postfix_queue_id($m->sendmail('a@example.org', 'ok3@example.net', "after $tag", 'body',
    ['Message-ID' => "<after.$tag@php-mailer.test>"])) !== null);
$m->close();

// Only the second message arrives; once it is in, the refused one would have been too.
$files = mailer_postfix_wait("after.$tag");
var_dump(count($files));
usleep(200000);
$files = mailer_postfix_wait($tag, 2, 0.0);
var_dump(count($files), str_contains(file_get_contents($files[0]), "Delivered-To: ok3@example.net\n"));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
Mailer\RecipientException 550 5.1.1 rcpt
array(1) {
  ["nobody@rejected.test"]=>
  string(91) "550 5.1.1 <nobody@rejected.test>: Recipient address rejected: no such mailbox (test policy)"
}
bool(true)
int(1)
int(1)
bool(true)
