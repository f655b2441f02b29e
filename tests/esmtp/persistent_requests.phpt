--TEST--
persistent: one connection serves several requests of the same PHP process (php-cgi -T), a message each
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
$srv = mailer_test_server();
$dir = mailer_test_tmpdir();
file_put_contents("$dir/request.php", '<?php
$m = new Mailer("127.0.0.1", ' . $srv->port . ', "", "", false, ["persistent" => true]);
echo $m->sendmail("a@example.org", "b@example.net", "request", "b"), "\n";
');
$cgi = getenv('TEST_PHP_CGI_EXECUTABLE') ?: '/usr/bin/php-cgi';
$cmd = [$cgi, '-n', '-q', '-d', 'extension=' . getenv('MAILER_SO'), '-T', '3', "$dir/request.php"];
// a clean environment: php-cgi would otherwise take run-tests' SCRIPT_FILENAME as its script
$p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null,
    ['PATH' => getenv('PATH')]);
$out = stream_get_contents($pipes[1]);
$err = preg_replace('/\s*Elapsed time: [\d.]+ sec\s*/', '', stream_get_contents($pipes[2]));
proc_close($p);
echo $out, $err; // php-cgi -T reports its timing on stderr
var_dump($srv->connectionCount(), $srv->messageCount());
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
250 2.0.0 Ok: queued as TEST0003
int(1)
int(3)
