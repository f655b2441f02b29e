<?php
/*
 * Symfony Messenger over Redis sending mail, without the framework: what scripts/messenger.sh (the
 * fault test) and bench/messenger.sh run, one process per command.
 *
 *   php queue.php enqueue COUNT TAG [REFUSED]   dispatch COUNT SendEmailMessage to the Redis
 *                                      transport, the last REFUSED of them to a domain Postfix
 *                                      refuses (MAILER_POSTFIX_REJECT_DOMAIN, 550 at RCPT)
 *   php queue.php work CONSUMER        a worker: Redis transport -> Mailer's MessageHandler ->
 *                                      the mail transport of MAILER_QUEUE_DSN; stops after
 *                                      MAILER_QUEUE_IDLE seconds without a message (0: never);
 *                                      prints "worker CONSUMER: handled N, cpu SECONDS" at the end,
 *                                      and to stderr "failed SUBJECT: CLASS CODE retried|final"
 *                                      for each message nacked
 *   php queue.php status               JSON: how many messages are in each delivery state
 *   php queue.php uncertain            JSON: the uncertain deliveries (Message-ID => record)
 *
 * Environment: MAILER_REDIS=host:port; MAILER_QUEUE_DSN the mail transport (native+smtp://... or
 * Symfony's smtp://...); MAILER_QUEUE_GUARD=0 without the idempotency middleware (default on);
 * MAILER_QUEUE_CLAIM=seconds before a dead worker's message is claimed by another (default 2);
 * MAILER_QUEUE_CLAIM_INTERVAL=ms between the transport's checks for such messages (default 500;
 * with the batch handler each check that finds the worker's own entries flushes its batch);
 * MAILER_QUEUE_BATCH=N: the worker's handler is Messenger\SendEmailBatchHandler, sending N at a
 * time with one sendMany() (default 0: Symfony Mailer's MessageHandler, one send() per message),
 * with MAILER_QUEUE_CONNECTIONS sessions (default 1).
 * Loaded with php -n: the extensions come from -d extension=... on the command line.
 */

declare(strict_types=1);

if (!(require dirname(__DIR__, 3) . '/bridge/symfony/tests/bootstrap.php')) {
    fwrite(STDERR, "php-symfony-mailer is not installed\n");
    exit(2);
}

use Mailer\Bridge\Symfony\Messenger\IdempotencyMiddleware;
use Mailer\Bridge\Symfony\Messenger\PendingOnceReceiver;
use Mailer\Bridge\Symfony\Messenger\SendEmailBatchHandler;
use Mailer\Bridge\Symfony\NativeSmtpTransportFactory;
use Psr\Container\ContainerInterface;
use Symfony\Component\EventDispatcher\EventDispatcher;
use Symfony\Component\Mailer\Messenger\MessageHandler;
use Symfony\Component\Mailer\Messenger\SendEmailMessage;
use Symfony\Component\Mailer\Transport;
use Symfony\Component\Messenger\Bridge\Redis\Transport\RedisTransportFactory;
use Symfony\Component\Messenger\Event\WorkerMessageFailedEvent;
use Symfony\Component\Messenger\Event\WorkerMessageHandledEvent;
use Symfony\Component\Messenger\Exception\HandlerFailedException;
use Symfony\Component\Messenger\Event\WorkerRunningEvent;
use Symfony\Component\Messenger\EventListener\SendFailedMessageForRetryListener;
use Symfony\Component\Messenger\Handler\HandlersLocator;
use Symfony\Component\Messenger\MessageBus;
use Symfony\Component\Messenger\Middleware\HandleMessageMiddleware;
use Symfony\Component\Messenger\Middleware\SendMessageMiddleware;
use Symfony\Component\Messenger\Retry\MultiplierRetryStrategy;
use Symfony\Component\Messenger\Transport\Serialization\PhpSerializer;
use Symfony\Component\Messenger\Transport\Sender\SendersLocator;
use Symfony\Component\Messenger\Worker;
use Symfony\Component\Mime\Email;

[$redisHost, $redisPort] = explode(':', getenv('MAILER_REDIS') ?: '127.0.0.1:6379') + [1 => '6379'];
$command = $argv[1] ?? '';
$guardOn = getenv('MAILER_QUEUE_GUARD') !== '0';
$claim = (float) (getenv('MAILER_QUEUE_CLAIM') ?: 2);

$redis = new Redis();
$redis->connect($redisHost, (int) $redisPort, 5.0);

/** A PSR-11 container of fixed entries (Messenger's retry listener takes its senders and strategies so). */
function mailer_queue_locator(array $entries): ContainerInterface
{
    return new class($entries) implements ContainerInterface {
        public function __construct(private array $entries)
        {
        }

        public function get(string $id): mixed
        {
            return $this->entries[$id];
        }

        public function has(string $id): bool
        {
            return isset($this->entries[$id]);
        }
    };
}

/** Info and worse to stderr (the worker's log): a batch sent, an uncertain delivery (critical). */
final class MailerQueueLog extends Psr\Log\AbstractLogger
{
    public function __construct(private string $consumer)
    {
    }

    public function log($level, $message, array $context = []): void
    {
        if ('debug' === $level) {
            return;
        }
        $message = preg_replace_callback('/\{(\w+)\}/', fn ($m) => is_scalar($context[$m[1]] ?? null) ? (string) $context[$m[1]] : $m[0], (string) $message);
        fwrite(STDERR, "$this->consumer $level: $message\n");
    }
}

$consumer = $command === 'work' ? ($argv[2] ?? 'worker') : 'producer';
// One stream and group; each worker its own consumer name, so a restarted worker first takes up
// what it had not acknowledged, and a message of a dead worker is claimed by another after $claim s.
$queue = (new RedisTransportFactory())->createTransport(
    sprintf('redis://%s:%d/mail?consumer=%s&redeliver_timeout=%d&claim_interval=%d',
        $redisHost, $redisPort, rawurlencode($consumer), max(1, (int) $claim), (int) (getenv('MAILER_QUEUE_CLAIM_INTERVAL') ?: 500)),
    [], new PhpSerializer());
$guard = new IdempotencyMiddleware($redis, 'mailer:delivery:', 604800,
    $command === 'work' ? new MailerQueueLog($argv[2] ?? 'worker') : null);

switch ($command) {
    case 'enqueue':
        $count = (int) ($argv[2] ?? 1);
        $tag = $argv[3] ?? 'run';
        $refused = (int) ($argv[4] ?? 0);
        $refusedDomain = getenv('MAILER_POSTFIX_REJECT_DOMAIN') ?: 'rejected.test';
        $middleware = $guardOn ? [$guard] : [];
        $bus = new MessageBus([...$middleware,
            new SendMessageMiddleware(new SendersLocator([SendEmailMessage::class => ['mail']], mailer_queue_locator(['mail' => $queue])))]);
        for ($i = 1; $i <= $count; $i++) {
            $to = $i > $count - $refused ? "nobody$i@$refusedDomain" : "reader$i@example.net";
            $email = (new Email())->from('queue@example.org')->to($to)
                ->subject("$tag message $i")->text("Message $i of $count, run $tag.\n")
                ->html("<p>Message <b>$i</b> of $count, run $tag.</p>");
            $email->getHeaders()->addTextHeader('X-Queue-Run', $tag);
            $bus->dispatch(new SendEmailMessage($email));
        }
        echo "enqueued $count\n";
        break;

    case 'work':
        $dispatcher = new EventDispatcher();
        if ($guardOn) {
            $dispatcher->addSubscriber($guard);
        }
        $dsn = getenv('MAILER_QUEUE_DSN') ?: 'native+smtp://127.0.0.1:25';
        $transport = (new Transport([new NativeSmtpTransportFactory($dispatcher), ...Transport::getDefaultFactories($dispatcher)]))
            ->fromString($dsn);
        $batch = (int) (getenv('MAILER_QUEUE_BATCH') ?: 0);
        $handler = $batch > 0
            ? new SendEmailBatchHandler($transport, $batch, ['connections' => (int) (getenv('MAILER_QUEUE_CONNECTIONS') ?: 1)],
                $guardOn ? $guard : null, new MailerQueueLog($consumer))
            : new MessageHandler($transport);
        $handlers = new HandlersLocator([SendEmailMessage::class => [$handler]]);
        $bus = new MessageBus([...($guardOn ? [$guard] : []), new HandleMessageMiddleware($handlers)]);
        // A failed send is retried later (what framework.messenger's retry_strategy does): never lost.
        $dispatcher->addSubscriber(new SendFailedMessageForRetryListener(mailer_queue_locator(['mail' => $queue]),
            mailer_queue_locator(['mail' => new MultiplierRetryStrategy(20, 500, 1.5, 5000)])));
        $dispatcher->addListener(WorkerMessageFailedEvent::class, function (WorkerMessageFailedEvent $e): void {
            $error = $e->getThrowable();
            // the handler's exception (getNestedExceptions() is gone in 7.0; the first is the previous)
            $error = $error instanceof HandlerFailedException ? ($error->getPrevious() ?? $error) : $error;
            $email = $e->getEnvelope()->getMessage()->getMessage();
            fprintf(STDERR, "failed %s: %s %d %s\n", $email->getSubject(), get_class($error), $error->getCode(),
                $e->willRetry() ? 'retried' : 'final');
        });
        $handled = 0;
        $dispatcher->addListener(WorkerMessageHandledEvent::class, function () use (&$handled): void {
            $handled++;
        });
        $idle = (float) (getenv('MAILER_QUEUE_IDLE') ?: 0);
        $last = microtime(true);
        $dispatcher->addListener(WorkerRunningEvent::class, function (WorkerRunningEvent $e) use ($idle, &$last): void {
            if (!$e->isWorkerIdle()) {
                $last = microtime(true);
            } elseif ($idle > 0 && microtime(true) - $last > $idle) {
                $e->getWorker()->stop();
            }
        });
        // A batch handler acknowledges later: Symfony 5.4's Redis transport would hand a pending
        // entry out again meanwhile (PendingOnceReceiver says why).
        $worker = new Worker(['mail' => $batch > 0 ? new PendingOnceReceiver($queue) : $queue], $bus, $dispatcher);
        $worker->run(['sleep' => 20000]);
        $ru = getrusage();
        printf("worker %s: handled %d, cpu %.3f\n", $consumer, $handled,
            $ru['ru_utime.tv_sec'] + $ru['ru_utime.tv_usec'] / 1e6 + $ru['ru_stime.tv_sec'] + $ru['ru_stime.tv_usec'] / 1e6);
        break;

    case 'status':
        $counts = [];
        $it = null;
        while (false !== ($keys = $redis->scan($it, 'mailer:delivery:<*', 1000))) {
            foreach ($keys as $key) {
                $state = $redis->hGet($key, 'state') ?: 'none';
                $counts[$state] = ($counts[$state] ?? 0) + 1;
            }
        }
        ksort($counts);
        echo json_encode($counts), "\n";
        break;

    case 'uncertain':
        echo json_encode($guard->getUncertain(), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
        break;

    default:
        fwrite(STDERR, "usage: php queue.php enqueue COUNT TAG | work CONSUMER | status | uncertain\n");
        exit(2);
}
