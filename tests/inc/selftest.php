<?php
/*
 * Self-test of the test servers and helpers, with plain stream_socket_client
 * (no mailer extension needed):   php tests/inc/selftest.php
 * Prints one line per check and "N passed, N failed"; exit status 1 on failure.
 */

declare(strict_types=1);

require __DIR__ . '/server.inc';

$passed = $failed = 0;
function check(string $name, bool $ok, mixed $detail = ''): void
{
    global $passed, $failed;
    $ok ? $passed++ : $failed++;
    echo ($ok ? 'ok   ' : 'FAIL '), $name,
        $ok || $detail === '' ? '' : ': ' . (is_string($detail) ? $detail : var_export($detail, true)), "\n";
}

/** Minimal SMTP client over plain streams. */
final class Client
{
    /** @var resource */
    public $s;

    public function __construct(MailerTestServer $srv, ?array $tls = null, float $timeout = 5)
    {
        $host = str_contains($srv->host, ':') ? "[$srv->host]" : $srv->host;
        $ctx = stream_context_create(['ssl' => $tls ?? []]);
        $scheme = $tls === null ? 'tcp' : 'tls';
        $s = @stream_socket_client("$scheme://$host:$srv->port", $errno, $err, $timeout,
            STREAM_CLIENT_CONNECT, $ctx);
        if (!$s) {
            throw new RuntimeException("connect: $err");
        }
        $this->s = $s;
        stream_set_timeout($s, (int)$timeout);
    }

    public function write(string $data): void
    {
        fwrite($this->s, $data);
    }

    /** One reply (all lines), or null on EOF/timeout. */
    public function reply(): ?array
    {
        $lines = [];
        for ($i = 0; $i < 100000; $i++) {
            $l = fgets($this->s);
            if ($l === false) {
                return $lines ?: null;
            }
            $lines[] = rtrim($l, "\r\n");
            if (strlen($l) < 4 || $l[3] !== '-') {
                return $lines;
            }
        }
        return $lines;
    }

    public function cmd(string $c): ?array
    {
        $this->write("$c\r\n");
        return $this->reply();
    }

    public function code(string $c): string
    {
        return substr(($this->cmd($c) ?? ['EOF'])[0], 0, 3);
    }

    public function eof(): bool
    {
        $d = fread($this->s, 1);
        return $d === '' && feof($this->s);
    }

    public function startTls(array $ssl): bool
    {
        foreach ($ssl as $k => $v) {
            stream_context_set_option($this->s, 'ssl', $k, $v);
        }
        return @stream_socket_enable_crypto($this->s, true,
            STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT) === true;
    }

    public function close(): void
    {
        @fclose($this->s);
    }
}

function verify(array $cert): array
{
    return ['verify_peer' => true, 'verify_peer_name' => true, 'cafile' => $cert['ca'],
        'peer_name' => 'localhost', 'allow_self_signed' => false];
}

function sendMessage(Client $c, string $from, array $to, string $body): array
{
    $r = [$c->cmd("MAIL FROM:<$from>")[0] ?? 'EOF'];
    foreach ($to as $t) {
        $r[] = $c->cmd("RCPT TO:<$t>")[0] ?? 'EOF';
    }
    $r[] = $c->cmd('DATA')[0] ?? 'EOF';
    $c->write($body . ".\r\n");
    $r[] = ($c->reply() ?? ['EOF'])[0];
    return $r;
}

// ---- basic session, transcript -----------------------------------------------
$srv = mailer_test_server(['allow_violations' => ['syntax', 'sequence']]);
$c = new Client($srv);
check('greeting', $c->reply() === ['220 test.local ESMTP ready']);
check('EHLO lines', $c->cmd('EHLO client.example') ===
    ['250-test.local', '250-PIPELINING', '250-SIZE 10240000', '250 8BITMIME']);
check('NOOP', $c->code('NOOP') === '250');
check('unknown verb', $c->code('FOO bar') === '500');
check('MAIL before RCPT order', $c->code('RCPT TO:<x@y>') === '503');
check('QUIT', $c->code('QUIT') === '221' && $c->eof());
check('transcript', $srv->log() === "S: 220 test.local ESMTP ready\nC: EHLO client.example\n"
    . "S: 250-test.local\nS: 250-PIPELINING\nS: 250-SIZE 10240000\nS: 250 8BITMIME\n"
    . "C: NOOP\nS: 250 2.0.0 Ok\nC: FOO bar\n* violation syntax: unknown command \"FOO bar\" (allowed)\n"
    . "S: 500 5.5.2 Error: command not recognized\nC: RCPT TO:<x@y>\n"
    . "* violation sequence: RCPT without a MAIL transaction (allowed)\n"
    . "S: 503 5.5.1 Error: need MAIL command\nC: QUIT\nS: 221 2.0.0 Bye\n* closed\n",
    $srv->log());
check('violations recorded', array_column($srv->violations(), 'rule') === ['syntax', 'sequence'], $srv->violations());
check('raw recording', $srv->raw() === "EHLO client.example\r\nNOOP\r\nFOO bar\r\nRCPT TO:<x@y>\r\nQUIT\r\n");
check('connection count', $srv->connectionCount() === 1);

// ---- pipelining, dot-stuffing, envelope --------------------------------------
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->write("MAIL FROM:<a@x.org> SIZE=100\r\nRCPT TO:<b@x.org>\r\nRCPT TO:<c@x.org>\r\nDATA\r\n");
$codes = [];
for ($i = 0; $i < 4; $i++) {
    $codes[] = substr(($c->reply() ?? ['EOF'])[0], 0, 3);
}
check('pipelined MAIL/RCPT/RCPT/DATA', $codes === ['250', '250', '250', '354'], $codes);
$body = "Subject: dots\r\n\r\n..leading dot\r\n...two\r\n.\r\n";
$c->write(str_replace("\r\n.\r\n", "\r\n", $body) . ".\r\nQUIT\r\n");
$end = $c->reply();
check('EOD reply', $end === ['250 2.0.0 Ok: queued as TEST0001'], $end);
check('QUIT after pipelined end', ($c->reply() ?? [''])[0] === '221 2.0.0 Bye');
check('message unstuffed', $srv->message(1) === "Subject: dots\r\n\r\n.leading dot\r\n..two\r\n", $srv->message(1));
$env = $srv->envelope(1);
check('envelope', $env['mail_from'] === 'MAIL FROM:<a@x.org> SIZE=100'
    && $env['rcpt'] === ['RCPT TO:<b@x.org>', 'RCPT TO:<c@x.org>'] && $env['connection'] === 2, $env);
check('message count', $srv->messageCount() === 1 && $srv->message(2) === null);
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
check('empty message + second id', sendMessage($c, 'a@x', ['b@x'], '')[3] === '250 2.0.0 Ok: queued as TEST0002');
check('SIZE limit', $c->code('MAIL FROM:<a@x> SIZE=20000000') === '552');
$c->close();
$srv->stop();
check('stop', !$srv->running());

// ---- AUTH ----------------------------------------------------------------------
$auth = ['auth_user' => 'user@example.org', 'auth_pass' => 's3cret', 'auth_require' => true,
    'allow_violations' => ['auth']];
$srv = mailer_test_server($auth);
$c = null;
$session = function () use ($srv, &$c): Client {
    $c?->close();   // the server is sequential: finish one session before the next
    $c = new Client($srv);
    $c->reply();
    $c->cmd('EHLO me');
    return $c;
};
$c = $session();
check('auth_require', $c->code('MAIL FROM:<a@x>') === '530');
check('PLAIN bad', $c->code('AUTH PLAIN ' . base64_encode("\0user@example.org\0nope")) === '535');
check('PLAIN ok', $c->code('AUTH PLAIN ' . base64_encode("\0user@example.org\0s3cret")) === '235');
check('already authenticated', $c->code('AUTH PLAIN ' . base64_encode("\0x\0y")) === '503');
check('MAIL after AUTH', $c->code('MAIL FROM:<a@x>') === '250');
$c = $session();
check('PLAIN empty challenge', $c->cmd('AUTH PLAIN') === ['334 ']
    && $c->code(base64_encode("\0user@example.org\0s3cret")) === '235');
$c = $session();
check('PLAIN abort', $c->cmd('AUTH PLAIN') === ['334 '] && $c->code('*') === '501');
check('unadvertised mech', $c->code('AUTH NTLM') === '504');
check('LOGIN bad', $c->cmd('AUTH LOGIN') === ['334 VXNlcm5hbWU6']
    && $c->cmd(base64_encode('user@example.org')) === ['334 UGFzc3dvcmQ6']
    && $c->code(base64_encode('wrong')) === '535');
check('LOGIN ok', $c->cmd('AUTH LOGIN ' . base64_encode('user@example.org')) === ['334 UGFzc3dvcmQ6']
    && $c->code(base64_encode('s3cret')) === '235');
$cram = function (Client $c, string $pass): string {
    $ch = base64_decode(substr($c->cmd('AUTH CRAM-MD5')[0], 4));
    return $c->code(base64_encode('user@example.org ' . hash_hmac('md5', $ch, $pass)));
};
$c = $session();
check('CRAM-MD5 bad', $cram($c, 'wrong') === '535');
check('CRAM-MD5 ok', $cram($c, 's3cret') === '235');
$xo = fn(string $tok) => base64_encode("user=user@example.org\x01auth=Bearer $tok\x01\x01");
$c = $session();
$r = $c->cmd('AUTH XOAUTH2 ' . $xo('bad-token'));
$j = json_decode((string)base64_decode(substr($r[0] ?? '', 4)), true);
check('XOAUTH2 bad: 334 json', str_starts_with($r[0] ?? '', '334 ') && ($j['status'] ?? '') === '401', $r);
check('XOAUTH2 bad: 535 after empty line', $c->code('') === '535');
check('XOAUTH2 ok', $c->code('AUTH XOAUTH2 ' . $xo('s3cret')) === '235');
$c = $session();
check('XOAUTH2 empty form', $c->cmd('AUTH XOAUTH2') === ['334 '] && $c->code($xo('s3cret')) === '235');
$env = null;
check('auth transcript verbatim', str_contains($srv->log(1),
    'C: AUTH PLAIN ' . base64_encode("\0user@example.org\0s3cret") . "\nS: 235 2.7.0 Authentication successful\n"));
$c->close();
$srv->stop();

// ---- STARTTLS, implicit TLS, certificates -------------------------------------
$srv = mailer_test_server(['starttls' => true, 'tls_require' => true, 'allow_violations' => ['after_starttls']]);
$c = new Client($srv);
$c->reply();
check('EHLO offers STARTTLS', in_array('250 STARTTLS', $c->cmd('EHLO me'), true));
check('tls_require', $c->code('MAIL FROM:<a@x>') === '530');
check('STARTTLS 220', $c->code('STARTTLS') === '220');
check('TLS verified against CA', $c->startTls(verify($srv->cert)));
$ehlo = $c->cmd('EHLO me');
check('EHLO after TLS has no STARTTLS', $ehlo === ['250-test.local', '250-PIPELINING', '250-SIZE 10240000', '250 8BITMIME'], $ehlo);
check('mail over TLS', sendMessage($c, 'a@x', ['b@x'], "Subject: tls\r\n\r\nhi\r\n")[3] === '250 2.0.0 Ok: queued as TEST0001');
$env = $srv->envelope(1);
check('envelope tls', $env['tls'] === true && in_array($env['tls_protocol'], ['TLSv1.2', 'TLSv1.3'], true), $env);
$c->code('QUIT');
check('log TLS event', str_contains($srv->log(), "S: 220 2.0.0 Ready to start TLS\n* TLS started\nC: EHLO me\n"), $srv->log());
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->write("STARTTLS\r\nEHLO injected\r\n");
$c->reply();
check('plaintext after STARTTLS discarded', $c->startTls(verify($srv->cert))
    && str_contains($srv->log(2), '* discarded 15 plaintext bytes pipelined after STARTTLS'), $srv->log(2));
$c->close();
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('STARTTLS');
$other = mailer_test_cert($srv->dir, 'other');
check('unknown CA rejected', !$c->startTls(verify($other)));
$c->close();
check('TLS failure logged', $srv->waitClosed(3) && str_contains($srv->log(3), '* TLS failed'), $srv->log(3));
$srv->stop();

$srv = mailer_test_server(['starttls' => true, 'cert' => 'wrongname']);
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('STARTTLS');
check('wrong host name rejected', !$c->startTls(verify($srv->cert)));
$c->close();
$srv->stop();

$srv = mailer_test_server(['implicit_tls' => true]);
$c = new Client($srv, verify($srv->cert));
check('implicit TLS greeting', $c->reply() === ['220 test.local ESMTP ready']);
check('implicit TLS EHLO', $c->code('EHLO me') === '250' && $c->code('QUIT') === '221');
check('implicit TLS log', str_starts_with($srv->log(), "* TLS started\nS: 220"));
$srv->stop();

$srv = mailer_test_server(['implicit_tls' => true, 'tls_stall' => true]);
$t = microtime(true);
$c = @stream_socket_client("tcp://127.0.0.1:$srv->port", $e1, $e2, 2);
stream_set_blocking($c, false);
function_exists('stream_context_set_options') // 8.3+; the 2-argument form is deprecated in 8.4
    ? stream_context_set_options($c, ['ssl' => verify($srv->cert)])
    : stream_context_set_option($c, ['ssl' => verify($srv->cert)]);
for ($r = 0; $r === 0 && microtime(true) - $t < 1.0; usleep(20000)) {
    $r = @stream_socket_enable_crypto($c, true, STREAM_CRYPTO_METHOD_TLS_CLIENT);
}
check('tls_stall never completes', $r === 0);
fclose($c);
check('tls_stall logged', $srv->waitClosed(1) && $srv->log() === "* TLS stalled\n* closed\n", $srv->log());
$srv->stop();

// ---- scripted replies and faults ---------------------------------------------
$srv = mailer_test_server([
    'replies' => ['RCPT:bad@x.org' => '550 5.1.1 No such user', 'RCPT#3' => '452 4.5.3 Too many',
        'MAIL' => ['250-first', '250 2.1.0 Ok'], 'EOD#2' => '451 4.3.0 Try later',
        'GREETING#4' => '421 4.3.2 busy'],
    'delay' => ['EOD#1' => 0.4],
    'raw_reply' => ['NOOP' => "250-x\0y\r\n250 ok\r\n"],
    'drop' => ['at' => 'RCPT', 'connection' => 3],
    'close_after_messages' => 1,
]);
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
check('multi-line scripted MAIL', $c->cmd('MAIL FROM:<a@x>') === ['250-first', '250 2.1.0 Ok']);
check('RCPT:substring', $c->code('RCPT TO:<bad@x.org>') === '550');
check('RCPT default', $c->code('RCPT TO:<good@x.org>') === '250');
check('RCPT#3', $c->code('RCPT TO:<third@x.org>') === '452');
$c->write("NOOP\r\n");
check('raw reply bytes', fread($c->s, 100) === "250-x\0y\r\n250 ok\r\n");
check('data with failed recipients only good one', $c->code('DATA') === '354');
$t = microtime(true);
$c->write("Subject: a\r\n\r\nx\r\n.\r\n");
$r = $c->reply();
check('delay EOD', microtime(true) - $t >= 0.35 && $r[0] === '250 2.0.0 Ok: queued as TEST0001', $r);
check('close_after_messages', $c->eof());
check('envelope recipients', $srv->envelope(1)['rcpt'] === ['RCPT TO:<good@x.org>']);
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
check('EOD#2 rejects', sendMessage($c, 'a@x', ['b@x'], "x\r\n")[3] === '451 4.3.0 Try later'
    && $srv->messageCount() === 1);
$c->close();
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('MAIL FROM:<a@x>');
$c->write("RCPT TO:<b@x>\r\n");
check('drop at RCPT', $c->reply() === null);
check('drop logged', $srv->log(3) === "S: 220 test.local ESMTP ready\nC: EHLO me\nS: 250-test.local\n"
    . "S: 250-PIPELINING\nS: 250-SIZE 10240000\nS: 250 8BITMIME\nC: MAIL FROM:<a@x>\n"
    . "S: 250-first\nS: 250 2.1.0 Ok\nC: RCPT TO:<b@x>\n* drop at RCPT\n* closed\n", $srv->log(3));
$c = new Client($srv);
check('GREETING#4 421 then close', $c->reply() === ['421 4.3.2 busy'] && $c->eof());
$srv->stop();

foreach ([['line_bytes' => 1048576], ['lines' => 10000]] as $h) {
    $srv = mailer_test_server(['huge_reply' => ['at' => 'EHLO'] + $h]);
    $c = new Client($srv);
    $c->reply();
    $r = $c->cmd('EHLO me');
    if (isset($h['line_bytes'])) {
        check('huge_reply line_bytes', count($r) === 1 && strlen($r[0]) === 4 + 1048576);
    } else {
        check('huge_reply lines', count($r) === 10001 && $r[10000] === '250 Ok');
    }
    check('session continues after huge reply', $c->code('NOOP') === '250');
    $c->close();
    $srv->stop();
}
$srv = mailer_test_server(['huge_reply' => ['at' => 'GREETING', 'line_bytes' => 8 << 20]]);
$c = new Client($srv);
fread($c->s, 1000);
$c->close();
check('huge reply to a client that leaves', $srv->waitClosed(1) && $srv->running());
$srv->stop();

$srv = mailer_test_server(['ehlo_reply' => '502 5.5.1 not implemented']);
$c = new Client($srv);
$c->reply();
check('ehlo_reply forces HELO', $c->code('EHLO me') === '502' && $c->cmd('HELO me') === ['250 test.local']);
$c->close();
$srv->stop();

// ---- BDAT -----------------------------------------------------------------------
$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'CHUNKING', 'BINARYMIME']]);
$c = new Client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('MAIL FROM:<a@x>');
$c->cmd('RCPT TO:<b@x>');
$c->write("BDAT 12 LAST\r\nHello\r\n.\r\nBD");
$r = $c->reply();
check('BDAT LAST', $r === ['250 2.0.0 Ok: queued as TEST0001'], $r);
check('BDAT payload verbatim', $srv->message() === "Hello\r\n.\r\nBD", $srv->message());
$c->cmd('MAIL FROM:<a@x>');
$c->cmd('RCPT TO:<b@x>');
$c->write("BDAT 5\r\nHello");
$r1 = $c->reply();
$c->write("BDAT 8 LAST\r\n World\r\n");
$r2 = $c->reply();
check('BDAT two chunks', $r1 === ['250 2.0.0 Ok: 5 octets received'] && $r2[0] === '250 2.0.0 Ok: queued as TEST0002'
    && $srv->message(2) === "Hello World\r\n" && $srv->envelope(2)['bdat'] === true, [$r1, $r2]);
$c->close();
$srv->stop();

// ---- lifetime limits, IPv6 -------------------------------------------------------
$srv = mailer_test_server(['max_connections' => 1]);
$c = new Client($srv);
$c->reply();
$c->cmd('QUIT');
for ($i = 0; $i < 100 && $srv->running(); $i++) {
    usleep(20000);
}
check('max_connections exit', !$srv->running());
$srv->stop();
$srv = mailer_test_server(['idle_exit' => 0.5]);
usleep(1200000);
check('idle_exit', !$srv->running());
$srv->stop();
$probe = @stream_socket_server('tcp://[::1]:0');
if ($probe) {
    fclose($probe);
    $srv = mailer_test_server(['ipv6' => true, 'implicit_tls' => true]);
    $c = new Client($srv, verify($srv->cert));
    check('IPv6 + implicit TLS', $c->reply() === ['220 test.local ESMTP ready']);
    $c->close();
    $srv->stop();
} else {
    echo "skip IPv6 (no ::1)\n";
}

// ---- parse_mail.py ---------------------------------------------------------------
$pdf = random_bytes(3000);
$msg = "From: =?UTF-8?B?SsO2cmc=?= <j@x.org>\r\nTo: b@x.org\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
    . "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
    . "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
    . "--b2\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    . "Gr=C3=BC=C3=9Fe\r\n--b2\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>hi</p>\r\n--b2--\r\n"
    . "--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
    . "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n\r\n"
    . chunk_split(base64_encode($pdf), 76, "\r\n") . "--b1--\r\n";
$p = mailer_test_python_parse($msg);
check('parse structure', $p['structure'] === 'multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)', $p['structure']);
check('parse headers decoded', $p['headers'][0] === ['From', 'Jörg <j@x.org>'] && $p['headers'][2] === ['Subject', 'Grüße'], $p['headers']);
check('parse parts', $p['parts'][0]['path'] === '1.1' && $p['parts'][0]['text'] === 'Grüße'
    && $p['parts'][2]['filename'] === 'résumé.pdf' && $p['parts'][2]['sha256'] === hash('sha256', $pdf)
    && $p['parts'][2]['size'] === 3000 && $p['parts'][2]['disposition'] === 'attachment', $p['parts']);
check('parse clean', $p['defects'] === [] && $p['max_line'] === 76 && !$p['bare_lf'], [$p['defects'], $p['max_line']]);
$p = mailer_test_python_parse("Subject: x\nContent-Type: text/plain; charset=us-ascii\n\n\xff " . str_repeat('y', 1200) . "\n");
check('parse bare LF, long line, bad charset', $p['bare_lf'] && $p['max_line'] === 1202
    && $p['structure'] === 'text/plain' && $p['parts'][0]['path'] === '1'
    && in_array('1: text not decodable as us-ascii', $p['defects'], true), $p);

// ---- capture server --------------------------------------------------------------
$proc = proc_open([PHP_BINARY, '-n', __DIR__ . '/capture_server.php'],
    [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$out = mailer_test_read_until($pipes[1], "\n", 5);
preg_match('/^PORT (\d+)/', $out, $m);
$s = stream_socket_client('tcp://127.0.0.1:' . ($m[1] ?? 0), $e1, $e2, 5);
stream_set_timeout($s, 5);
fgets($s);
fwrite($s, "EHLO demo\r\n");
for ($i = 0; $i < 4; $i++) {
    fgets($s);
}
fwrite($s, "MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n");
for ($i = 0; $i < 3; $i++) {
    fgets($s);
}
fwrite($s, "Subject: demo\r\n\r\n..dot\r\n.\r\nQUIT\r\n");
fgets($s);
fgets($s);
$out .= mailer_test_read_until($pipes[1], "session closed", 5);
for ($i = 0; $i < 100 && proc_get_status($proc)['running']; $i++) {
    usleep(20000);
}
$running = proc_get_status($proc)['running'];
if ($running) {
    proc_terminate($proc, 9);
}
proc_close($proc);
check('capture server output', str_contains($out, "===== message 1: envelope =====\nEHLO demo\nMAIL FROM:<a@x>\nRCPT TO:<b@x>\n")
    && str_contains($out, "Subject: demo\r\n\r\n.dot\r\n===== end of message 1 =====\n"), $out);
check('capture server exits after QUIT', !$running);

echo "$passed passed, $failed failed\n";
exit($failed ? 1 : 0);
