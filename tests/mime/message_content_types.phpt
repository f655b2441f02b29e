--TEST--
Mailer\Message attachments: content type from the extension (built-in table), application/octet-stream when unknown, or as given
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x');
foreach (['a.pdf', 'B.PNG', 'c.jpeg', 'd.jpg', 'e.gif', 'f.webp', 'g.svg', 'h.txt', 'i.csv', 'j.json', 'k.zip',
          'l.tar.gz', 'm.docx', 'n.xlsx', 'o.pptx', 'p.ics', 'q.mp3', 'r.mp4', 's.unknownext', 'noext', '.hidden'] as $f) {
    $m->attach(mailer_test_file('data', $f));
}
$m->attach(mailer_test_file('data', 't.bin'), 'shown.pdf');
$m->attach(mailer_test_file('data', 'u.pdf'), null, 'application/x-custom');
$m->attachData('data', 'v.xml');
$m->attachData('data', 'w.dat', 'text/plain; charset=ISO-8859-1');
$p = mailer_test_python_parse($m->toString());
foreach ($p['parts'] as $part) {
    if ($part['disposition'] === 'attachment') {
        printf("%-12s %s%s\n", $part['filename'], $part['content_type'], $part['charset'] ? "; charset={$part['charset']}" : '');
    }
}
var_dump($p['defects']);
?>
--EXPECT--
a.pdf        application/pdf
B.PNG        image/png
c.jpeg       image/jpeg
d.jpg        image/jpeg
e.gif        image/gif
f.webp       image/webp
g.svg        image/svg+xml
h.txt        text/plain
i.csv        text/csv
j.json       application/json
k.zip        application/zip
l.tar.gz     application/gzip
m.docx       application/vnd.openxmlformats-officedocument.wordprocessingml.document
n.xlsx       application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
o.pptx       application/vnd.openxmlformats-officedocument.presentationml.presentation
p.ics        text/calendar
q.mp3        audio/mpeg
r.mp4        video/mp4
s.unknownext application/octet-stream
noext        application/octet-stream
.hidden      application/octet-stream
shown.pdf    application/pdf
u.pdf        application/x-custom
v.xml        application/xml
w.dat        text/plain; charset=iso-8859-1
array(0) {
}
