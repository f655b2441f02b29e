--TEST--
Postfix relay port: a message over the SIZE Postfix advertises (its message_size_limit, 20480000) is refused before any of it is sent, nothing is delivered, and the session stays usable
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
    // The client compares with the limit from Postfix's EHLO; a client that did not would get
    // Postfix's 552 5.3.4 instead.
    echo get_class($e), ' ', $e->getStage(), ' ', $e->getSmtpCode(), "\n";
    var_dump(str_contains($e->getMessage(), '20480000'), $m->getCapabilities()['SIZE']);
}
unset($body);
var_dump(mailer_postfix_queue_id($m->sendmail('a@example.org', 'b@example.net', "small $tag", 'fits',
    ['Message-ID' => "<small.$tag@php-mailer.test>"])) !== null);
$m->close();
$files = mailer_postfix_wait("small.$tag");
usleep(200000);
var_dump(count(mailer_postfix_wait($tag, 2, 0.0)));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
Mailer\Exception mail 0
bool(true)
string(8) "20480000"
bool(true)
int(1)
