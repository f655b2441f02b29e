--TEST--
Date: checked as an RFC 5322 date-time through Mailer\Message::header() and sendmail(); a refused value (8-bit, too long, no date) is a ValueError that leaves the message as it was; obsolete forms are written in the current syntax
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$field = fn(string $msg) => preg_match('/^Date: (.*)\r$/m', $msg, $f) ? $f[1] : null;

$msg = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x')
    ->header('Date', 'Fri, 13 Mar 2026 10:00:00 +0100 (CET)');
echo $field($msg->toString()), "\n";
$bad = [
    "Fr, 13 M\u{e4}r 2026 10:00:00 +0100",               // 8-bit
    'Fri, 13 Mar 2026 10:00:00 +0100 (' . str_repeat('x', 1000) . ')',
    'tomorrow',
    '2026-03-13T10:00:00+01:00',
    'Thu, 13 Mar 2026 10:00:00 +0100',                   // a Friday
    '30 Feb 2026 10:00:00 +0000',
    '13 Mar 2026 25:00:00 +0000',
    '13 Mar 2026 10:00:00',
    '13 Mar 2026 10:00:00 Z',
    '13 Mar 2026 10:00:00 CET',
    "13 Mar 2026 10:00:00 +0100\r\nBcc: victim@example.com",
];
foreach ($bad as $date) {
    try {
        $msg->header('Date', $date);
        echo "accepted: $date\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
echo $field($msg->toString()), "\n";
foreach (['13 Mar 26 10:00 EST', 'Fri , 13 Mar 2026 10:00 (local) +0100', '  13 Mar 2026 10:00:00 -0000  '] as $date) {
    echo $field($msg->header('Date', $date)->toString()), "\n";
}

// sendmail(): the same checks; nothing reaches the server until a good one
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);
foreach (["13 M\u{e4}r 2026 10:00:00 +0100", 'Thu, 13 Mar 2026 10:00:00 +0100'] as $date) {
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'x', ['Date' => $date]);
        echo "sent: $date\n";
    } catch (ValueError $e) {
        echo $e->getMessage(), "\n";
    }
}
var_dump($srv->connectionCount());
$m->sendmail('a@example.org', 'b@example.net', 's', 'x', ['Date: 13 Mar 99 23:59:60 PDT']);
echo $field($srv->message(1)), "\n";
$m->sendmail('a@example.org', 'b@example.net', 's', 'x', ['Date' => 'Sat, 14 Mar 2026 08:30:00 +0000']);
echo $field($srv->message(2)), "\n";
?>
--EXPECT--
Fri, 13 Mar 2026 10:00:00 +0100 (CET)
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": unknown day of the week (Mon to Sun)
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": too long for a header line
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": unknown day of the week (Mon to Sun)
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": no day of the month (1 or 2 digits)
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": the day of the week is not that of the date
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": no such day in that month
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": the hour must be 00 to 23
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": no time zone (+hhmm or -hhmm) after the time
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": one-letter (military) time zones are ambiguous (RFC 5322 section 4.3): use +hhmm or -hhmm
Mailer\Message::header(): header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": unknown time zone: use +hhmm or -hhmm
Mailer\Message::header(): header "Date" contains a line break (CR or LF)
Fri, 13 Mar 2026 10:00:00 +0100 (CET)
Fri, 13 Mar 2026 10:00:00 -0500
Fri, 13 Mar 2026 10:00:00 +0100
13 Mar 2026 10:00:00 -0000
header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": no month (Jan to Dec) after the day
header "Date" is not an RFC 5322 date-time like "Fri, 13 Mar 2026 10:00:00 +0100": the day of the week is not that of the date
int(0)
Sat, 13 Mar 1999 23:59:60 -0700
Sat, 14 Mar 2026 08:30:00 +0000
