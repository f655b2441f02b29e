--TEST--
S/MIME option: values given by reference (cert, key, passphrase, a recipient, the "encrypt" array itself) stay valid while a stream wrapper reads the files, even when its url_stat replaces them all
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/smime.inc'; mailer_smime_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/smime.inc';
$pki = mailer_smime_pki();
$pass = 'passphrase-' . bin2hex(random_bytes(12));
mailer_smime_openssl(['pkey', '-in', $pki['signer'][1], '-aes256', '-passout', "pass:$pass",
    '-out', $pki['dir'] . '/enc.key']);

final class PemWrapper
{
    public static array $files = [];
    public $context;
    private string $data = '';
    private int $pos = 0;

    public function url_stat(string $path, int $flags): array
    {
        global $certPath, $keyPath, $pass, $recipient, $encrypt, $filler;
        // the option's values are references: replacing them frees them now, unless the
        // constructor holds references of its own; new strings of the same sizes then take
        // the freed memory
        $sizes = [strlen($certPath), strlen($keyPath), strlen($pass), strlen($recipient)];
        $certPath = $keyPath = $pass = $recipient = 'gone';
        $encrypt = 'gone';
        foreach ($sizes as $size) {
            for ($i = 0; $i < 8; $i++) {
                $filler[] = str_repeat('z', $size);
            }
        }
        return ['mode' => 0100644, 'size' => 1000];
    }

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
        echo "stream_open: ", substr($path, 0, 30), "...\n";
        $this->data = self::$files[basename($path)];
        return true;
    }

    public function stream_read(int $count): string
    {
        $chunk = substr($this->data, $this->pos, $count);
        $this->pos += strlen($chunk);
        return $chunk;
    }

    public function stream_eof(): bool
    {
        return $this->pos >= strlen($this->data);
    }

    public function stream_stat(): array
    {
        return ['mode' => 0100644, 'size' => strlen($this->data)];
    }
}
stream_wrapper_register('pem', PemWrapper::class);
PemWrapper::$files = ['cert.pem' => file_get_contents($pki['signer'][0]),
    'key.pem' => file_get_contents($pki['dir'] . '/enc.key'), 'bob.pem' => file_get_contents($pki['recipient'][0])];

// strings made at run time, held only by the references: the wrapper can free them
$certPath = 'pem://' . str_repeat('c', 40) . '/cert.pem';
$keyPath = 'pem://' . str_repeat('k', 40) . '/key.pem';
$recipient = 'pem://' . str_repeat('r', 40) . '/bob.pem';
$encrypt = ['certs' => [&$recipient]];
$m = new Mailer('127.0.0.1', 9, '', '', false, ['smime' => [
    'sign' => ['cert' => &$certPath, 'key' => &$keyPath, 'passphrase' => &$pass],
    'encrypt' => &$encrypt]]);
var_dump($certPath, $keyPath, $pass, $recipient, $encrypt);
$eml = $m->sign((new Mailer\Message)->from('alice@example.org')->to('bob@example.net')->text('x'));
[$ok, $signed] = mailer_smime_decrypt($pki, $eml, $pki['recipient']);
var_dump($ok, mailer_smime_verify($pki, $signed)[0]);
?>
--EXPECT--
stream_open: pem://cccccccccccccccccccccccc...
stream_open: pem://kkkkkkkkkkkkkkkkkkkkkkkk...
stream_open: pem://rrrrrrrrrrrrrrrrrrrrrrrr...
string(4) "gone"
string(4) "gone"
string(4) "gone"
string(4) "gone"
string(4) "gone"
bool(true)
bool(true)
