<?php

declare(strict_types=1);

namespace Mailer\Bridge\Symfony\Messenger;

use Mailer\Bridge\Symfony\Event\BeforeDataEvent;
use Psr\Log\LoggerInterface;
use Psr\Log\NullLogger;
use Symfony\Component\EventDispatcher\EventSubscriberInterface;
use Symfony\Component\Mailer\Messenger\SendEmailMessage;
use Symfony\Component\Mailer\SentMessage;
use Symfony\Component\Messenger\Envelope;
use Symfony\Component\Messenger\Middleware\MiddlewareInterface;
use Symfony\Component\Messenger\Middleware\StackInterface;
use Symfony\Component\Messenger\Stamp\FlushBatchHandlersStamp;
use Symfony\Component\Messenger\Stamp\HandledStamp;
use Symfony\Component\Messenger\Stamp\ReceivedStamp;
use Symfony\Component\Mime\Message;

/**
 * Exactly-once delivery of queued mail, as far as SMTP allows.
 *
 * Messenger redelivers every message a worker did not acknowledge: a worker killed after the
 * server accepted a message but before the ack would send it again. This middleware keeps each
 * email's delivery state in Redis, under its Message-ID:
 *
 *   sending    handed to the transport; its DATA has not gone out, so the server cannot have it
 *   data       its DATA (or BDAT) went out (recorded by the BeforeDataEvent listener, before a
 *              byte of the message): from here until the reply, the server may take it
 *   accepted   the server accepted it (and its queue ID)
 *
 * A redelivered message whose state is "accepted" is acknowledged without being sent; one whose
 * state is "data" (its worker died between the DATA and the reply) is uncertain: it is not sent
 * again but listed in the Redis hash "<prefix>uncertain" (Message-ID => JSON: the time, the
 * state's time, the sender and recipients) and logged as critical, for an operator to check
 * (the receiving server's log has the Message-ID) and to resend or drop by hand. A send that fails
 * at the end of data with no reply (the extension's getStage() === "eod") is uncertain in the same
 * way and is not retried. Any other failure clears the state and is thrown, for Messenger's retry.
 *
 * Wiring: the middleware on the bus that dispatches and handles SendEmailMessage (before
 * send_message/handle_message, where framework.messenger.buses.*.middleware puts it), and the
 * same object as an event subscriber on the dispatcher given to NativeSmtpTransport (which
 * dispatches BeforeDataEvent). With Symfony's own smtp:// transport there is no BeforeDataEvent:
 * a worker that dies mid-send leaves "sending", which is then treated as uncertain too.
 *
 * With SendEmailBatchHandler (which sends a batch with one Mailer::sendMany() and acknowledges
 * later), the handler takes the message over with claim(), and records its states itself: "data"
 * when the message is handed to sendMany() (before any byte of it can leave), "accepted",
 * "uncertain" or cleared from each item's Result.
 *
 * At dispatch, an email without a Message-ID gets one, so that every delivery attempt of it
 * carries the same. Messages other than SendEmailMessage of a Symfony Mime Message pass untouched.
 */
final class IdempotencyMiddleware implements MiddlewareInterface, EventSubscriberInterface
{
    private LoggerInterface $logger;
    /** The Redis key of the message being handled, while it is. */
    private ?string $current = null;
    /** The Message-ID of the message being handled, while it is. */
    private ?string $currentId = null;
    /** The token of the current message's "sending" state (who took it there). */
    private ?string $currentToken = null;
    /** A batch handler took the current message over (claim()): its state is the handler's. */
    private bool $claimed = false;

    /** State and token unchanged since read: "sending" with a new token. */
    private const TAKE = <<<'LUA'
        if (redis.call('HGET', KEYS[1], 'state') or '') ~= ARGV[1] or (redis.call('HGET', KEYS[1], 'token') or '') ~= ARGV[2] then
            return 0
        end
        redis.call('HSET', KEYS[1], 'state', 'sending', 'token', ARGV[3], 'at', ARGV[4])
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        return 1
        LUA;

    /** Still "sending" with the caller's token: "data". */
    private const DATA = <<<'LUA'
        if (redis.call('HGET', KEYS[1], 'state') or '') ~= 'sending' or (redis.call('HGET', KEYS[1], 'token') or '') ~= ARGV[1] then
            return 0
        end
        redis.call('HSET', KEYS[1], 'state', 'data', 'at', ARGV[2])
        return 1
        LUA;

    /**
     * @param \Redis $redis   a connection of php-redis (the state must survive the worker: use a
     *                        Redis with appendonly/appendfsync for a state that survives Redis)
     * @param int    $ttl     seconds each message's state is kept (default 7 days): longer than
     *                        any redelivery
     */
    public function __construct(
        private \Redis $redis,
        private string $prefix = 'mailer:delivery:',
        private int $ttl = 604800,
        ?LoggerInterface $logger = null,
        private bool $dataEvents = true,
    ) {
        $this->logger = $logger ?? new NullLogger();
    }

    public static function getSubscribedEvents(): array
    {
        return [BeforeDataEvent::class => 'onBeforeData'];
    }

    public function handle(Envelope $envelope, StackInterface $stack): Envelope
    {
        $message = $envelope->getMessage();
        // The worker's flush of a batch handler: not a delivery of this message (the handler
        // records the states of the messages it sends).
        if (null !== $envelope->last(FlushBatchHandlersStamp::class)) {
            return $stack->next()->handle($envelope, $stack);
        }
        if (!$message instanceof SendEmailMessage || !($email = $message->getMessage()) instanceof Message) {
            return $stack->next()->handle($envelope, $stack);
        }
        $headers = $email->getHeaders();
        if (null === $envelope->last(ReceivedStamp::class)) {
            if (!$headers->has('Message-ID')) {
                $headers->addIdHeader('Message-ID', $email->generateMessageId());
            }

            return $stack->next()->handle($envelope, $stack);
        }
        if (!$headers->has('Message-ID')) {
            $this->logger->warning('Email without a Message-ID: sent without the idempotency guard.');

            return $stack->next()->handle($envelope, $stack);
        }

        $id = $headers->get('Message-ID')->getBodyAsString();
        $key = $this->prefix . $id;
        // The state is read, then taken to "sending" only if nobody changed it in between (another
        // worker given the same entry, by Messenger's claim of a message pending too long):
        // otherwise it is read again.
        for ($try = 0; ; ++$try) {
            $state = $this->redis->hGetAll($key) ?: [];
            switch ($state['state'] ?? null) {
                case 'accepted':
                    $this->logger->info('Email {id} was already accepted (queue id {queue_id}): not sent again.',
                        ['id' => $id, 'queue_id' => $state['queue_id'] ?? '']);

                    return $envelope;
                case 'uncertain':
                    // listed already (with the first reason): not again, not resent
                    $this->logger->warning('Email {id} is listed as uncertain: not sent again.', ['id' => $id]);

                    return $envelope;
                case 'data':
                    $this->uncertain($id, $key, $state, $message, 'its worker stopped after the DATA, before the reply');

                    return $envelope;
                case 'sending':
                    if (!$this->dataEvents) {
                        // Without BeforeDataEvent, "sending" may be anywhere in the transaction.
                        $this->uncertain($id, $key, $state, $message, 'its worker stopped during the transaction');

                        return $envelope;
                    }
                    break;
            }
            $token = bin2hex(random_bytes(8));
            if ($this->redis->eval(self::TAKE, [$key, $state['state'] ?? '', $state['token'] ?? '', $token,
                (string) microtime(true), (string) $this->ttl], 1)) {
                break;
            }
            if ($try >= 2) {
                throw new \RuntimeException(sprintf('Email %s: its delivery state keeps changing (another worker handles it); left for a later attempt.', $id));
            }
        }
        $this->current = $key;
        $this->currentId = $id;
        $this->currentToken = $token;
        $this->claimed = false;
        try {
            $envelope = $stack->next()->handle($envelope, $stack);
        } catch (\Throwable $e) {
            $this->current = $this->currentId = $this->currentToken = null;
            if ($this->claimed) {
                throw $e;
            }
            for ($p = $e; null !== $p && !$p instanceof \Mailer\Exception; $p = $p->getPrevious());
            if (null !== $p && 'eod' === $p->getStage()) {
                $this->uncertain($id, $key, ['state' => 'data', 'at' => (string) microtime(true)], $message, $p->getMessage());

                return $envelope;
            }
            // Refused or failed before the end of data: the server does not have it.
            $this->redis->del($key);
            throw $e;
        } finally {
            $this->current = $this->currentId = $this->currentToken = null;
        }
        if ($this->claimed) {
            return $envelope;
        }

        $sent = $envelope->last(HandledStamp::class)?->getResult();
        $this->redis->hMSet($key, ['state' => 'accepted', 'at' => (string) microtime(true),
            'queue_id' => $sent instanceof SentMessage ? $sent->getMessageId() : '']);

        return $envelope;
    }

    public function onBeforeData(BeforeDataEvent $event): void
    {
        // Synchronous: the state is in Redis before the message leaves. Should Redis fail, the
        // exception ends the transaction before the end of data (nothing delivered).
        if (null !== $this->current) {
            $this->redis->hSet($this->current, 'state', 'data');
        }
    }

    /**
     * @internal for SendEmailBatchHandler, called by its __invoke(): from here the handler records
     *           the state of the message being handled, and this middleware leaves it alone
     *
     * @return array{0: string, 1: string}|null its Message-ID and the token of its "sending" state;
     *                                          null when the guard is not handling a message
     */
    public function claim(): ?array
    {
        if (null === $this->currentId) {
            return null;
        }
        $this->claimed = true;

        return [$this->currentId, $this->currentToken];
    }

    /**
     * @internal for SendEmailBatchHandler: the message is handed to sendMany(), so it may leave.
     *
     * @return bool false when its state is no longer the "sending" of $token (another worker took
     *              the message meanwhile): it must not be sent here
     */
    public function recordData(string $messageId, string $token): bool
    {
        return (bool) $this->redis->eval(self::DATA, [$this->prefix . $messageId, $token, (string) microtime(true)], 1);
    }

    /** @internal for SendEmailBatchHandler: the server accepted it */
    public function recordAccepted(string $messageId, string $queueId): void
    {
        $this->redis->hMSet($this->prefix . $messageId, ['state' => 'accepted', 'at' => (string) microtime(true),
            'queue_id' => $queueId]);
    }

    /** @internal for SendEmailBatchHandler: refused or failed before the end of data; the server does not have it */
    public function recordNotSent(string $messageId): void
    {
        $this->redis->del($this->prefix . $messageId);
    }

    /** @internal for SendEmailBatchHandler: the end of data went out and no reply came */
    public function recordUncertain(string $messageId, SendEmailMessage $message, string $why): void
    {
        $this->uncertain($messageId, $this->prefix . $messageId, ['at' => (string) microtime(true)], $message, $why);
    }

    /** @return array<string, array> Message-ID => what is known of each uncertain delivery */
    public function getUncertain(): array
    {
        return array_map(static fn (string $json): array => json_decode($json, true),
            $this->redis->hGetAll($this->prefix . 'uncertain') ?: []);
    }

    /** After an operator checked an uncertain delivery: drop it from the list (and its state). */
    public function forget(string $messageId): void
    {
        $this->redis->hDel($this->prefix . 'uncertain', $messageId);
        $this->redis->del($this->prefix . $messageId);
    }

    private function uncertain(string $id, string $key, array $state, SendEmailMessage $message, string $why): void
    {
        $envelope = $message->getEnvelope() ?? \Symfony\Component\Mailer\Envelope::create($message->getMessage());
        $record = [
            'reported' => microtime(true),
            'since' => (float) ($state['at'] ?? 0),
            'why' => $why,
            'sender' => $envelope->getSender()->getAddress(),
            'recipients' => array_map(static fn ($a) => $a->getAddress(), $envelope->getRecipients()),
        ];
        $this->redis->multi();
        $this->redis->hSet($this->prefix . 'uncertain', $id, json_encode($record));
        $this->redis->hMSet($key, ['state' => 'uncertain']);
        $this->redis->exec();
        $this->logger->critical('Email {id}: delivery uncertain ({why}); not sent again. Check the server\'s log for this Message-ID.',
            ['id' => $id, 'why' => $why]);
    }
}
