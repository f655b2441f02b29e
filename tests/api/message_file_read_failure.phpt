--TEST--
Mailer::send(Message): an attachment that cannot be read while sending is a Mailer\Exception; the data is never ended, nothing is delivered, the Mailer stays usable
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';

/* A stream that fails after 200,000 bytes, as a disk or network file system may. */
final class FailingStream
{
    public $context;
    private int $pos = 0;

    public function stream_open(string $path, string $mode, int $options, ?string &$opened): bool
    {
        return true;
    }

    public function stream_read(int $count): string|false
    {
        if ($this->pos >= 200000) {
            return false;
        }
        $this->pos += $count;
        return str_repeat('x', $count);
    }

    public function stream_eof(): bool
    {
        return false;
    }

    public function stream_stat(): array
    {
        return ['mode' => 0100644, 'size' => 1000000];
    }

    public function url_stat(string $path, int $flags): array
    {
        return $this->stream_stat();
    }
}
stream_wrapper_register('failing', FailingStream::class);

$srv = mailer_test_server();
$mailer = new Mailer('127.0.0.1', $srv->port);
$ok = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('fine');

// 1. the stream fails in the middle of the attachment
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x')->attach('failing://big.bin');
try {
    $mailer->send($m);
} catch (Mailer\Exception $e) {
    echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
}
// whether the failure came while measuring the message (nothing sent yet) or
// while sending it (the connection is dropped), no data was ever ended
$mailer->close();
$srv->waitClosed(1);
var_dump($srv->messageCount());
echo substr_count($srv->log(1), 'C: .'), " final dots\n";

// 2. the file is gone when the message is written
$path = mailer_test_file('soon gone', 'gone.pdf');
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('x')->attach($path);
unlink($path);
foreach ([fn() => $m->toString(), fn() => $mailer->send($m)] as $call) {
    try {
        $call();
    } catch (Mailer\Exception $e) {
        echo get_class($e), ' [', $e->getStage(), '] ', str_replace($path, 'PATH', $e->getMessage()), "\n";
    }
}
var_dump($srv->messageCount());

// the Mailer is still usable
echo $mailer->send($ok), "\n";
var_dump($srv->messageCount());
?>
--EXPECTF--
Mailer\Exception [data] could not read the attached file "failing://big.bin"
int(0)
0 final dots
Mailer\Exception [] could not open the attached file "PATH" (it was readable when it was attached)
Mailer\Exception [data] could not open the attached file "PATH" (it was readable when it was attached)
int(0)
250 2.0.0 Ok: queued as TEST%d
int(1)
