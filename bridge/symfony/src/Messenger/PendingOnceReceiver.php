<?php

declare(strict_types=1);

namespace Mailer\Bridge\Symfony\Messenger;

use Symfony\Component\Messenger\Envelope;
use Symfony\Component\Messenger\Stamp\TransportMessageIdStamp;
use Symfony\Component\Messenger\Transport\TransportInterface;

/**
 * A Messenger transport decorator that hands out each queue entry once while it is not
 * acknowledged, for batch handlers (SendEmailBatchHandler) on the Redis transport.
 *
 * Symfony's Redis transport (5.4, Debian 12's; 6.x and 7.x until symfony/symfony#63643, merged
 * in 2026) reads a worker's pending entries from the start of its list at each get(): a batch
 * handler, which acknowledges later, is given the first pending entry over and over
 * (symfony/symfony#44400). That happens
 * when a restarted worker takes up what it had not acknowledged, and whenever the transport's
 * claim check (claim_interval) finds the worker's own entries pending. Here an entry still held
 * is not handed out again: get() returns nothing, the worker flushes its batch handlers (as it
 * does when the queue is empty), and the next get() goes on.
 *
 * SendEmailBatchHandler also refuses to send a Message-ID twice in one batch, so without this
 * decorator no email is sent twice either; but the second acknowledgement of the same entry makes
 * Symfony's transport throw ("Could not acknowledge redis message"), which stops the worker.
 */
final class PendingOnceReceiver implements TransportInterface
{
    private const REDIS_STAMP = 'Symfony\Component\Messenger\Bridge\Redis\Transport\RedisReceivedStamp';

    /** @var array<string, true> the ids of the entries handed out and not yet acknowledged */
    private array $held = [];

    public function __construct(private TransportInterface $inner)
    {
    }

    public function get(): iterable
    {
        $out = [];
        foreach ($this->inner->get() as $envelope) {
            $id = self::id($envelope);
            if (null !== $id && isset($this->held[$id])) {
                continue;
            }
            if (null !== $id) {
                $this->held[$id] = true;
            }
            $out[] = $envelope;
        }

        return $out;
    }

    public function ack(Envelope $envelope): void
    {
        $this->release($envelope);
        $this->inner->ack($envelope);
    }

    public function reject(Envelope $envelope): void
    {
        $this->release($envelope);
        $this->inner->reject($envelope);
    }

    public function send(Envelope $envelope): Envelope
    {
        return $this->inner->send($envelope);
    }

    private function release(Envelope $envelope): void
    {
        if (null !== ($id = self::id($envelope))) {
            unset($this->held[$id]);
        }
    }

    private static function id(Envelope $envelope): ?string
    {
        $stamp = $envelope->last(self::REDIS_STAMP) ?? $envelope->last(TransportMessageIdStamp::class);

        return null === $stamp ? null : (string) $stamp->getId();
    }
}
