<?php

declare(strict_types=1);

namespace Mailer\Bridge\Symfony;

/**
 * @internal the SMTP dialogue collected by a NativeSmtpTransport's debug handler; an object of
 *           its own so that the handler never holds the transport
 */
final class Transcript
{
    public string $text = '';
}
