--TEST--
User code that fails during a send: an exception from a debug handler, a stream wrapper or __toString() before the end of data ends the transaction (connection dropped, no end of data, no QUIT) and is the exception the caller gets
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/usercode.inc';
// debug lines that mark a point of the session (pipelining is off: one command at a time)
$lines = ['greeting' => 'S: 220 test.local', 'ehlo' => 'S: 250-test.local', 'mail' => 'S: 250 2.1.0',
    'rcpt' => 'S: 250 2.1.5', '354' => 'S: 354 ', 'data' => 'C: [message',
    'starttls' => 'S: 220 2.0.0', 'tls-started' => '* TLS started'];
final class CaFile
{
    public bool $throw = false;
    public function __construct(private string $path) {}
    public function __toString(): string
    {
        if ($this->throw) {
            throw new LogicException('thrown at cafile');
        }
        return $this->path;
    }
}

function attempt(MailerTestServer $srv, int $n, string $point, array $lines, ?CaFile $ca = null): void
{
    $thrown = null;
    $fail = function (string $where) use (&$thrown) {
        throw $thrown = new LogicException("thrown at $where");
    };
    $options = ['pipelining' => false, 'debug_handler' => function (string $line) use ($point, $lines, $fail) {
        if (isset($lines[$point]) && str_starts_with($line, $lines[$point])) {
            $fail($line);
        }
    }];
    if ($ca) {
        $ca->throw = $point === 'tostring';
        $options += ['tls' => 'starttls', 'context' => stream_context_create(['ssl' => ['cafile' => $ca]])];
    }
    $mailer = new Mailer('127.0.0.1', $srv->port, debug: true, options: $options);
    $m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject("at $point")->text('body');
    if ($point === 'wrapper') {
        $m->attach('ucs://300000/data.bin');
        UcStream::$onRead = fn(int $offset) => $fail("offset $offset");
    }
    try {
        $mailer->send($m);
        echo "$point: not stopped\n";
    } catch (Throwable $e) {
        echo "$point: ", get_class($e), ': ', $e->getMessage(), $e === $thrown || $point === 'tostring' ? '' : ' (not the one thrown)', "\n";
    }
    UcStream::$onRead = null;
    echo '  the server got: ', uc_client_said($srv, $n), '; connected: ', var_export($mailer->isConnected(), true),
        ', last reply: ', var_export($mailer->getLastReply(), true), ', recipients: ', count($mailer->getLastRecipients()), "\n";
}

$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]); // no SIZE: the attachment is read once, while sent
$n = 0;
foreach (['greeting', 'ehlo', 'mail', 'rcpt', '354', 'wrapper', 'data'] as $point) {
    attempt($srv, ++$n, $point, $lines);
}
$tls = mailer_test_server(['starttls' => true, 'ehlo' => ['PIPELINING', '8BITMIME', 'STARTTLS']]);
$ca = new CaFile($tls->cert['ca']);
$n = 0;
foreach (['starttls', 'tostring', 'tls-started'] as $point) {
    attempt($tls, ++$n, $point, $lines, $ca);
}
var_dump($srv->messageCount(), $tls->messageCount());
?>
--EXPECT--
greeting: LogicException: thrown at S: 220 test.local ESMTP ready
  the server got: ; connected: false, last reply: NULL, recipients: 0
ehlo: LogicException: thrown at S: 250-test.local
  the server got: EHLO; connected: false, last reply: NULL, recipients: 0
mail: LogicException: thrown at S: 250 2.1.0 Ok
  the server got: EHLO MAIL; connected: false, last reply: NULL, recipients: 0
rcpt: LogicException: thrown at S: 250 2.1.5 Ok
  the server got: EHLO MAIL RCPT; connected: false, last reply: NULL, recipients: 0
354: LogicException: thrown at S: 354 End data with <CR><LF>.<CR><LF>
  the server got: EHLO MAIL RCPT DATA; connected: false, last reply: NULL, recipients: 0
wrapper: LogicException: thrown at offset 65536
  the server got: EHLO MAIL RCPT DATA; connected: false, last reply: NULL, recipients: 0
data: LogicException: thrown at C: [message: 261 octets, then <CRLF>.<CRLF>]
  the server got: EHLO MAIL RCPT DATA; connected: false, last reply: NULL, recipients: 0
starttls: LogicException: thrown at S: 220 2.0.0 Ready to start TLS
  the server got: EHLO STARTTLS; connected: false, last reply: NULL, recipients: 0
tostring: LogicException: thrown at cafile
  the server got: EHLO STARTTLS; connected: false, last reply: NULL, recipients: 0
tls-started: LogicException: thrown at * TLS started
  the server got: EHLO STARTTLS; connected: false, last reply: NULL, recipients: 0
int(0)
int(0)
