<?php

declare(strict_types=1);

namespace Mailer\Bridge\Symfony;

use Mailer\Bridge\Symfony\Event\BeforeDataEvent;
use Psr\EventDispatcher\EventDispatcherInterface;
use Symfony\Component\Mailer\SentMessage;

/**
 * @internal what a NativeSmtpTransport's debug handler needs to dispatch BeforeDataEvent; an
 *           object of its own so that the handler never holds the transport
 */
final class DataHook
{
    /** The message being sent, until its DATA (or first BDAT) line went out. */
    public ?SentMessage $message = null;

    public function __construct(private EventDispatcherInterface $dispatcher, public string $transport)
    {
    }

    public function line(string $line): void
    {
        // "C: DATA", or "C: BDAT <n> [LAST]" of the first chunk: queued before the message.
        if (null !== $this->message && (0 === strncmp($line, 'C: DATA', 7) || 0 === strncmp($line, 'C: BDAT ', 8))) {
            $message = $this->message;
            $this->message = null;
            $this->dispatcher->dispatch(new BeforeDataEvent($message, $this->transport));
        }
    }
}
