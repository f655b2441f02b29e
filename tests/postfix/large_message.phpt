--TEST--
Postfix submission port (STARTTLS + AUTH): a 5 MB body with non-ASCII text and long lines is delivered intact (decoded by Python, compared by hash)
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$body = '';
for ($i = 0; strlen($body) < 5 * 1024 * 1024; $i++) {
    // Lines past 998 octets and 8-bit text force the client to encode; the content must survive it.
    $body .= "<p>$i Grüße 世界 " . str_repeat('lorem ipsum ', $i % 7 === 0 ? 120 : 6) . "</p>\n";
}
$m = mailer_postfix_mailer('submission', ['auth' => 'PLAIN']);
$reply = $m->sendmail('a@example.org', 'b@example.net', "large $tag", $body, ['Message-ID' => "<large.$tag@php-mailer.test>"]);
$m->close();
var_dump(mailer_postfix_queue_id($reply) !== null);
$files = mailer_postfix_wait($tag);
$p = mailer_test_python_parse(file_get_contents($files[0]));
var_dump($p['defects'], $p['max_line'] <= 998, count($p['parts']));
var_dump(hash('sha256', str_replace("\r\n", "\n", $p['parts'][0]['text'])) === hash('sha256', $body));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
bool(true)
array(0) {
}
bool(true)
int(1)
bool(true)
