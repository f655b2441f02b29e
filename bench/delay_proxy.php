<?php
/*
 * A TCP proxy that holds every chunk it reads for a fixed delay before
 * forwarding it, in each direction, so that a round trip on loopback costs
 * what it costs on a network (5 ms each way: a 10 ms round trip).
 *
 *   php bench/delay_proxy.php LISTEN_PORT UPSTREAM_PORT [DELAY_MS=5] [LIFETIME_S=1800]
 *
 * Listens on 127.0.0.1:LISTEN_PORT and connects each client to
 * 127.0.0.1:UPSTREAM_PORT. Prints "ready" once listening. Bytes keep their
 * order; a close on one side reaches the other after the same delay. Both of
 * its sockets set TCP_NODELAY, so the proxy adds the delay and nothing else
 * (no Nagle of its own). It exits after LIFETIME_S seconds at the latest
 * (bench/run.sh stops it by its PID before that).
 */

declare(strict_types=1);

if ($argc < 3) {
    fwrite(STDERR, "usage: delay_proxy.php LISTEN_PORT UPSTREAM_PORT [DELAY_MS] [LIFETIME_S]\n");
    exit(2);
}
$listenPort = (int)$argv[1];
$upstreamPort = (int)$argv[2];
$delay = (float)($argv[3] ?? 5) / 1000;
$deadline = microtime(true) + (float)($argv[4] ?? 1800);

if (!function_exists('socket_import_stream')) {
    fwrite(STDERR, "delay_proxy: needs PHP's sockets extension (TCP_NODELAY on its sockets)\n");
    exit(1);
}
$server = stream_socket_server("tcp://127.0.0.1:$listenPort", $errno, $errstr);
if (!$server) {
    fwrite(STDERR, "delay_proxy: cannot listen on $listenPort: $errstr\n");
    exit(1);
}
stream_set_blocking($server, false);
echo "ready\n";

function nodelay($stream): void
{
    $socket = socket_import_stream($stream);
    if ($socket) {
        socket_set_option($socket, SOL_TCP, TCP_NODELAY, 1);
    }
}

/* One direction of a connection: the socket it reads, the one it writes, and
 * the chunks waiting for their time ([due, bytes]; bytes null = close). */
final class Pipe
{
    public array $queue = [];
    public bool $eof = false;

    public function __construct(public $from, public $to)
    {
    }
}

$pipes = [];   // Pipe objects, two per connection
$peer = [];    // spl_object_id(pipe) => the other pipe of its connection

function close_connection(Pipe $p, array &$pipes, array &$peer): void
{
    $q = $peer[spl_object_id($p)];
    foreach ([$p, $q] as $x) {
        unset($pipes[spl_object_id($x)], $peer[spl_object_id($x)]);
    }
    @fclose($p->from);
    @fclose($p->to);
}

while (microtime(true) < $deadline) {
    $now = microtime(true);
    // forward what is due; a partial write keeps the rest at the head of the queue
    foreach ($pipes as $p) {
        if (!isset($pipes[spl_object_id($p)])) {
            continue; // closed with its other half in this pass
        }
        while ($p->queue && $p->queue[0][0] <= $now) {
            $bytes = $p->queue[0][1];
            if ($bytes === null) {
                close_connection($p, $pipes, $peer);
                continue 2;
            }
            $n = @fwrite($p->to, $bytes);
            if ($n === false) {
                close_connection($p, $pipes, $peer);
                continue 2;
            }
            if ($n < strlen($bytes)) {
                $p->queue[0][1] = substr($bytes, $n);
                break;
            }
            array_shift($p->queue);
        }
    }

    $read = [$server];
    $write = [];
    $wake = $deadline;
    foreach ($pipes as $p) {
        if (!$p->eof) {
            $read[] = $p->from;
        }
        if ($p->queue) {
            if ($p->queue[0][0] <= $now) {
                $write[] = $p->to;   // due but the socket was full
            } else {
                $wake = min($wake, $p->queue[0][0]);
            }
        }
    }
    $wait = max(0.0, min($wake, $deadline) - microtime(true));
    $except = null;
    $write = $write ?: null;
    if (@stream_select($read, $write, $except, (int)$wait, (int)(($wait - (int)$wait) * 1e6)) === false) {
        break;
    }
    $now = microtime(true);
    foreach ($read as $r) {
        if ($r === $server) {
            $client = @stream_socket_accept($server, 0);
            if (!$client) {
                continue;
            }
            $upstream = @stream_socket_client("tcp://127.0.0.1:$upstreamPort", $errno, $errstr, 5);
            if (!$upstream) {
                fclose($client);
                continue;
            }
            foreach ([$client, $upstream] as $s) {
                stream_set_blocking($s, false);
                stream_set_read_buffer($s, 0);
                stream_set_write_buffer($s, 0);
                nodelay($s);
            }
            $a = new Pipe($client, $upstream);
            $b = new Pipe($upstream, $client);
            $pipes[spl_object_id($a)] = $a;
            $pipes[spl_object_id($b)] = $b;
            $peer[spl_object_id($a)] = $b;
            $peer[spl_object_id($b)] = $a;
            continue;
        }
        foreach ($pipes as $p) {
            if ($p->from === $r && !$p->eof) {
                $bytes = @fread($r, 65536);
                if ($bytes === false || ($bytes === '' && feof($r))) {
                    $p->eof = true;
                    $p->queue[] = [$now + $delay, null];
                } elseif ($bytes !== '') {
                    $p->queue[] = [$now + $delay, $bytes];
                }
                break;
            }
        }
    }
}
exit(0);
