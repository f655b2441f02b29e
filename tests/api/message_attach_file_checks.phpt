--TEST--
Mailer\Message::attach()/embed(): a missing file, a directory, a remote URL, a path outside open_basedir or with NUL is a ValueError at the call; the file is not read then
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$dir = mailer_test_tmpdir();
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net');
$calls = [
    fn() => $m->attach("$dir/missing.pdf"),
    fn() => $m->attach($dir),
    fn() => $m->attach(''),
    fn() => $m->attach("$dir/a\0b.pdf"),
    fn() => $m->attach('http://example.com/file.pdf'),
    fn() => $m->attach('nosuchwrapper://x/file.pdf'),
    fn() => $m->embed("$dir/missing.png", 'logo'),
];
foreach ($calls as $call) {
    try {
        $call();
        echo "no error\n";
    } catch (ValueError $e) {
        echo str_replace($dir, 'DIR', $e->getMessage()), "\n";
    }
}
// attach() checks but does not read: the file may change until the message is written
$path = "$dir/later.txt";
file_put_contents($path, 'old');
$m->attach($path);
file_put_contents($path, 'new content');
$p = mailer_test_python_parse($m->toString());
var_dump(mailer_test_part($p, 'text/plain')['text']);
// relative paths are resolved at the call: a later chdir() changes nothing
chdir($dir);
file_put_contents('relative.txt', 'relative');
$m->attach('relative.txt');
chdir('/');
$p = mailer_test_python_parse($m->toString());
var_dump($p['parts'][1]['filename'], $p['parts'][1]['text']);
// open_basedir is respected (the temp dir stays allowed for the test's own clean-up)
ini_set('open_basedir', sys_get_temp_dir());
try {
    $m->attach(PHP_BINARY);
} catch (ValueError $e) {
    echo str_replace(PHP_BINARY, 'PHP_BINARY', $e->getMessage()), "\n";
}
$m->attach($path); // inside: fine
echo "inside ok\n";
?>
--EXPECT--
Mailer\Message::attach(): Argument #1 ($path) must be a readable file, "DIR/missing.pdf" does not exist
Mailer\Message::attach(): Argument #1 ($path) must be a readable file, "DIR" is a directory
Mailer\Message::attach(): Argument #1 ($path) must be a file path, not empty
Mailer\Message::attach(): Argument #1 ($path) must not contain any null bytes
Mailer\Message::attach(): Argument #1 ($path) must be a local file, "http://example.com/file.pdf" is a remote URL (download it first)
Mailer\Message::attach(): Argument #1 ($path) must be a file path, "nosuchwrapper://x/file.pdf" uses an unknown stream wrapper
Mailer\Message::embed(): Argument #1 ($path) must be a readable file, "DIR/missing.png" does not exist
string(11) "new content"
string(12) "relative.txt"
string(8) "relative"
Mailer\Message::attach(): Argument #1 ($path) must be a readable file, "PHP_BINARY" is outside open_basedir
inside ok
