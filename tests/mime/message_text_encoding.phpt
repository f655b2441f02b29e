--TEST--
Mailer\Message texts: 7bit when ASCII with lines <= 998 octets, else quoted-printable with lines <= 76; decoded exactly; invalid UTF-8 refused
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$bodies = [
    "plain ascii\n.leading dot\nFrom the start\n",
    "Grüße, 世界 🎉\n",
    str_repeat('long line ', 150) . "\n",
    "trailing spaces   \nand tabs\t\n=equals=\n",
    "no final newline",
    "",
];
foreach ($bodies as $body) {
    foreach (['text', 'html'] as $kind) {
        $m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->$kind($body);
        $p = mailer_test_python_parse($m->toString());
        $part = $p['parts'][0];
        // SMTP data ends with a line break: a single-part message's last line gets one
        $expected = str_replace("\n", "\r\n", $body) . ($body === '' || str_ends_with($body, "\n") ? '' : "\r\n");
        echo $kind, ' ', $part['content_type'], ' ', $part['charset'], ' ', $part['cte'], ' ',
            $part['text'] === $expected ? 'exact' : 'differs', ' ',
            $p['max_line'] <= ($part['cte'] === '7bit' ? 998 : 76) ? 'ok' : 'too long', "\n";
    }
}
try {
    (new Mailer\Message)->text("caf\xE9");
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
try {
    (new Mailer\Message)->html("\xC3\x28");
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
text text/plain utf-8 7bit exact ok
html text/html utf-8 7bit exact ok
text text/plain utf-8 quoted-printable exact ok
html text/html utf-8 quoted-printable exact ok
text text/plain utf-8 quoted-printable exact ok
html text/html utf-8 quoted-printable exact ok
text text/plain utf-8 7bit exact ok
html text/html utf-8 7bit exact ok
text text/plain utf-8 7bit exact ok
html text/html utf-8 7bit exact ok
text text/plain utf-8 7bit exact ok
html text/html utf-8 7bit exact ok
Mailer\Message::text(): the text body is not valid UTF-8 (it is sent as charset=UTF-8)
Mailer\Message::html(): the HTML body is not valid UTF-8 (it is sent as charset=UTF-8)
