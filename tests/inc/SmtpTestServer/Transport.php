<?php
/*
 * SmtpTestServer, the transport: reading command lines, the message (DATA up to its final
 * dot, a BDAT chunk by its size) and what the client has already sent; writing; closing.
 * Every loop is bounded by an iteration cap and a deadline (client_timeout, max_lifetime)
 * and ends when the parent test process is gone (parent_pid). A timeout gets a 421.
 */

declare(strict_types=1);

trait SmtpTestServerTransport
{
    /** Reads what the client has already sent, without waiting. */
    private function drain(): void
    {
        stream_set_blocking($this->sock, false);
        for ($i = 0; $i < 1000; $i++) {
            $d = @fread($this->sock, 65536);
            if ($d === false || $d === '') {
                break;
            }
            $this->received($d);
        }
        if ($this->sock) {
            stream_set_blocking($this->sock, true);
        }
    }

    private function readLine(): ?string
    {
        for ($i = 0; $i < 100000; $i++) {
            $p = strpos($this->buf, "\n");
            if ($p !== false) {
                $line = substr($this->buf, 0, $p);
                $this->buf = (string)substr($this->buf, $p + 1);
                $this->crlf = str_ends_with($line, "\r");
                return $this->crlf ? substr($line, 0, -1) : $line;
            }
            if (strlen($this->buf) > self::MAX_LINE) {
                $this->log('* line too long');
                $this->reply('500 5.5.2 Error: line too long', true);
                return null;
            }
            if (!$this->fill(true)) {
                $this->lost();
                return null;
            }
        }
        return null;
    }

    private function readData(): ?string
    {
        $data = $this->buf;
        $this->buf = '';
        $scan = 0;
        for ($i = 0; $i < 10000000; $i++) {
            if (preg_match('/(?:^|\n)\.\r?\n/', $data, $m, PREG_OFFSET_CAPTURE, $scan)) {
                $end = $m[0][1] + ($m[0][0][0] === "\n" ? 1 : 0);
                $raw = substr($data, 0, $end);
                $this->buf = (string)substr($data, $m[0][1] + strlen($m[0][0]));
                $this->dataRaw = $raw . substr($m[0][0], 1);
                $this->bareLf = (bool)preg_match('/(?<!\r)\n/', $this->dataRaw);
                if ($this->c['log_data'] && $raw !== '') {
                    foreach (explode("\n", substr($raw, 0, -1)) as $l) {
                        $this->log('D: ' . rtrim($l, "\r"));
                    }
                }
                $payload = (string)preg_replace('/(^|\n)\./', '$1', $raw);
                $this->log('* data ' . strlen($payload) . ' octets' . ($this->bareLf ? ' (bare LF seen)' : ''));
                $this->log('C: .');
                return $payload;
            }
            if ($this->dropInData(strlen($data))) {
                return null;
            }
            if (strlen($data) > (int)$this->c['max_data_bytes']) {
                $this->log('* data exceeds max_data_bytes');
                $this->reply('552 5.3.4 Message too large', true);
                return null;
            }
            $scan = max(0, strlen($data) - 4);
            if (!$this->fill()) {
                $this->lost();
                return null;
            }
            $data .= $this->buf;
            $this->buf = '';
        }
        return null;
    }

    private function readBytes(int $n): ?string
    {
        for ($i = 0; strlen($this->buf) < $n; $i++) {
            if ($this->dropInData(strlen($this->buf))) {
                return null;
            }
            if ($i > 10000000 || !$this->fill()) {
                $this->lost();
                return null;
            }
        }
        $out = substr($this->buf, 0, $n);
        $this->buf = (string)substr($this->buf, $n);
        return $out;
    }

    /** Reads what is available into $this->buf; false on EOF, timeout or deadline. */
    private function fill(bool $commands = false): bool
    {
        $deadline = min(microtime(true) + (float)$this->c['client_timeout'], $this->lifeEnd());
        for ($i = 0; $this->sock && $i < 1000000; $i++) {
            if (microtime(true) >= $deadline || !$this->parentAlive()) {
                return false;
            }
            $d = @fread($this->sock, 65536);
            if ($d === false || $d === '') {
                if (feof($this->sock)) {
                    $this->eof = true;
                    return false;
                }
                continue;
            }
            $this->received($d, $commands);
            return true;
        }
        return false;
    }

    /** After a failed fill(): EOF closes quietly, a timeout gets a 421. */
    private function lost(): void
    {
        if ($this->sock && !$this->eof) {
            $this->log('* timeout');
            $this->reply('421 4.4.2 ' . $this->c['hostname'] . ' Error: timeout exceeded', true);
        }
        $this->close();
    }

    private function write(string $data): bool
    {
        $deadline = min(microtime(true) + (float)$this->c['client_timeout'], $this->lifeEnd());
        $len = strlen($data);
        for ($off = 0, $i = 0; $off < $len && $i < 10000000; $i++) {
            if (!$this->sock || microtime(true) >= $deadline) {
                return false;
            }
            $w = @fwrite($this->sock, $off === 0 && $len <= 65536 ? $data : substr($data, $off, 65536));
            if ($w === false) {
                return false;
            }
            $off += $w;
        }
        return $off >= $len;
    }

    private function close(bool $log = true): void
    {
        if ($this->sock) {
            if ($log) {
                $this->log('* closed');
            }
            @fclose($this->sock);
            $this->sock = null;
        }
    }

    private function lifeEnd(): float
    {
        return $this->t0 + (float)$this->c['max_lifetime'];
    }

    private function parentAlive(): bool
    {
        $pid = (int)$this->c['parent_pid'];
        $now = microtime(true);
        if ($pid <= 0 || $now - $this->lastParentCheck < 1.0 || !is_dir('/proc/self')) {
            return true;
        }
        $this->lastParentCheck = $now;
        return file_exists("/proc/$pid");
    }
}
