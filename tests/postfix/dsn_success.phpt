--TEST--
Postfix relay port: DSN NOTIFY=SUCCESS, RET=HDRS and ENVID reach Postfix, which sends the sender a delivery report carrying them
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$m = mailer_postfix_mailer('relay', ['dsn' => ['notify' => ['SUCCESS'], 'ret' => 'HDRS', 'envid' => "env-$tag"]]);
$reply = $m->sendmail("sender-$tag@example.org", 'rcpt@example.net', "dsn $tag", "<p>body-$tag</p>\n",
    ['Message-ID' => "<dsn.$tag@php-mailer.test>"]);
$m->close();
var_dump(mailer_postfix_queue_id($reply) !== null);

// The sender's domain is a catch-all too: the report lands in the same Maildir.
$report = null;
foreach (mailer_postfix_wait($tag, 2) as $f) {
    $eml = file_get_contents($f);
    if (str_contains($eml, "\nReturn-Path: <>\n") || str_starts_with($eml, "Return-Path: <>\n")) {
        $report = $eml;
    }
}
$p = mailer_test_python_parse($report);
$h = mailer_postfix_headers($p);
echo $h['to'][0] === "sender-$tag@example.org" ? 'to the sender' : $h['to'][0], "\n";
echo $p['structure'], "\n";
preg_match_all('/^(Original-Envelope-Id|Final-Recipient|Original-Recipient|Action|Status): (.*)$/m', $report, $mm, PREG_SET_ORDER);
foreach ($mm as [, $k, $v]) {
    echo "$k: ", str_replace($tag, 'TAG', $v), "\n";
}
// RET=HDRS: the original's header comes back, its body does not.
var_dump(str_contains($report, "Message-ID: <dsn.$tag@php-mailer.test>"), str_contains($report, "body-$tag"));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
bool(true)
to the sender
multipart/report(text/plain,message/delivery-status,text/rfc822-headers)
Original-Envelope-Id: env-TAG
Final-Recipient: rfc822; rcpt@example.net
Original-Recipient: rfc822;rcpt@example.net
Action: delivered
Status: 2.0.0
bool(true)
bool(false)
