<?php
/*
 * SmtpTestServer, the strictness rules (DESIGN.md "Test servers"; the rules and what a
 * strict server answers are listed in smtp_server.php, "Strictness"). The client is checked
 * against the EHLO reply in force, as sent, and the RFCs: pipelining and synchronisation
 * (sync), each command by itself (checkCommand), MAIL and RCPT parameters (checkEnvelope),
 * the message (checkData). violation() records a breach (conn-N.log, violations.json,
 * onViolation) and says whether it is enforced (not in allow_violations).
 */

declare(strict_types=1);

trait SmtpTestServerStrictness
{
    /**
     * Records a client protocol violation (log, violations.json, onViolation). Returns true when
     * the rule is enforced, i.e. not in allow_violations: the caller then answers as a strict
     * real server would; an allowed violation is served as leniently as before.
     */
    private function violation(string $rule, string $detail): bool
    {
        $allowed = in_array($rule, (array)$this->c['allow_violations'], true);
        $this->log("* violation $rule: $detail" . ($allowed ? ' (allowed)' : ''));
        $v = ['connection' => $this->connNo, 'rule' => $rule, 'detail' => $detail, 'allowed' => $allowed];
        if ($dir = $this->c['record_dir']) {
            file_put_contents("$dir/violations.json", json_encode($v,
                JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n", FILE_APPEND);
        }
        if ($this->onViolation) {
            ($this->onViolation)($v);
        }
        return !$allowed;
    }

    /** A client line for a violation report: control bytes escaped, at most 60 characters. */
    private static function show(string $line): string
    {
        $line = addcslashes($line, "\0..\37\177");
        return strlen($line) > 60 ? substr($line, 0, 57) . '...' : $line;
    }

    /** Parameters of an extension in the EHLO reply in force (uppercased), null if not offered. */
    private function offers(string $kw): ?array
    {
        foreach ($this->advertised ?? [] as $l) {
            $p = preg_split('/[\s=]+/', trim((string)$l));
            if (strcasecmp($p[0], $kw) === 0) {
                return array_map('strtoupper', array_slice($p, 1));
            }
        }
        return null;
    }

    /**
     * Before a reply goes out: has the client already sent more than it may (RFC 2920)? Whatever
     * is in the input now was sent before the client saw this reply. Without PIPELINING nothing
     * may be; with it, nothing after a command that ends a group. An enforced violation gets
     * the synchronisation error Exim and Postfix give, and the connection is closed.
     */
    private function sync(): bool
    {
        $a = $this->answering;
        $this->answering = null;
        if ($a === null || !$this->sock) {
            return true;
        }
        [$what, $mayFollow, $rule] = $a;
        $this->drain();
        if ($this->buf === '' || ($mayFollow && $this->offers('PIPELINING') !== null)) {
            return true;
        }
        $next = '"' . self::show(rtrim((string)strtok($this->buf, "\n"), "\r")) . '"';
        $detail = match (true) {
            $what === 'the greeting' => "$next sent before the greeting",
            $rule === 'data_before_354' => "$next sent after DATA before its reply (354)",
            $rule === 'after_starttls' => "$next sent after STARTTLS before its reply and the TLS handshake",
            !$mayFollow => "$next sent before the reply to $what, which must end a pipelined group (RFC 2920)",
            default => "$next sent before the reply to $what without PIPELINING",
        };
        // plaintext behind STARTTLS is discarded (RFC 3207), the session goes on
        if (!$this->violation($rule, $detail) || $rule === 'after_starttls') {
            return true;
        }
        $this->reply('554 5.5.0 Error: SMTP protocol synchronization', true);
        return false;
    }

    /** Reads a command line (or a SASL response) and logs it; null when the session ends. */
    private function commandLine(): ?string
    {
        $line = $this->readLine();
        if ($line === null) {
            return null;
        }
        $this->log("C: $line");
        // RFC 5321 2.3.8: CR and LF only as CRLF (bare ones are the stuff of SMTP smuggling)
        foreach (['bare_lf' => !$this->crlf, 'bare_cr' => str_contains($line, "\r")] as $rule => $bad) {
            $what = $rule === 'bare_lf' ? 'ends in a bare LF' : 'has a bare CR';
            if ($bad && $this->violation($rule, '"' . self::show($line) . "\" $what")) {
                $char = $rule === 'bare_lf' ? 'LF' : 'CR';
                $this->reply('521 5.5.2 ' . $this->c['hostname'] . " Error: bare <$char> received", true);
                return null;
            }
        }
        return $line;
    }

    /** Violations a command shows by itself: its syntax, its length, its place in the session. */
    private function checkCommand(string $verb, string $line, string $arg): void
    {
        $show = '"' . self::show($line) . '"';
        if (!in_array($verb, self::KNOWN, true)) {
            $this->violation('syntax', $verb === '' ? 'an empty command line' : "unknown command $show");
        } elseif (in_array($verb, ['DATA', 'RSET', 'QUIT', 'STARTTLS'], true) && $arg !== '') {
            $this->violation('syntax', "$show: $verb takes no argument");
        } elseif (in_array($verb, ['EHLO', 'HELO'], true) && $arg === '') {
            $this->violation('syntax', "$show without a domain");
        } elseif ($verb === 'BDAT' && !preg_match('/^BDAT (0|[1-9]\d{0,17})( LAST)?$/i', $line)) {
            $this->violation('syntax', "$show: not BDAT <size> [LAST]");
        }
        // RFC 5321 4.5.3.1.4: 512 octets with CRLF, plus what the extensions in use add
        // (SIZE 26, DSN 100 / 500, AUTH= 500, SMTPUTF8 10; RFC 4954 4: AUTH lines 12288)
        $limit = match ($verb) {
            'AUTH' => 12288,
            'MAIL' => 512 + ($this->offers('SIZE') !== null ? 26 : 0) + ($this->offers('DSN') !== null ? 100 : 0)
                + ($this->offers('AUTH') !== null ? 500 : 0) + ($this->offers('SMTPUTF8') !== null ? 10 : 0),
            'RCPT' => 512 + ($this->offers('DSN') !== null ? 500 : 0),
            default => 512,
        };
        if (strlen($line) + 2 > $limit) {
            $n = strlen($line) + 2;
            $this->violation('line_length', "$verb line of $n octets (at most $limit here)");
        }
        $inTx = $this->mailFrom !== null || $this->mailRefused;
        $seq = match (true) {
            $verb === 'MAIL' && $this->helo === null => $this->tls
                ? 'MAIL after TLS started without a new EHLO (RFC 3207 4.2)' : 'MAIL before EHLO/HELO',
            $verb === 'MAIL' && $this->mailFrom !== null => 'a second MAIL in an open transaction',
            in_array($verb, ['RCPT', 'DATA', 'BDAT'], true) && !$inTx => "$verb without a MAIL transaction",
            default => null,
        };
        if ($seq !== null) {
            $this->violation('sequence', $seq);
        }
        if ($verb === 'STARTTLS') {
            $why = match (true) {
                $this->tls => 'STARTTLS inside TLS',
                $this->offers('STARTTLS') === null => 'STARTTLS sent but not offered in the EHLO reply in force',
                $this->mailFrom !== null => 'STARTTLS during a mail transaction',
                default => null,
            };
            if ($why !== null) {
                $this->violation('starttls', $why);
            }
        }
        if ($verb === 'BDAT' && $this->offers('CHUNKING') === null) {
            $this->violation('chunking', 'BDAT sent but CHUNKING not offered in the EHLO reply in force');
        }
        if ($verb === 'DATA' && $this->bdat !== null) {
            $this->violation('chunking', 'DATA in a transaction that began with BDAT (RFC 3030 2)');
        }
        if ($verb === 'DATA' && $this->txBody === 'BINARYMIME') {
            $this->violation('chunking', 'DATA for a BODY=BINARYMIME message (RFC 3030 3: BDAT only)');
        }
        if ($verb === 'AUTH') {
            $mech = strtoupper(explode(' ', $arg, 2)[0]);
            $mechs = $this->offers('AUTH');
            $why = match (true) {
                $mechs === null => 'AUTH sent but not offered in the EHLO reply in force'
                    . ($this->tls ? '' : ' (the server offers it only after STARTTLS?)'),
                !in_array($mech, $mechs, true) => "AUTH $mech: the server offers " . implode(' ', $mechs),
                $this->authed !== null => 'AUTH after a successful AUTH (RFC 4954 4)',
                $this->mailFrom !== null => 'AUTH during a mail transaction (RFC 4954 4)',
                $this->told530 && !$this->tls => 'AUTH in plaintext after the server answered 530 (STARTTLS first)',
                default => null,
            };
            if ($why !== null) {
                $this->violation('auth', $why);
            }
        }
    }

    /**
     * MAIL/RCPT: exact syntax (RFC 5321 4.1.2), parameters only as offered and well formed,
     * non-ASCII addresses only with SMTPUTF8. Returns the reply a strict server gives for an
     * enforced violation (555 / 553), or null.
     */
    private function checkEnvelope(string $verb, string $line): ?string
    {
        $kw = $verb === 'MAIL' ? 'FROM' : 'TO';
        if (!preg_match('/^' . $verb . ' ' . $kw . ':<((?:"(?:[^"\\\\]|\\\\.)*"|[^>"\s])*)>((?: [^ ]+)*)$/i',
            $line, $m)) {
            $this->violation('syntax', '"' . self::show($line) . "\": not $verb $kw:<path>[ parameters]");
            return null;
        }
        $enforced = null;
        $known = $verb === 'MAIL' ? self::MAIL_PARAMS : self::RCPT_PARAMS;
        $seen = [];
        foreach (explode(' ', substr($m[2], 1)) as $p) {
            if ($p === '') {
                continue;
            }
            [$k, $v] = array_pad(explode('=', $p, 2), 2, null);
            $k = strtoupper($k);
            $need = $k === 'BODY' && strtoupper((string)$v) === 'BINARYMIME' ? 'BINARYMIME' : ($known[$k] ?? null);
            $why = match (true) {
                $need === null => "$k is no $verb parameter",
                $this->offers($need) === null => "$k without $need in the EHLO reply in force",
                isset($seen[$k]) => "$k twice",
                !self::paramValueOk($k, $v) => "$k has a malformed value",
                default => null,
            };
            $seen[$k] = true;
            if ($why !== null && $this->violation('parameter', '"' . self::show($line) . "\": $why")) {
                $enforced ??= "555 5.5.4 Unsupported option: $k";
            }
        }
        $utf8 = $verb === 'MAIL' ? isset($seen['SMTPUTF8']) : $this->txUtf8;
        if (!$utf8 && preg_match('/[\x80-\xff]/', $m[1])
            && $this->violation('smtputf8', '"' . self::show($line) . '": a non-ASCII address without SMTPUTF8')) {
            $enforced ??= '553 5.6.7 Non-ASCII address without SMTPUTF8';
        }
        return $enforced;
    }

    private static function paramValueOk(string $k, ?string $v): bool
    {
        $xtext = '(?:[\x21-\x2a\x2c-\x3c\x3e-\x7e]|\+[0-9A-F]{2})';
        return match ($k) {
            'SIZE' => $v !== null && (bool)preg_match('/^\d{1,20}$/D', $v),
            'BODY' => in_array(strtoupper((string)$v), ['7BIT', '8BITMIME', 'BINARYMIME'], true),
            'SMTPUTF8', 'REQUIRETLS' => $v === null,
            'RET' => in_array(strtoupper((string)$v), ['FULL', 'HDRS'], true),
            'ENVID' => $v !== null && strlen($v) <= 100 && (bool)preg_match("/^$xtext+\$/D", $v),
            // NEVER, or SUCCESS/FAILURE/DELAY each at most once
            'NOTIFY' => $v !== null && (strtoupper($v) === 'NEVER' || (bool)preg_match(
                '/^(?!.*(SUCCESS|FAILURE|DELAY).*,\1(,|$))(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY))*$/Di',
                $v)),
            'ORCPT' => $v !== null && strlen($v) <= 500 && (bool)preg_match('/^[A-Za-z0-9-]+;[^\s]+$/D', $v),
            default => $v === null || $v !== '',
        };
    }

    /**
     * The message itself: CRLF lines (checked on $raw, as sent) of at most 998 octets not
     * counting a dot added for transparency (RFC 5321 4.5.3.1.6: on $payload), 8-bit only as
     * declared.
     */
    private function checkData(string $payload, string $raw, bool $binary): ?string
    {
        $enforced = null;
        if (!$binary) {
            foreach (['bare_lf' => '/(?<!\r)\n/', 'bare_cr' => '/\r(?!\n)/'] as $rule => $re) {
                if (preg_match($re, $raw, $m, PREG_OFFSET_CAPTURE)) {
                    $n = substr_count($raw, "\n", 0, $m[0][1]) + 1;
                    $what = $rule === 'bare_lf' ? 'LF' : 'CR';
                    if ($this->violation($rule, "the message has a bare $what (line $n)")) {
                        $enforced ??= '521 5.5.2 ' . $this->c['hostname'] . " Error: bare <$what> received";
                    }
                }
            }
            if (preg_match('/[^\n]{1000,}/', $payload, $m, PREG_OFFSET_CAPTURE)) {
                $n = substr_count($payload, "\n", 0, $m[0][1]) + 1;
                $len = strlen(rtrim($m[0][0], "\r"));
                $this->violation('line_length', "message line $n has $len octets (at most 998 + CRLF)");
            }
        }
        if (!in_array($this->txBody, ['8BITMIME', 'BINARYMIME'], true) && !$this->txUtf8
            && preg_match('/[\x80-\xff]/', $raw, $m, PREG_OFFSET_CAPTURE)) {
            $n = substr_count($raw, "\n", 0, $m[0][1]) + 1;
            $this->violation('8bitmime', "the message has 8-bit octets (line $n) but MAIL had no BODY=8BITMIME");
        }
        return $enforced;
    }
}
