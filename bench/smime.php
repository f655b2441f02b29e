<?php
/*
 * CPU per S/MIME message: php-mailer (the "smime" option, Mailer::sign(): the
 * message exactly as a send would transmit it, without the network) beside
 * Symfony Mime's SMimeSigner and SMimeEncrypter (openssl_pkcs7_* on temporary
 * files) on the same ~3 KB message (text + HTML), in one process.
 *
 *   php -d extension=$PWD/modules/mailer.so bench/smime.php [--n=300]
 *
 * The system's php.ini is used (Symfony Mime needs mbstring and intl). The
 * certificates (RSA 2048, a test CA) are made by the openssl command. Each
 * case runs --n times after one warm-up; the figure is the process's user +
 * system CPU time per message (getrusage), and, for S/MIME itself, every
 * output is checked once by `openssl cms -verify` / `-decrypt`.
 */

declare(strict_types=1);

use Symfony\Component\Mime\Crypto\SMimeEncrypter;
use Symfony\Component\Mime\Crypto\SMimeSigner;
use Symfony\Component\Mime\Email;

$n = 300;
foreach (array_slice($argv, 1) as $arg) {
    if (preg_match('/^--n=(\d+)$/', $arg, $m)) {
        $n = max(1, (int)$m[1]);
    }
}
if (!extension_loaded('mailer')) {
    fwrite(STDERR, "smime.php: load the module: php -d extension=\$PWD/modules/mailer.so bench/smime.php\n");
    exit(2);
}
if (!(require dirname(__DIR__) . '/bridge/symfony/tests/bootstrap.php')) {
    fwrite(STDERR, "smime.php: Symfony Mailer is not installed (apt-get install php-symfony-mailer)\n");
    exit(2);
}

$dir = sys_get_temp_dir() . '/php-mailer-bench-smime-' . getmypid();
mkdir($dir, 0700);
$run = function (string $args) use ($dir): string {
    exec('cd ' . escapeshellarg($dir) . " && openssl $args 2>&1", $o, $rc);
    if ($rc !== 0) {
        throw new RuntimeException("openssl $args failed: " . implode("\n", $o));
    }
    return implode("\n", $o);
};
$run('req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=bench'
    . ' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign');
foreach (['signer' => 'bench@example.org', 'recipient' => 'sink@example.net'] as $name => $email) {
    file_put_contents("$dir/$name.ext", "subjectAltName=email:$email\nextendedKeyUsage=emailProtection\n"
        . "keyUsage=critical,digitalSignature,keyEncipherment\n");
    $run("req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$email");
    $run("x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -set_serial " . random_int(2, 1 << 30)
        . " -days 1 -extfile $name.ext -out $name.pem");
}

$text = str_repeat("The quick brown fox jumps over the lazy dog; 0123456789.\n", 25);
$html = '<html><body>' . str_repeat('<p>The quick brown fox jumps over the <b>lazy</b> dog.</p>', 25) . '</body></html>';
$sign = ['cert' => "$dir/signer.pem", 'key' => "$dir/signer.key"];
$encrypt = ['certs' => ["$dir/recipient.pem"], 'cipher' => 'aes-256-cbc'];

function cpu(): float
{
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}

/** Runs $make $n times after a warm-up; returns [CPU ms per message, the warm-up's output]. */
function measure(int $n, callable $make): array
{
    $first = $make();
    $t = cpu();
    for ($i = 0; $i < $n; $i++) {
        $make();
    }
    return [(cpu() - $t) * 1000 / $n, $first];
}

$mailerCase = function (array $smime) use ($text, $html): callable {
    $mailer = new Mailer('127.0.0.1', 25, '', '', false, ['smime' => $smime]);
    return fn() => $mailer->sign((new Mailer\Message)->from('Bench <bench@example.org>')->to('sink@example.net')
        ->subject('S/MIME bench')->text($text)->html($html));
};
$symfonyEmail = fn() => (new Email())->from('Bench <bench@example.org>')->to('sink@example.net')
    ->subject('S/MIME bench')->text($text)->html($html);
$signer = new SMimeSigner("$dir/signer.pem", "$dir/signer.key");
$encrypter = new SMimeEncrypter("$dir/recipient.pem", OPENSSL_CIPHER_AES_256_CBC);

$cases = [
    'php-mailer, signed' => [$mailerCase(['sign' => $sign]), 'sign'],
    'Symfony SMimeSigner, signed' => [fn() => $signer->sign($symfonyEmail())->toString(), 'sign'],
    'php-mailer, signed + encrypted' => [$mailerCase(['sign' => $sign, 'encrypt' => $encrypt]), 'both'],
    'Symfony, signed + encrypted' => [fn() => $encrypter->encrypt($signer->sign($symfonyEmail()))->toString(), 'both'],
];
printf("php-mailer %s, PHP %s, %s, %d messages per case\n\n", Mailer::VERSION, PHP_VERSION, OPENSSL_VERSION_TEXT, $n);
printf("%-34s %16s  %s\n", 'case', 'CPU per message', 'openssl cms');
$status = 0;
foreach ($cases as $label => [$make, $kind]) {
    [$ms, $out] = measure($n, $make);
    file_put_contents("$dir/out.eml", str_replace("\r\n", "\n", $out));
    $check = 'verified';
    try {
        if ($kind === 'both') {
            $run('cms -decrypt -in out.eml -recip recipient.pem -inkey recipient.key -out dec.eml');
            $run('cms -verify -in dec.eml -CAfile ca.pem -out /dev/null');
            $check = 'decrypted, verified';
        } else {
            $run('cms -verify -in out.eml -CAfile ca.pem -out /dev/null');
        }
    } catch (RuntimeException $e) {
        $check = 'FAILED: ' . $e->getMessage();
        $status = 1;
    }
    printf("%-34s %13.3f ms  %s\n", $label, $ms, $check);
}
foreach (glob("$dir/*") ?: [] as $f) {
    unlink($f);
}
rmdir($dir);
exit($status);
