--TEST--
debug_handler may be a PSR-3 logger: each debug line goes to debug() with the session and the server as context, only with debug on; a logger that throws stops the send like a handler
--EXTENSIONS--
mailer
--SKIPIF--
<?php
if (!is_file('/usr/share/php/Psr/Log/autoload.php')) die('skip php-psr-log (Debian) not installed');
?>
--FILE--
<?php
require '/usr/share/php/Psr/Log/autoload.php';
require __DIR__ . '/../inc/server.inc';

final class ListLogger extends Psr\Log\AbstractLogger
{
    public array $records = [];
    public ?string $throwAt = null;
    public function log($level, $message, array $context = []): void
    {
        $this->records[] = [$level, (string)$message, $context];
        if ($this->throwAt !== null && str_starts_with((string)$message, $this->throwAt)) {
            throw new LogicException("thrown at $message");
        }
    }
    // callable too: a logger is used as a logger all the same
    public function __invoke(string $line): void { echo "invoked as a callable: $line\n"; }
}

$srv = mailer_test_server();
$logger = new ListLogger();
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => $logger]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
$m->debug('my own line');
$m->close();
$levels = array_unique(array_column($logger->records, 0));
echo 'levels: ', implode(',', $levels), "\n";
$first = $logger->records[0];
echo 'first: ', $first[1], ' ', json_encode($first[2]), "\n";
foreach ($logger->records as [$level, $line, $context]) {
    if (str_starts_with($line, 'C: MAIL FROM')) {
        echo 'MAIL: ', json_encode($context) === json_encode(['session' => 1, 'server' => "127.0.0.1:$srv->port"]) ? 'session and server' : json_encode($context), "\n";
    }
    if ($line === 'my own line') {
        echo "debug() too\n";
    }
}

// debug off: nothing reaches the logger
$quiet = new ListLogger();
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['debug_handler' => $quiet]);
$m->sendmail('a@example.org', 'b@example.net', 's', 'b');
$m->debug('ignored');
$m->close();
echo 'debug off: ', count($quiet->records), " records\n";

// a logger that throws at MAIL stops the send before the end of data
$thrower = new ListLogger();
$thrower->throwAt = 'C: MAIL FROM';
$m = new Mailer('127.0.0.1', $srv->port, '', '', true, ['debug_handler' => $thrower, 'pipelining' => false]);
try {
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
} catch (LogicException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
echo 'messages at the server: ', $srv->messageCount(), "\n";

try {
    new Mailer('127.0.0.1', 25, options: ['debug_handler' => new stdClass()]);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST0001
levels: debug
first: * connecting to 127.0.0.1:%d {"session":1}
MAIL: session and server
debug() too
debug off: 0 records
LogicException: thrown at C: MAIL FROM:<a@example.org>%s
messages at the server: 2
Mailer::__construct(): Argument #6 ($options) option "debug_handler" must be of type callable or Psr\Log\LoggerInterface, stdClass given
