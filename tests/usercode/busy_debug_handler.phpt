--TEST--
Re-entrancy: every Mailer method called from the debug handler of a running send is an Error "Mailer is busy sending"; the send completes, delivered once
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/usercode.inc';
$srv = mailer_test_server(); // SIZE, no SMTPUTF8: the IDN recipient is converted with a debug line
$mailer = null;
$seen = [];
$mailer = new Mailer('127.0.0.1', $srv->port, debug: true, options: ['debug_handler' => function (string $line) use (&$mailer, &$seen) {
    // at the greeting, while the envelope is prepared (the capabilities in use)
    // and after the 354 with the message's end not yet sent
    foreach (['greeting' => 'S: 220 ', 'envelope' => '* <b@bücher.example> sent as', 'data' => 'C: [message'] as $at => $prefix) {
        if (str_starts_with($line, $prefix)) {
            $seen[$at] = uc_mailer_calls($mailer);
        }
    }
}]);
echo $mailer->sendmail('a@example.org', 'b@bücher.example', 'subject', 'body'), "\n";
uc_print($seen['greeting']);
var_dump($seen['envelope'] === $seen['greeting'], $seen['data'] === $seen['greeting']);
// the send went on unharmed: one connection, one message, nothing nested on the wire
var_dump($mailer->isConnected(), $mailer->getLastReply());
$mailer->close();
$srv->waitClosed(1);
var_dump($srv->connectionCount(), $srv->messageCount(), $srv->envelope(1)['rcpt']);
echo substr_count($srv->log(1), 'C: MAIL FROM'), ' MAIL, ', substr_count($srv->log(1), 'C: QUIT'), " QUIT\n";
$mailer = null; // the handler holds it by reference: no cycle left for the end of the request
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
__construct: Error: Mailer::__construct() cannot be called twice
sendmail: Error: Mailer is busy sending; Mailer::sendmail() cannot be called until that is done
send: Error: Mailer is busy sending; Mailer::send() cannot be called until that is done
sendRaw: Error: Mailer is busy sending; Mailer::sendRaw() cannot be called until that is done
sign: Error: Mailer is busy sending; Mailer::sign() cannot be called until that is done
debug: Error: Mailer is busy sending; Mailer::debug() cannot be called until that is done
connect: Error: Mailer is busy sending; Mailer::connect() cannot be called until that is done
close: Error: Mailer is busy sending; Mailer::close() cannot be called until that is done
isConnected: Error: Mailer is busy sending; Mailer::isConnected() cannot be called until that is done
getCapabilities: Error: Mailer is busy sending; Mailer::getCapabilities() cannot be called until that is done
getLastReply: Error: Mailer is busy sending; Mailer::getLastReply() cannot be called until that is done
getLastRecipients: Error: Mailer is busy sending; Mailer::getLastRecipients() cannot be called until that is done
bool(true)
bool(true)
bool(true)
string(32) "250 2.0.0 Ok: queued as TEST0001"
int(1)
int(1)
array(1) {
  [0]=>
  string(33) "RCPT TO:<b@xn--bcher-kva.example>"
}
1 MAIL, 1 QUIT
