--TEST--
sendMany(): 452 to MAIL mid-batch (the server's per-connection limit, max_mails): the batch goes on on a new connection, every item delivered once
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
// OpenSMTPD's max-mails: the 4th MAIL on a connection gets 452 4.5.3
$srv = mailer_test_server(['max_mails' => 3]);
$m = new Mailer('127.0.0.1', $srv->port);
$items = [];
for ($i = 1; $i <= 10; $i++) {
    $items[$i] = $i % 2 ? many_raw((string)$i) : many_message((string)$i);
}
$fates = [];
$last = null;
$summary = $m->sendMany($items, function (int $key, Mailer\Result $r) use (&$fates, &$last) {
    $fates[$key] = $r->status;
    $last = [$key, $r];
});
var_dump($summary);
ksort($fates);
echo json_encode($fates), "\n", json_encode(many_delivered($srv)), "\n";
var_dump($srv->connectionCount());
var_dump(substr_count($srv->log(1), 'S: 452 4.5.3 Too many messages sent'));
// afterwards getLastReply() and getLastRecipients() tell the last item told (completion order)
[$key, $r] = $last;
var_dump($m->getLastReply() === $r->reply, $m->getLastRecipients() === $r->recipients);
var_dump(array_keys($m->getLastRecipients()) === [$key % 2 ? 'b@example.net' : 'c@example.net']);

// a 452 scripted at the 3rd MAIL of the server, on a connection that already carried mail
$srv = mailer_test_server(['replies' => ['MAIL#3' => '452 4.3.1 Insufficient system storage']]);
$m = new Mailer('127.0.0.1', $srv->port);
$fates = [];
$m->sendMany(array_map('many_raw', ['a', 'b', 'c', 'd']), function (int $key, Mailer\Result $r) use (&$fates) {
    $fates[$key] = $r->status;
});
ksort($fates); // completion order: the item refused and sent again comes after later ones
echo json_encode($fates), "\n", json_encode(many_delivered($srv)), "\n";
?>
--EXPECT--
array(4) {
  ["sent"]=>
  int(10)
  ["rejected"]=>
  int(0)
  ["failed"]=>
  int(0)
  ["uncertain"]=>
  int(0)
}
{"1":"sent","2":"sent","3":"sent","4":"sent","5":"sent","6":"sent","7":"sent","8":"sent","9":"sent","10":"sent"}
{"1":1,"2":1,"3":1,"4":1,"5":1,"6":1,"7":1,"8":1,"9":1,"10":1}
int(4)
int(1)
bool(true)
bool(true)
bool(true)
["sent","sent","sent","sent"]
{"a":1,"b":1,"c":1,"d":1}
