--TEST--
Postfix relay port: a message over Postfix's message_size_limit (20480000) is refused with 552 5.3.4 and not delivered; the session stays usable
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$m = mailer_postfix_mailer('relay');
$body = str_repeat('<p>' . str_repeat('y', 70) . "</p>\n", 270000); // about 21 MB
try {
    $m->sendmail('a@example.org', 'b@example.net', "too big $tag", $body, ['Message-ID' => "<big.$tag@php-mailer.test>"]);
    echo "sent?!\n";
} catch (Mailer\Exception $e) {
    // Refused at MAIL when the client declares SIZE=, else after the data.
    echo get_class($e), ' ', $e->getSmtpCode(), ' ', $e->getEnhancedStatus(), ' ',
        in_array($e->getStage(), ['mail', 'eod'], true) ? 'mail-or-eod' : $e->getStage(), "\n";
}
unset($body);
echo substr($m->sendmail('a@example.org', 'b@example.net', "small $tag", 'fits', ['Message-ID' => "<small.$tag@php-mailer.test>"]), 0, 24), "\n";
$m->close();
$files = mailer_postfix_wait("small.$tag");
usleep(200000);
var_dump(count(mailer_postfix_wait($tag, 2, 0.0)));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
Mailer\Exception 552 5.3.4 mail-or-eod
250 2.0.0 Ok: queued as 
int(1)
