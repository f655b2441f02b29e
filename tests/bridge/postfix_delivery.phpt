--TEST--
Symfony bridge against Postfix: an Email with html, text, an embedded image and attachments goes through native+smtp:// (submission: STARTTLS verified with the instance's CA, AUTH) and native+smtps://, arrives intact for every recipient (Bcc included, in no header), and the message id is Postfix's queue ID
--EXTENSIONS--
mailer
mbstring
intl
iconv
ctype
--SKIPIF--
<?php
require __DIR__ . '/bridge.inc';
require __DIR__ . '/../inc/postfix.inc';
mailer_bridge_skipif();
mailer_postfix_skipif();
?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
require __DIR__ . '/../inc/postfix.inc';
mailer_bridge_load();

use Symfony\Component\Mime\Address;
use Symfony\Component\Mime\Email;

$pf = mailer_postfix_env();
$tag = mailer_postfix_tag();
$user = rawurlencode($pf['MAILER_POSTFIX_USER']);
$pass = rawurlencode($pf['MAILER_POSTFIX_PASS']);
$ca = rawurlencode($pf['MAILER_POSTFIX_CA']);

$png = "\x89PNG\r\n\x1a\n" . random_bytes(2000);
$zip = "PK\x03\x04" . random_bytes(50000);

foreach (['submission' => "native+smtp://$user:$pass@127.0.0.1:{$pf['MAILER_POSTFIX_SUBMISSION_PORT']}?cafile=$ca",
          'smtps' => "native+smtps://$user:$pass@127.0.0.1:{$pf['MAILER_POSTFIX_SMTPS_PORT']}?cafile=$ca"] as $service => $dsn) {
    echo "-- $service\n";
    $t = mailer_bridge_transport($dsn);
    $email = (new Email())
        ->from(new Address('shop@example.org', 'Boutique Élise'))
        ->to(new Address('zoe@example.net', 'Zoë Ünïcode'), 'li@example.com')
        ->bcc('audit@example.org')
        ->subject("Commande n° 42 — merci ✓ $tag-$service")
        ->text("Bonjour Zoë,\n\nmerci pour votre commande.\n")
        ->html('<p>Bonjour Zoë,</p><p><img src="cid:logo" alt="logo"></p><p>merci pour votre commande.</p>')
        ->embed($png, 'logo', 'image/png')
        ->attach($zip, 'facture n°42.zip', 'application/zip');
    $sent = $t->send($email);
    $queueId = $sent->getMessageId();
    $t->stop();

    $files = mailer_postfix_wait("$tag-$service", 3);
    $rcpts = [];
    foreach ($files as $f) {
        $eml = file_get_contents($f);
        preg_match('/^Delivered-To: (.*)$/m', $eml, $m);
        $rcpts[] = $m[1];
    }
    sort($rcpts);
    echo implode(' ', $rcpts), "\n";

    $eml = file_get_contents($files[0]);
    // Postfix names the queue ID in its Received field: the same as the bridge's message id
    preg_match('/^Received: from .*\n(?:\t.*\n)*?\tby postfix\.mailer\.test \(Postfix\) with (\S+) id ([0-9A-Za-z]+)/m', $eml, $rm);
    echo $rm[1], ' ', $rm[2] === $queueId ? 'queue id matches' : "queue id $queueId vs {$rm[2]}", "\n";
    // Postfix stored the bytes Symfony rendered, with LF line ends, after its own trace fields
    var_dump(mailer_postfix_strip_trace($eml) === str_replace("\r\n", "\n", $sent->toString()));

    $p = mailer_test_python_parse($eml);
    $h = mailer_postfix_headers($p);
    echo $p['structure'], "\n", $h['subject'][0] === $email->getSubject() ? 'subject ok' : 'subject differs', "\n";
    echo $h['from'][0], "\n", $h['to'][0], "\n";
    var_dump(isset($h['bcc']), mailer_test_param_defects($p));
    $img = mailer_test_part($p, 'image/png');
    $att = mailer_test_part($p, 'application/zip');
    echo $img['sha256'] === hash('sha256', $png) ? 'png intact' : 'png differs', ', ',
        $att['filename'], ' ', $att['sha256'] === hash('sha256', $zip) ? 'zip intact' : 'zip differs', "\n";
    echo str_replace("\r\n", "\n", mailer_test_part($p, 'text/plain')['text']);
    mailer_postfix_cleanup("$tag-$service");
}
mailer_bridge_cleanup();
?>
--EXPECT--
-- submission
audit@example.org li@example.com zoe@example.net
ESMTPSA queue id matches
bool(true)
multipart/mixed(multipart/related(multipart/alternative(text/plain,text/html),image/png),application/zip)
subject ok
Boutique Élise <shop@example.org>
Zoë Ünïcode <zoe@example.net>, li@example.com
bool(false)
array(0) {
}
png intact, facture n°42.zip zip intact
Bonjour Zoë,

merci pour votre commande.
-- smtps
audit@example.org li@example.com zoe@example.net
ESMTPSA queue id matches
bool(true)
multipart/mixed(multipart/related(multipart/alternative(text/plain,text/html),image/png),application/zip)
subject ok
Boutique Élise <shop@example.org>
Zoë Ünïcode <zoe@example.net>, li@example.com
bool(false)
array(0) {
}
png intact, facture n°42.zip zip intact
Bonjour Zoë,

merci pour votre commande.
