<?php
/*
 * SmtpTestServer, the recorder: what a test reads afterwards (record_dir). conn-N.log
 * (the transcript and the events), conn-N.raw and conn-N.reads (what was received and in
 * how many reads), msg-M.eml and msg-M.json (each accepted message and its envelope) and
 * the onMessage callback. The files are described in smtp_server.php ("Recording");
 * violations.json is written by Strictness.php.
 */

declare(strict_types=1);

trait SmtpTestServerRecorder
{
    private function record(string $payload, bool $bdat, string $qid): void
    {
        $n = $this->msgNo = $this->countOnce('* message');
        $meta = $this->sock ? (stream_get_meta_data($this->sock)['crypto'] ?? null) : null;
        $env = [
            'mail_from' => $this->mailFrom, 'rcpt' => $this->rcpts,
            'connection' => $this->connNo, 'message' => $n, 'queue_id' => $qid,
            'size' => strlen($payload), 'helo' => $this->helo, 'tls' => $this->tls,
            'tls_protocol' => $meta['protocol'] ?? null, 'auth' => $this->authed,
            'bdat' => $bdat, 'bare_lf' => !$bdat && $this->bareLf,
            // the client's address and port (the bridge's source_ip)
            'peer' => $this->sock ? (string)stream_socket_get_name($this->sock, true) : null,
        ];
        if ($dir = $this->c['record_dir']) {
            file_put_contents("$dir/msg-$n.eml", $payload);
            file_put_contents("$dir/msg-$n.json", json_encode($env,
                JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
        }
        if ($this->onMessage) {
            ($this->onMessage)($n, $env, $payload);
        }
    }

    /** Appends what was read to $this->buf and the recording. */
    private function received(string $d, bool $commands = true): void
    {
        if ($dir = $this->c['record_dir']) {
            file_put_contents("$dir/conn-{$this->connNo}.raw", $d, FILE_APPEND);
            // how many command lines each read carried: pipelining shows as one read of many
            if ($commands) {
                file_put_contents("$dir/conn-{$this->connNo}.reads", substr_count($d, "\n") . "\n", FILE_APPEND);
            }
        }
        $this->buf .= $d;
    }

    private function log(string $line): void
    {
        if ($dir = $this->c['record_dir']) {
            file_put_contents("$dir/conn-{$this->connNo}.log", "$line\n", FILE_APPEND);
        }
    }
}
