--TEST--
sendMany(): the Mailer is busy while its batch runs: every method called from onResult or from the generator is refused with an Error that says why and what to do, and the batch goes on; a Message held by the batch refuses changes
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$m = new Mailer('127.0.0.1', $srv->port);
$calls = [
    'sendmail' => fn() => $m->sendmail('a@example.org', 'b@example.net', 's', 'b'),
    'sendMany' => fn() => $m->sendMany([many_raw('inner')]),
    'send' => fn() => $m->send(many_message('inner')),
    'sendRaw' => fn() => $m->sendRaw('a@example.org', 'b@example.net', "Subject: x\r\n\r\nx"),
    'close' => fn() => $m->close(),
    'getLastReply' => fn() => $m->getLastReply(),
];
$try = function (string $where) use ($calls) {
    foreach ($calls as $name => $call) {
        try {
            $call();
            echo "$where: $name allowed\n";
        } catch (Error $e) {
            echo "$where: $name: ", get_class($e), ': ', $e->getMessage(), "\n";
        }
    }
};
$msg = many_message('held');
$gen = function () use ($try, $msg) {
    $try('generator');
    yield 'held' => $msg;
    yield 'raw' => many_raw('2');
};
$summary = $m->sendMany($gen(), function ($key, Mailer\Result $r) use ($try, $msg) {
    echo many_line($key, $r), "\n";
    if ($key === 'held') {
        $try('onResult');
        try {
            $msg->subject('changed');
        } catch (Error $e) {
            echo "Message: ", $e->getMessage(), "\n";
        }
    }
});
var_dump($summary['sent'], many_delivered($srv));
?>
--EXPECTF--
generator: sendmail: Error: Mailer is busy sending; Mailer::sendmail() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
generator: sendMany: Error: Mailer is busy sending; Mailer::sendMany() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
generator: send: Error: Mailer is busy sending; Mailer::send() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
generator: sendRaw: Error: Mailer is busy sending; Mailer::sendRaw() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
generator: close: Error: Mailer is busy sending; Mailer::close() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
generator: getLastReply: Error: Mailer is busy sending; Mailer::getLastReply() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
held: sent TEST0001
onResult: sendmail: Error: Mailer is busy sending; Mailer::sendmail() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
onResult: sendMany: Error: Mailer is busy sending; Mailer::sendMany() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
onResult: send: Error: Mailer is busy sending; Mailer::send() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
onResult: sendRaw: Error: Mailer is busy sending; Mailer::sendRaw() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
onResult: close: Error: Mailer is busy sending; Mailer::close() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
onResult: getLastReply: Error: Mailer is busy sending; Mailer::getLastReply() cannot be called from code that Mailer::sendMany() runs (its onResult callback, its iterable, a debug handler): make it an item of the batch, or call it after the batch
Message: %s
raw: sent TEST0002
int(2)
array(2) {
  [2]=>
  int(1)
  ["held"]=>
  int(1)
}
