--TEST--
sendmail() message checked by Python's email parser: non-ASCII subject and names round-trip, Date, Message-ID, MIME headers, no Bcc
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);
$subjects = [
    '你好，世界 — 这是一封测试邮件，标题足够长以便需要折行处理，确保每一行都不超过限制',
    'Grüße aus Köln 🎉🚀 emoji and accents: àéîõü ñ ç',
    'Plain ASCII subject that is quite long and should be folded at whitespace because it goes past seventy-eight columns',
    '  leading and trailing spaces   and   runs  ',
];
foreach ($subjects as $i => $subject) {
    $m->sendmail('"Doe, Jöhn" <john@example.org>', ['Zoë Ünïcode <zoe@example.net>', '李小龙 <li@example.net>'], $subject,
        "<p>Hello</p>\n", ['Cc' => 'Cc Person <cc@example.net>', 'Bcc' => ['hidden@example.com'], 'X-Mailer-Test' => "héllo $i",
        'Reply-To' => 'Réponse <reply@example.org>']);
    $p = $srv->parse($i + 1);
    $h = [];
    foreach ($p['headers'] as [$name, $value]) {
        $h[strtolower($name)][] = $value;
    }
    var_dump($h['subject'][0] === $subject);
    echo $h['from'][0], "\n", $h['to'][0], "\n", $h['cc'][0], "\n", $h['reply-to'][0], "\n", $h['x-mailer-test'][0], "\n";
    var_dump(isset($h['bcc']), $p['defects'], $p['max_line'] <= 78, $p['bare_lf']);
    var_dump((bool)preg_match('/^<[0-9a-f]{32}@example\.org>$/', $h['message-id'][0]));
    var_dump(abs(strtotime($h['date'][0]) - time()) < 60, $h['mime-version'][0]);
    echo $p['parts'][0]['content_type'], ' ', $p['parts'][0]['charset'], ' ', $p['parts'][0]['cte'], "\n";
    $rcpt = $srv->envelope($i + 1)['rcpt'];
    var_dump(in_array('RCPT TO:<hidden@example.com>', $rcpt, true), count($rcpt));
}
?>
--EXPECT--
bool(true)
"Doe, Jöhn" <john@example.org>
Zoë Ünïcode <zoe@example.net>, 李小龙 <li@example.net>
Cc Person <cc@example.net>
Réponse <reply@example.org>
héllo 0
bool(false)
array(0) {
}
bool(true)
bool(false)
bool(true)
bool(true)
string(3) "1.0"
text/html utf-8 7bit
bool(true)
int(4)
bool(true)
"Doe, Jöhn" <john@example.org>
Zoë Ünïcode <zoe@example.net>, 李小龙 <li@example.net>
Cc Person <cc@example.net>
Réponse <reply@example.org>
héllo 1
bool(false)
array(0) {
}
bool(true)
bool(false)
bool(true)
bool(true)
string(3) "1.0"
text/html utf-8 7bit
bool(true)
int(4)
bool(true)
"Doe, Jöhn" <john@example.org>
Zoë Ünïcode <zoe@example.net>, 李小龙 <li@example.net>
Cc Person <cc@example.net>
Réponse <reply@example.org>
héllo 2
bool(false)
array(0) {
}
bool(true)
bool(false)
bool(true)
bool(true)
string(3) "1.0"
text/html utf-8 7bit
bool(true)
int(4)
bool(true)
"Doe, Jöhn" <john@example.org>
Zoë Ünïcode <zoe@example.net>, 李小龙 <li@example.net>
Cc Person <cc@example.net>
Réponse <reply@example.org>
héllo 3
bool(false)
array(0) {
}
bool(true)
bool(false)
bool(true)
bool(true)
string(3) "1.0"
text/html utf-8 7bit
bool(true)
int(4)
