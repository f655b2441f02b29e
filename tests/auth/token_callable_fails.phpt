--TEST--
auth_token: an exception or exit() in the callable stops the send before the token goes out (first call, or the refresh); the exception is the caller's; nothing delivered, no QUIT
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['auth_user' => 'me@example.org', 'ehlo' => ['AUTH XOAUTH2'],
    'auth_tokens' => ['tok-old' => false, 'tok-new' => true]]);
$said = function (int $n) use ($srv): string {
    $srv->waitClosed($n);
    // the verbs the client sent ("" for the empty line that answers XOAUTH2's error challenge)
    return implode(' ', array_map(fn($l) => explode(' ', substr($l, 3))[0] ?: '""', preg_grep('/^C: /', explode("\n", $srv->log($n)))));
};
$n = 0;
foreach (['first call' => false, 'refresh' => true] as $what => $at) {
    $thrown = null;
    $m = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, ['allow_insecure_auth' => true,
        'auth_token' => function (bool $refresh) use ($at, &$thrown): string {
            if ($refresh === $at) {
                throw $thrown = new RuntimeException('token service down');
            }
            return 'tok-old';
        }]);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
        echo "sent?\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), $e === $thrown ? '' : ' (not the one thrown)', "\n";
    }
    echo '  the server got: ', $said(++$n), '; connected: ', var_export($m->isConnected(), true),
        '; last reply: ', var_export($m->getLastReply(), true), "\n";
    // the object stays usable: the next send asks again
}

// exit() in a process of its own: its status, and the server never saw the token
foreach (['first call' => 'false', 'refresh' => 'true'] as $what => $at) {
    $code = '$m = new Mailer("127.0.0.1", ' . $srv->port . ', "me@example.org", "", false, ["allow_insecure_auth" => true,'
        . ' "auth_token" => function (bool $r) { if ($r === ' . $at . ') { exit(7); } return "tok-old"; }]);'
        . ' register_shutdown_function(function () use (&$m) { echo "shutdown: connected=", var_export($m->isConnected(), true); });'
        . ' $m->sendmail("a@example.org", "b@example.net", "s", "b"); echo "not stopped";';
    $php = getenv('TEST_PHP_EXECUTABLE') ?: PHP_BINARY;
    $p = proc_open([$php, '-n', '-d', 'extension=' . getenv('MAILER_SO'), '-r', $code],
        [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    echo "exit at $what: status ", proc_close($p), ", $out; the server got: ", $said(++$n), "\n";
}
var_dump($srv->messageCount());
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECT--
first call: RuntimeException: token service down
  the server got: EHLO; connected: false; last reply: NULL
refresh: RuntimeException: token service down
  the server got: EHLO AUTH ""; connected: false; last reply: NULL
exit at first call: status 7, shutdown: connected=false; the server got: EHLO
exit at refresh: status 7, shutdown: connected=false; the server got: EHLO AUTH ""
int(0)
