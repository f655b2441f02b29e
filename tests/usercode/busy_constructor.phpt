--TEST--
Re-entrancy: code run by Mailer::__construct() (a stream wrapper reading the DKIM key) that reaches the object gets an Error for __construct() and every other method; the construction completes
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/usercode.inc';
require_once __DIR__ . '/../inc/dkim.inc';
$pem = mailer_dkim_key('rsa')['pem']; // the CLI: fast under valgrind too
final class KeyStream
{
    public static string $pem = '';
    public static array $calls = [];
    public $context;
    private int $pos = 0;

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
        // the object under construction, as any code can find it
        foreach (debug_backtrace(DEBUG_BACKTRACE_PROVIDE_OBJECT) as $frame) {
            if (($frame['object'] ?? null) instanceof Mailer) {
                self::$calls[] = uc_mailer_calls($frame['object']);
            }
        }
        return true;
    }

    public function stream_read(int $count): string
    {
        $chunk = substr(self::$pem, $this->pos, $count);
        $this->pos += strlen($chunk);
        return $chunk;
    }

    public function stream_eof(): bool
    {
        return $this->pos >= strlen(self::$pem);
    }

    public function stream_stat(): array
    {
        return ['mode' => 0100600, 'size' => strlen(self::$pem)];
    }

    public function url_stat(string $path, int $flags): array
    {
        return $this->stream_stat();
    }
}
stream_wrapper_register('ukey', KeyStream::class);
KeyStream::$pem = $pem;
$mailer = new Mailer('127.0.0.1', 9, options: ['dkim' => ['domain' => 'example.org', 'selector' => 's1', 'key' => 'ukey://s1.pem'],
    'helo' => 'client.test']);
echo count(KeyStream::$calls), " call\n";
uc_print(KeyStream::$calls[0]);
// constructed as asked: it signs with that key
$signed = $mailer->sign("From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n");
var_dump(str_starts_with($signed, 'DKIM-Signature: v=1; a=rsa-sha256;'), $mailer->isConnected());
?>
--EXPECT--
1 call
__construct: Error: Mailer::__construct() cannot be called twice
sendmail: Error: Mailer object is not constructed
send: Error: Mailer object is not constructed
sendRaw: Error: Mailer object is not constructed
sign: Error: Mailer object is not constructed
debug: Error: Mailer object is not constructed
connect: Error: Mailer object is not constructed
close: Error: Mailer object is not constructed
isConnected: Error: Mailer object is not constructed
getCapabilities: Error: Mailer object is not constructed
getLastReply: Error: Mailer object is not constructed
getLastRecipients: Error: Mailer object is not constructed
bool(true)
bool(false)
