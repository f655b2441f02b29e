--TEST--
DSN: NOTIFY and ORCPT on each RCPT, RET and ENVID on MAIL when offered; left out (with a debug line) when not
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$dsn = ['notify' => ['failure', 'DELAY'], 'ret' => 'hdrs', 'envid' => 'QQ314159+x'];
foreach ([['PIPELINING', 'DSN'], ['PIPELINING']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo]);
    $lines = [];
    $m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['dsn' => $dsn,
        'debug_handler' => function ($l) use (&$lines) { if ($l[0] === '*') $lines[] = $l; }]);
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    $env = $srv->envelope(1);
    echo $env['mail_from'], "\n", $env['rcpt'][0], "\n";
    echo implode("\n", array_filter($lines, fn($l) => str_contains($l, 'DSN'))), "\n";
}
try {
    new Mailer('127.0.0.1', 25, '', '', false, ['dsn' => ['notify' => 'NEVER,SUCCESS']]);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
foreach (['ALL', "FULL\0X", 'FUL'] as $ret) {
    try {
        new Mailer('127.0.0.1', 25, '', '', false, ['dsn' => ['ret' => $ret]]);
        echo "accepted: ", bin2hex($ret), "\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
MAIL FROM:<a@example.org> RET=HDRS ENVID=QQ314159+2Bx
RCPT TO:<b@example.net> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b@example.net

MAIL FROM:<a@example.org>
RCPT TO:<b@example.net>
* the server does not offer DSN: NOTIFY, RET and ENVID left out
Mailer::__construct(): Argument #6 ($options) option "dsn": "notify" must be "NEVER" or a list of "SUCCESS", "FAILURE" and "DELAY"
Mailer::__construct(): Argument #6 ($options) option "dsn": "ret" must be "FULL" or "HDRS"
Mailer::__construct(): Argument #6 ($options) option "dsn": "ret" must be "FULL" or "HDRS"
Mailer::__construct(): Argument #6 ($options) option "dsn": "ret" must be "FULL" or "HDRS"
