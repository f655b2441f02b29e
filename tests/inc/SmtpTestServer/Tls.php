<?php
/*
 * SmtpTestServer, TLS: STARTTLS (its reply, the plaintext a client sends after it) and the
 * server side handshake, also for implicit TLS; tls_stall never does the handshake. TLS 1.2+
 * by default (tls_versions), non-blocking and bounded by tls_timeout. A new TLS session
 * forgets the EHLO, the AUTH and the transaction (RFC 3207 4.2).
 */

declare(strict_types=1);

trait SmtpTestServerTls
{
    private function cmdStartTls(string $line, string $arg): bool
    {
        $default = match (true) {
            !$this->c['starttls'] => '502 5.5.1 Error: command not implemented',
            $this->tls => '554 5.5.1 Error: TLS already active',
            $arg !== '' => '501 5.5.4 Syntax: STARTTLS',
            default => '220 2.0.0 Ready to start TLS',
        };
        $r = $this->step('STARTTLS', $line, $default);
        if ($r === false || !str_starts_with($r, '220')) {
            return $r !== false;
        }
        if ($this->buf !== '') {
            $this->log('* discarded ' . strlen($this->buf) . ' plaintext bytes pipelined after STARTTLS');
            $this->buf = '';
        }
        $this->plaintextAfter220();
        return $this->startTls();
    }

    /** What follows the 220 must be a TLS handshake (a record of type 22), not more plaintext. */
    private function plaintextAfter220(): void
    {
        if ($this->c['tls_stall']) {
            return;
        }
        $r = [$this->sock];
        $w = $e = null;
        $wait = max(0.0, min((float)$this->c['tls_timeout'], $this->lifeEnd() - microtime(true)));
        if (@stream_select($r, $w, $e, (int)$wait, (int)(fmod($wait, 1.0) * 1e6)) > 0) {
            $b = (string)@stream_socket_recvfrom($this->sock, 200, STREAM_PEEK);
            if ($b !== '' && $b[0] !== "\x16") {
                $this->violation('after_starttls', '"' . self::show(rtrim((string)strtok($b, "\n"), "\r"))
                    . '" sent in plaintext after the 220, instead of the TLS handshake');
            }
        }
    }

    private function startTls(): bool
    {
        if ($this->c['tls_stall']) {
            $this->log('* TLS stalled');
            for ($i = 0; $i < 100000 && $this->fill(); $i++) {
                $this->buf = '';
            }
            $this->close();
            return false;
        }
        $ssl = ['local_cert' => $this->c['tls_cert'], 'verify_peer' => false,
            'verify_peer_name' => false, 'allow_self_signed' => true, 'disable_compression' => true];
        if ($this->c['tls_key']) {
            $ssl['local_pk'] = $this->c['tls_key'];
        }
        // OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1 handshake) above security level 0
        if (array_intersect(array_map('strval', (array)$this->c['tls_versions']), ['1.0', '1.1'])) {
            $ssl['security_level'] = 0;
        }
        $method = 0;
        foreach ((array)$this->c['tls_versions'] as $v) {
            $method |= match ((string)$v) {
                '1.0' => STREAM_CRYPTO_METHOD_TLSv1_0_SERVER,
                '1.1' => STREAM_CRYPTO_METHOD_TLSv1_1_SERVER,
                '1.2' => STREAM_CRYPTO_METHOD_TLSv1_2_SERVER,
                '1.3' => STREAM_CRYPTO_METHOD_TLSv1_3_SERVER,
            };
        }
        // the array form: stream_context_set_options() since PHP 8.3 (the 2-argument
        // stream_context_set_option() is deprecated in 8.4)
        function_exists('stream_context_set_options')
            ? stream_context_set_options($this->sock, ['ssl' => $ssl])
            : stream_context_set_option($this->sock, ['ssl' => $ssl]);
        stream_set_blocking($this->sock, false);
        $deadline = min(microtime(true) + (float)$this->c['tls_timeout'], $this->lifeEnd());
        $ok = 0;
        $err = '';
        set_error_handler(function (int $no, string $str) use (&$err): bool {
            $err = preg_replace('/^stream_socket_enable_crypto\(\): /', '', $str);
            return true;
        });
        try {
            for ($i = 0; $i < 100000 && microtime(true) < $deadline; $i++) {
                $ok = stream_socket_enable_crypto($this->sock, true, $method);
                if ($ok !== 0) {
                    break;
                }
                $r = [$this->sock];
                $w = $e = null;
                @stream_select($r, $w, $e, 0, 100000);
            }
        } finally {
            restore_error_handler();
        }
        if ($ok !== true) {
            $this->log('* TLS failed: ' . ($ok === 0 ? 'timeout' : ($err ?: 'handshake error')));
            $this->close();
            return false;
        }
        stream_set_blocking($this->sock, true);
        stream_set_timeout($this->sock, 0, 200000);
        $this->tls = true;
        $this->helo = $this->authed = null;
        $this->advertised = null;
        $this->resetTx();
        $this->log('* TLS started');
        return true;
    }
}
