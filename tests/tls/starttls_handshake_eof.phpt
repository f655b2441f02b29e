--TEST--
STARTTLS handshake ended by the server without a TLS alert (PHP reports it without a warning): ConnectionException at stage starttls, nothing sent in plaintext after the ClientHello
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
// PHP's OpenSSL layer fails a handshake that meets the end of the stream with no warning,
// so only the handshake's own verdict tells it from success. The scripted server cannot
// end a handshake that way (it answers garbage with an alert), hence this small one: it
// answers 220 to STARTTLS, reads the ClientHello, closes its side, and records whatever
// the client still sends.
$dir = mailer_test_tmpdir();
file_put_contents("$dir/eof_server.php", <<<'PHP'
<?php
$s = stream_socket_server('tcp://127.0.0.1:0');
$name = stream_socket_get_name($s, false);
echo 'PORT ', substr($name, strrpos($name, ':') + 1), "\n";
$log = [];
$c = @stream_socket_accept($s, 20);
if ($c) {
    stream_set_timeout($c, 10);
    fwrite($c, "220 eof.test ESMTP\r\n");
    for ($i = 0; $i < 20 && ($line = fgets($c)) !== false; $i++) {
        $line = rtrim($line, "\r\n");
        $log[] = 'C: ' . preg_replace('/^(AUTH \S+) .*/', '$1 ...', $line);
        $verb = strtoupper((string)strtok($line, ' '));
        if ($verb === 'EHLO') {
            fwrite($c, "250-eof.test\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n");
        } elseif ($verb === 'STARTTLS') {
            fwrite($c, "220 2.0.0 Ready to start TLS\r\n");
            $r = [$c];
            $w = $e = null;
            $hello = stream_select($r, $w, $e, 10) > 0 ? (string)fread($c, 65536) : '';
            // the rest of a ClientHello split over segments
            for ($j = 0; $j < 50 && ($r = [$c]) && stream_select($r, $w, $e, 0, 100000) > 0; $j++) {
                $more = (string)fread($c, 65536);
                if ($more === '') {
                    break;
                }
                $hello .= $more;
            }
            $log[] = '* ' . ($hello !== '' && $hello[0] === "\x16" ? 'a TLS handshake record' : 'no handshake');
            // a FIN, not a reset: the client's read meets the end of the stream
            stream_socket_shutdown($c, STREAM_SHUT_WR);
            $after = '';
            for ($j = 0; $j < 1000 && !feof($c); $j++) {
                $after .= (string)fread($c, 65536);
            }
            $log[] = '* after the close: ' . ($after === '' ? 'nothing' : json_encode($after));
            break;
        } else {
            fwrite($c, "250 2.0.0 Ok\r\n");
        }
    }
    fclose($c);
}
echo implode("\n", $log), "\nEND\n";
PHP);

foreach ([[], ['tls' => 'starttls'], ['tls' => 'starttls', 'user' => 'u', 'pass' => 'secret']] as $case) {
    $srv = proc_open([PHP_BINARY, '-n', "$dir/eof_server.php"], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
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
    proc_terminate($srv);
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
