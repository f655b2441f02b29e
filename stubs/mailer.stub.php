<?php

/**
 * php-mailer: send mail over SMTP from PHP, natively.
 *
 * @generate-class-entries
 */

namespace {
    /**
     * An SMTP client. Nothing is connected by the constructor: the first send (or
     * connect()) connects, and the connection then serves every later send.
     *
     * @strict-properties
     * @not-serializable
     */
    final class Mailer
    {
        /**
         * @var string
         * @cvalue PHP_MAILER_VERSION
         */
        public const VERSION = UNKNOWN;

        /**
         * @param string $host "smtp.example.com", "host:2525", "[::1]:2525", "ssl://host" or
         *                     "smtps://host" (implicit TLS), "tls://host" (STARTTLS required), or
         *                     several separated by ";" (failover, tried in order)
         * @param array $options see the README: tls, context, timeout, helo, auth, allow_insecure_auth, debug_handler
         */
        public function __construct(string $host, int $port = 25, string $user = "",
                                    #[\SensitiveParameter] string $pass = "", bool $debug = false,
                                    array $options = []) {}

        /**
         * Builds a MIME message and sends it; returns the server's final reply.
         *
         * @param string|array $to
         * @param array $headers name => value (string or list of strings)
         */
        public function sendmail(string $from, string|array $to, string $subject, string $body,
                                 array $headers = []): string {}

        /**
         * Sends an already-built RFC 5322 message as is (CRLF-normalised, dot-stuffed).
         *
         * @param string|array $to
         */
        public function sendRaw(string $from, string|array $to, string $data): string {}

        /** Emits "debug: $message" when debug is on. */
        public function debug(string $message): void {}

        /** Connects now: greeting, EHLO, STARTTLS, AUTH. */
        public function connect(): void {}

        /** Sends QUIT and closes; the object stays usable. */
        public function close(): void {}

        public function isConnected(): bool {}

        /** @return array<string, string> EHLO keywords => parameters */
        public function getCapabilities(): array {}

        public function getLastReply(): ?string {}

        /** @return array<string, array{code: int, status: ?string, reply: string}> */
        public function getLastRecipients(): array {}
    }
}

namespace Mailer {

    /** The root of every failure on the wire. */
    class Exception extends \RuntimeException
    {
        protected int $smtpCode = 0;
        protected ?string $enhancedStatus = null;
        protected ?string $reply = null;
        protected ?string $command = null;
        protected string $stage = "";

        /** The SMTP reply code, 0 when no reply was involved. */
        public function getSmtpCode(): int {}

        /** The RFC 3463 enhanced status ("5.7.8") when the server gave one. */
        public function getEnhancedStatus(): ?string {}

        /** The server's full reply. */
        public function getReply(): ?string {}

        /** The command that failed; credentials redacted. */
        public function getCommand(): ?string {}

        /** connect|greeting|ehlo|starttls|auth|mail|rcpt|data|eod */
        public function getStage(): string {}
    }

    /** DNS, connect, TLS, timeout, dropped connection. */
    class ConnectionException extends Exception
    {
    }

    class AuthenticationException extends Exception
    {
    }

    class RecipientException extends Exception
    {
        /** @var array<string, string> */
        protected array $rejected = [];

        /** @return array<string, string> address => the server's reply */
        public function getRejected(): array {}
    }
}
