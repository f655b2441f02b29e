--TEST--
sendMany() with "persistent": the batch's session is kept at the end of the request and the next request's batch resumes it (php-cgi -T: three requests of one process, one connection, nine messages)
--EXTENSIONS--
mailer
--SKIPIF--
<?php
$cgi = getenv('TEST_PHP_CGI_EXECUTABLE') ?: '/usr/bin/php-cgi';
if (!is_executable($cgi)) die("skip php-cgi is needed to run several requests in one process ($cgi missing)");
?>
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server(['concurrent' => true]); // sessions may run at once
$dir = mailer_test_tmpdir();
file_put_contents("$dir/request.php", '<?php
$m = new Mailer("127.0.0.1", ' . $srv->port . ', "", "", false, ["persistent" => true]);
$r = getmypid() . "-" . hrtime(true);
$items = function () use ($r) {
    for ($i = 1; $i <= 3; $i++) {
        yield $i => ["from" => "a@example.org", "to" => "b@example.net",
            "data" => "Subject: $i\r\nMessage-ID: <$r.$i@many.test>\r\n\r\nbody\r\n"];
    }
};
$summary = $m->sendMany($items(), null, ["connections" => 2]);
echo json_encode($summary), " ", $m->getLastReply(), "\n";
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
$delivered = many_delivered($srv);
var_dump(count($delivered), max($delivered));
// the reference driver uses one session; a poll driver may open the second: each kept and resumed
var_dump($srv->connectionCount() <= 2);
var_dump(substr_count($srv->log(1), 'C: QUIT'));
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECTF--
{"sent":3,"rejected":0,"failed":0,"uncertain":0} 250 2.0.0 Ok: queued as TEST%d
{"sent":3,"rejected":0,"failed":0,"uncertain":0} 250 2.0.0 Ok: queued as TEST%d
{"sent":3,"rejected":0,"failed":0,"uncertain":0} 250 2.0.0 Ok: queued as TEST%d
int(9)
int(1)
bool(true)
int(0)
