<?php
/*
 * SmtpTestServer, the replies: how every reply goes out. step() plans a point and sends
 * the scripted reply or the default one; raw replies are sent verbatim, huge ones streamed;
 * a 421 closes the connection after it. Before anything is sent, sync() (Strictness.php)
 * checks the client did not send what it had to wait for.
 */

declare(strict_types=1);

trait SmtpTestServerReplies
{
    /** The reply text a plan will produce (first line decides the code). */
    private function text(array $plan, array|string $default): string
    {
        return match ($plan[0]) {
            'raw' => $plan[1],
            'huge' => (string)($plan[1]['code'] ?? '250'),
            'lines' => implode("\n", $plan[1]),
            default => implode("\n", (array)$default),
        };
    }

    private function step(string $point, string $line, array|string $default, bool $closeAfter = false): string|false
    {
        $plan = $this->plan($point, $line);
        $r = $plan === false ? false : $this->send($plan, $default, $closeAfter);
        $stop = $r === false ? null : $this->spec($this->c['stop_reading'], $point, $line, $this->seen[$point], 0);
        if ($stop !== null) {
            $this->stallReading((float)($stop['seconds'] ?? 30.0));
            return false;
        }
        return $r;
    }

    private function send(array $plan, array|string $default, bool $closeAfter = false): string|false
    {
        if ($plan[0] !== null && $plan[0] !== 'lines' && !$this->sync()) {
            return false;
        }
        if ($plan[0] === 'raw') {
            foreach (explode("\n", $plan[1]) as $i => $l) {
                if ($l !== '' || $i === 0) {
                    $this->log('S: ' . addcslashes(rtrim($l, "\r"), "\0..\37\177"));
                }
            }
            $ok = $this->write($plan[1]);
            if (!$ok || $closeAfter) {
                $this->close();
                return false;
            }
            return $plan[1];
        }
        if ($plan[0] === 'huge') {
            return $this->huge($plan[1]);
        }
        return $this->reply($plan[0] === 'lines' ? $plan[1] : $default, $closeAfter);
    }

    /** Sends reply lines; a 421 reply (or $closeAfter) closes the connection. */
    private function reply(array|string $lines, bool $closeAfter = false): string|false
    {
        if (!$this->sync()) {
            return false;
        }
        $lines = array_map('strval', (array)$lines);
        if (!$this->tls && str_starts_with($lines[0] ?? '', '530') && stripos(implode(' ', $lines), 'STARTTLS')) {
            $this->told530 = true;
        }
        $closeAfter = $closeAfter || str_starts_with($lines[0] ?? '', '421');
        foreach ($lines as $l) {
            $this->log("S: $l");
        }
        if ($closeAfter) {
            $this->log('* closed');
        }
        $ok = $this->write(implode("\r\n", $lines) . "\r\n");
        if ($closeAfter || !$ok) {
            $this->close(!$closeAfter);
            return false;
        }
        return implode("\n", $lines);
    }

    private function huge(array $h): string|false
    {
        $code = (string)($h['code'] ?? '250');
        $ok = true;
        if (isset($h['line_bytes'])) {
            $n = (int)$h['line_bytes'];
            $this->log("* huge reply: 1 line of $n bytes");
            $chunk = str_repeat('x', 65536);
            $ok = $this->write("$code ");
            for ($left = $n; $ok && $left > 0; $left -= 65536) {
                $ok = $this->write($left >= 65536 ? $chunk : substr($chunk, 0, $left));
            }
            $ok = $ok && $this->write("\r\n");
        } else {
            $n = (int)($h['lines'] ?? 10000);
            $this->log("* huge reply: $n lines");
            for ($i = 1; $ok && $i <= $n; $i += 1000) {
                $s = '';
                for ($j = $i; $j < $i + 1000 && $j <= $n; $j++) {
                    $s .= sprintf("%s-X-HUGE-%07d\r\n", $code, $j);
                }
                $ok = $this->write($s);
            }
            $ok = $ok && $this->write("$code Ok\r\n");
        }
        if (!$ok) {
            $this->close();
            return false;
        }
        return "$code huge";
    }
}
