--TEST--
Mailer\Message structure follows the parts: text/plain, text/html, alternative (text first), related around the HTML, mixed outermost
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$png = mailer_test_file(random_bytes(500), 'logo.png');
$pdf = mailer_test_file(random_bytes(700), 'doc.pdf');
// text, html, embed, attach
$cases = [
    [1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [1, 1, 1, 0],
    [1, 0, 0, 1], [0, 1, 0, 1], [1, 1, 0, 1], [0, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 1],
];
foreach ($cases as [$text, $html, $embed, $attach]) {
    $m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('structure');
    if ($text) $m->text("Hello\n");
    if ($html) $m->html('<p>Hello <img src="cid:logo"></p>');
    if ($embed) $m->embed($png, 'logo');
    if ($attach) $m->attach($pdf);
    $p = mailer_test_python_parse($m->toString());
    echo "$text$html$embed$attach ", $p['structure'], ' ', $p['defects'] ? 'defects' : 'clean', "\n";
}
?>
--EXPECT--
1000 text/plain clean
0100 text/html clean
1100 multipart/alternative(text/plain,text/html) clean
0110 multipart/related(text/html,image/png) clean
1110 multipart/alternative(text/plain,multipart/related(text/html,image/png)) clean
1001 multipart/mixed(text/plain,application/pdf) clean
0101 multipart/mixed(text/html,application/pdf) clean
1101 multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf) clean
0111 multipart/mixed(multipart/related(text/html,image/png),application/pdf) clean
1111 multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/png)),application/pdf) clean
0001 multipart/mixed(application/pdf) clean
