--TEST--
Garbage, NUL bytes and out-of-range codes in replies: a clear Mailer\Exception, the connection is dropped
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$cases = [
    'not a reply' => "hello there\r\n",
    'NUL byte' => "250-test.local\r\n250 PIPE\x00LINING\r\n",
    'code out of range' => "650 what\r\n",
    'second digit out of range' => "290 odd\r\n",
    'codes differ' => "250-test.local\r\n251 other\r\n",
    'bad separator' => "250+oops\r\n",
];
foreach ($cases as $name => $raw) {
    $srv = mailer_test_server(['raw_reply' => ['EHLO' => $raw]]);
    $m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['timeout' => 5]);
    try {
        $m->connect();
        echo "$name: no exception\n";
    } catch (Mailer\Exception $e) {
        echo "$name: ", get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
    }
    var_dump($m->isConnected());
    $srv->stop();
}
?>
--EXPECT--
not a reply: Mailer\Exception [ehlo] malformed reply from the server: reply does not start with a three-digit code
bool(false)
NUL byte: Mailer\Exception [ehlo] malformed reply from the server: reply contains a NUL byte
bool(false)
code out of range: Mailer\Exception [ehlo] malformed reply from the server: reply code out of range
bool(false)
second digit out of range: Mailer\Exception [ehlo] malformed reply from the server: reply code out of range
bool(false)
codes differ: Mailer\Exception [ehlo] malformed reply from the server: reply lines carry different codes
bool(false)
bad separator: Mailer\Exception [ehlo] malformed reply from the server: reply code not followed by a space or hyphen
bool(false)
