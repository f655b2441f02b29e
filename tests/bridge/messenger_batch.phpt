--TEST--
Symfony bridge, Messenger\SendEmailBatchHandler under Messenger's Worker with the idempotency guard (state in a real Redis): batches of 4 sent with one sendMany() each, a full batch as the next message comes (never in the dispatch of one of its messages); the batch met by a 421 greeting (no session could be set up: every item failed) is nacked and retried (each delivered once; the two retried copies of one message meet in a batch and go out once); a 5xx refusal (of a recipient, of the message) is nacked without retry, and the others of its batch acknowledged as sent when it is the batch's last message (Messenger 6.4+ would retry them were the batch sent in its dispatch); a 4xx refusal is retried until the retry strategy gives up; a reply lost after the end of data is acknowledged, listed as uncertain and never resent; a message handed out again while it waits in the batch is sent once and both copies acknowledged; one another worker took meanwhile is not sent by this one; without a worker (no Acknowledger) a message is sent at once; every other message delivered exactly once with its queue ID as the message id; one listing for Messenger 5.4, 6.4 and 7.x (a retried original is listed as retried, whether the Worker rejects it, as 5.4 does, or acknowledges it)
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_skipif();
foreach (['igbinary', 'msgpack', 'redis'] as $ext) {
    extension_loaded($ext) || !is_file(ini_get('extension_dir') . "/$ext.so") || @dl("$ext.so");
}
if (!class_exists('Redis', false)) die('skip php-redis not installed (scripts/frameworks.sh deps)');
if (!is_file('/usr/share/php/Symfony/Component/Messenger/autoload.php')) die('skip php-symfony-messenger not installed (scripts/frameworks.sh deps)');
if (!is_executable('/usr/bin/redis-server')) die('skip redis-server not installed (scripts/frameworks.sh deps)');
?>
--FILE--
<?php
foreach (['igbinary', 'msgpack', 'redis'] as $ext) {
    extension_loaded($ext) || !is_file(ini_get('extension_dir') . "/$ext.so") || dl("$ext.so");
}
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Mailer\Bridge\Symfony\Messenger\IdempotencyMiddleware;
use Mailer\Bridge\Symfony\Messenger\SendEmailBatchHandler;
use Symfony\Component\EventDispatcher\EventDispatcher;
use Symfony\Component\Mailer\Messenger\SendEmailMessage;
use Symfony\Component\Mailer\SentMessage;
use Symfony\Component\Messenger\Envelope;
use Symfony\Component\Messenger\Event\WorkerMessageFailedEvent;
use Symfony\Component\Messenger\Event\WorkerRunningEvent;
use Symfony\Component\Messenger\EventListener\SendFailedMessageForRetryListener;
use Symfony\Component\Messenger\Handler\HandlersLocator;
use Symfony\Component\Messenger\MessageBus;
use Symfony\Component\Messenger\Middleware\HandleMessageMiddleware;
use Symfony\Component\Messenger\Retry\MultiplierRetryStrategy;
use Symfony\Component\Messenger\Stamp\HandledStamp;
use Symfony\Component\Messenger\Stamp\RedeliveryStamp;
use Symfony\Component\Messenger\Transport\Receiver\ReceiverInterface;
use Symfony\Component\Messenger\Transport\Sender\SenderInterface;
use Symfony\Component\Mime\Email;

/** A queue that hands each envelope out once, as a broker does (InMemoryTransport hands out
 *  everything not yet acknowledged at each get(), so a batch handler would get its messages twice). */
final class OnceQueue implements ReceiverInterface, SenderInterface
{
    public array $queue = [];
    public array $acked = [];
    public array $rejected = [];
    /** the envelopes the retry listener sent a copy of (WorkerMessageFailedEvent::willRetry()) */
    public SplObjectStorage $retrying;
    public array $retried = [];

    public function __construct()
    {
        $this->retrying = new SplObjectStorage();
    }

    public function send(Envelope $envelope): Envelope
    {
        $this->queue[] = $envelope;
        return $envelope;
    }

    private bool $again = true;
    /** called with each envelope handed out */
    public ?Closure $onGet = null;

    public function get(): iterable
    {
        $envelope = array_shift($this->queue);
        if ($envelope && $this->onGet) {
            ($this->onGet)($envelope);
        }
        if ($envelope && $this->again && $envelope->getMessage()->getMessage()->getSubject() === 'two') {
            // handed out again while pending, as Symfony's Redis transport does (PendingOnceReceiver)
            $this->again = false;
            array_unshift($this->queue, unserialize(serialize($envelope)));
        }
        return $envelope ? [$envelope] : [];
    }

    // Once its copy is sent for retry, the original entry is rejected by Messenger 5.4's Worker
    // and acknowledged by 6.4's and 7.x's: listed apart, as retried, on every version.
    public function ack(Envelope $envelope): void
    {
        $this->retrying->contains($envelope) ? $this->retried[] = $envelope : $this->acked[] = $envelope;
    }

    public function reject(Envelope $envelope): void
    {
        $this->retrying->contains($envelope) ? $this->retried[] = $envelope : $this->rejected[] = $envelope;
    }
}

function locator(array $entries): Psr\Container\ContainerInterface
{
    return new class($entries) implements Psr\Container\ContainerInterface {
        public function __construct(private array $e) {}
        public function get(string $id): mixed { return $this->e[$id]; }
        public function has(string $id): bool { return isset($this->e[$id]); }
    };
}

// A Redis of the test's own, on a free loopback port, stopped by its PID.
$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int) explode(':', stream_socket_get_name($s, false))[1];
fclose($s);
$redisProc = proc_open(['/usr/bin/redis-server', '--port', (string) $port, '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--dir', sys_get_temp_dir()], [0 => ['pipe', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
$redis = new Redis();
for ($i = 0; $i < 100; $i++) {
    try {
        if ($redis->connect('127.0.0.1', $port, 1.0)) {
            break;
        }
    } catch (RedisException) {
    }
    usleep(50000);
}
$logged = [];
$logger = new class($logged) extends Psr\Log\AbstractLogger {
    public function __construct(private array &$lines) {}
    public function log($level, $message, array $context = []): void
    {
        $this->lines[] = "$level: " . preg_replace_callback('/\{(\w+)\}/', fn ($m) => is_scalar($context[$m[1]] ?? null) ? (string) $context[$m[1]] : $m[0], (string) $message);
    }
};
$guard = new IdempotencyMiddleware($redis, 'mailer:delivery:', 3600, $logger);

$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME'],
    'replies' => ['GREETING#1' => '421 4.3.2 Service not available, try later',
        'RCPT:refused@' => '550 5.1.1 <refused@example.net>: User unknown',
        'EOD:greylisted' => '451 4.7.1 Greylisted, try later',
        'EOD:spam-like' => '554 5.7.1 Rejected as spam'],
    'drop' => ['at' => 'EOD:lost-reply', 'connection' => 0]]);
$dispatcher = new EventDispatcher();
$transport = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port", $dispatcher);
$handler = new SendEmailBatchHandler($transport, 4, [], $guard, $logger);

$queue = new OnceQueue();
$producer = new MessageBus([$guard, new Symfony\Component\Messenger\Middleware\SendMessageMiddleware(
    new Symfony\Component\Messenger\Transport\Sender\SendersLocator([SendEmailMessage::class => ['q']], locator(['q' => $queue])))]);
// six, seven, eight and spam-like make a batch whose last message is refused (its dispatch would fail)
$subjects = ['one', 'two', 'refused', 'three', 'greylisted', 'lost-reply', 'four', 'five', 'six', 'seven', 'eight', 'spam-like'];
foreach ($subjects as $subject) {
    $to = $subject === 'refused' ? 'refused@example.net' : 'b@example.net';
    $producer->dispatch(new SendEmailMessage((new Email())->from('a@example.org')->to($to)->subject($subject)->text("$subject\n")));
}
echo count($queue->queue), " queued\n";

// Another worker, one message at a time, given "four" while it waits in our batch (as Messenger's
// claim does when an entry is pending longer than redeliver_timeout): it sends "four", ours not.
$otherDispatcher = new EventDispatcher();
$otherGuard = new IdempotencyMiddleware($redis, 'mailer:delivery:', 3600);
$otherDispatcher->addSubscriber($otherGuard);
$otherTransport = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port", $otherDispatcher);
$other = new MessageBus([$otherGuard, new HandleMessageMiddleware(new HandlersLocator([SendEmailMessage::class =>
    [new Symfony\Component\Mailer\Messenger\MessageHandler($otherTransport)]]))]);
$four = null;
$queue->onGet = function (Envelope $envelope) use (&$four, $other, $transport, $otherTransport): void {
    $subject = $envelope->getMessage()->getMessage()->getSubject();
    if ($subject === 'four') {
        $four = $envelope;
    } elseif ($subject === 'five' && $four) {
        $transport->stop();   // the test server serves one connection at a time
        $other->dispatch(unserialize(serialize($four))->with(new Symfony\Component\Messenger\Stamp\ReceivedStamp('q')));
        $otherTransport->stop();
        echo "four sent by the other worker\n";
        $four = null;
    }
};

$bus = new MessageBus([$guard, new HandleMessageMiddleware(new HandlersLocator([SendEmailMessage::class => [$handler]]))]);
// retried at once (no delay), three times at most
$dispatcher->addSubscriber(new SendFailedMessageForRetryListener(locator(['q' => $queue]),
    locator(['q' => new MultiplierRetryStrategy(3, 0, 1)])));
$failures = [];
$dispatcher->addListener(WorkerMessageFailedEvent::class, function (WorkerMessageFailedEvent $e) use (&$failures, $queue): void {
    if ($e->willRetry()) {
        $queue->retrying->attach($e->getEnvelope());
    }
    $prev = $e->getThrowable()->getPrevious() ?? $e->getThrowable();
    $failures[] = sprintf('%s: %s %d%s', $e->getEnvelope()->getMessage()->getMessage()->getSubject(), get_class($prev),
        $prev->getCode(), $e->willRetry() ? ', retried' : ', not retried');
});
$dispatcher->addListener(WorkerRunningEvent::class, function (WorkerRunningEvent $e) use ($queue): void {
    if ($e->isWorkerIdle() && !$queue->queue) {
        $e->getWorker()->stop();
    }
});
(new Symfony\Component\Messenger\Worker(['q' => $queue], $bus, $dispatcher))->run(['sleep' => 1000]);

sort($failures);   // completion order is the engine's
echo "-- nacked\n", implode("\n", $failures), "\n";
echo "-- acknowledged\n";
$byId = $acked = [];
foreach ($queue->acked as $envelope) {
    $email = $envelope->getMessage()->getMessage();
    $result = $envelope->last(HandledStamp::class)?->getResult();
    $id = $email->getHeaders()->get('Message-ID')->getBodyAsString();
    $byId[$id] = $email->getSubject();
    $acked[] = sprintf("%-10s retries %d  %s  state %s", $email->getSubject(), $envelope->last(RedeliveryStamp::class)?->getRetryCount() ?? 0,
        $result instanceof SentMessage ? 'message id ' . (preg_match('/^TEST\d+$/', $result->getMessageId()) ? 'queue id' : $result->getMessageId()) : 'no result',
        $redis->hGet("mailer:delivery:$id", 'state'));
}
sort($acked);
echo implode("\n", $acked), "\n";
$rejected = array_map(fn ($e) => $e->getMessage()->getMessage()->getSubject(), $queue->rejected);
sort($rejected);
echo "-- rejected: ", implode(', ', $rejected), "\n";
$retried = array_map(fn ($e) => $e->getMessage()->getMessage()->getSubject(), $queue->retried);
sort($retried);
echo "-- retried (a copy sent): ", implode(', ', $retried), "\n";
echo "-- synchronous (no worker): sent at once, a refusal thrown\n";
$sent = $handler(new SendEmailMessage((new Email())->from('a@example.org')->to('b@example.net')->subject('sync')->text("sync\n")));
echo get_class($sent), ' ', preg_match('/^TEST\d+$/', $sent->getMessageId()), "\n";
try {
    $handler(new SendEmailMessage((new Email())->from('a@example.org')->to('refused@example.net')->subject('sync refused')->text("x\n")));
} catch (Throwable $e) {
    echo get_class($e), ' ', $e->getCode(), "\n";
}
echo "-- at the server\n";
$got = [];
for ($n = 1; $n <= $srv->messageCount(); $n++) {
    preg_match('/^Subject: (.*)$/m', $srv->message($n), $m);
    $got[] = trim($m[1]);
}
$counts = array_count_values($got);
ksort($counts);
foreach ($counts as $subject => $count) {
    echo "$subject: $count\n";
}
echo "-- uncertain, for an operator\n";
foreach ($guard->getUncertain() as $id => $record) {
    echo $byId[$id] ?? $id, ': ', $record['why'], "\n";
}
echo "-- log\n", implode("\n", array_map(fn ($l) => preg_replace('/<[^>]+@[^>]+>/', '<id>', $l), $logged)), "\n";

unset($handler, $transport, $bus, $producer, $dispatcher, $guard, $logger, $other, $otherGuard, $otherDispatcher, $otherTransport, $queue);
$redis->close();
proc_terminate($redisProc);
proc_close($redisProc);
mailer_bridge_cleanup();
?>
--EXPECT--
12 queued
four sent by the other worker
-- nacked
greylisted: Symfony\Component\Mailer\Exception\TransportException 451, not retried
greylisted: Symfony\Component\Mailer\Exception\TransportException 451, retried
greylisted: Symfony\Component\Mailer\Exception\TransportException 451, retried
greylisted: Symfony\Component\Mailer\Exception\TransportException 451, retried
one: Symfony\Component\Mailer\Exception\TransportException 421, retried
refused: Symfony\Component\Mailer\Exception\TransportException 421, retried
refused: Symfony\Component\Messenger\Exception\UnrecoverableMessageHandlingException 550, not retried
spam-like: Symfony\Component\Messenger\Exception\UnrecoverableMessageHandlingException 554, not retried
three: Symfony\Component\Mailer\Exception\TransportException 421, retried
two: Symfony\Component\Mailer\Exception\TransportException 421, retried
two: Symfony\Component\Mailer\Exception\TransportException 421, retried
-- acknowledged
eight      retries 0  message id queue id  state accepted
five       retries 0  message id queue id  state accepted
four       retries 0  no result  state accepted
lost-reply retries 0  no result  state uncertain
one        retries 1  message id queue id  state accepted
seven      retries 0  message id queue id  state accepted
six        retries 0  message id queue id  state accepted
three      retries 1  message id queue id  state accepted
two        retries 1  message id queue id  state accepted
two        retries 1  message id queue id  state accepted
-- rejected: greylisted, refused, spam-like
-- retried (a copy sent): greylisted, greylisted, greylisted, one, refused, three, two, two
-- synchronous (no worker): sent at once, a refusal thrown
Symfony\Component\Mailer\SentMessage 1
Symfony\Component\Messenger\Exception\UnrecoverableMessageHandlingException 550
-- at the server
eight: 1
five: 1
four: 1
one: 1
seven: 1
six: 1
sync: 1
three: 1
two: 1
-- uncertain, for an operator
lost-reply: connection closed by the server after the end of the message was sent: delivery is uncertain, the message may or may not have been accepted
-- log
warning: Email <id> was received again while it waits in the batch: sent once.
info: Batch of 4 emails sent with one sendMany(): 0 sent, 0 rejected, 4 failed, 0 uncertain.
critical: Email <id>: delivery uncertain (connection closed by the server after the end of the message was sent: delivery is uncertain, the message may or may not have been accepted); not sent again. Check the server's log for this Message-ID.
info: Batch of 4 emails sent with one sendMany(): 1 sent, 1 rejected, 0 failed, 1 uncertain.
warning: Email <id> was taken over by another worker while it waited in the batch: not sent here (raise the transport's redeliver_timeout above a batch's time).
info: Batch of 4 emails sent with one sendMany(): 3 sent, 1 rejected, 0 failed, 0 uncertain.
warning: Email <id> was received again while it waits in the batch: sent once.
info: Batch of 4 emails sent with one sendMany(): 3 sent, 1 rejected, 0 failed, 0 uncertain.
info: Batch of 1 emails sent with one sendMany(): 0 sent, 1 rejected, 0 failed, 0 uncertain.
info: Batch of 1 emails sent with one sendMany(): 0 sent, 1 rejected, 0 failed, 0 uncertain.
info: Batch of 1 emails sent with one sendMany(): 0 sent, 1 rejected, 0 failed, 0 uncertain.
info: Batch of 1 emails sent with one sendMany(): 1 sent, 0 rejected, 0 failed, 0 uncertain.
info: Batch of 1 emails sent with one sendMany(): 0 sent, 1 rejected, 0 failed, 0 uncertain.
