<?php
/*
 * SmtpTestServer, the session: one connection from accept to close, the command loop
 * that reads a command, checks it (Strictness.php) and dispatches it, and EHLO/HELO with
 * the capabilities (ehlo, ehlo_after_tls, ehlo_reply) that drive what the other parts
 * accept.
 */

declare(strict_types=1);

trait SmtpTestServerSession
{
    /** @param resource $s */
    private function serve($s): void
    {
        $this->connNo++;
        $this->sock = $s;
        $this->buf = '';
        $this->eof = $this->tls = false;
        $this->helo = $this->authed = null;
        $this->connMsgs = 0;
        $this->resetTx();
        $this->advertised = $this->answering = null;
        $this->told530 = false;
        stream_set_blocking($s, true);
        stream_set_timeout($s, 0, 200000);
        if ($dir = $this->c['record_dir']) {
            touch("$dir/conn-{$this->connNo}.raw");
            touch("$dir/conn-{$this->connNo}.log");
        }
        try {
            $this->session();
        } finally {
            $this->close();
        }
    }

    private function session(): void
    {
        if ($this->c['implicit_tls'] && !$this->startTls()) {
            return;
        }
        $this->answering = ['the greeting', false, 'pipelining'];
        if ($this->step('GREETING', '', $this->c['greeting']) === false) {
            return;
        }
        for ($i = 0; $i < 100000 && $this->sock; $i++) {
            $this->answering = null;
            $line = $this->commandLine();
            if ($line === null) {
                return;
            }
            $parts = explode(' ', $line, 2);
            $verb = strtoupper($parts[0]);
            $arg = trim($parts[1] ?? '');
            $this->checkCommand($verb, $line, $arg);
            // RFC 2920 3.1: these end a pipelined group; nothing may follow them unanswered, but
            // an AUTH that completes in one round trip (RFC 4954 4: PLAIN with its response)
            $rule = match ($verb) {
                'DATA' => 'data_before_354', 'STARTTLS' => 'after_starttls', default => 'pipelining',
            };
            $this->answering = [$verb === '' ? 'an empty line' : $verb, !in_array($verb, self::GROUP_END, true)
                || ($verb === 'AUTH' && preg_match('/^(PLAIN|EXTERNAL) \S/i', $arg)), $rule];
            $ok = match ($verb) {
                'EHLO' => $this->cmdHelo($line, $arg, true),
                'HELO' => $this->cmdHelo($line, $arg, false),
                'STARTTLS' => $this->cmdStartTls($line, $arg),
                'AUTH' => $this->cmdAuth($line, $arg),
                'MAIL' => $this->cmdMail($line),
                'RCPT' => $this->cmdRcpt($line),
                'DATA' => $this->cmdData($line),
                'BDAT' => $this->cmdBdat($line, $arg),
                'RSET' => $this->resetTx() || $this->step('RSET', $line, '250 2.0.0 Ok') !== false,
                'NOOP' => $this->step('NOOP', $line, '250 2.0.0 Ok') !== false,
                'QUIT' => $this->step('QUIT', $line, '221 2.0.0 Bye', true) && false,
                'VRFY' => $this->step('VRFY', $line, '502 5.5.1 VRFY command is disabled') !== false,
                default => $this->step($verb === '' ? 'EMPTY' : $verb, $line,
                    '500 5.5.2 Error: command not recognized') !== false,
            };
            if (!$ok) {
                return;
            }
        }
    }

    private function cmdHelo(string $line, string $arg, bool $ehlo): bool
    {
        $host = $this->c['hostname'];
        if ($arg === '') {
            $default = '501 5.5.4 Syntax: ' . ($ehlo ? 'EHLO' : 'HELO') . ' hostname';
        } elseif (!$ehlo) {
            $default = "250 $host";
        } else {
            $default = $this->c['ehlo_reply'] ?? $this->ehloLines();
        }
        $r = $this->step($ehlo ? 'EHLO' : 'HELO', $line, $default);
        if ($r !== false && str_starts_with($r, '2')) {
            $this->helo = $line;
            $this->resetTx();
            // what the client was told, scripted or not, is what it may use
            $this->advertised = [];
            foreach (array_slice(explode("\n", $ehlo ? $r : ''), 1) as $l) {
                if (strlen($l = rtrim($l, "\r")) > 4) {
                    $this->advertised[] = substr($l, 4);
                }
            }
        }
        return $r !== false;
    }

    private function ehloLines(): array
    {
        $ext = array_map('strval', $this->caps());
        if (!$ext) {
            return ['250 ' . $this->c['hostname']];
        }
        $lines = ['250-' . $this->c['hostname']];
        $last = array_pop($ext);
        foreach ($ext as $e) {
            $lines[] = "250-$e";
        }
        $lines[] = "250 $last";
        return $lines;
    }

    private function caps(): array
    {
        return (array)($this->tls ? $this->c['ehlo_after_tls'] : $this->c['ehlo']);
    }

    /** Parameters of an advertised extension (uppercased), null if not advertised. */
    private function capParams(string $kw): ?array
    {
        foreach ($this->caps() as $l) {
            $p = preg_split('/[\s=]+/', trim((string)$l));
            if (strcasecmp($p[0], $kw) === 0) {
                return array_map('strtoupper', array_slice($p, 1));
            }
        }
        return null;
    }
}
