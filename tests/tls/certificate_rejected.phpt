--TEST--
Certificates are verified by default: unknown CA, wrong name and self-signed are refused, nothing delivered
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$ca = mailer_test_cert(mailer_test_tmpdir())['ca'];
foreach (['other', 'wrongname', 'self'] as $variant) {
    $srv = mailer_test_server(['starttls' => true, 'cert' => $variant]);
    $ctx = stream_context_create(['ssl' => ['cafile' => $variant === 'wrongname' ? $srv->cert['ca'] : $ca]]);
    $m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['context' => $ctx, 'timeout' => 5]);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
        echo "$variant: sent!\n";
    } catch (Mailer\ConnectionException $e) {
        echo "$variant: ", get_class($e), ' [', $e->getStage(), '] ',
            preg_match('/certificate verify failed|did not match expected/', $e->getMessage()) ? 'verification failed' : $e->getMessage(), "\n";
    }
    var_dump($m->isConnected(), $srv->messageCount());
    $srv->stop();
}
// verify_peer=false in the user's context is honoured (the user's explicit choice)
$srv = mailer_test_server(['starttls' => true, 'cert' => 'self']);
$ctx = stream_context_create(['ssl' => ['verify_peer' => false, 'verify_peer_name' => false]]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['context' => $ctx]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
?>
--EXPECT--
other: Mailer\ConnectionException [starttls] verification failed
bool(false)
int(0)
wrongname: Mailer\ConnectionException [starttls] verification failed
bool(false)
int(0)
self: Mailer\ConnectionException [starttls] verification failed
bool(false)
int(0)
250 2.0.0 Ok: queued as TEST0001
