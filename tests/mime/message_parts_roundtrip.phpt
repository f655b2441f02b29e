--TEST--
Mailer\Message sent: every part decodes to exactly what was given (text, HTML, inline image with Content-ID, attachments by sha256)
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$png = random_bytes(20000);
$pdf = random_bytes(50001);
$csv = "name,city\nZoë,Köln\r\nLi,北京\n.leading dot\n";
$text = "Hello,\n\nsee the attached files.\n-- \nThe sender\n";
$html = '<html><body><p>Hello, <img src="cid:logo@example.org"></p><p>' . str_repeat('long line ', 200) . "</p></body></html>\n";
$m = (new Mailer\Message)
    ->from('a@example.org')
    ->to('b@example.net')
    ->subject('parts')
    ->text($text)
    ->html($html)
    ->embed(mailer_test_file($png, 'logo.png'), 'logo@example.org')
    ->attach(mailer_test_file($pdf, 'report.pdf'))
    ->attachData($csv, 'people.csv', 'text/csv; charset=UTF-8');
echo (new Mailer('127.0.0.1', $srv->port))->send($m), "\n";
$p = $srv->parse(1);
echo $p['structure'], "\n";
var_dump($p['defects'], $p['max_line'] <= 998, $p['bare_lf'], $p['bare_cr']);
foreach ($p['parts'] as $part) {
    echo $part['path'], ' ', $part['content_type'], ' ', $part['cte'], ' ', $part['disposition'] ?? '-', ' ',
        $part['filename'] ?? '-', ' ', $part['content_id'] ?? '-', "\n";
}
// texts travel with CRLF line ends (RFC 5322); attachments byte for byte
var_dump(mailer_test_part($p, 'text/plain')['text'] === str_replace("\n", "\r\n", $text));
var_dump(mailer_test_part($p, 'text/html')['text'] === str_replace("\n", "\r\n", $html));
var_dump(mailer_test_part($p, 'image/png')['sha256'] === hash('sha256', $png));
var_dump(mailer_test_part($p, 'application/pdf')['sha256'] === hash('sha256', $pdf));
var_dump(mailer_test_part($p, 'text/csv')['sha256'] === hash('sha256', $csv));
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
multipart/mixed(multipart/alternative(text/plain,multipart/related(text/html,image/png)),application/pdf,text/csv)
array(0) {
}
bool(true)
bool(false)
bool(false)
1.1 text/plain 7bit - - -
1.2.1 text/html quoted-printable - - -
1.2.2 image/png base64 inline logo.png <logo@example.org>
2 application/pdf base64 attachment report.pdf -
3 text/csv base64 attachment people.csv -
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
