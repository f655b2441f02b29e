--TEST--
Postfix submission port: STARTTLS (required, certificate verified), then AUTH PLAIN; message delivered intact
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$subject = "Ünïcödé über TLS: $tag";
$body = "<p>Grüße, 世界</p>\n";
$m = mailer_postfix_mailer('submission', ['auth' => 'PLAIN']);
$reply = $m->sendmail('Sènder <sender@example.org>', 'Rëcipient <rcpt@example.net>', $subject, $body,
    ['Message-ID' => "<$tag@php-mailer.test>"]);
var_dump(isset($m->getCapabilities()['AUTH']));
$m->close();
$qid = mailer_postfix_queue_id($reply);
var_dump($qid !== null);

// Postfix logs the mechanism and user it accepted for this queue ID.
$line = mailer_postfix_log_wait('/ ' . $qid . ': client=\S+, sasl_method=/');
echo preg_match('/sasl_method=(\S+), sasl_username=(\S+)/', (string)$line, $lm) ? "$lm[1] $lm[2]" : "no log line", "\n";

$files = mailer_postfix_wait($tag);
$eml = file_get_contents($files[0]);
// TLS and AUTH as Postfix saw them: "(using TLSv1.3 ...)" and "with ESMTPSA".
echo preg_match('/\(using (TLSv1\.[23]) with cipher .*\) .*with (ESMTP\S*) id ' . $qid . '\b/s', mailer_postfix_trace($eml), $tm)
    ? "$tm[1] $tm[2]" : "trace: " . mailer_postfix_trace($eml), "\n";
$p = mailer_test_python_parse($eml);
$h = mailer_postfix_headers($p);
var_dump($h['subject'][0] === $subject, $h['from'][0], $h['to'][0], $p['defects']);
var_dump(str_replace("\r\n", "\n", $p['parts'][0]['text']) === $body);
mailer_postfix_cleanup($tag);
?>
--EXPECTF--
bool(true)
bool(true)
PLAIN mailer@mailer.test
TLSv1.%d ESMTPSA
bool(true)
string(28) "Sènder <sender@example.org>"
string(29) "Rëcipient <rcpt@example.net>"
array(0) {
}
bool(true)
