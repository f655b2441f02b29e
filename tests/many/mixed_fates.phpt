--TEST--
sendMany(): one batch gives all four fates (sent, rejected, failed, uncertain), each with the Result and the exception send() would have thrown; the summary counts them
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([
    'replies' => ['RCPT:bad@' => '550 5.1.1 <bad@example.net>: No such user', 'EOD:item 3' => '554 5.7.1 spam'],
    'drop' => ['at' => 'EOD:item 6', 'connection' => 0],
]);
$m = new Mailer('127.0.0.1', $srv->port);
$items = [
    'one' => many_raw('1'),
    'two' => many_raw('2', ['b@example.net', 'bad@example.net']),
    'three' => many_message('3'),
    'four' => many_raw('4', 'not an address'),
    'five' => many_message('5'),
    'six' => many_raw('6'),
    'seven' => many_raw('7'),
];
$results = [];
$summary = $m->sendMany($items, function (string $key, Mailer\Result $r) use (&$results) {
    $results[$key] = $r;
});
ksort($results);
foreach ($results as $k => $r) {
    echo many_line($k, $r), "\n";
}
echo "reply: ", $results['one']->reply, "\n";
var_dump($results['two']->error->getRejected(), $results['two']->error->getSmtpCode());
var_dump($results['two']->recipients['bad@example.net']['code'], $results['three']->reply,
    $results['three']->error->getEnhancedStatus());
var_dump(get_class($results['four']->error->getPrevious()), $results['one']->recipients);
var_dump($summary);
// the server dropped six before recording it; uncertain all the same for the client
var_dump(many_delivered($srv));
?>
--EXPECTF--
five: sent TEST%d
four: failed Mailer\Exception [] recipient: %s
one: sent TEST0001
seven: sent TEST%d
six: uncertain Mailer\ConnectionException [eod] connection closed by the server after the end of the message was sent: delivery is uncertain, the message may or may not have been accepted
three: rejected Mailer\Exception [eod] %s
two: rejected Mailer\RecipientException [rcpt] the server refused 1 of 2 recipients; nothing was sent (first: <bad@example.net>: 550 5.1.1 <bad@example.net>: No such user)
reply: 250 2.0.0 Ok: queued as TEST0001
array(1) {
  ["bad@example.net"]=>
  string(41) "550 5.1.1 <bad@example.net>: No such user"
}
int(550)
int(550)
string(14) "554 5.7.1 spam"
string(5) "5.7.1"
string(10) "ValueError"
array(1) {
  ["b@example.net"]=>
  array(3) {
    ["code"]=>
    int(250)
    ["status"]=>
    string(5) "2.1.5"
    ["reply"]=>
    string(12) "250 2.1.5 Ok"
  }
}
array(4) {
  ["sent"]=>
  int(3)
  ["rejected"]=>
  int(2)
  ["failed"]=>
  int(1)
  ["uncertain"]=>
  int(1)
}
array(3) {
  [1]=>
  int(1)
  [5]=>
  int(1)
  [7]=>
  int(1)
}
