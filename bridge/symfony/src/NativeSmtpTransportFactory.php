<?php

declare(strict_types=1);

namespace Mailer\Bridge\Symfony;

use Symfony\Component\Mailer\Exception\InvalidArgumentException;
use Symfony\Component\Mailer\Exception\UnsupportedSchemeException;
use Symfony\Component\Mailer\Transport\AbstractTransportFactory;
use Symfony\Component\Mailer\Transport\Dsn;
use Symfony\Component\Mailer\Transport\TransportInterface;

/**
 * native+smtp://user:pass@host:port?options and native+smtps://...: the DSN of Symfony's
 * smtp:// and smtps:// with "native+" in front. See the README ("Symfony Mailer and Laravel")
 * for every option.
 *
 * A DSN cannot hold a closure: OAuth2 token providers (the extension's "auth_token" option) are
 * added to the factory under a name with addAuthToken(), and a DSN picks one with
 * ?auth_token=name.
 */
final class NativeSmtpTransportFactory extends AbstractTransportFactory
{
    /** @var array<string, callable(bool): string> */
    private array $authTokens = [];

    /**
     * Makes $token (fn(bool $refresh): string, e.g. an invokable service) the OAuth2 token
     * provider of the DSNs that say ?auth_token=$name: it is asked for the token at each
     * authentication, and once more with $refresh = true when the server refuses it.
     */
    public function addAuthToken(string $name, callable $token): void
    {
        $this->authTokens[$name] = $token;
    }

    public function create(Dsn $dsn): TransportInterface
    {
        $scheme = $dsn->getScheme();
        if (!\in_array($scheme, $this->getSupportedSchemes(), true)) {
            throw new UnsupportedSchemeException($dsn, 'native', $this->getSupportedSchemes());
        }

        $tls = 'native+smtps' === $scheme ? true : null;
        $port = (int) $dsn->getPort(0);
        // Implicit TLS as NativeSmtpTransport (and Symfony) decide it: auto_tls and require_tls are
        // about STARTTLS and leave it alone.
        $implicit = true === $tls || 465 === $port || (0 === $port && 'localhost' !== $dsn->getHost());
        $options = [];
        $ssl = [];

        // Symfony's smtp:// options, where they have a meaning here.
        if (false === self::bool($dsn, 'verify_peer')) {
            $ssl['verify_peer'] = false;
            $ssl['verify_peer_name'] = false;
        }
        if (null !== ($v = self::string($dsn, 'peer_fingerprint')) && '' !== $v) {
            // Hex, colons allowed; PHP tells md5 and sha1 apart by length, sha256 needs its name.
            $fp = strtolower(str_replace(':', '', $v));
            if (!preg_match('/^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/', $fp)) {
                throw new InvalidArgumentException('The "peer_fingerprint" option must be an md5, sha1 or sha256 certificate fingerprint in hex.');
            }
            $ssl['peer_fingerprint'] = 64 === \strlen($fp) ? ['sha256' => $fp] : $fp;
        }
        if (null !== ($v = self::string($dsn, 'local_domain'))) {
            $options['helo'] = $v;
        }
        if (false === self::bool($dsn, 'auto_tls') && !$implicit) {
            $options['tls'] = 'none';
        }
        if (true === self::bool($dsn, 'require_tls') && !$implicit) {
            $options['tls'] = 'starttls';
        }
        $socket = [];
        if (null !== ($v = self::string($dsn, 'source_ip')) && '' !== $v) {
            // The local address to connect from, as Symfony's SocketStream::setSourceIp() takes it
            // (an IPv6 address with or without its brackets).
            $ip = trim($v, '[]');
            if (false === filter_var($ip, \FILTER_VALIDATE_IP)) {
                throw new InvalidArgumentException(sprintf('The "source_ip" option must be an IP address, "%s" given.', $v));
            }
            $socket['bindto'] = (str_contains($ip, ':') ? "[$ip]" : $ip) . ':0';
        }
        $rate = null;
        if (null !== ($v = self::string($dsn, 'max_per_second')) && '' !== $v) {
            if (!is_numeric($v) || (float) $v < 0) {
                throw new InvalidArgumentException(sprintf('The "max_per_second" option must be a number of messages per second (0: no limit), "%s" given.', $v));
            }
            $rate = (float) $v;
        }

        // Ours.
        if (null !== ($v = self::string($dsn, 'cafile'))) {
            $ssl['cafile'] = $v;
        }
        if (null !== ($v = self::string($dsn, 'timeout'))) {
            if (!is_numeric($v) || (float) $v <= 0) {
                throw new InvalidArgumentException(sprintf('The "timeout" option must be a number of seconds above 0, "%s" given.', $v));
            }
            $options['timeout'] = (float) $v;
        }
        foreach (['pipelining', 'chunking', 'allow_insecure_auth', 'transcript'] as $name) {
            if (null !== ($v = self::bool($dsn, $name))) {
                $options[$name] = $v;
            }
        }
        if (null !== ($v = self::string($dsn, 'auth'))) {
            $options['auth'] = $v;
        }
        if (null !== ($v = self::string($dsn, 'auth_token'))) {
            if (!isset($this->authTokens[$v])) {
                throw new InvalidArgumentException(sprintf('The "auth_token" option names "%s", but no token provider was added under that name (NativeSmtpTransportFactory::addAuthToken(); added: %s).', $v, $this->authTokens ? implode(', ', array_keys($this->authTokens)) : 'none'));
            }
            $options['auth_token'] = $this->authTokens[$v];
        }
        if (null !== ($v = self::string($dsn, 'persistent'))) {
            // A boolean, or any other word as the pool id (persistent=notifications).
            $options['persistent'] = filter_var($v, \FILTER_VALIDATE_BOOLEAN, \FILTER_NULL_ON_FAILURE) ?? $v;
        }
        $delivery = [];
        if (null !== ($v = self::string($dsn, 'dsn_notify'))) {
            $delivery['notify'] = array_map('trim', explode(',', $v));
        }
        if (null !== ($v = self::string($dsn, 'dsn_ret'))) {
            $delivery['ret'] = $v;
        }
        if (null !== ($v = self::string($dsn, 'dsn_envid'))) {
            $delivery['envid'] = $v;
        }
        if ($delivery) {
            $options['dsn'] = $delivery;
        }
        if ($ssl || $socket) {
            $options['context'] = stream_context_create(array_filter(['ssl' => $ssl, 'socket' => $socket]));
        }

        $transport = new NativeSmtpTransport($dsn->getHost(), $port, $tls,
            (string) $dsn->getUser(), (string) $dsn->getPassword(), $options, $this->dispatcher, $this->logger);

        if (null !== $rate) {
            // AbstractTransport's throttle: send() waits so that messages leave at most this fast.
            $transport->setMaxPerSecond($rate);
        }
        if (null !== ($v = self::string($dsn, 'restart_threshold'))) {
            $transport->setRestartThreshold((int) $v, (int) $dsn->getOption('restart_threshold_sleep', 0));
        }
        // ping_threshold is accepted and has nothing to do: the extension notices a connection the
        // server closed at the next MAIL FROM and reconnects before anything was accepted.

        return $transport;
    }

    protected function getSupportedSchemes(): array
    {
        return ['native+smtp', 'native+smtps'];
    }

    private static function string(Dsn $dsn, string $name): ?string
    {
        $v = $dsn->getOption($name);
        if (null === $v) {
            return null;
        }
        if (!\is_string($v)) {
            throw new InvalidArgumentException(sprintf('The "%s" option takes one value, not a list.', $name));
        }

        return $v;
    }

    /** null when absent; an empty value ("?verify_peer=" or "?verify_peer") counts as absent, as in Symfony. */
    private static function bool(Dsn $dsn, string $name): ?bool
    {
        $v = self::string($dsn, $name);
        if (null === $v || '' === $v) {
            return null;
        }
        $b = filter_var($v, \FILTER_VALIDATE_BOOLEAN, \FILTER_NULL_ON_FAILURE);
        if (null === $b) {
            throw new InvalidArgumentException(sprintf('The "%s" option must be a boolean (1, 0, true, false, yes, no, on, off), "%s" given.', $name, $v));
        }

        return $b;
    }
}
