--TEST--
Mailer\Message: each bad input is a ValueError at the method call that names the problem; the message is unchanged and the server sees no connection
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$png = mailer_test_file('PNG', 'logo.png');
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x')->embed($png, 'logo');
$calls = [
    fn() => $m->from('not an address'),
    fn() => $m->from('a@example.org', "Name\r\nBcc: evil@example.com"),
    fn() => $m->to('ok@example.net', 'bad@'),
    fn() => $m->to("b@example.net\r\nBcc: evil@example.com"),
    fn() => $m->cc('a@@example.net'),
    fn() => $m->bcc('<unterminated@example.net'),
    fn() => $m->replyTo('no-at-sign'),
    fn() => $m->subject("line\r\nBcc: evil@example.com"),
    fn() => $m->subject("nul\0byte"),
    fn() => $m->subject("invalid \xFF utf-8"),
    fn() => $m->header('Bad Name', 'x'),
    fn() => $m->header('X-Colon:', 'x'),
    fn() => $m->header('X-Evil', "a\nBcc: evil@example.com"),
    fn() => $m->header('X-Evil', "a\rb"),
    fn() => $m->header('X-Evil', "a\0b"),
    fn() => $m->attachData('x', ''),
    fn() => $m->attachData('x', "evil\r\n.txt"),
    fn() => $m->attachData('x', 'a.txt', 'not-a-type'),
    fn() => $m->attachData('x', 'a.txt', "text/plain\r\nBcc: evil@example.com"),
    fn() => $m->attachData('x', 'a.eml', 'message/rfc822'),
    fn() => $m->attachData('x', 'a', 'multipart/mixed; boundary=x'),
    fn() => $m->embed($png, '<logo>'),
    fn() => $m->embed($png, 'has space'),
    fn() => $m->embed($png, 'LOGO'),
];
foreach ($calls as $call) {
    try {
        $call();
        echo "no error\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
// nothing was added by the failed calls
$p = mailer_test_python_parse($m->toString());
$h = mailer_test_headers($p);
echo $h['from'][0], ' | ', $h['to'][0], ' | ', isset($h['cc']) ? 'cc' : 'no cc', ' | ', $p['structure'], "\n";
var_dump($srv->connectionCount());
?>
--EXPECTF--
Mailer\Message::from(): invalid address "not an address": %s
Mailer\Message::from(): Argument #2 ($name) must be valid UTF-8 without CR, LF or NUL
Mailer\Message::to(): invalid address "bad@": %s
Mailer\Message::to(): invalid address "b@example.net\r\nBcc: evil@example.com": %s
Mailer\Message::cc(): invalid address "a@@example.net": %s
Mailer\Message::bcc(): invalid address "<unterminated@example.net": %s
Mailer\Message::replyTo(): invalid address "no-at-sign": %s
Mailer\Message::subject(): subject contains a line break (CR or LF)
Mailer\Message::subject(): subject contains a NUL byte
Mailer\Message::subject(): subject is not valid UTF-8
Mailer\Message::header(): header name "Bad Name" is not a valid RFC 5322 field name (printable ASCII without spaces or colons, at most 76 characters)
Mailer\Message::header(): header name "X-Colon:" is not a valid RFC 5322 field name (printable ASCII without spaces or colons, at most 76 characters)
Mailer\Message::header(): header "X-Evil" contains a line break (CR or LF)
Mailer\Message::header(): header "X-Evil" contains a line break (CR or LF)
Mailer\Message::header(): header "X-Evil" contains a NUL byte
Mailer\Message::attachData(): the file name must not be empty
Mailer\Message::attachData(): the file name contains a control character (CR)
Mailer\Message::attachData(): the content type "not-a-type" is not a MIME type such as "application/pdf"
Mailer\Message::attachData(): the content type "text/plain\r\nBcc: evil@example.com" is not a MIME type such as "application/pdf"
Mailer\Message::attachData(): the content type "message/rfc822" cannot be used for an attachment (it is sent as base64); use application/octet-stream
Mailer\Message::attachData(): the content type "multipart/mixed; boundary=x" cannot be used for an attachment (it is sent as base64); use application/octet-stream
Mailer\Message::embed(): the Content-ID "<logo>" is not usable: give letters, digits and !#$%&'*+-/=?^_`{|}~. with at most one '@', without <> or "cid:"
Mailer\Message::embed(): the Content-ID "has space" is not usable: give letters, digits and !#$%&'*+-/=?^_`{|}~. with at most one '@', without <> or "cid:"
Mailer\Message::embed(): the Content-ID "LOGO" is already used by another embedded file
a@example.org | b@example.net | no cc | multipart/mixed(text/plain,image/png)
int(0)
