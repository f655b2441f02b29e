--TEST--
partial=true: refused recipients no longer abort the transaction; getLastRecipients() tells each one's fate
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['replies' => ['RCPT:bad@' => '550 5.1.1 <bad@example.net>: User unknown']]);
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['partial' => true]);
echo $m->sendmail('a@example.org', ['good@example.net', 'bad@example.net', 'also@example.net'], 's', 'b'), "\n";
var_dump($m->getLastRecipients());
var_dump($srv->envelope(1)['rcpt']);
// with every recipient refused there is nothing to deliver: still an exception
try {
    $m->sendmail('a@example.org', 'bad@example.net', 's', 'b');
} catch (Mailer\RecipientException $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
array(3) {
  ["good@example.net"]=>
  array(3) {
    ["code"]=>
    int(250)
    ["status"]=>
    string(5) "2.1.5"
    ["reply"]=>
    string(12) "250 2.1.5 Ok"
  }
  ["bad@example.net"]=>
  array(3) {
    ["code"]=>
    int(550)
    ["status"]=>
    string(5) "5.1.1"
    ["reply"]=>
    string(41) "550 5.1.1 <bad@example.net>: User unknown"
  }
  ["also@example.net"]=>
  array(3) {
    ["code"]=>
    int(250)
    ["status"]=>
    string(5) "2.1.5"
    ["reply"]=>
    string(12) "250 2.1.5 Ok"
  }
}
array(2) {
  [0]=>
  string(26) "RCPT TO:<good@example.net>"
  [1]=>
  string(26) "RCPT TO:<also@example.net>"
}
the server refused 1 of 1 recipients; nothing was sent (first: <bad@example.net>: 550 5.1.1 <bad@example.net>: User unknown)
