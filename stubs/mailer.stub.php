<?php

/**
 * php-mailer: send mail over SMTP from PHP, natively.
 *
 * @generate-class-entries
 * @generate-legacy-arginfo 80100
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
         * @param array $options see docs/options.md: tls, context, timeout, helo, auth,
         *                       allow_insecure_auth, auth_token (fn(bool $refresh): string, the
         *                       OAuth2 token for XOAUTH2/OAUTHBEARER), debug_handler (a callable
         *                       or a PSR-3 logger), pipelining, chunking, partial, dsn,
         *                       persistent, dkim, smime
         *                       (sensitive: "dkim" and "smime" may hold private keys and their
         *                       passphrases)
         */
        public function __construct(string $host, int $port = 25, string $user = "",
                                    #[\SensitiveParameter] string $pass = "", bool $debug = false,
                                    #[\SensitiveParameter] array $options = []) {}

        /**
         * Builds a MIME message and sends it; returns the server's final reply.
         *
         * @param string|array $to
         * @param array $headers name => value (string or list of strings)
         */
        public function sendmail(string $from, string|array $to, string $subject, string $body,
                                 array $headers = []): string {}

        /**
         * Sends a Mailer\Message (see its methods); returns the server's final reply.
         * The message must have a From address and at least one recipient (else a
         * ValueError, before anything is sent). Attachments are read from their files
         * now, in chunks; a file that can no longer be read is a Mailer\Exception and
         * nothing is delivered.
         */
        public function send(\Mailer\Message $message): string {}

        /**
         * Sends an already-built RFC 5322 message as is (CRLF-normalised, dot-stuffed).
         *
         * @param string|array $to
         */
        public function sendRaw(string $from, string|array $to, string $data): string {}

        /**
         * Signs a message with the "dkim" option's signers and/or protects it with the
         * "smime" option (S/MIME first, then DKIM) and returns it as send() or sendRaw()
         * would transmit it (the DKIM-Signature fields first, CRLF line ends, before
         * dot-stuffing). Connects nothing. A Mailer\Message gives the same bytes as its
         * toString(), signed; with S/MIME its entity is signed or encrypted anew at each
         * call. A string is taken as sendRaw() takes it. Throws an Error when neither
         * option is configured.
         */
        public function sign(\Mailer\Message|string $message): string {}

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

        /**
         * Sends many messages (docs/bulk.md): items are Mailer\Message objects or
         * ["from" => string, "to" => string|array, "data" => string] raw messages (as
         * sendRaw() takes them), read from $messages lazily. $onResult($key, $result) hears
         * each item's fate (a Mailer\Result) as soon as it is known, in completion order.
         * One item's failure never stops the others: a bad item is a "failed" Result. An
         * exception thrown by $onResult or by $messages stops the batch: what is in flight
         * is finished, then the exception is rethrown.
         *
         * The keys of $messages (int|string) are passed back to $onResult.
         *
         * @param array $options connections (1..64, default 1), window (messages in flight
         *                       per session, 1..1024, default 32), max_per_second (across
         *                       all sessions, 0 = unlimited, the default)
         * @return array{sent: int, rejected: int, failed: int, uncertain: int}
         */
        public function sendMany(iterable $messages, ?callable $onResult = null, array $options = []): array {}
    }
}

namespace Mailer {

    /**
     * A MIME message built piece by piece; send it with Mailer::send(). Every method
     * checks its input at once (a ValueError names the problem) and returns the
     * message, so calls chain. Address methods add to what is there; subject(),
     * text() and html() replace.
     *
     * The structure follows the parts: text/plain, text/html, multipart/alternative
     * (text first) when both, multipart/related around the HTML when files are
     * embedded, multipart/mixed outermost when files are attached. Texts are 7bit
     * or quoted-printable, files base64; non-ASCII headers and file names are
     * encoded (RFC 2047, RFC 2231).
     *
     * @strict-properties
     * @not-serializable
     */
    final class Message
    {
        /**
         * Sets the sender (replacing an earlier one).
         *
         * @param string $address "a@example.org" or "Name <a@example.org>"
         * @param string $name display name (any UTF-8); overrides a name in $address
         */
        public function from(string $address, string $name = ""): static {}

        /** Adds recipients (each "a@example.org" or "Name <a@example.org>"). */
        public function to(string ...$addresses): static {}

        /** Adds Cc recipients (each "a@example.org" or "Name <a@example.org>"). */
        public function cc(string ...$addresses): static {}

        /**
         * Adds blind recipients: they receive the message, but no header names
         * them. With Bcc recipients only, the message says
         * "To: undisclosed-recipients:;".
         */
        public function bcc(string ...$addresses): static {}

        /** Adds Reply-To addresses. */
        public function replyTo(string ...$addresses): static {}

        /** Sets the subject (any UTF-8, without line breaks). */
        public function subject(string $subject): static {}

        /** Sets the text/plain body (UTF-8). */
        public function text(string $body): static {}

        /** Sets the text/html body (UTF-8). */
        public function html(string $body): static {}

        /**
         * Attaches a file. The file must exist and be readable now, but it is read
         * only while the message is written (send(), toString()), in chunks: its
         * size does not matter.
         *
         * @param string $path a file path (or a stream wrapper URL, local ones only)
         * @param string|null $name the file name shown to the recipient (UTF-8);
         *                          null: the path's base name
         * @param string|null $contentType e.g. "application/pdf"; null: from the
         *                                 name's extension, application/octet-stream
         *                                 when unknown
         */
        public function attach(string $path, ?string $name = null, ?string $contentType = null): static {}

        /**
         * Attaches data held in memory.
         *
         * @param string $name the file name shown to the recipient (UTF-8)
         * @param string|null $contentType null: from the name's extension
         */
        public function attachData(string $data, string $name, ?string $contentType = null): static {}

        /**
         * Embeds a file (an image, usually) for the HTML body to show with
         * <img src="cid:$cid">. Checked now and read while writing, as attach().
         *
         * @param string $cid the Content-ID, e.g. "logo" or "logo@example.org":
         *                    letters, digits, "." and !#$%&'*+-/=?^_`{|}~, at most one "@"
         * @param string|null $contentType null: from the path's extension
         */
        public function embed(string $path, string $cid, ?string $contentType = null): static {}

        /**
         * Adds a header field ("X-Campaign", "List-Unsubscribe", ...); calling it
         * again with the same name adds another field. "Date" and "Message-ID"
         * replace the generated ones. Fields the other methods write (From, To,
         * Cc, Bcc, Reply-To, Subject) and the MIME fields (MIME-Version,
         * Content-*) are refused.
         */
        public function header(string $name, string $value): static {}

        /**
         * The message exactly as send() transmits it (before dot-stuffing), with
         * CRLF line ends. Date and Message-ID are fixed at the first toString() or
         * send() (unless set with header()), so both give the same bytes. Needs a
         * From address and a recipient, like send(). Attachments are read, so
         * this holds the whole message in memory.
         */
        public function toString(): string {}
    }

    /**
     * The fate of one item of Mailer::sendMany(), made by the extension only.
     *
     * @strict-properties
     * @not-serializable
     */
    final class Result
    {
        /** "sent", "rejected" (the server refused it), "failed" (not sent, could not be),
         *  "uncertain" (the end of data went out and no reply came: never resent) */
        public readonly string $status;
        /** The server's final reply, all lines (for a refusal, the refusing reply). */
        public readonly ?string $reply;
        /** From the final 250 when the server gives one ("queued as 4Fh2X"). */
        public readonly ?string $queueId;
        /** @var array<string, array{code: int, status: ?string, reply: string}> as Mailer::getLastRecipients() */
        public readonly array $recipients;
        /** Why, when not "sent": the exception send() would have thrown. */
        public readonly ?Exception $error;

        private function __construct() {}
    }

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
