--TEST--
fork and persistent sessions: a forked child never resumes the parent's pooled session, and leaves it untouched when it exits (no QUIT, no TLS close_notify)
--EXTENSIONS--
mailer
pcntl
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$dir = mailer_test_tmpdir();
foreach (['plain', 'TLS'] as $variant) {
    $tls = $variant === 'TLS';
    $srv = mailer_test_server($tls ? ['implicit_tls' => true] : []);
    $how = '';
    $mailer = function () use ($srv, $tls, &$how): Mailer {
        return new Mailer($tls ? 'ssl://127.0.0.1' : '127.0.0.1', $srv->port, '', '', true, [
            'persistent' => "fork-$tls", 'timeout' => 10,
            'debug_handler' => function (string $line) use (&$how): void {
                if (str_starts_with($line, '* reusing') || $line === '* connected, TLS started' || $line === '* connected') {
                    $how = str_starts_with($line, '* reusing') ? 'resumed' : 'connected';
                }
            }] + ($tls ? ['context' => stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]])] : []));
    };
    $send = function (string $subject) use ($mailer, &$how): string {
        $how = '';
        $m = $mailer();
        try {
            $r = substr($m->sendmail('a@example.org', 'b@example.net', $subject, 'b'), 0, 3);
        } catch (Mailer\Exception $e) {
            $r = get_class($e) . ': ' . $e->getMessage();
        }
        return "$r ($how)";
    };

    echo "$variant: parent 1: ", $send('parent 1'), "\n"; // its session stays in the pool
    $pid = pcntl_fork();
    if ($pid === 0) {
        // its own connection, served once the parent has ended its session
        file_put_contents("$dir/child-$variant", $send('child'));
        exit(0);
    }
    $m = $mailer();
    $how = '';
    echo '  parent 2: ', substr($m->sendmail('a@example.org', 'b@example.net', 'parent 2', 'b'), 0, 3), " ($how)\n";
    $m->close();
    pcntl_waitpid($pid, $status);
    echo '  child: ', @file_get_contents("$dir/child-$variant"), "\n";

    echo '  parent 3: ', $send('parent 3'), "\n";
    $pid = pcntl_fork();
    if ($pid === 0) {
        exit(0); // the pool is destroyed with the child's PHP
    }
    pcntl_waitpid($pid, $status);
    echo '  after a child exited: parent 4: ', $send('parent 4'), "\n";

    $quits = 0;
    for ($c = 1; $c <= $srv->connectionCount(); $c++) {
        $quits += substr_count($srv->log($c), 'C: QUIT');
    }
    for ($i = 1; $i <= $srv->messageCount(); $i++) {
        preg_match('/^Subject: (.*)\r$/m', $srv->message($i), $s);
        printf("  %s on connection %d\n", $s[1], $srv->envelope($i)['connection']);
    }
    echo "  QUIT: $quits (the parent's close())\n";
    $srv->stop();
}
?>
--EXPECT--
plain: parent 1: 250 (connected)
  parent 2: 250 (resumed)
  child: 250 (connected)
  parent 3: 250 (connected)
  after a child exited: parent 4: 250 (resumed)
  parent 1 on connection 1
  parent 2 on connection 1
  child on connection 2
  parent 3 on connection 3
  parent 4 on connection 3
  QUIT: 1 (the parent's close())
TLS: parent 1: 250 (connected)
  parent 2: 250 (resumed)
  child: 250 (connected)
  parent 3: 250 (connected)
  after a child exited: parent 4: 250 (resumed)
  parent 1 on connection 1
  parent 2 on connection 1
  child on connection 2
  parent 3 on connection 3
  parent 4 on connection 3
  QUIT: 1 (the parent's close())
