--TEST--
sendmail() body: 7bit when ASCII with short lines, quoted-printable for 8-bit text or lines over 998 octets; decoded text is exact
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);
$bodies = [
    "<p>plain ascii</p>\r\n.leading dot\r\n",
    "<p>Grüße, 世界 🎉</p>\r\n",
    "<p>" . str_repeat('long line ', 150) . "</p>\r\n",
    "trailing spaces   \r\nand tabs\t\r\n=equals=\r\n",
];
foreach ($bodies as $i => $body) {
    $m->sendmail('a@example.org', 'b@example.net', "body $i", $body);
    $p = $srv->parse($i + 1);
    echo $p['parts'][0]['cte'], ' ', $p['max_line'] <= 998 ? 'ok' : 'too long', ' ',
        $p['parts'][0]['text'] === $body ? 'exact' : 'differs', "\n";
}
// a text/plain body chosen through the Content-Type header
$m->sendmail('a@example.org', 'b@example.net', 'plain', "line one\nline two\n", ['Content-Type' => 'text/plain; charset=UTF-8']);
$p = $srv->parse(5);
echo $p['parts'][0]['content_type'], ' ', $p['parts'][0]['charset'], "\n";
var_dump($p['parts'][0]['text'], $p['bare_lf']);
?>
--EXPECT--
7bit ok exact
quoted-printable ok exact
quoted-printable ok exact
7bit ok exact
text/plain utf-8
string(20) "line one
line two
"
bool(false)
