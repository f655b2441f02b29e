--TEST--
Mailer\Message boundaries: random, never in the content: a 7bit body that contains the current one gets a new one
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('plain')->html('<p>html</p>');
$first = $m->toString();
preg_match('/boundary="(=_[0-9a-f]{32})_a"/', $first, $b);
var_dump(count($b) === 2, $m->toString() === $first);
// a text that carries the boundary, and a fake part after it
$evil = "before\n--{$b[1]}_a\nContent-Type: text/html\n\n<script>evil</script>\n--{$b[1]}_a--\n";
$m->text($evil);
$second = $m->toString();
var_dump(str_contains($second, "boundary=\"{$b[1]}_a\""));
$p = mailer_test_python_parse($second);
echo $p['structure'], "\n";
var_dump($p['parts'][0]['cte'], $p['parts'][0]['text'] === str_replace("\n", "\r\n", $evil));
// other messages get other boundaries
$other = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('plain')->html('<p>html</p>');
var_dump(str_contains($other->toString(), $b[1]));
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
multipart/alternative(text/plain,text/html)
string(4) "7bit"
bool(true)
bool(false)
