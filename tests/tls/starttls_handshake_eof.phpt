--TEST--
STARTTLS handshake ended by the server without a TLS alert (PHP reports it without a warning): ConnectionException at stage starttls, nothing sent in plaintext after the ClientHello
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
// PHP's OpenSSL layer fails a handshake that meets the end of the stream with no warning,
// so only the handshake's own verdict tells it from success. The scripted server cannot
// end a handshake that way (it answers garbage with an alert), hence this small one
// (tests/inc/tls_eof_server.php): it answers 220 to STARTTLS, reads the ClientHello, closes
// its side, and records whatever the client still sends.

foreach ([[], ['tls' => 'starttls'], ['tls' => 'starttls', 'user' => 'u', 'pass' => 'secret']] as $case) {
    $srv = proc_open([PHP_BINARY, '-n', __DIR__ . '/../inc/tls_eof_server.php'], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $first = mailer_test_read_until($pipes[1], "\n", 30);
    if (!preg_match('/^PORT (\d+)\n/', $first, $mm)) {
        echo "server did not start: $first\n", stream_get_contents($pipes[2]);
        break;
    }
    $options = ['timeout' => 5, 'helo' => 'client.test'] + (isset($case['tls']) ? ['tls' => $case['tls']] : []);
    $m = new Mailer('127.0.0.1', (int)$mm[1], $case['user'] ?? '', $case['pass'] ?? '', false, $options);
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
        echo "sent!\n";
    } catch (Mailer\Exception $e) {
        echo json_encode($case), ': ', get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
    }
    var_dump($m->isConnected());
    unset($m);
    $out = substr($first, strlen($mm[0])) . mailer_test_read_until($pipes[1], "END\n", 30);
    echo $out;
    // it exits by itself after END; terminated only if it has not within 30 s (a signal
    // during its shutdown would be a crash of its own, not of the client)
    for ($i = 0; $i < 300 && proc_get_status($srv)['running']; $i++) {
        usleep(100000);
    }
    if (proc_get_status($srv)['running']) {
        proc_terminate($srv);
    }
    fclose($pipes[1]);
    fclose($pipes[2]);
    proc_close($srv);
}
?>
--EXPECT--
[]: Mailer\ConnectionException [starttls] TLS with 127.0.0.1 failed: TLS handshake failed
bool(false)
C: EHLO client.test
C: STARTTLS
* a TLS handshake record
* after the close: nothing
END
{"tls":"starttls"}: Mailer\ConnectionException [starttls] TLS with 127.0.0.1 failed: TLS handshake failed
bool(false)
C: EHLO client.test
C: STARTTLS
* a TLS handshake record
* after the close: nothing
END
{"tls":"starttls","user":"u","pass":"secret"}: Mailer\ConnectionException [starttls] TLS with 127.0.0.1 failed: TLS handshake failed
bool(false)
C: EHLO client.test
C: STARTTLS
* a TLS handshake record
* after the close: nothing
END
