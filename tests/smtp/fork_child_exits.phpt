--TEST--
fork: a child that exits without using the Mailer (between sends, or forked mid-send) writes nothing to the parent's session: no QUIT, no TLS close_notify; the parent gets its real replies
--EXTENSIONS--
mailer
pcntl
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$forkAt = null;
$handler = function (string $line) use (&$forkAt): void {
    if ($forkAt !== null && str_starts_with($line, $forkAt)) {
        $forkAt = null;
        $pid = pcntl_fork();
        if ($pid === 0) {
            exit(0); // the child's Mailer is destroyed here
        }
        pcntl_waitpid($pid, $status);
    }
};
$send = function (Mailer $m, string $subject): string {
    try {
        return $m->sendmail('a@example.org', 'b@example.net', $subject, 'b');
    } catch (Mailer\Exception $e) {
        return get_class($e) . ': ' . $e->getMessage();
    }
};
$state = fn(MailerTestServer $srv) => sprintf('%d QUIT, %d connection(s)', substr_count($srv->log(1), 'C: QUIT'),
    $srv->connectionCount());
foreach (['plain', 'TLS'] as $variant) {
    $tls = $variant === 'TLS';
    $srv = mailer_test_server($tls ? ['implicit_tls' => true] : []);
    $m = new Mailer($tls ? 'ssl://127.0.0.1' : '127.0.0.1', $srv->port, '', '', false, ['debug_handler' => $handler]
        + ($tls ? ['context' => stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]])] : []));
    echo "$variant: ", $m->sendmail('a@example.org', 'b@example.net', 'one', 'b'), "\n";

    $pid = pcntl_fork();
    if ($pid === 0) {
        exit(0);
    }
    pcntl_waitpid($pid, $status);
    echo "  after a child exited between sends: ", $send($m, 'two'), "; ", $state($srv), "\n";

    // forked while the parent waits for the reply to its end of data
    $forkAt = 'C: [message:';
    echo "  forked mid-send, the child exited: ", $send($m, 'three'), "; ", $state($srv), "\n";

    $log = $srv->log(1);
    printf("  before close(): %d QUIT, %d connection(s), %s\n", substr_count($log, 'C: QUIT'), $srv->connectionCount(),
        str_contains($log, '* closed') ? 'connection 1 closed' : 'connection 1 open');
    $m->close();
    $srv->waitClosed(1);
    printf("  after close(): %d QUIT, messages on connection(s) %s\n", substr_count($srv->log(1), 'C: QUIT'),
        implode(', ', array_map(fn($i) => $srv->envelope($i)['connection'], range(1, $srv->messageCount()))));
    $srv->stop();
}
?>
--EXPECT--
plain: 250 2.0.0 Ok: queued as TEST0001
  after a child exited between sends: 250 2.0.0 Ok: queued as TEST0002; 0 QUIT, 1 connection(s)
  forked mid-send, the child exited: 250 2.0.0 Ok: queued as TEST0003; 0 QUIT, 1 connection(s)
  before close(): 0 QUIT, 1 connection(s), connection 1 open
  after close(): 1 QUIT, messages on connection(s) 1, 1, 1
TLS: 250 2.0.0 Ok: queued as TEST0001
  after a child exited between sends: 250 2.0.0 Ok: queued as TEST0002; 0 QUIT, 1 connection(s)
  forked mid-send, the child exited: 250 2.0.0 Ok: queued as TEST0003; 0 QUIT, 1 connection(s)
  before close(): 0 QUIT, 1 connection(s), connection 1 open
  after close(): 1 QUIT, messages on connection(s) 1, 1, 1
