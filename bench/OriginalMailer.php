<?php
/*
 * The userland class the extension's Mailer replaces, as it is usually found:
 * fsockopen, HELO, optional AUTH LOGIN, MAIL, RCPT, DATA, QUIT, one connection
 * per message, the message written in one fwrite. Kept minimal on purpose (no
 * MIME, no dot-stuffing, no EHLO): it is the baseline, not a library. Renamed
 * so it can live beside the extension's class. $to may be a comma-separated
 * list (one RCPT each), as the benchmark's 50-recipient case needs.
 */

class OriginalMailer
{
    protected $host;
    protected $port;
    protected $user;
    protected $pass;
    protected $debug;

    public function __construct($host, $port = 25, $user = '', $pass = '', $debug = false)
    {
        $this->host = $host;
        $this->port = $port;
        $this->user = $user;
        $this->pass = $pass;
        $this->debug = $debug;
    }

    public function sendmail($from, $to, $subject, $body, $headers = [])
    {
        $socket = fsockopen($this->host, $this->port, $errno, $errstr, 30);
        if (!$socket) {
            $this->debug("connect failed: $errstr ($errno)");
            return false;
        }
        $rcpts = array_map('trim', explode(',', $to));
        $ok = $this->expect($socket, '220')
            && $this->command($socket, 'HELO ' . gethostname(), '250');
        if ($ok && $this->user !== '') {
            $ok = $this->command($socket, 'AUTH LOGIN', '334')
                && $this->command($socket, base64_encode($this->user), '334')
                && $this->command($socket, base64_encode($this->pass), '235');
        }
        $ok = $ok && $this->command($socket, "MAIL FROM:<$from>", '250');
        foreach ($rcpts as $rcpt) {
            $ok = $ok && $this->command($socket, "RCPT TO:<$rcpt>", '250');
        }
        $ok = $ok && $this->command($socket, 'DATA', '354');
        if ($ok) {
            $message = "From: $from\r\nTo: $to\r\nSubject: $subject\r\nDate: " . date('r') . "\r\n"
                . "MIME-Version: 1.0\r\nContent-Type: text/html; charset=UTF-8\r\n";
            foreach ($headers as $name => $value) {
                $message .= "$name: $value\r\n";
            }
            $message .= "\r\n" . $body . "\r\n.\r\n";
            fwrite($socket, $message);
            $ok = $this->expect($socket, '250');
        }
        $this->command($socket, 'QUIT', '221');
        fclose($socket);
        return $ok;
    }

    public function debug($message)
    {
        if ($this->debug) {
            echo "debug: $message\n";
        }
    }

    private function command($socket, $line, $code)
    {
        $this->debug("C: $line");
        fwrite($socket, "$line\r\n");
        return $this->expect($socket, $code);
    }

    // Reads one reply (all its lines) and checks its code.
    private function expect($socket, $code)
    {
        do {
            $line = fgets($socket, 515);
            if ($line === false) {
                return false;
            }
            $this->debug('S: ' . rtrim($line));
        } while (isset($line[3]) && $line[3] === '-');
        return strncmp($line, $code, 3) === 0;
    }
}
