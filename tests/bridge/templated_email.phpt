--TEST--
Symfony bridge: a TemplatedEmail (Twig html + text, embedded image, attachments, non-ASCII names) sent through native+smtp:// arrives byte for byte as Symfony rendered it; Bcc only in the envelope; the queue ID becomes the message id
--EXTENSIONS--
mailer
mbstring
intl
iconv
ctype
--SKIPIF--
<?php require __DIR__ . '/bridge.inc'; mailer_bridge_skipif(twig: true); ?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Symfony\Bridge\Twig\Mime\TemplatedEmail;
use Symfony\Component\Mime\Address;

$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'SIZE 10240000', '8BITMIME', 'DSN']]);

// A PNG and a "PDF" of random bytes: the sha256 of what arrives proves the transfer.
$png = "\x89PNG\r\n\x1a\n" . random_bytes(3000);
$pdf = "%PDF-1.4\n" . random_bytes(70000) . "\n.\r\n.\n%%EOF\n";   // lines with a lone dot, too
$csv = "name;total\nZoe;12.50\n.\n";
$pdfPath = mailer_test_file($pdf, 'report.pdf');

$dispatcher = mailer_bridge_twig_dispatcher([
    'welcome.html.twig' => '<h1>Hello {{ name }}</h1>'
        . '<p><img src="{{ email.image(\'@images/logo.png\', \'image/png\') }}" alt="logo"></p>'
        . "\n<p>Your total: {{ total|number_format(2, ',', ' ') }} €</p>\n"
        . "{% for line in lines %}<p>{{ line }}</p>\n{% endfor %}",
    'welcome.txt.twig' => "Hello {{ name }},\n\nyour total: {{ total|number_format(2, ',', ' ') }} €\n"
        . "{% for line in lines %}{{ line }}\n{% endfor %}",
    '@images/logo.png' => $png,
]);
$transport = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port", $dispatcher);
$mailer = new Symfony\Component\Mailer\Mailer($transport);   // the same code path as an application's

$email = (new TemplatedEmail())
    ->from(new Address('news@example.org', 'Zoë Martin, Example News'))
    ->to(new Address('reader@example.net', 'Ünïcode Réader'))
    ->cc('cc@example.net')
    ->bcc('hidden@example.org')
    ->replyTo('help@example.org')
    ->subject('Votre relevé de mars — 你好 🎉')
    ->htmlTemplate('welcome.html.twig')
    ->textTemplate('welcome.txt.twig')
    ->context(['name' => 'Zoë', 'total' => 1234.5, 'lines' => ['.', '..leading dots', str_repeat('long line ', 120)]])
    ->attachFromPath($pdfPath, 'Relevé de mars – 2026.pdf', 'application/pdf')
    ->attach($csv, 'chiffres.csv', 'text/csv');
$email->getHeaders()->addTextHeader('X-Campaign', 'März');

// Mailer::send() returns nothing: the SentMessage comes from the transport, as in an application
// that listens to SentMessageEvent; here the transport is called the same way directly.
$sent = $transport->send($email);
echo get_class($sent), ' ', $sent->getMessageId(), "\n";

// What arrived is exactly what Symfony rendered: the bridge hands it over untouched.
$rendered = $sent->toString();
var_dump($srv->message(1) === $rendered);

$env = $srv->envelope(1);
echo $env['mail_from'], "\n", implode("\n", $env['rcpt']), "\n";

$p = mailer_test_python_parse($srv->message(1));
echo $p['structure'], "\n";
var_dump(mailer_test_param_defects($p), $p['bare_lf'], $p['bare_cr'], $p['max_line'] <= 998);
$h = mailer_test_headers($p);
foreach (['from', 'to', 'cc', 'reply-to', 'subject', 'x-campaign'] as $name) {
    echo "$name: ", $h[$name][0], "\n";
}
var_dump(isset($h['bcc']));
// The Message-ID field is Symfony's; getMessageId() is the server's queue ID (as in Symfony >= 6.1).
echo preg_match('/^<[0-9a-f]{32}@example\.org>$/', $h['message-id'][0]) ? "message-id field ok\n" : "message-id field: {$h['message-id'][0]}\n";

$text = mailer_test_part($p, 'text/plain');
echo str_replace("\r\n", "\n", $text['text']) === "Hello Zoë,\n\nyour total: 1 234,50 €\n.\n..leading dots\n" . str_repeat('long line ', 120) . "\n"
    ? "text ok\n" : "text differs: {$text['text']}\n";
$html = mailer_test_part($p, 'text/html');
$img = mailer_test_part($p, 'image/png');
$cid = trim($img['content_id'], '<>');
var_dump(str_contains($html['text'], "<img src=\"cid:$cid\" alt=\"logo\">"), str_contains($html['text'], '1 234,50 €'));
echo $img['disposition'], ' ', $img['cte'], ' ', $img['sha256'] === hash('sha256', $png) ? 'png intact' : 'png differs', "\n";
$att = mailer_test_part($p, 'application/pdf');
echo $att['disposition'], ' ', $att['filename'], ' ', $att['sha256'] === hash('sha256', $pdf) ? 'pdf intact' : 'pdf differs', "\n";
$c = mailer_test_part($p, 'text/csv');
echo $c['disposition'], ' ', $c['filename'], ' ', $c['sha256'] === hash('sha256', $csv) ? 'csv intact' : 'csv differs', "\n";

// A second message goes on the same connection.
$sent2 = $transport->send((new TemplatedEmail())->from('news@example.org')->to('b@example.net')
    ->subject('second')->textTemplate('welcome.txt.twig')->context(['name' => 'B', 'total' => 1, 'lines' => []]));
echo $sent2->getMessageId(), ' ', $srv->envelope(2)['connection'], "\n";
mailer_bridge_cleanup();
?>
--EXPECTF--
Symfony\Component\Mailer\SentMessage TEST0001
bool(true)
MAIL FROM:<news@example.org> SIZE=%d
RCPT TO:<reader@example.net>
RCPT TO:<cc@example.net>
RCPT TO:<hidden@example.org>
multipart/mixed(multipart/related(multipart/alternative(text/plain,text/html),image/png),application/pdf,text/csv)
array(0) {
}
bool(false)
bool(false)
bool(true)
from: "Zoë Martin, Example News" <news@example.org>
to: Ünïcode Réader <reader@example.net>
cc: cc@example.net
reply-to: help@example.org
subject: Votre relevé de mars — 你好 🎉
x-campaign: März
bool(false)
message-id field ok
text ok
bool(true)
bool(true)
inline base64 png intact
attachment Relevé de mars – 2026.pdf pdf intact
attachment chiffres.csv csv intact
TEST0002 1
