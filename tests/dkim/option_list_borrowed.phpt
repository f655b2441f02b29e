--TEST--
DKIM option: a list of signers stays valid while a stream wrapper reads the first key, even when the wrapper's url_stat frees the whole list
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
KeyWrapper::$pem = mailer_dkim_key('ed25519')['pem'];

final class KeyWrapper
{
    public static string $pem;
    public $context;
    private int $pos = 0;

    public function url_stat(string $path, int $flags): array
    {
        global $dkim, $filler;
        // the list is reached by reference from the options: dropping it frees it, the signers
        // and their strings, unless the constructor holds references; new arrays and strings
        // then take the freed memory
        $dkim = null;
        for ($i = 0; $i < 8; $i++) {
            $filler[] = ['domain' => str_repeat('x', 12), 'selector' => str_repeat('y', 12), 'key' => str_repeat('z', 60)];
            $filler[] = [str_repeat('w', 12), str_repeat('v', 12)];
        }
        return ['mode' => 0100644, 'size' => strlen(self::$pem)];
    }

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
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

$second = mailer_dkim_key('ed25519')['pem'];
$dkim = [
    ['domain' => 'example.org', 'selector' => 'first', 'key' => 'dkimkey://' . str_repeat('k', 40)],
    ['domain' => 'example.' . 'net', 'selector' => implode('', ['sec', 'ond']), 'key' => $second],
];
unset($second);
$m = new Mailer('127.0.0.1', 9, '', '', false, ['dkim' => &$dkim]);
var_dump($dkim);
$signed = $m->sign((new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('s')->text('x'));
$unfolded = str_replace("\r\n\t", ' ', $signed);
preg_match_all('/^DKIM-Signature: v=1; a=([^;]+); c=[^;]+; d=([^;]+); s=([^;]+);/m', $unfolded, $f, PREG_SET_ORDER);
foreach ($f as [, $a, $d, $s]) {
    echo "$a $d $s\n";
}
?>
--EXPECT--
NULL
ed25519-sha256 example.org first
ed25519-sha256 example.net second
