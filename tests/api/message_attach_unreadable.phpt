--TEST--
Mailer\Message::attach(): a file without read permission is a ValueError at the call (as root: checked as nobody)
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
foreach ([$path] as $p) {
    try {
        (new Mailer\Message)->attach($p);
        echo "no error\n";
    } catch (ValueError $e) {
        echo str_replace($dir, 'DIR', $e->getMessage()), "\n";
    }
}
chmod($path, 0600);
?>
--EXPECT--
Mailer\Message::attach(): Argument #1 ($path) must be a readable file, "DIR/secret.pdf" cannot be opened for reading
