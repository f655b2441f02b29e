<?php

declare(strict_types=1);

namespace Mailer\Bridge\Symfony;

use Psr\EventDispatcher\EventDispatcherInterface;
use Psr\Log\LoggerInterface;
use Symfony\Component\Mailer\Exception\InvalidArgumentException;
use Symfony\Component\Mailer\Exception\LogicException;
use Symfony\Component\Mailer\Exception\TransportException;
use Symfony\Component\Mailer\Envelope;
use Symfony\Component\Mailer\Event\MessageEvent;
use Symfony\Component\Mailer\SentMessage;
use Symfony\Component\Mailer\Transport\AbstractTransport;
use Symfony\Component\Mime\RawMessage;

/**
 * A Symfony Mailer transport that sends through the php-mailer extension's
 * \Mailer::sendRaw(): Symfony renders the message, the extension speaks SMTP.
 *
 * Only AbstractTransport's constructor, doSend() and SentMessage's public
 * methods are used: they are the same in Symfony 5.4, 6.x and 7.x.
 */
final class NativeSmtpTransport extends AbstractTransport
{
    private \Mailer $mailer;
    private string $host;
    private int $port;
    private bool $tls;
    private ?Transcript $transcript = null;
    private ?DataHook $dataHook = null;
    private ?EventDispatcherInterface $eventDispatcher;
    private int $restartThreshold = 0;
    private int $restartThresholdSleep = 0;
    private int $sentSinceRestart = 0;

    /**
     * @param string    $host     host name or address ("[::1]" for IPv6)
     * @param int       $port     0: Symfony's default (465 when $tls, 25 otherwise)
     * @param bool|null $tls      true: implicit TLS (smtps); false: STARTTLS when offered;
     *                            null: decided as Symfony's EsmtpTransport does (port 465, or no
     *                            port and a host other than "localhost", means implicit TLS)
     * @param array     $options  the extension's options (README: tls, context, timeout, helo, auth,
     *                            allow_insecure_auth, pipelining, chunking, persistent, dsn, dkim,
     *                            ...), plus "transcript" => true to collect the SMTP dialogue into
     *                            SentMessage::getDebug() and TransportException::getDebug()
     *
     * With a dispatcher, each message's DATA (or first BDAT) line dispatches an
     * Event\BeforeDataEvent first (the idempotency guard of Messenger\IdempotencyMiddleware
     * listens to it).
     *
     * @throws InvalidArgumentException when the extension refuses an option (its ValueError/TypeError)
     * @throws LogicException when the mailer extension is not loaded
     */
    public function __construct(
        string $host = 'localhost',
        int $port = 0,
        ?bool $tls = null,
        string $username = '',
        #[\SensitiveParameter] string $password = '',
        array $options = [],
        ?EventDispatcherInterface $dispatcher = null,
        ?LoggerInterface $logger = null,
    ) {
        parent::__construct($dispatcher, $logger);
        $this->eventDispatcher = $dispatcher;

        if (!class_exists(\Mailer::class, false)) {
            throw new LogicException('The "mailer" PHP extension is not loaded: the native+smtp transport needs it (extension=mailer in php.ini).');
        }

        // Symfony's own rules (EsmtpTransport), so that only the scheme changes in a DSN.
        if (null === $tls) {
            $tls = 465 === $port || (0 === $port && 'localhost' !== $host);
        }
        if (0 === $port) {
            $port = $tls ? 465 : 25;
        }
        $this->host = $host;
        $this->port = $port;
        $this->tls = $tls;

        if (!empty($options['transcript'])) {
            if (isset($options['debug_handler'])) {
                throw new InvalidArgumentException('The "transcript" and "debug_handler" options cannot be combined.');
            }
            // The handler holds the transcript, never $this: a cycle would delay the QUIT of the
            // Mailer's destructor until the garbage collector runs.
            $this->transcript = $transcript = new Transcript();
            $options['debug_handler'] = static function (string $line) use ($transcript): void {
                $transcript->text .= $line . "\n";
            };
        }
        unset($options['transcript']);
        if (null !== $dispatcher) {
            // A callback per protocol line (a few per message): how the transport learns that the
            // extension is about to send the message itself.
            $this->dataHook = $hook = new DataHook($dispatcher, '');
            $inner = $options['debug_handler'] ?? null;
            $options['debug_handler'] = static function (string $line) use ($hook, $inner): void {
                if (null !== $inner) {
                    $inner($line);
                }
                $hook->line($line);
            };
        }
        $options += ['tls' => $tls ? 'smtps' : 'auto'];

        try {
            // the extension sends debug lines (to the handler) only when debug is on
            $this->mailer = new \Mailer($host, $port, $username, $password, isset($options['debug_handler']), $options);
        } catch (\ValueError|\TypeError $e) {
            throw new InvalidArgumentException($e->getMessage(), 0, $e);
        }
        if (null !== $this->dataHook) {
            $this->dataHook->transport = (string) $this;
        }
    }

    /**
     * After $threshold messages the connection is closed (and $sleep seconds waited) before the
     * next, as Symfony's SmtpTransport::setRestartThreshold() does, for servers that limit the
     * messages of one connection. 0 (the default) never restarts.
     *
     * @return $this
     */
    public function setRestartThreshold(int $threshold, int $sleep = 0): self
    {
        $this->restartThreshold = max(0, $threshold);
        $this->restartThresholdSleep = max(0, $sleep);

        return $this;
    }

    /** The extension's Mailer, for what Symfony has no word for (getCapabilities(), getLastRecipients(), ...). */
    public function getMailer(): \Mailer
    {
        return $this->mailer;
    }

    /** QUIT and close the connection (a persistent one too); the next send reconnects. */
    public function stop(): void
    {
        $this->mailer->close();
        $this->sentSinceRestart = 0;
    }

    public function __toString(): string
    {
        $name = sprintf('native+smtp%s://%s', $this->tls ? 's' : '', $this->host);
        if (!(25 === $this->port || ($this->tls && 465 === $this->port))) {
            $name .= ':' . $this->port;
        }

        return $name;
    }

    public function __sleep(): array
    {
        throw new \BadMethodCallException('Cannot serialize ' . __CLASS__);
    }

    public function __wakeup(): void
    {
        throw new \BadMethodCallException('Cannot unserialize ' . __CLASS__);
    }

    protected function doSend(SentMessage $message): void
    {
        if ($this->restartThreshold > 0 && $this->sentSinceRestart >= $this->restartThreshold) {
            $this->stop();
            if ($this->restartThresholdSleep > 0) {
                sleep($this->restartThresholdSleep);
            }
        }

        ['from' => $from, 'to' => $recipients, 'data' => $data] = $this->toRawItem($message);

        if (null !== $this->transcript) {
            $this->transcript->text = '';
        }
        if (null !== $this->dataHook) {
            $this->dataHook->message = $message;
        }
        try {
            $reply = $this->mailer->sendRaw($from, $recipients, $data);
        } catch (\Mailer\Exception $e) {
            $exception = new TransportException($e->getMessage(), $e->getSmtpCode(), $e);
            if (null !== $this->transcript) {
                $exception->appendDebug($this->transcript->text);
            }
            throw $exception;
        } catch (\ValueError $e) {
            // Refused before anything went on the wire (an address or a line the extension will
            // not send): not a transport failure, and retrying would not help.
            throw new InvalidArgumentException($e->getMessage(), 0, $e);
        } finally {
            if (null !== $this->dataHook) {
                $this->dataHook->message = null;
            }
        }
        ++$this->sentSinceRestart;

        if (null !== $this->transcript) {
            $message->appendDebug($this->transcript->text);
        }
        if (null !== ($queueId = self::parseQueueId($reply))) {
            $message->setMessageId($queueId);
        }
    }

    /**
     * @internal for Messenger\SendEmailBatchHandler, which sends many messages with one
     *           Mailer::sendMany(): what send() does before doSend(), without sending
     *
     * The message and envelope are cloned, the envelope made by Envelope::create() when not
     * given, and MessageEvent dispatched (what renders a TemplatedEmail and lets listeners change
     * the message or envelope), as AbstractTransport::send() does; then the sendMany() item that
     * doSend() would give sendRaw().
     *
     * @return array{0: SentMessage, 1: array{from: string, to: list<string>, data: string}}|null
     *         null when a listener rejected the message (MessageEvent::reject(), Symfony 6.3+)
     */
    public function prepareBatchItem(RawMessage $message, ?Envelope $envelope = null): ?array
    {
        $message = clone $message;
        $envelope = null !== $envelope ? clone $envelope : Envelope::create($message);
        if (null !== $this->eventDispatcher) {
            $event = new MessageEvent($message, $envelope, (string) $this);
            $this->eventDispatcher->dispatch($event);
            if (method_exists($event, 'isRejected') && $event->isRejected()) {
                return null;
            }
            $envelope = $event->getEnvelope();
            $message = $event->getMessage();
        }
        $sent = new SentMessage($message, $envelope);

        return [$sent, $this->toRawItem($sent)];
    }

    /**
     * @internal for Messenger\SendEmailBatchHandler: a batch item's fate, told as send() tells
     *           it: the queue ID as the message id, and Symfony 6.2+'s SentMessageEvent or
     *           FailedMessageEvent
     */
    public function batchItemDone(SentMessage $sent, ?string $queueId, ?\Throwable $error): void
    {
        if (null === $error && null !== $queueId && '' !== $queueId) {
            $sent->setMessageId($queueId);
        }
        if (null === $this->eventDispatcher) {
            return;
        }
        if (null === $error && class_exists(\Symfony\Component\Mailer\Event\SentMessageEvent::class)) {
            $this->eventDispatcher->dispatch(new \Symfony\Component\Mailer\Event\SentMessageEvent($sent));
        } elseif (null !== $error && class_exists(\Symfony\Component\Mailer\Event\FailedMessageEvent::class)) {
            $this->eventDispatcher->dispatch(new \Symfony\Component\Mailer\Event\FailedMessageEvent($sent->getOriginalMessage(), $error));
        }
    }

    /**
     * A SentMessage as the extension takes it (sendRaw()'s arguments, sendMany()'s raw item):
     * the envelope's bare addresses and the rendered message.
     *
     * @return array{from: string, to: list<string>, data: string}
     */
    private function toRawItem(SentMessage $message): array
    {
        $envelope = $message->getEnvelope();
        $recipients = [];
        foreach ($envelope->getRecipients() as $address) {
            // The bare address: the extension writes A-labels itself and uses SMTPUTF8 when needed.
            $recipients[] = $address->getAddress();
        }

        // A string, not toIterable(): sendRaw() takes one, and Symfony's RawMessage keeps a copy of
        // every chunk it yields anyway, so streaming would not save memory (see the README).
        return ['from' => $envelope->getSender()->getAddress(), 'to' => $recipients, 'data' => $message->toString()];
    }

    /**
     * The server's queue ID in its final reply: "250 2.0.0 Ok: queued as 4Fh2X" (Postfix,
     * Mailpit, ...) or "250 OK id=1eGWNZ-0000uc-UK" (Exim); null for any other wording.
     */
    private static function parseQueueId(string $reply): ?string
    {
        $last = substr($reply, (int) strrpos("\n" . $reply, "\n"));
        if (preg_match('/\bqueued as ([!-~]+)\s*$/i', $last, $m) || preg_match('/\bid=([!-~]+)\s*$/', $last, $m)) {
            return $m[1];
        }

        return null;
    }
}
