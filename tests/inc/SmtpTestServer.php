<?php
/*
 * SmtpTestServer: the SMTP protocol engine behind tests/inc/smtp_server.php
 * and tests/inc/capture_server.php. The config keys are documented at the top
 * of smtp_server.php, in one table whose sections name the part implementing them.
 * One connection at a time; every loop is bounded by an iteration cap and a
 * deadline (client_timeout, max_lifetime, idle_exit).
 * No dependencies beyond ext/openssl (for TLS) and ext/json.
 *
 * This file holds the config (keys, defaults, checks), the state, the listener and
 * the accept loop. The protocol is in parts under SmtpTestServer/, each a trait:
 *   Session.php      one connection: the command loop, EHLO/HELO, the capabilities
 *   Tls.php          STARTTLS, implicit TLS, the handshake
 *   Auth.php         AUTH, one method per SASL mechanism
 *   Transaction.php  MAIL, RCPT, DATA, BDAT, the end of data
 *   FaultScript.php  what the config scripts at a point: drops, delays, reply overrides
 *   Replies.php      how a reply goes out, scripted or by default
 *   Strictness.php   the client's protocol violations
 *   Recorder.php     the transcript, what was received, the accepted messages
 *   Transport.php    reads, writes, close, deadlines
 * The parts are one object: they share the state declared here. The constants are
 * here too (a trait can hold none before PHP 8.2, and the package supports 8.1).
 */

declare(strict_types=1);

require __DIR__ . '/SmtpTestServer/Session.php';
require __DIR__ . '/SmtpTestServer/Tls.php';
require __DIR__ . '/SmtpTestServer/Auth.php';
require __DIR__ . '/SmtpTestServer/Transaction.php';
require __DIR__ . '/SmtpTestServer/FaultScript.php';
require __DIR__ . '/SmtpTestServer/Replies.php';
require __DIR__ . '/SmtpTestServer/Strictness.php';
require __DIR__ . '/SmtpTestServer/Recorder.php';
require __DIR__ . '/SmtpTestServer/Transport.php';
require __DIR__ . '/SmtpTestServer/Batch.php';

final class SmtpTestServer
{
    use SmtpTestServerSession;
    use SmtpTestServerTls;
    use SmtpTestServerAuth;
    use SmtpTestServerTransaction;
    use SmtpTestServerFaultScript;
    use SmtpTestServerReplies;
    use SmtpTestServerStrictness;
    use SmtpTestServerRecorder;
    use SmtpTestServerTransport;
    use SmtpTestServerBatch;

    public const DEFAULTS = [
        'hostname' => 'test.local',
        'greeting' => '220 test.local ESMTP ready',
        'ehlo' => ['PIPELINING', 'SIZE 10240000', '8BITMIME'],
        'ehlo_after_tls' => null,
        'ehlo_reply' => null,
        'ipv6' => false,
        'max_connections' => 50,
        'idle_exit' => 60.0,
        'max_lifetime' => 120.0,
        'client_timeout' => 30.0,
        'tls_timeout' => 10.0,
        'tls_cert' => null,
        'tls_key' => null,
        'starttls' => false,
        'implicit_tls' => false,
        'tls_stall' => false,
        'tls_require' => false,
        'tls_versions' => ['1.2', '1.3'],
        'auth_user' => null,
        'auth_pass' => null,
        'auth_require' => false,
        'auth_tokens' => [],
        'cram_challenge' => '<1896.697170952@test.local>',
        'scram_iterations' => 4096,
        'scram_bad_signature' => false,
        'scram_no_proof' => false,
        'replies' => [],
        'drop' => [],
        'delay' => [],
        'raw_reply' => [],
        'huge_reply' => [],
        'close_after_messages' => 0,
        'max_mails' => 0,
        'stop_reading' => [],
        'close_reply' => null,
        'record_dir' => null,
        'log_data' => false,
        'max_data_bytes' => 67108864,
        'parent_pid' => 0,
        'allow_violations' => [],
        'drop_data_after' => 0,
        'drop_data_message' => 0,
        'concurrent' => false,
    ];

    /** Client protocol violations the server detects (see smtp_server.php, "Strictness"). */
    public const VIOLATIONS = ['pipelining', 'data_before_354', 'after_starttls', 'parameter', 'smtputf8',
        '8bitmime', 'bare_lf', 'bare_cr', 'line_length', 'chunking', 'auth', 'starttls', 'sequence', 'syntax'];

    private const MAX_LINE = 1048576;   // Transport.php: a command line longer than this gets 500
    // Auth.php
    private const ABORT = '501 5.7.0 Authentication aborted';
    private const BADB64 = '501 5.5.2 Cannot decode response';
    // Session.php and Strictness.php: the rule tables
    private const GROUP_END = ['EHLO', 'HELO', 'DATA', 'VRFY', 'EXPN', 'TURN', 'QUIT', 'NOOP', 'STARTTLS', 'AUTH'];
    private const KNOWN = ['EHLO', 'HELO', 'STARTTLS', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'BDAT', 'RSET', 'NOOP',
        'QUIT', 'VRFY', 'EXPN', 'HELP'];
    // parameter => the EHLO keyword that makes it legal (RFC 1870, 6152, 6531, 3461, 4954, 8689, 6710, 2852, 4865)
    private const MAIL_PARAMS = ['SIZE' => 'SIZE', 'BODY' => '8BITMIME', 'SMTPUTF8' => 'SMTPUTF8', 'RET' => 'DSN',
        'ENVID' => 'DSN', 'AUTH' => 'AUTH', 'REQUIRETLS' => 'REQUIRETLS', 'MT-PRIORITY' => 'MT-PRIORITY',
        'BY' => 'DELIVERBY', 'HOLDFOR' => 'FUTURERELEASE', 'HOLDUNTIL' => 'FUTURERELEASE'];
    private const RCPT_PARAMS = ['NOTIFY' => 'DSN', 'ORCPT' => 'DSN', 'RRVS' => 'RRVS'];

    /** @var null|callable(int $n, array $envelope, string $payload): void */
    public $onMessage = null;
    /** @var null|callable(array $violation): void  {connection, rule, detail, allowed} */
    public $onViolation = null;

    private array $c;
    /** @var resource|null */
    private $listener = null;
    private float $t0;
    private float $lastParentCheck = 0.0;
    private array $seen = [];   // point => occurrences over the server lifetime
    private int $connNo = 0;
    private int $msgNo = 0;

    // per-connection state
    /** @var resource|null */
    private $sock = null;
    private string $buf = '';
    private bool $eof = false;
    private bool $tls = false;
    private ?string $helo = null;
    private ?string $authed = null;
    private ?string $mailFrom = null;
    private array $rcpts = [];
    private int $connMsgs = 0;
    private ?string $bdat = null;
    private bool $bareLf = false;
    private bool $crlf = true;          // the last command line ended in CRLF
    private string $dataRaw = '';       // the last DATA as sent (dot-stuffed, with its final line)
    // for the strictness checks: what the client was told and what it declared
    private ?array $advertised = null;  // extension lines of the EHLO reply in force (null: none yet)
    private ?array $answering = null;   // [what, may be followed by more commands, rule] for the next reply
    private bool $mailRefused = false;  // a refused MAIL under PIPELINING: blind RCPT/DATA behind it are fine
    private bool $told530 = false;      // the server asked for STARTTLS first (530) on this plaintext session
    private string $txBody = '';        // BODY= of the open transaction
    private bool $txUtf8 = false;       // SMTPUTF8 on the open transaction

    public function __construct(array $config)
    {
        $this->t0 = microtime(true);
        $unknown = array_diff(array_keys($config), array_keys(self::DEFAULTS));
        if ($unknown) {
            throw new InvalidArgumentException('unknown config key(s): ' . implode(', ', $unknown));
        }
        $c = $config + self::DEFAULTS;
        $bad = array_diff((array)$c['allow_violations'], self::VIOLATIONS);
        if ($bad) {
            throw new InvalidArgumentException('unknown violation(s) in allow_violations: ' . implode(', ', $bad)
                . ' (known: ' . implode(', ', self::VIOLATIONS) . ')');
        }
        if (!isset($config['ehlo'])) {
            if ($c['starttls']) {
                $c['ehlo'][] = 'STARTTLS';
            }
            if ($c['auth_user'] !== null) {
                $c['ehlo'][] = 'AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2';
            }
        }
        $c['ehlo_after_tls'] ??= array_values(array_filter(
            $c['ehlo'], fn($l) => strcasecmp(trim((string)$l), 'STARTTLS') !== 0));
        foreach (['replies', 'delay', 'raw_reply'] as $k) {
            $c[$k] = self::normMap((array)$c[$k]);
        }
        $c['drop'] = self::normSpecs((array)$c['drop']);
        $c['huge_reply'] = self::normSpecs((array)$c['huge_reply']);
        $c['stop_reading'] = self::normSpecs((array)$c['stop_reading']);
        if (($c['starttls'] || $c['implicit_tls']) && !$c['tls_stall']) {
            if (!extension_loaded('openssl')) {
                throw new RuntimeException('TLS configured but ext/openssl is not loaded');
            }
            if (!is_string($c['tls_cert']) || !is_file($c['tls_cert'])) {
                throw new RuntimeException('TLS configured but tls_cert is missing');
            }
        }
        $this->c = $c;
    }

    /** Binds the loopback listener; returns the port. */
    public function listen(int $port = 0): int
    {
        $addr = $this->c['ipv6'] ? "tcp://[::1]:$port" : "tcp://127.0.0.1:$port";
        $ctx = stream_context_create(['socket' => ['backlog' => 16, 'tcp_nodelay' => true]]);
        $s = @stream_socket_server($addr, $errno, $errstr,
            STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
        if (!$s) {
            throw new RuntimeException("cannot listen on $addr: $errstr");
        }
        $this->listener = $s;
        $name = (string)stream_socket_get_name($s, false);
        return (int)substr($name, strrpos($name, ':') + 1);
    }

    /** Serves connections one after another until a limit is reached. */
    public function run(): void
    {
        $this->startConcurrent();
        $last = microtime(true);
        while ($this->listener && $this->connNo < (int)$this->c['max_connections']) {
            $now = microtime(true);
            if ($now >= $this->lifeEnd() || $now - $last >= (float)$this->c['idle_exit']
                || !$this->parentAlive()) {
                break;
            }
            $s = @stream_socket_accept($this->listener, 0.5);
            if ($s) {
                $this->serveConnection($s);
                $last = microtime(true);
            }
        }
        $this->reapChildren(true);
        if ($this->listener) {
            fclose($this->listener);
            $this->listener = null;
        }
    }
}
