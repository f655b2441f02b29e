--TEST--
Only Bcc recipients: "To: undisclosed-recipients:;", Bcc in the envelope only; Message-IDs unique per message
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);
$m->sendmail('a@example.org', '', 'hidden', 'b', ['Bcc' => ['x@example.net', 'Y <y@example.net>']]);
$eml = $srv->message(1);
var_dump(str_contains($eml, "\r\nTo: undisclosed-recipients:;\r\n"), stripos($eml, 'x@example.net'),
    // a Bcc field anywhere in the header (the Message-ID's random hex may hold "bcc" itself)
    (bool)preg_match('/^bcc:/im', $eml));
var_dump($srv->envelope(1)['rcpt']);
$ids = [];
for ($i = 0; $i < 20; $i++) {
    $m->sendmail('a@sub.example.org', 'b@example.net', "s$i", 'b');
    preg_match('/^Message-ID: (.*)\r$/m', $srv->message($i + 2), $mm);
    $ids[] = $mm[1];
}
var_dump(count(array_unique($ids)), (bool)preg_match('/^<[0-9a-f]{32}@sub\.example\.org>$/', $ids[0]));
?>
--EXPECT--
bool(true)
bool(false)
bool(false)
array(2) {
  [0]=>
  string(23) "RCPT TO:<x@example.net>"
  [1]=>
  string(23) "RCPT TO:<y@example.net>"
}
int(20)
bool(true)
