--TEST--
A TLS handshake that never finishes: ConnectionException within the timeout, implicit TLS and STARTTLS
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach ([['implicit_tls' => true, 'tls_stall' => true], ['starttls' => true, 'tls_stall' => true]] as $cfg) {
    $srv = mailer_test_server($cfg);
    $ctx = stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]]);
    $host = !empty($cfg['implicit_tls']) ? "ssl://127.0.0.1:{$srv->port}" : "127.0.0.1:{$srv->port}";
    $m = new Mailer($host, 25, '', '', false, ['context' => $ctx, 'timeout' => 1]);
    $t = microtime(true);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
        echo "sent!\n";
    } catch (Mailer\ConnectionException $e) {
        echo get_class($e), ' [', $e->getStage(), "]\n";
    }
    $elapsed = microtime(true) - $t;
    var_dump($elapsed < 5, $m->isConnected());
    $srv->stop();
}
?>
--EXPECT--
Mailer\ConnectionException [connect]
bool(true)
bool(false)
Mailer\ConnectionException [starttls]
bool(true)
bool(false)
