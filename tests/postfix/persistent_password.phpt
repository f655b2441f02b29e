--TEST--
Postfix submission port, persistent: a session kept by one user and password is never resumed with another password: the wrong one fails AUTH (535) on a connection of its own, nothing is delivered for it
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$opts = ['persistent' => "pw-$tag"];
$a = mailer_postfix_mailer('submission', $opts);
echo substr($a->sendmail('a@example.org', 'x@example.net', "right $tag", 'a'), 0, 3), "\n";
unset($a); // the authenticated session is kept
$b = mailer_postfix_mailer('submission', $opts, null, 'not-the-password');
try {
    $b->sendmail('a@example.org', 'x@example.net', "wrong $tag", 'b');
    echo "sent\n";
} catch (Mailer\AuthenticationException $e) {
    echo get_class($e), ' ', $e->getSmtpCode(), "\n";
}
unset($b);
$files = mailer_postfix_wait($tag, 2, 5.0);
var_dump(count($files), str_contains(file_get_contents($files[0]), "right $tag"));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
250
Mailer\AuthenticationException 535
int(1)
bool(true)
