--TEST--
Message-ID: checked before it is stored (a refused value leaves the message as it was), as an RFC 5322 msg-id in 7-bit ASCII, through Mailer\Message::header() and sendmail()
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$field = fn(string $msg) => preg_match('/^Message-ID: (.*)\r$/m', $msg, $f) ? $f[1] : null;

$msg = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x')
    ->header('Message-ID', '<kept.1@example.org>');
try {
    $msg->header('Message-ID', 'no-brackets@example.org');
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
echo $field($msg->toString()), "\n";
$bad = ['no-brackets@example.org', '<no-at-sign>', '<@example.org>', '<a@>', '<a b@example.org>',
    "<a\tb@example.org>", '<a@b@example.org>', '<.a@example.org>', '<a.@example.org>', '<a..b@example.org>',
    '<a@example..org>', "<\u{e9}t\u{e9}@example.org>", '<a@[1.2.3.4 ]>', '<a@[x[y]>', '<"q"@example.org>',
    ' <a@example.org>', '<' . str_repeat('a', 980) . '@example.org>'];
foreach ($bad as $id) {
    try {
        $msg->header('Message-ID', $id);
        echo "accepted: $id\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
echo $field($msg->toString()), "\n";

$good = ["<a.b!#$%&'*+-/=?^_`{|}~@mail.example.org>", '<x@[192.0.2.1]>', '<1@localhost>',
    '<' . str_repeat('a', 960) . '@example.org>'];
foreach ($good as $id) {
    echo $field($msg->header('Message-ID', $id)->toString()) === $id ? 'ok' : 'changed', "\n";
}

// sendmail(): the same checks, and nothing reaches the server
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);
foreach (["<\u{e9}@example.org>", '<a..b@example.org>'] as $id) {
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'x', ['Message-ID' => $id]);
        echo "sent: $id\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
var_dump($srv->connectionCount());
$m->sendmail('a@example.org', 'b@example.net', 's', 'x', ['Message-ID' => '<sent.1@[192.0.2.1]>']);
echo $field($srv->message(1)), "\n";
?>
--EXPECT--
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
<kept.1@example.org>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
<kept.1@example.org>
ok
ok
ok
ok
header "Message-ID" must look like <id@domain>
header "Message-ID" must look like <id@domain>
int(0)
<sent.1@[192.0.2.1]>
