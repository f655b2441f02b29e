--TEST--
Postfix relay port: sendRaw() with leading dots, a lone dot, bare LF and 8-bit text arrives byte for byte, by BDAT and by DATA (dot-stuffed) alike (Postfix stores lines with LF)
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$head = "From: Raw Sender <raw@example.org>\r\n"
    . "To: rcpt@example.net\r\n"
    . "Subject: raw $tag\r\n"
    . "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"
    . "Message-ID: <raw.$tag@php-mailer.test>\r\n"
    . "MIME-Version: 1.0\r\n"
    . "Content-Type: text/plain; charset=UTF-8\r\n"
    . "Content-Transfer-Encoding: 8bit\r\n"
    . "\r\n";
$body = ".leading dot\r\n"
    . "..two leading dots\r\n"
    . ".\r\n"
    . "a lone dot above; a bare LF ends this line\n"
    . ".\n"
    . "a lone dot with bare LF above\r\n"
    . "\r\n"
    . "Grüße, 世界 — 8-bit text\r\n"
    . ". dot space\r\n"
    . "trailing spaces   \r\n"
    . "\ttab line\r\n"
    . str_repeat('x', 990) . "\r\n"
    . "last line\r\n";
// CRLF and bare LF both become LF on disk; nothing else may change.
$expected = str_replace("\r\n", "\n", $head . $body);
foreach ([true, false] as $chunking) {
    $cmds = [];
    $m = mailer_postfix_mailer('relay', ['chunking' => $chunking,
        'debug_handler' => function (string $l) use (&$cmds) {
            if (preg_match('/^C: (BDAT|DATA)\b/', $l, $cm)) {
                $cmds[] = $cm[1];
            }
        }]);
    $id = ($chunking ? "bdat" : "data") . ".$tag";
    $data = str_replace("raw.$tag", $id, $head) . $body;
    $reply = $m->sendRaw('raw@example.org', 'rcpt@example.net', $data);
    $m->close();
    echo implode(',', array_unique($cmds)), ': ', mailer_postfix_queue_id($reply) !== null ? 'queued' : $reply, "\n";

    $files = mailer_postfix_wait($id);
    $eml = file_get_contents($files[0]);
    $got = mailer_postfix_strip_trace($eml);
    var_dump(mailer_postfix_trace($eml) !== '', $got === str_replace("raw.$tag", $id, $expected));
    if ($got !== str_replace("raw.$tag", $id, $expected)) {
        var_dump($got);
    }
}
mailer_postfix_cleanup($tag);
?>
--EXPECT--
BDAT: queued
bool(true)
bool(true)
DATA: queued
bool(true)
bool(true)
