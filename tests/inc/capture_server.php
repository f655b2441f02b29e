<?php
/*
 * Capture server for the README demo.
 *
 *   php tests/inc/capture_server.php [PORT]
 *
 * Listens on 127.0.0.1 (port 0 = any, the default), prints "PORT <n>", accepts
 * ONE SMTP session (EHLO: PIPELINING, 8BITMIME, SIZE; no AUTH, no TLS) and
 * prints every accepted message with its envelope, exactly as received (after
 * dot-unstuffing), between banners, and any protocol violation by the client
 * (a line "===== protocol violation by the client: ... ====="). Exits when that
 * session ends (QUIT), or after 30 s at most.
 */

declare(strict_types=1);

require __DIR__ . '/SmtpTestServer.php';

if (function_exists('pcntl_signal')) {
    pcntl_signal(SIGPIPE, SIG_IGN);
}
$server = new SmtpTestServer([
    'ehlo' => ['PIPELINING', '8BITMIME', 'SIZE 10240000'],
    'max_connections' => 1,
    'max_lifetime' => 30,
    'idle_exit' => 30,
    'client_timeout' => 30,
]);
$server->onMessage = function (int $n, array $env, string $payload): void {
    $out = "===== message $n: envelope =====\n"
        . "{$env['helo']}\n{$env['mail_from']}\n"
        . implode("\n", $env['rcpt']) . "\n"
        . "===== message $n: {$env['size']} octets as received (dot-unstuffed) =====\n"
        . $payload
        . (str_ends_with($payload, "\n") ? '' : "\n")
        . "===== end of message $n =====\n";
    fwrite(STDOUT, $out);
    fflush(STDOUT);
};
// the server is strict (smtp_server.php, "Strictness"): say so when the client breaks a rule
$server->onViolation = function (array $v): void {
    fwrite(STDOUT, "===== protocol violation by the client: {$v['rule']}: {$v['detail']} =====\n");
    fflush(STDOUT);
};
try {
    $port = $server->listen((int)($argv[1] ?? 0));
} catch (Throwable $e) {
    fwrite(STDERR, 'capture_server: ' . $e->getMessage() . "\n");
    exit(2);
}
fwrite(STDOUT, "PORT $port\n");
fflush(STDOUT);
$server->run();
fwrite(STDOUT, "===== session closed =====\n");
exit(0);
