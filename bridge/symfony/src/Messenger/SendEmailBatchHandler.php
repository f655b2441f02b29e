<?php

declare(strict_types=1);

namespace Mailer\Bridge\Symfony\Messenger;

use Mailer\Bridge\Symfony\NativeSmtpTransport;
use Psr\Log\LoggerInterface;
use Psr\Log\NullLogger;
use Symfony\Component\Mailer\Exception\InvalidArgumentException;
use Symfony\Component\Mailer\Exception\TransportException;
use Symfony\Component\Mailer\Messenger\SendEmailMessage;
use Symfony\Component\Mailer\SentMessage;
use Symfony\Component\Mailer\Transport\TransportInterface;
use Symfony\Component\Messenger\Exception\UnrecoverableMessageHandlingException;
use Symfony\Component\Messenger\Handler\Acknowledger;
use Symfony\Component\Messenger\Handler\BatchHandlerInterface;
use Symfony\Component\Messenger\Handler\BatchHandlerTrait;
use Symfony\Component\Mime\Message;

/**
 * A Messenger handler of SendEmailMessage that sends a batch with one Mailer::sendMany() (several
 * connections, pipelining across messages) instead of one send() per message, in place of
 * Symfony Mailer's MessageHandler. Symfony 5.4+ (BatchHandlerInterface).
 *
 * The worker hands it messages; it keeps them until $batchSize are there and the next one comes,
 * or the worker finds the queue empty (the worker then flushes, as with every batch handler),
 * renders each as the transport would (MessageEvent, envelope, toString()) and sends them all in
 * one sendMany() on the transport's Mailer. Each item's Result settles its message:
 *
 *   sent       acknowledged (the handler's result is the SentMessage, its message id the queue ID)
 *   rejected   a permanent refusal (5xx) is nacked with UnrecoverableMessageHandlingException:
 *              never retried, as retrying cannot help; a temporary one (4xx: greylisting, a full
 *              mailbox, a rate limit) with the TransportException, which Messenger retries
 *   failed     not sent (no connection, the retry on a new one failed too): nacked with the
 *              TransportException, which Messenger retries; a message the extension will not
 *              send at all (a line over 998 octets, a bad address) with
 *              UnrecoverableMessageHandlingException around InvalidArgumentException
 *   uncertain  the end of data went out and no reply came: the server may have it. Acknowledged,
 *              never resent: logged as critical, and listed by the idempotency guard as uncertain
 *              (IdempotencyMiddleware::getUncertain()) for an operator to check
 *
 * With the IdempotencyMiddleware on the bus, pass the same object: the guard still checks each
 * redelivered message before the handler (accepted: skipped; "data": uncertain), and the handler
 * records each message's states in its place (claim()): "data" when sendMany() takes the item
 * from the batch (sendMany() reads items lazily, so this is before any byte of it can leave),
 * then "accepted", "uncertain" or cleared from the Result, as soon as sendMany() tells it. A
 * worker killed mid-batch thus leaves what it had not handed over at "sending" (sent again when
 * redelivered) and at most the items in flight at "data" (uncertain, not sent again): the
 * transport's BeforeDataEvent cannot serve here, as sendMany() runs several messages and
 * sessions at once and says which item's DATA a protocol line is for.
 */
final class SendEmailBatchHandler implements BatchHandlerInterface
{
    use BatchHandlerTrait;

    private NativeSmtpTransport $transport;
    private LoggerInterface $logger;
    /** @var \WeakMap<SendEmailMessage, array{0: string, 1: string}> the messages the guard handed over: Message-ID, token */
    private \WeakMap $guarded;
    /** @var array<string, list<Acknowledger>> Message-ID => the acknowledgers of copies of a message in the batch */
    private array $copies = [];

    /**
     * @param TransportInterface $transport a NativeSmtpTransport (native+smtp:// DSN): its Mailer sends
     * @param int                $batchSize messages sent in one sendMany() (the worker flushes a smaller
     *                                      batch when the queue is empty)
     * @param array              $options   sendMany()'s options: connections, window, max_per_second
     */
    public function __construct(
        TransportInterface $transport,
        private int $batchSize = 50,
        private array $options = [],
        private ?IdempotencyMiddleware $guard = null,
        ?LoggerInterface $logger = null,
    ) {
        if (!$transport instanceof NativeSmtpTransport) {
            throw new InvalidArgumentException(sprintf('The batch handler sends with the extension\'s Mailer::sendMany(): it needs a native+smtp:// transport (%s), "%s" given.', NativeSmtpTransport::class, get_debug_type($transport)));
        }
        if ($batchSize < 1) {
            throw new InvalidArgumentException(sprintf('The batch size must be 1 or more, %d given.', $batchSize));
        }
        $this->transport = $transport;
        $this->logger = $logger ?? new NullLogger();
        $this->guarded = new \WeakMap();
    }

    /**
     * @return mixed with $ack (from a worker): the number of messages waiting in the batch; without
     *               (a synchronous bus): the SentMessage, once sent
     */
    public function __invoke(SendEmailMessage $message, ?Acknowledger $ack = null): mixed
    {
        if (null !== $this->guard && null !== ($claim = $this->guard->claim())) {
            $this->guarded[$message] = $claim;
        }
        if (null !== $ack) {
            $id = self::messageId($message);
            if (null !== $id && null !== ($original = $this->inBatch($id))) {
                // The same email again while it waits in the batch (Symfony's Redis transport hands
                // a pending entry out again: see PendingOnceReceiver): sent once, and this copy
                // settled with it. The guard's state is now this copy's: the original goes on it.
                if (isset($this->guarded[$message])) {
                    $this->guarded[$original] = $this->guarded[$message];
                    unset($this->guarded[$message]);
                }
                $this->copies[$id][] = $ack;
                $this->logger->warning('Email {id} was received again while it waits in the batch: sent once.', ['id' => $id]);

                return \count($this->jobs);
            }
            if (\count($this->jobs) >= $this->batchSize) {
                // A full batch goes out as the next message comes, before it joins: never in the
                // dispatch of a message of that batch. Debian 13's Messenger 6.4 fails the
                // acknowledgements a dispatch gave other messages when that dispatch throws (its
                // own message refused): sent mail would be retried, and sent again without the guard.
                $this->flush(true);
            }
            $this->jobs[] = [$message, $ack];

            return \count($this->jobs);
        }
        // Synchronous: sent now, and a failure thrown (BatchHandlerTrait would only keep it).
        $ack = new Acknowledger(self::class);
        $this->jobs[] = [$message, $ack];
        $this->flush(true);
        if (null !== ($e = $ack->getError())) {
            throw $e;
        }

        return $ack->getResult();
    }

    /** The message of the batch with this Message-ID. */
    private function inBatch(string $id): ?SendEmailMessage
    {
        foreach ($this->jobs as [$job]) {
            if (self::messageId($job) === $id) {
                return $job;
            }
        }

        return null;
    }

    private static function messageId(SendEmailMessage $message): ?string
    {
        $email = $message->getMessage();

        return $email instanceof Message && $email->getHeaders()->has('Message-ID')
            ? $email->getHeaders()->get('Message-ID')->getBodyAsString() : null;
    }

    /** @param list<array{0: SendEmailMessage, 1: Acknowledger}> $jobs */
    private function process(array $jobs): void
    {
        $prepared = [];
        foreach ($jobs as $i => [$message, $ack]) {
            try {
                $p = $this->transport->prepareBatchItem($message->getMessage(), $message->getEnvelope());
            } catch (\Throwable $e) {
                // Rendering failed (a template, a listener): nothing left, as send() would throw.
                $this->settle($message, $ack, null, null, $e);
                continue;
            }
            if (null === $p) {
                $this->release($message);
                $this->finish($message, $ack, null, null);   // a MessageEvent listener rejected it: send() returns null
                continue;
            }
            $prepared[$i] = $p;
        }

        $results = [];
        $handedOver = [];
        $takenOver = [];
        $items = (function () use ($jobs, &$prepared, &$handedOver, &$takenOver): \Generator {
            foreach ($prepared as $i => [, $item]) {
                $message = $jobs[$i][0];
                // Before the item leaves; should Redis fail, the batch stops here.
                if (isset($this->guarded[$message]) && !$this->guard->recordData(...$this->guarded[$message])) {
                    // Another worker was given it (Messenger's claim of an entry pending longer
                    // than redeliver_timeout) and sends it: not here.
                    $takenOver[$i] = true;
                    continue;
                }
                $handedOver[$i] = true;
                yield $i => $item;
            }
        })();
        $batchError = null;
        try {
            $summary = $this->transport->getMailer()->sendMany($items, function (int $i, \Mailer\Result $r) use ($jobs, &$prepared, &$results): void {
                $results[$i] = true;
                // Settled at once: the guard's state is written as soon as the fate is known.
                $this->settle($jobs[$i][0], $jobs[$i][1], $prepared[$i][0], $r, null);
            }, $this->options);
            $this->logger->info('Batch of {count} emails sent with one sendMany(): {sent} sent, {rejected} rejected, {failed} failed, {uncertain} uncertain.',
                ['count' => \count($jobs)] + $summary);
        } catch (\Throwable $e) {
            // Redis failed under recordData(), or an exception of the extension: the items not
            // handed over are retried by Messenger.
            $batchError = $e;
            $this->logger->error('Batch of {count} emails stopped: {error}', ['count' => \count($jobs), 'error' => $e->getMessage(), 'exception' => $e]);
        }

        foreach ($prepared as $i => [$sent]) {
            if (isset($results[$i])) {
                continue;
            }
            [$message, $ack] = $jobs[$i];
            if (isset($takenOver[$i])) {
                $this->logger->warning('Email {id} was taken over by another worker while it waited in the batch: not sent here (raise the transport\'s redeliver_timeout above a batch\'s time).',
                    ['id' => self::messageId($message)]);
                unset($this->guarded[$message]);
                $this->finish($message, $ack, null, null);
                continue;
            }
            if (isset($handedOver[$i])) {
                // Handed to sendMany() and no fate told: it may have left.
                $this->uncertain($message, $ack, 'sendMany() stopped without telling its fate' . ($batchError ? ': ' . $batchError->getMessage() : ''));
                continue;
            }
            $this->settle($message, $ack, $sent, null, new TransportException('Not sent: the batch stopped before it' . ($batchError ? ' (' . $batchError->getMessage() . ')' : ''), 0, $batchError));
        }
    }

    /** One message's fate: $result from sendMany(), or $error when it never got one. */
    private function settle(SendEmailMessage $message, Acknowledger $ack, ?SentMessage $sent, ?\Mailer\Result $result, ?\Throwable $error): void
    {
        if (null !== $result && 'uncertain' === $result->status) {
            $this->uncertain($message, $ack, $result->error?->getMessage() ?? 'no reply to the end of data');

            return;
        }
        if (null !== $result && 'sent' === $result->status) {
            $this->transport->batchItemDone($sent, $result->queueId, null);
            $this->record(fn (string $id) => $this->guard->recordAccepted($id, $sent->getMessageId()), $message);
            $this->finish($message, $ack, null, $sent);

            return;
        }
        if (null !== $result) {
            $error = self::exception($result);
        }
        if (null !== $sent) {
            $this->transport->batchItemDone($sent, null, $error);
        }
        // Refused or failed before the end of data: the server does not have it.
        $this->release($message);
        $this->finish($message, $ack, $error, null);
    }

    /** Acknowledges (no $error) or nacks the message, and the copies of it received meanwhile. */
    private function finish(SendEmailMessage $message, Acknowledger $ack, ?\Throwable $error, mixed $result): void
    {
        $acks = [$ack];
        if (null !== ($id = self::messageId($message)) && isset($this->copies[$id])) {
            array_push($acks, ...$this->copies[$id]);
            unset($this->copies[$id]);
        }
        foreach ($acks as $a) {
            null === $error ? $a->ack($result) : $a->nack($error);
        }
    }

    /** The exception send() would have thrown, and whether Messenger should retry. */
    private static function exception(\Mailer\Result $result): \Throwable
    {
        $e = $result->error;
        if (null === $e) {
            return new TransportException(sprintf('Not sent (%s).', $result->status));
        }
        $previous = $e->getPrevious();
        if ($previous instanceof \ValueError || $previous instanceof \TypeError) {
            // Refused before the wire: retrying cannot help.
            return new UnrecoverableMessageHandlingException($e->getMessage(), 0, new InvalidArgumentException($e->getMessage(), 0, $e));
        }
        $transport = new TransportException($e->getMessage(), $e->getSmtpCode(), $e);
        if ('rejected' === $result->status && self::permanent($e)) {
            return new UnrecoverableMessageHandlingException($e->getMessage(), $e->getSmtpCode(), $transport);
        }

        return $transport;
    }

    /** A 5xx refusal, of the message or of any recipient (all-or-nothing: retrying would meet it again). */
    private static function permanent(\Mailer\Exception $e): bool
    {
        if ($e->getSmtpCode() >= 500) {
            return true;
        }
        if ($e instanceof \Mailer\RecipientException) {
            foreach ($e->getRejected() as $reply) {
                if (str_starts_with((string) $reply, '5')) {
                    return true;
                }
            }
        }

        return false;
    }

    private function uncertain(SendEmailMessage $message, Acknowledger $ack, string $why): void
    {
        $id = self::messageId($message) ?? '(no Message-ID)';
        if (isset($this->guarded[$message])) {
            // the guard logs it as critical, with the same words
            $this->record(fn (string $id) => $this->guard->recordUncertain($id, $message, $why), $message);
        } else {
            $this->logger->critical('Email {id}: delivery uncertain ({why}); not sent again. Check the server\'s log for this Message-ID.',
                ['id' => $id, 'why' => $why]);
        }
        unset($this->guarded[$message]);
        // Acknowledged: a retry could deliver it twice.
        $this->finish($message, $ack, null, null);
    }

    private function release(SendEmailMessage $message): void
    {
        $this->record(fn (string $id) => $this->guard->recordNotSent($id), $message);
    }

    /** A guard state written after the fate: a Redis failure is logged, never thrown (the fate stands). */
    private function record(callable $write, SendEmailMessage $message): void
    {
        if (!isset($this->guarded[$message])) {
            return;
        }
        [$id] = $this->guarded[$message];
        unset($this->guarded[$message]);
        try {
            $write($id);
        } catch (\Throwable $e) {
            $this->logger->error('Email {id}: its delivery state could not be recorded ({error}); a redelivery will treat it as uncertain.',
                ['id' => $id, 'error' => $e->getMessage()]);
        }
    }
}
