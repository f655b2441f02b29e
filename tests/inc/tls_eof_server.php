<?php
/*
 * For tests/tls/starttls_handshake_eof.phpt: an SMTP server that answers 220 to STARTTLS,
 * reads the ClientHello, closes its side (a FIN, no TLS alert) and records whatever the
 * client still sends. Prints "PORT n" when listening, then its log and "END", and exits.
 * Kept in tests/inc so that valgrind does not trace it (it loads no extension).
 */
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
