--TEST--
Mailer\Message headers: Chinese, emoji and accented subjects and display names round-trip exactly through Python's parser
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$mailer = new Mailer('127.0.0.1', $srv->port);
$subjects = [
    '你好，世界 — 这是一封测试邮件，标题足够长以便需要折行处理，确保每一行都不超过限制',
    'Party 🎉🎂🥳 tonight! 👨‍👩‍👧‍👦 family emoji with joiners',
    'Accents: àéîõü ñ ç Ærøskøbing Ångström Łódź Ελληνικά',
    'Plain ASCII subject that is quite long and should be folded at whitespace because it is long',
];
$names = ['李小龙', 'Zoë Ünïcode 🎉', 'Doe, Jöhn', 'O\'Brien "the quoted"'];
$quoted = fn(string $name) => '"' . addcslashes($name, '"\\') . '"';
foreach ($subjects as $i => $subject) {
    $m = (new Mailer\Message)
        ->from('sender@example.org', $names[$i])
        ->to($quoted($names[($i + 1) % 4]) . ' <to@example.net>', 'plain@example.net')
        ->cc($quoted($names[($i + 2) % 4]) . ' <cc@example.net>')
        ->replyTo('Réponse <reply@example.org>')
        ->subject($subject)
        ->header('X-Note', "héllo wörld $i")
        ->text('body');
    $mailer->send($m);
    $p = $srv->parse($i + 1);
    $h = mailer_test_headers($p);
    var_dump($h['subject'][0] === $subject);
    echo $h['from'][0], "\n", $h['to'][0], "\n", $h['cc'][0], "\n", $h['reply-to'][0], "\n", $h['x-note'][0], "\n";
    var_dump($p['defects'] === [], $p['max_line'] <= 78);
}
?>
--EXPECT--
bool(true)
李小龙 <sender@example.org>
Zoë Ünïcode 🎉 <to@example.net>, plain@example.net
"Doe, Jöhn" <cc@example.net>
Réponse <reply@example.org>
héllo wörld 0
bool(true)
bool(true)
bool(true)
Zoë Ünïcode 🎉 <sender@example.org>
"Doe, Jöhn" <to@example.net>, plain@example.net
"O'Brien \"the quoted\"" <cc@example.net>
Réponse <reply@example.org>
héllo wörld 1
bool(true)
bool(true)
bool(true)
"Doe, Jöhn" <sender@example.org>
"O'Brien \"the quoted\"" <to@example.net>, plain@example.net
李小龙 <cc@example.net>
Réponse <reply@example.org>
héllo wörld 2
bool(true)
bool(true)
bool(true)
"O'Brien \"the quoted\"" <sender@example.org>
李小龙 <to@example.net>, plain@example.net
Zoë Ünïcode 🎉 <cc@example.net>
Réponse <reply@example.org>
héllo wörld 3
bool(true)
bool(true)
