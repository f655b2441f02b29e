--TEST--
452 "too many recipients" is not a refusal: the rest go in a following transaction of the same send
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$replies = [];
for ($i = 4; $i <= 7; $i++) {
    $replies["RCPT#$i"] = '452 4.5.3 Error: too many recipients';
}
$srv = mailer_test_server(['replies' => $replies]);
$rcpts = array_map(fn($i) => "r$i@example.net", range(1, 7));
$m = new Mailer('127.0.0.1', $srv->port);
echo $m->sendmail('a@example.org', $rcpts, 's', 'b'), "\n";
var_dump($srv->messageCount(), count($srv->envelope(1)['rcpt']), count($srv->envelope(2)['rcpt']));
var_dump($srv->message(1) === $srv->message(2));
$codes = array_map(fn($r) => $r['code'], $m->getLastRecipients());
var_dump(count($codes), array_unique($codes));
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0002
int(2)
int(3)
int(4)
bool(true)
int(7)
array(1) {
  ["r1@example.net"]=>
  int(250)
}
