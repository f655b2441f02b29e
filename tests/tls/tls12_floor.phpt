--TEST--
TLS 1.2 is the floor: a server offering only TLS 1.0/1.1 is refused (STARTTLS and implicit TLS), even with security_level 0 or a max_proto_version in the context; only a context that names the old versions reaches it
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach (['starttls' => 'tls', 'implicit_tls' => 'smtps'] as $mode => $scheme) {
    $srv = mailer_test_server([$mode => true, 'tls_versions' => ['1.0', '1.1']]);
    // security_level 0 lets OpenSSL speak TLS 1.0/1.1 at all: only the client's floor stands in the way
    $ssl = ['cafile' => $srv->cert['ca'], 'peer_name' => 'localhost', 'security_level' => 0];
    $m = new Mailer("$scheme://127.0.0.1", $srv->port, '', '', false,
        ['context' => stream_context_create(['ssl' => $ssl]), 'timeout' => 10]);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
        echo "$mode: sent with ", $srv->envelope(1)['tls_protocol'], "\n";
    } catch (Mailer\ConnectionException $e) {
        // OpenSSL's reason: the server's alert that no common protocol version exists
        echo "$mode: [", $e->getStage(), '] ', strtok($e->getMessage(), "\n"), "\n",
            '  protocol version: ', var_export(str_contains($e->getMessage(), 'protocol version'), true), "\n";
    }
    $srv->waitClosed(1);
    // capping the version (say at 1.2, for a server whose TLS 1.3 is broken) keeps the floor
    $m = new Mailer("$scheme://127.0.0.1", $srv->port, '', '', false, ['context' => stream_context_create(
        ['ssl' => $ssl + ['max_proto_version' => STREAM_CRYPTO_PROTO_TLSv1_2]]), 'timeout' => 10]);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
        echo "  max_proto_version 1.2: sent with ", $srv->envelope(1)['tls_protocol'], "\n";
    } catch (Mailer\ConnectionException $e) {
        // the client itself refuses the server's TLS 1.1 ("unsupported protocol")
        echo '  max_proto_version 1.2: [', $e->getStage(), '] refused, unsupported protocol: ',
            var_export(str_contains($e->getMessage(), 'unsupported protocol'), true), "\n";
    }
    $srv->waitClosed(2);
    echo '  server: ', str_contains($srv->log(1), '* TLS failed') ? 'TLS failed' : 'TLS ok',
        ', EHLO after TLS: ', substr_count($srv->log(1), 'C: EHLO') - ($mode === 'starttls' ? 1 : 0),
        ', messages: ', $srv->messageCount(), "\n";
    // the control: naming the old versions is the documented way to reach such a server
    $ssl['crypto_method'] = STREAM_CRYPTO_METHOD_TLSv1_0_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_1_CLIENT;
    $m = new Mailer("$scheme://127.0.0.1", $srv->port, '', '', false,
        ['context' => stream_context_create(['ssl' => $ssl]), 'timeout' => 10]);
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    echo "  with crypto_method: sent with ", $srv->envelope(1)['tls_protocol'], "\n";
    $m->close();
    $srv->stop();
}
?>
--EXPECTF--
starttls: [starttls] TLS with 127.0.0.1 failed: %s
  protocol version: true
  max_proto_version 1.2: [starttls] refused, unsupported protocol: true
  server: TLS failed, EHLO after TLS: 0, messages: 0
  with crypto_method: sent with TLSv1.1
implicit_tls: [connect] TLS with 127.0.0.1 failed: %s
  protocol version: true
  max_proto_version 1.2: [connect] refused, unsupported protocol: true
  server: TLS failed, EHLO after TLS: 0, messages: 0
  with crypto_method: sent with TLSv1.1
