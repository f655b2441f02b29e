--TEST--
sendMany(): a bad item is a "failed" Result (a Mailer\Exception whose previous is the ValueError or TypeError sendRaw()/send() would throw), nothing of it reaches the wire, and the batch goes on
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$m = new Mailer('127.0.0.1', $srv->port);
$ok = many_raw('ok');
$items = [
    'ok1' => many_raw('1'),
    'int' => 42,
    'object' => new stdClass,
    'missing' => ['from' => 'a@example.org', 'to' => 'b@example.net'],
    'extra' => $ok + ['subject' => 'x'],
    'from type' => ['from' => 1] + $ok,
    'data type' => ['data' => ['x']] + $ok,
    'to type' => ['to' => 5] + $ok,
    'to list' => ['to' => ['b@example.net', 7]] + $ok,
    'bad from' => ['from' => 'a@@example.org'] + $ok,
    'bad to' => ['to' => "b@example.net\r\nRCPT TO:<evil@example.com>"] + $ok,
    'no rcpt' => ['to' => []] + $ok,
    'empty' => ['data' => ''] + $ok,
    'nul' => ['data' => "Subject: x\r\n\r\na\0b"] + $ok,
    'long line' => ['data' => "Subject: x\r\n\r\n" . str_repeat('y', 999)] + $ok,
    'no from' => (new Mailer\Message)->to('b@example.net')->text('x'),
    'no to' => (new Mailer\Message)->from('a@example.org')->text('x'),
    'ok2' => many_message('2'),
];
// fates come in completion order (bad items as soon as they are taken): compared by key
$fates = [];
$summary = $m->sendMany($items, many_recorder($fates, function (string $key, Mailer\Result $r) {
    if ($r->error && $r->error->getPrevious()) {
        echo "    previous: ", get_class($r->error->getPrevious()), "\n";
    }
    if ($r->status !== 'sent') {
        var_dump($r->reply, $r->queueId, $r->recipients);
    }
}));
echo many_fates($fates);
var_dump(!array_diff_key($items, $fates) && !array_diff_key($fates, $items)); // every item told
var_dump($summary, many_delivered($srv));
// the bytes of the bad "to" never reached the server
var_dump(str_contains($srv->log(1), 'evil'));
?>
--EXPECTF--
bad from: failed Mailer\Exception [] %s
    previous: ValueError
NULL
NULL
array(0) {
}
bad to: failed Mailer\Exception [] recipient: %s
    previous: ValueError
NULL
NULL
array(0) {
}
data type: failed Mailer\Exception [] item "data" must be of type string, array given
    previous: TypeError
NULL
NULL
array(0) {
}
empty: failed Mailer\Exception [] item "data" must not be empty
    previous: ValueError
NULL
NULL
array(0) {
}
extra: failed Mailer\Exception [] an item array has the keys "from", "to" and "data", not "subject"
    previous: ValueError
NULL
NULL
array(0) {
}
from type: failed Mailer\Exception [] item "from" must be of type string, int given
    previous: TypeError
NULL
NULL
array(0) {
}
int: failed Mailer\Exception [] an item must be a Mailer\Message or an array ["from" => ..., "to" => ..., "data" => ...], int given
    previous: TypeError
NULL
NULL
array(0) {
}
long line: failed Mailer\Exception [] item "data" has a line longer than 998 octets (RFC 5322 section 2.1.1)
    previous: ValueError
NULL
NULL
array(0) {
}
missing: failed Mailer\Exception [] an item array needs the keys "from", "to" and "data" ("data" is missing)
    previous: ValueError
NULL
NULL
array(0) {
}
no from: failed Mailer\Exception [] Mailer::sendMany(): the message has no From address (call Mailer\Message::from())
    previous: ValueError
NULL
NULL
array(0) {
}
no rcpt: failed Mailer\Exception [] item "to" must name at least one recipient
    previous: ValueError
NULL
NULL
array(0) {
}
no to: failed Mailer\Exception [] Mailer::sendMany(): the message has no recipients (call Mailer\Message::to(), cc() or bcc())
    previous: ValueError
NULL
NULL
array(0) {
}
nul: failed Mailer\Exception [] item "data" must not contain NUL bytes
    previous: ValueError
NULL
NULL
array(0) {
}
object: failed Mailer\Exception [] an item must be a Mailer\Message or an array ["from" => ..., "to" => ..., "data" => ...], stdClass given
    previous: TypeError
NULL
NULL
array(0) {
}
ok1: sent TEST0001
ok2: sent TEST0002
to list: failed Mailer\Exception [] recipient must contain only strings, int found
    previous: TypeError
NULL
NULL
array(0) {
}
to type: failed Mailer\Exception [] recipient must be a string or an array of strings, int given
    previous: TypeError
NULL
NULL
array(0) {
}
bool(true)
array(4) {
  ["sent"]=>
  int(2)
  ["rejected"]=>
  int(0)
  ["failed"]=>
  int(16)
  ["uncertain"]=>
  int(0)
}
array(2) {
  [1]=>
  int(1)
  [2]=>
  int(1)
}
bool(false)
