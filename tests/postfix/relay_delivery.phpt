--TEST--
Postfix relay port (no TLS, no AUTH): a message with non-ASCII subject and names is delivered to every recipient, headers and body intact
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$subject = "Grüße aus Köln — 你好，世界 🎉 $tag";
$body = "<p>Zoë’s café: àéîõü ñ ç ✓</p>\n<p>second line</p>\n";
$m = mailer_postfix_mailer('relay');
$reply = $m->sendmail('"Doe, Jöhn" <john@example.org>', ['Zoë Ünïcode <zoe@example.net>', '李小龙 <li@example.com>'],
    $subject, $body, ['Cc' => 'Cc Pèrson <cc@example.net>', 'Bcc' => 'hidden@example.org',
    'Message-ID' => "<$tag@php-mailer.test>", 'X-Test' => "héllo wörld"]);
$m->close();
var_dump((bool)preg_match('/^250 2\.0\.0 Ok: (\d+ bytes )?queued as [0-9A-Za-z]+$/', $reply));

// Postfix delivers one copy per recipient, each with its own Delivered-To.
$files = mailer_postfix_wait($tag, 4);
$rcpts = [];
foreach ($files as $f) {
    $eml = file_get_contents($f);
    preg_match('/^Delivered-To: (.*)$/m', $eml, $dm);
    $rcpts[] = $dm[1];
}
sort($rcpts);
echo implode(' ', $rcpts), "\n";

$eml = file_get_contents($files[0]);
echo preg_match('/^Received: from \S+ \(\S+ \[127\.0\.0\.1\]\)\n\tby postfix\.mailer\.test \(Postfix\) with (\S+) id/m', $eml, $rm) ? $rm[1] : 'no Received', "\n";
$p = mailer_test_python_parse($eml);
$h = mailer_postfix_headers($p);
var_dump($h['subject'][0] === $subject);
echo $h['from'][0], "\n", $h['to'][0], "\n", $h['cc'][0], "\n", $h['x-test'][0], "\n", $h['message-id'][0] === "<$tag@php-mailer.test>" ? 'message-id ok' : 'message-id differs', "\n";
var_dump(isset($h['bcc']), $p['defects'], count($p['parts']));
echo $p['parts'][0]['content_type'], ' ', $p['parts'][0]['charset'], "\n";
var_dump(str_replace("\r\n", "\n", $p['parts'][0]['text']) === $body);
mailer_postfix_cleanup($tag);
var_dump(mailer_postfix_wait($tag, 1, 0.0));
?>
--EXPECT--
bool(true)
cc@example.net hidden@example.org li@example.com zoe@example.net
ESMTP
bool(true)
"Doe, Jöhn" <john@example.org>
Zoë Ünïcode <zoe@example.net>, 李小龙 <li@example.com>
Cc Pèrson <cc@example.net>
héllo wörld
message-id ok
bool(false)
array(0) {
}
int(1)
text/html utf-8
bool(true)
array(0) {
}
