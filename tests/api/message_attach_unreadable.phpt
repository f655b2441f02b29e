--TEST--
Mailer\Message::attach(): a file without read permission, or one under a directory the process may not search, is a ValueError at the call (as root: checked as nobody)
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/../inc/server.inc';
// root reads any file: the test then runs itself again as nobody
if (mailer_test_is_root() && ($why = mailer_test_nobody_unavailable()) !== null) {
    die("skip as root the test needs to run as nobody: $why");
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
if (mailer_test_is_root()) {
    [$status, $out] = mailer_test_run_as_nobody([__FILE__]);
    echo $out, $status === 0 ? '' : "exit status $status\n";
    exit;
}
$dir = mailer_test_tmpdir();
$path = "$dir/secret.pdf";
file_put_contents($path, 'secret');
chmod($path, 0);
mkdir("$dir/closed");
file_put_contents("$dir/closed/open.pdf", 'open');
chmod("$dir/closed", 0);
foreach ([$path, "$dir/closed/open.pdf"] as $p) {
    try {
        (new Mailer\Message)->attach($p);
        echo "no error\n";
    } catch (ValueError $e) {
        echo str_replace($dir, 'DIR', $e->getMessage()), "\n";
    }
}
chmod($path, 0600);
chmod("$dir/closed", 0700);
unlink("$dir/closed/open.pdf");
rmdir("$dir/closed");
?>
--EXPECT--
Mailer\Message::attach(): Argument #1 ($path) must be a readable file, "DIR/secret.pdf" cannot be opened for reading
Mailer\Message::attach(): Argument #1 ($path) must be a readable file, "DIR/closed/open.pdf" cannot be opened for reading
