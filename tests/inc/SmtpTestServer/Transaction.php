<?php
/*
 * SmtpTestServer, the mail transaction: MAIL, RCPT, DATA and BDAT (RFC 5321, RFC 3030),
 * with the SIZE limit, max_mails and close_after_messages; the end of data, where an
 * accepted message is recorded; RSET of the transaction state.
 */

declare(strict_types=1);

trait SmtpTestServerTransaction
{
    private function cmdMail(string $line): bool
    {
        $limit = (int)($this->capParams('SIZE')[0] ?? 0);
        $default = '250 2.1.0 Ok';
        $enforced = $this->checkEnvelope('MAIL', $line);
        if ($this->helo === null) {
            $default = '503 5.5.1 Error: send HELO/EHLO first';
        } elseif ($this->c['tls_require'] && !$this->tls) {
            $default = '530 5.7.0 Must issue a STARTTLS command first';
        } elseif ($this->c['auth_require'] && $this->authed === null) {
            $default = '530 5.7.0 Authentication required';
        } elseif ($this->mailFrom !== null) {
            $default = '503 5.5.1 Error: nested MAIL command';
        } elseif ((int)$this->c['max_mails'] > 0 && $this->connMsgs >= (int)$this->c['max_mails']) {
            $default = '452 4.5.3 Too many messages sent';
        } elseif (!preg_match('/^MAIL FROM:\s*<[^>]*>(.*)$/i', $line, $m)) {
            $default = '501 5.5.4 Syntax: MAIL FROM:<address>';
        } elseif ($enforced !== null) {
            $default = $enforced;
        } elseif ($limit > 0 && preg_match('/\sSIZE=(\d+)/i', $m[1], $sz) && (int)$sz[1] > $limit) {
            $default = '552 5.3.4 Message size exceeds fixed limit';
        }
        $r = $this->step('MAIL', $line, $default);
        if ($r !== false && str_starts_with($r, '2')) {
            $this->resetTx();
            $this->mailFrom = $line;
            $this->txBody = preg_match('/ BODY=(\S+)/i', $line, $b) ? strtoupper($b[1]) : '';
            $this->txUtf8 = (bool)preg_match('/ SMTPUTF8(?: |$)/i', $line);
        } elseif ($r !== false && $this->mailFrom === null) {
            // RFC 2920: RCPT and DATA sent blind behind it are answered 503, and are no fault
            $this->mailRefused = $this->offers('PIPELINING') !== null;
        }
        return $r !== false;
    }

    private function cmdRcpt(string $line): bool
    {
        $enforced = $this->checkEnvelope('RCPT', $line);
        $default = match (true) {
            $this->mailFrom === null => '503 5.5.1 Error: need MAIL command',
            !preg_match('/^RCPT TO:\s*<[^>]*>/i', $line) => '501 5.5.4 Syntax: RCPT TO:<address>',
            default => $enforced ?? '250 2.1.5 Ok',
        };
        $r = $this->step('RCPT', $line, $default);
        if ($r !== false && str_starts_with($r, '2') && $this->mailFrom !== null) {
            $this->rcpts[] = $line;
        }
        return $r !== false;
    }

    private function cmdData(string $line): bool
    {
        $default = match (true) {
            $this->mailFrom === null => '503 5.5.1 Error: need MAIL command',
            !$this->rcpts => '554 5.5.1 Error: no valid recipients',
            default => '354 End data with <CR><LF>.<CR><LF>',
        };
        $r = $this->step('DATA', $line, $default);
        if ($r === false || !str_starts_with($r, '354')) {
            return $r !== false;
        }
        $payload = $this->readData();
        $this->answering = ['the end of data', true, 'pipelining'];
        return $payload !== null && $this->endOfData($payload, false);
    }

    private function cmdBdat(string $line, string $arg): bool
    {
        if (!preg_match('/^(\d+)(\s+LAST)?$/i', $arg, $m)) {
            return $this->step('BDAT', $line, '501 5.5.4 Syntax: BDAT count [LAST]') !== false;
        }
        $size = (int)$m[1];
        $last = isset($m[2]);
        $plan = $this->plan('BDAT', $line);
        if ($plan === false) {
            return false;
        }
        if ($size > (int)$this->c['max_data_bytes']) {
            $this->log('* BDAT chunk exceeds max_data_bytes');
            return $this->reply('552 5.3.4 Chunk too large', true) && false;
        }
        $chunk = $this->readBytes($size);
        if ($chunk === null) {
            return false;
        }
        $this->log("* data $size octets");
        $default = match (true) {
            $this->capParams('CHUNKING') === null => '502 5.5.1 Error: command not implemented',
            $this->mailFrom === null => '503 5.5.1 Error: need MAIL command',
            !$this->rcpts => '554 5.5.1 Error: no valid recipients',
            default => null,
        };
        if ($default !== null) {
            $this->resetTx();
            // BDATs pipelined behind this one are answered 503, and are no fault (RFC 3030 4.2)
            $this->mailRefused = $this->offers('PIPELINING') !== null;
            return $this->send($plan, $default) !== false;
        }
        $this->bdat = ($this->bdat ?? '') . $chunk;
        if (!$last || $plan[0] !== null) {
            $r = $this->send($plan, "250 2.0.0 Ok: $size octets received");
            if ($last) {
                $this->resetTx();
            }
            return $r !== false;
        }
        $payload = $this->bdat;
        return $this->endOfData($payload, true);
    }

    private function endOfData(string $payload, bool $bdat): bool
    {
        $plan = $this->plan('EOD', $payload);
        if ($plan === false) {
            $this->resetTx();
            return false;
        }
        $qid = sprintf('TEST%04d', $this->seen['EOD']);
        $limit = (int)($this->capParams('SIZE')[0] ?? 0);
        $enforced = $this->checkData($payload, $bdat ? $payload : $this->dataRaw,
            $bdat && $this->txBody === 'BINARYMIME');
        $this->dataRaw = '';
        $default = match (true) {
            $enforced !== null => $enforced,
            $this->mailFrom === null || !$this->rcpts => '554 5.5.1 Error: no valid recipients',
            $limit > 0 && strlen($payload) > $limit => '552 5.3.4 Message size exceeds fixed limit',
            default => "250 2.0.0 Ok: queued as $qid",
        };
        $accepted = str_starts_with($this->text($plan, $default), '2');
        if ($accepted) {
            $this->record($payload, $bdat, $qid);
        }
        $this->resetTx();
        if ($this->send($plan, $default, $enforced !== null && $plan[0] === null) === false) {
            return false;
        }
        if ($accepted && ++$this->connMsgs === (int)$this->c['close_after_messages']) {
            $this->log('* close after ' . $this->connMsgs . ' message(s)');
            if ($this->c['close_reply'] !== null) {
                $this->reply($this->c['close_reply'], true);
            }
            $this->close();
            return false;
        }
        return true;
    }

    private function resetTx(): bool
    {
        $this->mailFrom = $this->bdat = null;
        $this->rcpts = [];
        $this->mailRefused = $this->txUtf8 = false;
        $this->txBody = '';
        return false;
    }
}
