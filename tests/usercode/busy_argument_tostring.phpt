--TEST--
Re-entrancy: __toString() of a sendmail() argument (the subject) gets an Error for every method of the busy Mailer; the message is delivered once, with that subject
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/usercode.inc';
$srv = mailer_test_server();
final class Value
{
    public $onString = null;
    public function __toString(): string
    {
        ($this->onString)();
        return 'from __toString';
    }
}
$mailer = new Mailer('127.0.0.1', $srv->port);
$calls = [];
$value = new Value();
$value->onString = function () use ($mailer, &$calls) { $calls[] = uc_mailer_calls($mailer); };
echo $mailer->sendmail('a@example.org', 'b@example.net', $value, 'body'), "\n";
echo count($calls), " call\n";
uc_print($calls[0]);
$mailer->close();
$srv->waitClosed(1);
var_dump($srv->connectionCount(), $srv->messageCount(), mailer_test_headers($srv->parse(1))['subject']);
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
1 call
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
int(1)
int(1)
array(1) {
  [0]=>
  string(15) "from __toString"
}
