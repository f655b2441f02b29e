--TEST--
fork: parent and child both send on one Mailer (plain and TLS): the child leaves the inherited connection untouched and opens its own; every message intact
--EXTENSIONS--
mailer
pcntl
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$dir = mailer_test_tmpdir();
$body = fn(string $who) => "<p>$who, line one</p>\n" . str_repeat("<p>$who: " . str_repeat('x', 60) . "</p>\n", 300);
foreach (['plain', 'TLS'] as $variant) {
    $tls = $variant === 'TLS';
    $srv = mailer_test_server($tls ? ['implicit_tls' => true] : []);
    $m = new Mailer($tls ? 'ssl://127.0.0.1' : '127.0.0.1', $srv->port, '', '', false,
        ['timeout' => 10] + ($tls ? ['context' => stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]])] : []));
    $m->sendmail('parent@example.org', 'p@example.net', 'parent 1', $body('parent 1'));
    $pid = pcntl_fork();
    if ($pid === 0) {
        // the test server serves one connection at a time: the child's own is
        // served once the parent has closed its session
        try {
            $r = $m->sendmail('child@example.org', 'c@example.net', 'child', $body('child'));
        } catch (Throwable $e) {
            $r = get_class($e) . ': ' . $e->getMessage();
        }
        file_put_contents("$dir/child-$variant", $r);
        exit(0);
    }
    // meanwhile the parent goes on with its own session
    try {
        $r = $m->sendmail('parent@example.org', 'p@example.net', 'parent 2', $body('parent 2'));
    } catch (Throwable $e) {
        $r = get_class($e) . ': ' . $e->getMessage();
    }
    $m->close();
    pcntl_waitpid($pid, $status);
    echo "$variant: parent: ", substr($r, 0, 3), ', child: ', substr((string)@file_get_contents("$dir/child-$variant"), 0, 3),
        ', child exit status: ', pcntl_wexitstatus($status), "\n";
    for ($i = 1; $i <= $srv->messageCount(); $i++) {
        $msg = $srv->parse($i);
        $subject = array_values(array_filter($msg['headers'], fn($h) => $h[0] === 'Subject'))[0][1] ?? '(none)';
        $intact = trim(str_replace("\r\n", "\n", $msg['parts'][0]['text'] ?? '')) === trim($body($subject))
            && !preg_match('/^(MAIL|RCPT|DATA|QUIT|RSET|EHLO)\b/mi', $srv->message($i));
        printf("  %s on connection %d: %s\n", $subject, $srv->envelope($i)['connection'], $intact ? 'intact' : 'DAMAGED');
    }
    $log = $srv->log(1);
    printf("  connection 1: %d MAIL, %d QUIT, %d connection(s) in all\n", substr_count($log, 'C: MAIL'),
        substr_count($log, 'C: QUIT'), $srv->connectionCount());
    $srv->stop();
}
?>
--EXPECT--
plain: parent: 250, child: 250, child exit status: 0
  parent 1 on connection 1: intact
  parent 2 on connection 1: intact
  child on connection 2: intact
  connection 1: 2 MAIL, 1 QUIT, 2 connection(s) in all
TLS: parent: 250, child: 250, child exit status: 0
  parent 1 on connection 1: intact
  parent 2 on connection 1: intact
  child on connection 2: intact
  connection 1: 2 MAIL, 1 QUIT, 2 connection(s) in all
