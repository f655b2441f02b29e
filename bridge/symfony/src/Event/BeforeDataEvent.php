<?php

declare(strict_types=1);

namespace Mailer\Bridge\Symfony\Event;

use Symfony\Component\Mailer\SentMessage;
use Symfony\Contracts\EventDispatcher\Event;

/**
 * Dispatched by NativeSmtpTransport when the extension puts DATA (or the first BDAT) of a message
 * on the wire: before any byte of the message, so before the server can have accepted it. After
 * this event, and until the transport returns or throws, the server may take the message even
 * if the connection is lost (the extension then throws with getStage() === "eod").
 *
 * An exception thrown by a listener ends the transaction before the end of data: nothing is
 * delivered, and it comes out of TransportInterface::send() as it was thrown.
 */
final class BeforeDataEvent extends Event
{
    public function __construct(private SentMessage $message, private string $transport)
    {
    }

    public function getMessage(): SentMessage
    {
        return $this->message;
    }

    /** The transport's name, as in Symfony's MessageEvent ("native+smtp://host:port"). */
    public function getTransport(): string
    {
        return $this->transport;
    }
}
