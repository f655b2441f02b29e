--TEST--
CHUNKING: an attachment that grows between the DKIM pass (which gives the size) and sending never gets past the announced BDAT size (the DKIM check names it; test_smtp.c's test_bdat_source_changes() the BDAT guard alone); the connection is dropped with the chunk incomplete and nothing is delivered
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/dkim.inc';

// A file that is appended to while it is sent: each open sees more lines.
final class GrowingFile
{
    public static int $opens = 0;
    public $context;
    private string $data = '';
    private int $pos = 0;

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
        self::$opens++;
        $this->data = str_repeat("log line\n", 10000 + 100 * self::$opens);
        return true;
    }

    public function stream_read(int $count): string|false
    {
        $chunk = substr($this->data, $this->pos, $count);
        $this->pos += strlen($chunk);
        return $chunk;
    }

    public function stream_eof(): bool
    {
        return $this->pos >= strlen($this->data);
    }

    public function stream_stat(): array|false
    {
        return ['size' => strlen($this->data), 'mode' => 0100644];
    }

    public function url_stat(string $path, int $flags): array|false
    {
        return ['size' => 0, 'mode' => 0100644];
    }
}
stream_wrapper_register('growing', GrowingFile::class);

$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'CHUNKING']]);
// a wrapper's file has no size the mailer trusts: the signing pass counts the message
$key = mailer_dkim_key('ed25519');
$m = new Mailer('127.0.0.1', $srv->port, options: ['dkim' => ['domain' => 'example.org', 'selector' => 's', 'key' => $key['pem']]]);
$msg = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('log')->text('attached')
    ->attach('growing://app.log', 'app.log', 'text/plain');
try {
    $m->send($msg);
    echo "sent\n";
} catch (Mailer\Exception $e) {
    echo get_class($e), ' (', $e->getStage(), '): ', $e->getMessage(), "\n";
    var_dump(preg_match('/^BDAT \d+ LAST$/', (string)$e->getCommand()));
}
var_dump($m->isConnected());
$srv->waitClosed(1);
$log = $srv->log(1);
preg_match('/^C: BDAT (\d+) LAST$/m', $log, $bdat);
// the server got fewer octets than announced, so it took no message, and read nothing as commands
var_dump($srv->messageCount(), strlen($srv->raw(1)) - strpos($srv->raw(1), "LAST\r\n") - 6 < (int)$bdat[1]);
echo implode("\n", array_slice(explode("\n", trim($log)), -2)), "\n";
?>
--EXPECTF--
Mailer\Exception (data): the message changed after it was DKIM-signed (was an attached file modified?); it was not delivered
int(0)
bool(false)
int(0)
bool(true)
C: BDAT %d LAST
* closed
