<?php
/*
 * SmtpTestServer, for batches (Mailer::sendMany()): which message's data drop_data_after cuts
 * (drop_data_message), and sessions served at once (concurrent): each connection in a child
 * process of its own, the lifetime counts (POINT#n, message numbers, queue ids) shared through
 * a locked file in record_dir. Drops, delays and replies at the n-th MAIL, RCPT or end of data
 * need nothing new: "MAIL#3", {"at": "EOD#2", "connection": 0}.
 */

declare(strict_types=1);

trait SmtpTestServerBatch
{
    /** @var int[] the children serving connections (concurrent) */
    private array $children = [];

    /** drop_data_message: does drop_data_after cut the data being read now? */
    private function dropsThisMessage(): bool
    {
        $n = (int)$this->c['drop_data_message'];
        return $n <= 0 || ($this->seen['DATA'] ?? 0) + ($this->seen['BDAT'] ?? 0) === $n;
    }

    /** One more occurrence of $name over the server's lifetime: its number (1-based). */
    private function countOnce(string $name): int
    {
        if (!$this->c['concurrent']) {
            return $this->seen[$name] = ($this->seen[$name] ?? 0) + 1;
        }
        $f = fopen($this->c['record_dir'] . '/counters.json', 'c+');
        flock($f, LOCK_EX);
        $counts = json_decode((string)stream_get_contents($f), true) ?: [];
        $n = $counts[$name] = ($counts[$name] ?? 0) + 1;
        ftruncate($f, 0);
        rewind($f);
        fwrite($f, json_encode($counts));
        fflush($f);
        flock($f, LOCK_UN);
        fclose($f);
        return $this->seen[$name] = $n;
    }

    /** Serves an accepted connection: here, or (concurrent) in a child while accepting goes on. */
    private function serveConnection($s): void
    {
        $this->reapChildren(false);
        if (!$this->c['concurrent'] || count($this->children) >= 64) {
            $this->serve($s);
            return;
        }
        $server = getmypid();
        $pid = pcntl_fork();
        if ($pid === 0) {
            // the child ends with the server (stop() of server.inc ends that by its PID), as
            // the server ends with the test (parentAlive() checks this PID once a second)
            $this->c['parent_pid'] = $server;
            fclose($this->listener);
            $this->listener = null;
            $this->serve($s);
            exit(0);
        }
        if ($pid < 0) {
            $this->serve($s);
            return;
        }
        $this->children[] = $pid;
        $this->connNo++; // the child's number; the next one counts on
        fclose($s);
    }

    /** Waits for children that ended (all of them when $all, bounded by max_lifetime). */
    private function reapChildren(bool $all): void
    {
        for ($i = 0; $this->children && $i < 100000; $i++) {
            foreach ($this->children as $k => $pid) {
                if (pcntl_waitpid($pid, $status, WNOHANG) !== 0) {
                    unset($this->children[$k]);
                }
            }
            if (!$all || microtime(true) >= $this->lifeEnd()) {
                return; // children past max_lifetime end by their own (the same) limit
            }
            usleep(20000);
        }
    }

    private function startConcurrent(): void
    {
        if ($this->c['concurrent']
            && (!function_exists('pcntl_fork') || !is_string($this->c['record_dir']) || $this->c['record_dir'] === '')) {
            throw new RuntimeException('concurrent needs ext/pcntl and a record_dir');
        }
    }
}
