--TEST--
DKIM option: "key" (a path) and "passphrase" given by reference stay valid while a stream wrapper reads the key, even when its url_stat replaces them
--EXTENSIONS--
mailer
openssl
--SKIPIF--
<?php
require __DIR__ . '/../inc/dkim.inc';
mailer_dkim_skipif();
?>
--FILE--
<?php
require __DIR__ . '/../inc/dkim.inc';
$pass = 'passphrase-' . bin2hex(random_bytes(12));
[KeyWrapper::$pem] = mailer_dkim_run(['openssl', 'genpkey', '-algorithm', 'ed25519', '-aes-256-cbc',
    '-pass', "pass:$pass"], '');
var_dump(str_contains(KeyWrapper::$pem, 'ENCRYPTED PRIVATE KEY'));

final class KeyWrapper
{
    public static string $pem;
    public $context;
    private int $pos = 0;

    public function url_stat(string $path, int $flags): array
    {
        global $keyPath, $pass, $filler;
        // the option's strings are references: replacing them frees them now, unless the
        // constructor holds references of its own; new strings of the same sizes then take
        // the freed memory
        $sizes = [strlen($keyPath), strlen($pass)];
        $keyPath = 'gone';
        $pass = 'gone';
        foreach ($sizes as $size) {
            for ($i = 0; $i < 8; $i++) {
                $filler[] = str_repeat('z', $size);
            }
        }
        return ['mode' => 0100644, 'size' => strlen(self::$pem)];
    }

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
        echo "stream_open: $path\n";
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
        return ['mode' => 0100644, 'size' => strlen(self::$pem)];
    }
}
stream_wrapper_register('dkimkey', KeyWrapper::class);

// strings made at run time, held only by the references: the wrapper can free them
$keyPath = 'dkimkey://' . str_repeat('k', 40) . '/key.pem';
$m = new Mailer('127.0.0.1', 9, '', '', false, ['dkim' => ['domain' => 'example.org', 'selector' => 's1',
    'key' => &$keyPath, 'passphrase' => &$pass]]);
var_dump($keyPath, $pass);
$signed = $m->sign((new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('s')->text('x'));
var_dump(str_starts_with($signed, 'DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.org; s=s1;'));
?>
--EXPECT--
bool(true)
stream_open: dkimkey://kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk/key.pem
string(4) "gone"
string(4) "gone"
bool(true)
