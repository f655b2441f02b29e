--TEST--
User code that fails during a send: an exception from the debug handler after the server accepted the message reaches the caller; the message was delivered once, and getLastReply()/getLastRecipients() say so
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/usercode.inc';
$srv = mailer_test_server();
$thrown = null;
$mailer = new Mailer('127.0.0.1', $srv->port, debug: true, options: ['debug_handler' => function (string $line) use (&$thrown) {
    if (str_starts_with($line, 'S: 250 2.0.0 Ok: queued as TEST0001')) {
        throw $thrown = new LogicException("thrown at $line");
    }
}]);
try {
    $mailer->sendmail('a@example.org', 'b@example.net', 'first', 'body');
    echo "no exception\n";
} catch (LogicException $e) {
    echo get_class($e), ': ', $e->getMessage(), $e === $thrown ? '' : ' (not the one thrown)', "\n";
}
// what the caller sees says the message was accepted, and by whom
var_dump($mailer->getLastReply(), $mailer->getLastRecipients(), $mailer->isConnected());
// the next send is a new message on the same session: nothing sent twice
echo $mailer->sendmail('a@example.org', 'b@example.net', 'second', 'body'), "\n";
$mailer->close();
echo uc_client_said($srv, 1), "\n";
var_dump($srv->connectionCount(), $srv->messageCount());
echo mailer_test_headers($srv->parse(1))['subject'][0], ', ', mailer_test_headers($srv->parse(2))['subject'][0], "\n";
?>
--EXPECT--
LogicException: thrown at S: 250 2.0.0 Ok: queued as TEST0001
string(32) "250 2.0.0 Ok: queued as TEST0001"
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
bool(true)
250 2.0.0 Ok: queued as TEST0002
EHLO MAIL RCPT DATA . MAIL RCPT DATA . QUIT
int(1)
int(2)
first, second
