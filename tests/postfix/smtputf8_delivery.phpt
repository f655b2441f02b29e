--TEST--
Postfix relay port: UTF-8 local parts (SMTPUTF8) and an internationalised domain are accepted and delivered
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$m = mailer_postfix_mailer('relay');
$reply = $m->sendmail('Sënder <sënder@example.org>', ['Jösé <jösé@example.org>', 'Zoë <zoe@münchen.de>'],
    "Grüße $tag", "<p>ok</p>\n", ['Message-ID' => "<utf8.$tag@php-mailer.test>"]);
$m->close();
var_dump(mailer_postfix_queue_id($reply) !== null);
$files = mailer_postfix_wait($tag, 2);
$seen = [];
foreach ($files as $f) {
    $eml = file_get_contents($f);
    preg_match('/^Return-Path: (.*)$/m', $eml, $rp);
    preg_match('/^Delivered-To: (.*)$/m', $eml, $dt);
    // Postfix marks a message received with SMTPUTF8 as such.
    $seen[] = $dt[1] . ' from ' . $rp[1] . (preg_match('/\) with UTF8SMTP id /', $eml) ? ' (UTF8SMTP)' : '');
}
sort($seen);
// With SMTPUTF8 the domain may travel as U-label or A-label (RFC 6531); both name one domain.
$idn = fn(string $s) => str_replace('xn--mnchen-3ya.de', 'münchen.de', $s);
echo $idn(implode("\n", $seen)), "\n";
$h = mailer_postfix_headers(mailer_test_python_parse(file_get_contents($files[0])));
echo $h['from'][0], "\n", $idn($h['to'][0]), "\n";
mailer_postfix_cleanup($tag);
?>
--EXPECT--
bool(true)
jösé@example.org from <sënder@example.org> (UTF8SMTP)
zoe@münchen.de from <sënder@example.org> (UTF8SMTP)
Sënder <sënder@example.org>
Jösé <jösé@example.org>, Zoë <zoe@münchen.de>
