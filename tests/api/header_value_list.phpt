--TEST--
sendmail() headers: a value is a string or a list of strings (repeated fields); anything deeper, a self-referencing array included, is a TypeError naming the header
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server();
$m = new Mailer('127.0.0.1', $srv->port);

// a list: one field per entry, in order
$m->sendmail('a@example.org', 'b@example.net', 's', 'x', ['X-Tag' => ['one', 'two', 3]]);
preg_match_all('/^X-Tag: .*$/m', str_replace("\r\n", "\n", $srv->message(1)), $f);
echo implode("\n", $f[0]), "\n";

$self = ['x'];
$self[] = &$self; // a list that contains itself: nested without end
$deep = 'x';
for ($i = 0; $i < 1000; $i++) {
    $deep = [$deep];
}
$bad = [
    'nested list' => ['X-Tag' => ['one', ['two']]],
    'self-referencing list' => ['X-Tag' => $self],
    '1000 levels' => ['X-Deep' => $deep],
    'object in a list' => ['X-Tag' => ['one', new stdClass]],
    'null in a list' => ['X-Tag' => [null]],
    'float' => ['X-Tag' => 1.5],
    'nested Date' => ['Date' => [['Fri, 13 Mar 2026 10:00:00 +0100']]],
    'nested Cc' => ['Cc' => [['c@example.net']]],
];
foreach ($bad as $what => $headers) {
    try {
        $m->sendmail('a@example.org', 'b@example.net', 's', 'x', $headers);
        echo "$what: SENT\n";
    } catch (TypeError $e) {
        echo "$what: ", get_class($e), ': ', $e->getMessage(), "\n";
    }
}
unset($self, $bad);
gc_collect_cycles(); // the self-referencing array is a cycle: PHP would not free it at shutdown
$m->close();
var_dump($srv->messageCount());
?>
--EXPECT--
X-Tag: one
X-Tag: two
X-Tag: 3
nested list: TypeError: header "X-Tag" must be a string or a list of strings, array found in the list
self-referencing list: TypeError: header "X-Tag" must be a string or a list of strings, array found in the list
1000 levels: TypeError: header "X-Deep" must be a string or a list of strings, array found in the list
object in a list: TypeError: header "X-Tag" must be a string or a list of strings, stdClass found in the list
null in a list: TypeError: header "X-Tag" must be a string or a list of strings, null found in the list
float: TypeError: header "X-Tag" must be a string or a list of strings, float given
nested Date: TypeError: header "Date" must be a string or a list of strings, array found in the list
nested Cc: TypeError: header "Cc" must be a string or a list of strings, array found in the list
int(1)
