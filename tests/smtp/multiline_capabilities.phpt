--TEST--
Multi-line EHLO reply: keywords case-insensitive, parameters kept, AUTH= form, code-only last line
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['ehlo_reply' => [
    '250-test.local greets you',
    '250-pipelining',
    '250-Size 35882577',
    '250-8BITMIME',
    '250-AUTH=LOGIN PLAIN',
    '250-ENHANCEDSTATUSCODES',
    '250-X-VENDOR-THING a b  c',
    '250',
]]);
$m = new Mailer('127.0.0.1', $srv->port);
$m->connect();
var_dump($m->isConnected());
var_dump($m->getCapabilities());
echo $m->getLastReply(), "\n";
$m->close();
?>
--EXPECT--
bool(true)
array(6) {
  ["PIPELINING"]=>
  string(0) ""
  ["SIZE"]=>
  string(8) "35882577"
  ["8BITMIME"]=>
  string(0) ""
  ["AUTH"]=>
  string(11) "LOGIN PLAIN"
  ["ENHANCEDSTATUSCODES"]=>
  string(0) ""
  ["X-VENDOR-THING"]=>
  string(6) "a b  c"
}
250-test.local greets you
250-pipelining
250-Size 35882577
250-8BITMIME
250-AUTH=LOGIN PLAIN
250-ENHANCEDSTATUSCODES
250-X-VENDOR-THING a b  c
250
