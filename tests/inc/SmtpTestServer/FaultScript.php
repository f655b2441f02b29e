<?php
/*
 * SmtpTestServer, the fault script: what the config says at a point of the session (see
 * smtp_server.php, "Scripted replies and faults"). plan() counts the point, drops the
 * connection or sleeps as scripted, and finds the reply override (raw_reply, huge_reply,
 * replies) by the key syntax POINT, POINT:substring, POINT#n, most specific first;
 * stop_reading and drop_data_after are the faults that act while reading.
 */

declare(strict_types=1);

trait SmtpTestServerFaultScript
{
    /** Runs drop/delay and finds an override: false = dropped, else [kind|null, value]. */
    private function plan(string $point, string $line): array|false
    {
        $n = $this->countOnce($point);
        if ($this->spec($this->c['drop'], $point, $line, $n, 1) !== null) {
            $this->log("* drop at $point");
            $this->close();
            return false;
        }
        $d = $this->lookup($this->c['delay'], $point, $line, $n);
        if ($d !== null) {
            usleep((int)(max(0.0, min((float)$d, $this->lifeEnd() - microtime(true))) * 1e6));
        }
        if (($raw = $this->lookup($this->c['raw_reply'], $point, $line, $n)) !== null) {
            return ['raw', (string)$raw];
        }
        if (($h = $this->spec($this->c['huge_reply'], $point, $line, $n, 0)) !== null) {
            return ['huge', $h];
        }
        if (($r = $this->lookup($this->c['replies'], $point, $line, $n)) !== null) {
            return ['lines', array_map('strval', (array)$r)];
        }
        return [null, null];
    }

    /** stop_reading: reads nothing more (the client's writes fill the socket buffers), then closes. */
    private function stallReading(float $seconds): void
    {
        $this->log('* stopped reading');
        $end = min(microtime(true) + $seconds, $this->lifeEnd());
        for ($i = 0; $i < 100000 && microtime(true) < $end && $this->parentAlive(); $i++) {
            usleep(50000);
        }
        $this->close();
    }

    private static function score(string $key, string $point, string $line, int $n): int
    {
        if ($key === $point) {
            return 1;
        }
        if ($key === "$point#$n") {
            return 3;
        }
        $p = strlen($point) + 1;
        return strncmp($key, "$point:", $p) === 0 && stripos($line, substr($key, $p)) !== false ? 2 : 0;
    }

    private function lookup(array $map, string $point, string $line, int $n): mixed
    {
        $best = null;
        $bs = 0;
        foreach ($map as $k => $v) {
            $s = self::score((string)$k, $point, $line, $n);
            if ($s > $bs) {
                [$best, $bs] = [$v, $s];
            }
        }
        return $best;
    }

    private function spec(array $specs, string $point, string $line, int $n, int $defConn): ?array
    {
        $best = null;
        $bs = 0;
        foreach ($specs as $s) {
            $conn = (int)($s['connection'] ?? $defConn);
            if ($conn !== 0 && $conn !== $this->connNo) {
                continue;
            }
            $sc = self::score($s['at'], $point, $line, $n);
            if ($sc > $bs) {
                [$best, $bs] = [$s, $sc];
            }
        }
        return $best;
    }

    private static function normKey(string $k): string
    {
        $p = strcspn($k, ':#');
        return strtoupper(substr($k, 0, $p)) . substr($k, $p);
    }

    private static function normMap(array $m): array
    {
        $out = [];
        foreach ($m as $k => $v) {
            $out[self::normKey((string)$k)] = $v;
        }
        return $out;
    }

    private static function normSpecs(array $s): array
    {
        if (isset($s['at'])) {
            $s = [$s];
        }
        foreach ($s as &$one) {
            $one['at'] = self::normKey((string)($one['at'] ?? ''));
        }
        return array_values($s);
    }

    /** drop_data_after: the connection dies in the middle of the message, without a reply. */
    private function dropInData(int $received): bool
    {
        $limit = (int)$this->c['drop_data_after'];
        if ($limit <= 0 || $received < $limit || !$this->dropsThisMessage()) {
            return false;
        }
        $this->log("* drop after $received octets of data");
        $this->close();
        return true;
    }
}
