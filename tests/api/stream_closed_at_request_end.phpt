--TEST--
The SMTP socket, kept out of the resource list, is still closed at the end of the request that opened it: after a fatal error without a word, otherwise after QUIT (php-cgi -T 2)
--EXTENSIONS--
mailer
--SKIPIF--
<?php
$cgi = getenv('TEST_PHP_CGI_EXECUTABLE') ?: '/usr/bin/php-cgi';
if (!is_executable($cgi)) die("skip php-cgi is needed to run several requests in one process ($cgi missing)");
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$cgi = getenv('TEST_PHP_CGI_EXECUTABLE') ?: '/usr/bin/php-cgi';
foreach (['fatal error' => '@trigger_error("the end", E_USER_ERROR);', 'normal end' => ''] as $how => $ending) {
    $srv = mailer_test_server();
    $dir = mailer_test_tmpdir();
    // request 2 runs in the same process: the socket must be closed by then, not at process exit
    file_put_contents("$dir/request.php", '<?php
$n = (int)@file_get_contents(__DIR__ . "/count") + 1;
file_put_contents(__DIR__ . "/count", $n);
$log = ' . var_export("$srv->dir/conn-1.log", true) . ';
if ($n === 1) {
    $m = new Mailer("127.0.0.1", ' . $srv->port . ');
    $alias = $m; // two references: the object outlives the symbol table sweep and the resource list
    $m->sendmail("a@example.org", "b@example.net", "s", "b");
    ' . $ending . '
} else {
    for ($i = 0; $i < 300 && !str_ends_with((string)@file_get_contents($log), "* closed\n"); $i++) {
        usleep(10000);
    }
    $t = (string)file_get_contents($log);
    file_put_contents(__DIR__ . "/seen", (str_ends_with($t, "* closed\n") ? "closed" : "still open")
        . ", " . substr_count($t, "C: QUIT") . " QUIT");
}
');
    $p = proc_open([$cgi, '-n', '-q', '-d', 'extension=' . getenv('MAILER_SO'), '-d', 'display_errors=0', '-T', '2',
        "$dir/request.php"], [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'],
        2 => ['file', '/dev/null', 'w']], $pipes, null, ['PATH' => getenv('PATH')]);
    proc_close($p);
    echo "$how: by request 2, connection 1 was ", @file_get_contents("$dir/seen"), "\n";
    $srv->stop();
}
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECT--
fatal error: by request 2, connection 1 was closed, 0 QUIT
normal end: by request 2, connection 1 was closed, 1 QUIT
