--TEST--
persistent: the pool key covers the context's ssl options (verification, client certificate), as snapshot at construction; identical configurations still share
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
// a self-signed server certificate: only a Mailer that does not verify gets through
// (A's kept session must stay open for the whole test, valgrind's pace included)
$srv = mailer_test_server(['implicit_tls' => true, 'cert' => 'self', 'auth_user' => 'u', 'auth_pass' => 'p',
    'client_timeout' => 300, 'max_lifetime' => 600]);
$client = mailer_test_cert(mailer_test_tmpdir(), 'other'); // presented as the client's certificate
$loose = ['verify_peer' => false, 'verify_peer_name' => false];
$reused = false;
// run-tests -m (valgrind) makes every handshake slow
$slow = getenv('USE_ZEND_ALLOC') === '0';
// $waits: the Mailer is expected to wait for a server that is busy (see below)
$mailer = function (array $options, bool $waits = false) use ($srv, &$reused, $slow): Mailer {
    return new Mailer('ssl://127.0.0.1', $srv->port, 'u', 'p', true, $options + [
        'persistent' => 'ctx', 'timeout' => $waits ? ($slow ? 5 : 1.5) : ($slow ? 60 : 10),
        'debug_handler' => function (string $line) use (&$reused): void {
            $reused = $reused || str_starts_with($line, '* reusing a persistent connection');
        }]);
};
// The test server serves one connection at a time: while A's session is kept
// open, a Mailer that does not resume it waits in vain for its own TLS handshake.
$send = function (Mailer $m, string $subject) use (&$reused): string {
    $reused = false;
    try {
        $r = substr($m->sendmail('a@example.org', 'b@example.net', $subject, 'b'), 0, 3);
    } catch (Mailer\ConnectionException $e) {
        $r = get_class($e) . ' [' . $e->getStage() . '] ' . match (true) {
            str_contains($e->getMessage(), 'certificate verify failed') => 'verification failed',
            str_contains($e->getMessage(), 'Handshake timed out') => 'no handshake: the server holds A\'s session',
            default => $e->getMessage(),
        };
    }
    return ($reused ? "A's session: " : 'own connection: ') . $r;
};

$a = $mailer(['context' => stream_context_create(['ssl' => $loose])]);
echo 'A, verification off: ', $send($a, 'A'), "\n";
unset($a); // its session stays in the pool

// strict verification (the default, or asked for) must not resume A's unverified session
echo 'B, verification on: ', $send($mailer([], true), 'B'), "\n";
echo 'B2, verify_peer on: ', $send($mailer(['context' => stream_context_create(['ssl' => ['verify_peer' => true,
    'verify_peer_name' => false]])], true), 'B2'), "\n";
// a client certificate is another identity
echo 'C, client certificate: ', $send($mailer(['context' => stream_context_create(['ssl' => $loose
    + ['local_cert' => $client['cert'], 'local_pk' => $client['key']]])], true), 'C'), "\n";
// the same options as A, written in another order, in another context: A's session
echo 'D, same as A: ', $send($mailer(['context' => stream_context_create(['ssl' => ['verify_peer_name' => false,
    'verify_peer' => false]])]), 'D'), "\n";

// the context is read once, at construction: changing it afterwards changes
// neither the connection nor the session it may share
$ctx = stream_context_create(['ssl' => $loose]);
$e = $mailer(['context' => $ctx]);
stream_context_set_option($ctx, 'ssl', 'verify_peer', true);
stream_context_set_option($ctx, 'ssl', 'verify_peer_name', true);
echo 'E, context changed after construction: ', $send($e, 'E'), "\n";
$e->close(); // A's session ends: the server is free for the next connection
unset($e);
// a Mailer made from the changed context verifies, on its own connection
echo 'F, the changed context: ', $send($mailer(['context' => $ctx]), 'F'), "\n";
echo 'B again, verification on: ', $send($mailer([]), 'B'), "\n";
// without persistence too, the connection uses the options as they were at construction
$ctx = stream_context_create(['ssl' => $loose]);
$g = new Mailer('ssl://127.0.0.1', $srv->port, 'u', 'p', false, ['context' => $ctx, 'timeout' => $slow ? 60 : 10]);
stream_context_set_option($ctx, 'ssl', 'verify_peer', true);
echo 'G, not persistent, context changed after construction: ', $send($g, 'G'), "\n";

for ($i = 1; $i <= $srv->messageCount(); $i++) {
    preg_match('/^Subject: (.*)\r$/m', $srv->message($i), $m);
    printf("message %s on connection %d\n", $m[1], $srv->envelope($i)['connection']);
}
?>
--EXPECT--
A, verification off: own connection: 250
B, verification on: own connection: Mailer\ConnectionException [connect] no handshake: the server holds A's session
B2, verify_peer on: own connection: Mailer\ConnectionException [connect] no handshake: the server holds A's session
C, client certificate: own connection: Mailer\ConnectionException [connect] no handshake: the server holds A's session
D, same as A: A's session: 250
E, context changed after construction: A's session: 250
F, the changed context: own connection: Mailer\ConnectionException [connect] verification failed
B again, verification on: own connection: Mailer\ConnectionException [connect] verification failed
G, not persistent, context changed after construction: own connection: 250
message A on connection 1
message D on connection 1
message E on connection 1
message G on connection 7
