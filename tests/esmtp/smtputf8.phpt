--TEST--
SMTPUTF8: internationalised domains become A-labels everywhere; a UTF-8 local part needs SMTPUTF8 (used when offered, a clear error when not)
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$plain = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]);
$m = new Mailer('127.0.0.1', $plain->port);
$m->sendmail('Ann <ann@bücher.example>', 'Zoë <zoe@münchen.de>', 'IDN', 'b');
$env = $plain->envelope(1);
echo $env['mail_from'], "\n", $env['rcpt'][0], "\n";
$p = $plain->parse(1);
foreach ($p['headers'] as [$n, $v]) {
    if ($n === 'From' || $n === 'To') echo "$n: $v\n";
}
try {
    $m->sendmail('a@example.org', 'jösé@example.org', 's', 'b');
} catch (Mailer\Exception $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
}
$m->close();
$utf8 = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME', 'SMTPUTF8']]);
$m = new Mailer('127.0.0.1', $utf8->port);
$m->sendmail('a@example.org', 'Jösé <jösé@example.org>', 's', 'b');
$env = $utf8->envelope(1);
echo $env['mail_from'], "\n", $env['rcpt'][0], "\n";
var_dump(str_contains($utf8->message(1), "<jösé@example.org>"));
// Chinese local part and domain: as is with SMTPUTF8 ...
$m->sendmail('用户@例子.测试', '收件人 <用户@例子.测试>', '你好', 'b');
$env = $utf8->envelope(2);
echo $env['mail_from'], "\n", $env['rcpt'][0], "\n";
$m->close();
// ... and a clear error before MAIL FROM without it
$m = new Mailer('127.0.0.1', $plain->port);
try {
    $m->sendmail('a@example.org', '用户@例子.测试', 's', 'b');
} catch (Mailer\Exception $e) {
    echo $e->getMessage(), "\n";
}
$m->sendmail('a@example.org', 'user@例子.测试', 's', 'b');
echo $plain->envelope(2)['rcpt'][0], "\n";
var_dump($plain->messageCount());
?>
--EXPECT--
MAIL FROM:<ann@xn--bcher-kva.example>
RCPT TO:<zoe@xn--mnchen-3ya.de>
From: Ann <ann@xn--bcher-kva.example>
To: Zoë <zoe@xn--mnchen-3ya.de>
Mailer\Exception [mail] the message has UTF-8 addresses in its header, which needs SMTPUTF8 (RFC 6532); the server does not offer it
MAIL FROM:<a@example.org> SMTPUTF8
RCPT TO:<jösé@example.org>
bool(true)
MAIL FROM:<用户@例子.测试> SMTPUTF8
RCPT TO:<用户@例子.测试>
the message has UTF-8 addresses in its header, which needs SMTPUTF8 (RFC 6532); the server does not offer it
RCPT TO:<user@xn--fsqu00a.xn--0zwm56d>
int(2)
