--TEST--
Header injection and bad addresses: ValueError before any connection (the server saw nothing)
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);
$attempts = [
    'CRLF in subject' => ['a@example.org', 'b@example.net', "Hi\r\nBcc: victim@example.com", 'x', []],
    'LF in subject' => ['a@example.org', 'b@example.net', "Hi\nBcc: victim@example.com", 'x', []],
    'NUL in subject' => ['a@example.org', 'b@example.net', "Hi\0there", 'x', []],
    'CRLF in from' => ["a@example.org\r\nBcc: victim@example.com", 'b@example.net', 's', 'x', []],
    'CRLF in to' => ['a@example.org', "b@example.net\r\nBcc: victim@example.com", 's', 'x', []],
    'CRLF in display name' => ["Eve\r\nBcc: v@example.com <a@example.org>", 'b@example.net', 's', 'x', []],
    'CRLF in header value' => ['a@example.org', 'b@example.net', 's', 'x', ['X-Tag' => "v\r\nBcc: victim@example.com"]],
    'LF in header value' => ['a@example.org', 'b@example.net', 's', 'x', ['X-Tag' => "v\nBcc: victim@example.com"]],
    'NUL in header value' => ['a@example.org', 'b@example.net', 's', 'x', ['X-Tag' => "v\0w"]],
    'space in header name' => ['a@example.org', 'b@example.net', 's', 'x', ['X Tag' => 'v']],
    'colon in header name' => ['a@example.org', 'b@example.net', 's', 'x', ['X-Tag:' => 'v']],
    'CRLF in header name' => ['a@example.org', 'b@example.net', 's', 'x', ["X-Tag\r\nBcc" => 'v']],
    'non-ASCII header name' => ['a@example.org', 'b@example.net', 's', 'x', ['X-Tàg' => 'v']],
    'CRLF in Cc' => ['a@example.org', 'b@example.net', 's', 'x', ['Cc' => "c@example.net\r\nBcc: v@example.com"]],
    'From as header' => ['a@example.org', 'b@example.net', 's', 'x', ['From' => 'other@example.org']],
    'MIME-Version as header' => ['a@example.org', 'b@example.net', 's', 'x', ['MIME-Version' => '2.0']],
    'invalid UTF-8 subject' => ['a@example.org', 'b@example.net', "\xff\xfe", 'x', []],
    'no at sign' => ['a@example.org', 'not-an-address', 's', 'x', []],
    'empty local part' => ['a@example.org', '@example.net', 's', 'x', []],
    'bad domain' => ['a@example.org', 'b@exa mple.net', 's', 'x', []],
    'double dot' => ['a@example.org', 'b..c@example.net', 's', 'x', []],
    'two senders' => ['a@example.org, c@example.org', 'b@example.net', 's', 'x', []],
    'no recipients' => ['a@example.org', [], 's', 'x', []],
    'angle injection' => ['a@example.org', 'b@example.net>, <evil@example.com', 's', 'x', []],
    'bad Message-ID' => ['a@example.org', 'b@example.net', 's', 'x', ['Message-ID' => 'no-brackets']],
];
foreach ($attempts as $what => [$from, $to, $subject, $body, $headers]) {
    try {
        $m->sendmail($from, $to, $subject, $body, $headers);
        echo "$what: SENT\n";
    } catch (ValueError | TypeError $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
try {
    $m->sendRaw('a@example.org', "b@example.net\r\nRCPT TO:<v@example.com>", "Subject: x\r\n\r\nx");
} catch (ValueError $e) {
    echo 'sendRaw: ', $e->getMessage(), "\n";
}
try {
    $m->sendRaw('a@example.org', 'b@example.net', "Subject: x\r\n\r\n" . str_repeat('x', 999));
} catch (ValueError $e) {
    echo 'sendRaw: ', $e->getMessage(), "\n";
}
usleep(100000);
var_dump($m->isConnected(), $srv->connectionCount());
?>
--EXPECT--
CRLF in subject: ValueError: subject contains a line break (CR or LF)
LF in subject: ValueError: subject contains a line break (CR or LF)
NUL in subject: ValueError: subject contains a NUL byte
CRLF in from: ValueError: sender: invalid address "a@example.org\r\nBcc: victim@example.com": contains a line break
CRLF in to: ValueError: recipient: invalid address "b@example.net\r\nBcc: victim@example.com": contains a line break
CRLF in display name: ValueError: sender: invalid address "Eve\r\nBcc: v@example.com <a@example.org>": contains a line break
CRLF in header value: ValueError: header "X-Tag" contains a line break (CR or LF)
LF in header value: ValueError: header "X-Tag" contains a line break (CR or LF)
NUL in header value: ValueError: header "X-Tag" contains a NUL byte
space in header name: ValueError: header name "X Tag" is not a valid RFC 5322 field name (printable ASCII without spaces or colons, at most 76 characters)
colon in header name: ValueError: header name "X-Tag:" is not a valid RFC 5322 field name (printable ASCII without spaces or colons, at most 76 characters)
CRLF in header name: ValueError: header name "X-Tag
Bcc" is not a valid RFC 5322 field name (printable ASCII without spaces or colons, at most 76 characters)
non-ASCII header name: ValueError: header name "X-Tàg" is not a valid RFC 5322 field name (printable ASCII without spaces or colons, at most 76 characters)
CRLF in Cc: ValueError: header "Cc": invalid address "c@example.net\r\nBcc: v@example.com": contains a line break
From as header: ValueError: header "From" cannot be an extra header: use sendmail()'s $from argument or Mailer\Message::from()
MIME-Version as header: ValueError: header "MIME-Version" cannot be set: the MIME structure is written by the mailer
invalid UTF-8 subject: ValueError: subject is not valid UTF-8
no at sign: ValueError: recipient: invalid address "not-an-address": missing '@'
empty local part: ValueError: recipient: invalid address "@example.net": empty local part
bad domain: ValueError: recipient: invalid address "b@exa mple.net": unexpected space in domain
double dot: ValueError: recipient: invalid address "b..c@example.net": consecutive dots in local part
two senders: ValueError: sender: invalid address "a@example.org, c@example.org": invalid character ',' in domain
no recipients: ValueError: no recipients: give at least one address in $to, Cc or Bcc
angle injection: ValueError: recipient: invalid address "b@example.net>": '>' without '<'
bad Message-ID: ValueError: header "Message-ID" must look like <id@domain>
sendRaw: recipient: invalid address "b@example.net\r\nRCPT TO:<v@example.com>": contains a line break
sendRaw: Mailer::sendRaw(): Argument #3 ($data) has a line longer than 998 octets (RFC 5322 section 2.1.1)
bool(false)
int(0)
