--TEST--
Postfix submission port (STARTTLS + AUTH): a 5 MB body with non-ASCII text and long lines is delivered intact (decoded apart from the extension, compared by hash)
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
// Lines past 998 octets and 8-bit text force the client to encode; the content must survive it.
// Built with implode(): appending 5 MB piecewise costs minutes under valgrind (realloc copies).
$lines = [];
for ($i = 0, $size = 0; $size < 5 * 1024 * 1024; $i++) {
    $lines[] = $line = "<p>$i Grüße 世界 " . str_repeat('lorem ipsum ', $i % 7 === 0 ? 120 : 6) . "</p>\n";
    $size += strlen($line);
}
$body = implode('', $lines);
unset($lines);
$m = mailer_postfix_mailer('submission', ['auth' => 'PLAIN']);
$reply = $m->sendmail('a@example.org', 'b@example.net', "large $tag", $body, ['Message-ID' => "<large.$tag@php-mailer.test>"]);
$m->close();
var_dump(mailer_postfix_queue_id($reply) !== null);
$files = mailer_postfix_wait($tag);
$d = mailer_postfix_decode_single(file_get_contents($files[0]));
// Lines over 998 octets leave no choice but an encoding.
echo in_array($d['cte'], ['quoted-printable', 'base64'], true) ? 'encoded' : $d['cte'], "\n";
var_dump($d['max_line'] <= 998, strlen((string)$d['text']) === strlen($body), hash('sha256', (string)$d['text']) === hash('sha256', $body));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
bool(true)
encoded
bool(true)
bool(true)
bool(true)
