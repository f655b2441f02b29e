--TEST--
Mailer\Message::attach(): a file without read permission is a ValueError at the call
--EXTENSIONS--
mailer
--SKIPIF--
<?php
if (function_exists('posix_geteuid') ? posix_geteuid() === 0 : trim((string)shell_exec('id -u')) === '0') {
    die('skip root reads any file: permissions cannot be tested');
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$path = mailer_test_file('secret', 'secret.pdf');
chmod($path, 0);
try {
    (new Mailer\Message)->attach($path);
} catch (ValueError $e) {
    echo str_replace($path, 'PATH', $e->getMessage()), "\n";
}
chmod($path, 0600);
?>
--EXPECT--
Mailer\Message::attach(): Argument #1 ($path) must be a readable file, "PATH" cannot be opened for reading
