--TEST--
The core's field table: every row through sendmail()'s $headers and Mailer\Message::header() gives the same bytes on the wire (and envelope) or the same ValueError; Content-Type is the one row that differs, by design
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$mailer = new Mailer('127.0.0.1', $srv->port);
$fixed = ['Date' => 'Fri, 13 Mar 2026 10:00:00 +0100', 'Message-ID' => '<fixed.1@example.org>'];
// every row of src/core/mime/fields.c (tests/unit/test_fields.c checks this list against it),
// in several spellings, plus free-form fields and a bad name
$rows = [
    ['From', 'x@example.org'],
    ['to', 'x@example.org'],
    ['Subject', 'other'],
    ['Cc', 'Zoë <c@example.net>, d@example.net'],
    ['CC', 'c@example.net'],
    ['Bcc', 'hidden@example.net'],
    ['Reply-To', 'help@example.org'],
    ['Cc', 'not an address'],
    ['Date', 'Sat, 14 Mar 2026 11:00:00 +0000'],
    ['Date', 'yesterday'],
    ['message-id', '<custom.2@example.org>'],
    ['Message-ID', 'no-brackets'],
    ['Content-Type', 'text/plain; charset=UTF-8'],
    ['MIME-Version', '1.0'],
    ['Content-Transfer-Encoding', '8bit'],
    ['Content-Disposition', 'inline'],
    ['content-id', '<part@example.org>'],
    ['X-Tag', 'Grüße aus Köln'],
    ['Content-Language', 'de'],
    ['Bad Name', 'x'],
    ['X-Tag', "a\r\nBcc: victim@example.com"],
];
$n = 0;
foreach ($rows as [$name, $value]) {
    $errs = [];
    // sendmail(): the field after Date and Message-ID, as the Message gets them
    try {
        $mailer->sendmail('a@example.org', 'b@example.net', 's', '<p>x</p>',
            ['Date' => $fixed['Date'], 'Message-ID' => $fixed['Message-ID'], $name => $value]);
        $sent = ++$n;
    } catch (ValueError $e) {
        $sent = null;
        $errs[] = $e->getMessage();
    }
    try {
        $m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('s')
            ->html('<p>x</p>')->header('Date', $fixed['Date'])->header('Message-ID', $fixed['Message-ID'])
            ->header($name, $value);
        $mailer->send($m);
        $built = ++$n;
    } catch (ValueError $e) {
        $built = null;
        $errs[] = preg_replace('/^Mailer\\\\Message::header\(\): /', '', $e->getMessage());
    }
    if ($sent && $built) {
        $same = $srv->message($sent) === $srv->message($built) && $m->toString() === $srv->message($sent)
            && $srv->envelope($sent)['rcpt'] === $srv->envelope($built)['rcpt'];
        $h = mailer_test_headers($srv->parse($sent));
        printf("%s: %s; rcpt %s; %s\n", $name, $same ? 'same bytes' : 'DIFFERENT',
            preg_replace('/RCPT TO:<([^>]*)>/', '$1', implode(' ', $srv->envelope($sent)['rcpt'])),
            json_encode($h[strtolower($name)] ?? null, JSON_UNESCAPED_UNICODE));
    } elseif (!$sent && !$built) {
        printf("%s: %s\n", $name, $errs[0] === $errs[1] ? "same ValueError: $errs[0]" : 'DIFFERENT: ' . implode(' | ', $errs));
    } else {
        printf("%s: only %s accepts it: %s\n", $name, $sent ? 'sendmail()' : 'Message', $errs[0]);
        if ($sent) {
            echo '  ', json_encode(mailer_test_headers($srv->parse($sent))['content-type']), "\n";
        }
    }
}
?>
--EXPECT--
From: same ValueError: header "From" cannot be an extra header: use sendmail()'s $from argument or Mailer\Message::from()
to: same ValueError: header "To" cannot be an extra header: use sendmail()'s $to argument or Mailer\Message::to()
Subject: same ValueError: header "Subject" cannot be an extra header: use sendmail()'s $subject argument or Mailer\Message::subject()
Cc: same bytes; rcpt b@example.net c@example.net d@example.net; ["Zoë <c@example.net>, d@example.net"]
CC: same bytes; rcpt b@example.net c@example.net; ["c@example.net"]
Bcc: same bytes; rcpt b@example.net hidden@example.net; null
Reply-To: same bytes; rcpt b@example.net; ["help@example.org"]
Cc: same ValueError: header "Cc": invalid address "not an address": missing '@'
Date: same bytes; rcpt b@example.net; ["Sat, 14 Mar 2026 11:00:00 +0000"]
Date: same ValueError: header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": unknown day of the week (Mon to Sun)
message-id: same bytes; rcpt b@example.net; ["<custom.2@example.org>"]
Message-ID: same ValueError: header "Message-ID" must look like <id@domain>
Content-Type: only sendmail() accepts it: header "Content-Type" cannot be set on a Mailer\Message: use Mailer\Message::text() or html() for the bodies, attach()'s $contentType for a file
  ["text\/plain; charset=\"UTF-8\""]
MIME-Version: same ValueError: header "MIME-Version" cannot be set: the MIME structure is written by the mailer
Content-Transfer-Encoding: same ValueError: header "Content-Transfer-Encoding" cannot be set: the MIME structure is written by the mailer
Content-Disposition: same ValueError: header "Content-Disposition" cannot be set: the MIME structure is written by the mailer
content-id: same ValueError: header "Content-ID" cannot be set: the MIME structure is written by the mailer
X-Tag: same bytes; rcpt b@example.net; ["Grüße aus Köln"]
Content-Language: same bytes; rcpt b@example.net; ["de"]
Bad Name: same ValueError: header name "Bad Name" is not a valid RFC 5322 field name (printable ASCII without spaces or colons, at most 76 characters)
X-Tag: same ValueError: header "X-Tag" contains a line break (CR or LF)
