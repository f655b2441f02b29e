--TEST--
Re-entrancy: __toString() of an "ssl" context option, run during the STARTTLS handshake, gets an Error for every method of the busy Mailer; the message goes through TLS, once
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/usercode.inc';
$srv = mailer_test_server(['starttls' => true]);
final class CaFile
{
    public $onString = null;
    public function __construct(private string $path) {}
    public function __toString(): string
    {
        ($this->onString)();
        return $this->path;
    }
}
$mailer = null;
$calls = [];
$ca = new CaFile($srv->cert['ca']);
$ca->onString = function () use (&$mailer, &$calls) { $calls[] = uc_mailer_calls($mailer); };
$mailer = new Mailer('127.0.0.1', $srv->port, options: ['tls' => 'starttls',
    'context' => stream_context_create(['ssl' => ['cafile' => $ca]])]);
echo $mailer->sendmail('a@example.org', 'b@example.net', 'subject', 'body'), "\n";
echo count($calls), " call\n";
uc_print($calls[0]);
$mailer->close();
$srv->waitClosed(1);
var_dump($srv->connectionCount(), $srv->messageCount(), $srv->envelope(1)['tls']);
echo substr_count($srv->log(1), 'C: QUIT'), " QUIT\n";
$ca->onString = null; // the Mailer holds $ca through its context: end the cycle
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
bool(true)
1 QUIT
