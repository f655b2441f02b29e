--TEST--
Mailer\Message::header(): extra fields in order, Date and Message-ID replace the generated ones, Bcc and Reply-To taken as addresses (the core field table), fields of other methods and MIME fields refused
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x')
    ->header('X-Tag', 'one')
    ->header('X-Tag', 'two')
    ->header('List-Unsubscribe', '<mailto:unsubscribe@example.org>')
    ->header('Content-Language', 'de')
    ->header('X-Note', 'Grüße aus Köln')
    ->header('Date', 'Fri, 13 Mar 2026 10:00:00 +0100')
    ->header('Message-ID', '<custom.1@example.org>');
$p = mailer_test_python_parse($m->toString());
foreach ($p['headers'] as [$name, $value]) {
    echo "$name: $value\n";
}
foreach ([['From', 'x@example.org'], ['to', 'x@example.org'], ['BCC', 'x@example.org'], ['Reply-To', 'x@example.org'],
          ['Subject', 's'], ['MIME-Version', '1.0'], ['content-type', 'text/plain'],
          ['Content-Transfer-Encoding', '8bit'], ['Message-ID', 'no-brackets@example.org']] as [$name, $value]) {
    try {
        $m->header($name, $value);
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
Date: Fri, 13 Mar 2026 10:00:00 +0100
From: a@example.org
To: b@example.net
Message-ID: <custom.1@example.org>
MIME-Version: 1.0
X-Tag: one
X-Tag: two
List-Unsubscribe: <mailto:unsubscribe@example.org>
Content-Language: de
X-Note: Grüße aus Köln
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 7bit
Mailer\Message::header(): header "From" cannot be an extra header: use sendmail()'s $from argument or Mailer\Message::from()
Mailer\Message::header(): header "To" cannot be an extra header: use sendmail()'s $to argument or Mailer\Message::to()
Mailer\Message::header(): header "Subject" cannot be an extra header: use sendmail()'s $subject argument or Mailer\Message::subject()
Mailer\Message::header(): header "MIME-Version" cannot be set: the MIME structure is written by the mailer
Mailer\Message::header(): header "Content-Type" cannot be set on a Mailer\Message: use Mailer\Message::text() or html() for the bodies, attach()'s $contentType for a file
Mailer\Message::header(): header "Content-Transfer-Encoding" cannot be set: the MIME structure is written by the mailer
Mailer\Message::header(): header "Message-ID" must look like <id@domain>
