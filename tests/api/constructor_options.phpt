--TEST--
Constructor: connects nothing; unknown option keys, wrong types and bad values are refused by name
--EXTENSIONS--
mailer
--FILE--
<?php
$m = new Mailer('mail.invalid', 25);
var_dump($m->isConnected(), $m->getLastReply(), $m->getCapabilities(), $m->getLastRecipients());

$bad = [
    ['mail.invalid', 25, ['tsl' => 'auto']],
    ['mail.invalid', 25, ['tls' => 'maybe']],
    ['mail.invalid', 25, ['tls' => 1]],
    ['mail.invalid', 25, ['timeout' => 0]],
    ['mail.invalid', 25, ['timeout' => 'soon']],
    ['mail.invalid', 25, ['helo' => "evil\r\nMAIL FROM:<x>"]],
    ['mail.invalid', 25, ['auth' => 'NTLM']],
    ['mail.invalid', 25, ['allow_insecure_auth' => 'yes']],
    ['mail.invalid', 25, ['debug_handler' => 'no_such_function']],
    ['mail.invalid', 25, ['context' => 'not a context']],
    ['mail.invalid', 25, [0 => 'x']],
    ['mail.invalid', 0, []],
    ['mail.invalid', 70000, []],
    ['', 25, []],
    ['host:99999', 25, []],
    ['ftp://host', 25, []],
    ["host\r\nX", 25, []],
    ['[::1', 25, []],
];
foreach ($bad as [$host, $port, $opts]) {
    try {
        new Mailer($host, $port, '', '', false, $opts);
        echo "accepted\n";
    } catch (ValueError | TypeError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}
// every documented option is accepted
$ok = new Mailer('a.invalid;b.invalid:2525', 587, 'u', 'p', true, [
    'tls' => 'starttls', 'context' => stream_context_create(), 'timeout' => 2.5, 'helo' => 'client.example',
    'auth' => 'cram-md5', 'allow_insecure_auth' => false, 'debug_handler' => fn($l) => null,
]);
var_dump($ok->isConnected());
?>
--EXPECT--
bool(false)
NULL
array(0) {
}
array(0) {
}
ValueError: Mailer::__construct(): Argument #6 ($options) unknown option "tsl" (known options: tls, context, timeout, helo, auth, allow_insecure_auth, auth_token, debug_handler, pipelining, chunking, partial, dsn, persistent, dkim, smime)
ValueError: Mailer::__construct(): Argument #6 ($options) option "tls" must be one of "auto", "starttls", "smtps" or "none", "maybe" given
TypeError: Mailer::__construct(): Argument #6 ($options) option "tls" must be of type string, int given
ValueError: Mailer::__construct(): Argument #6 ($options) option "timeout" must be greater than 0 and at most 86400 seconds
TypeError: Mailer::__construct(): Argument #6 ($options) option "timeout" must be of type float, string given
ValueError: Mailer::__construct(): Argument #6 ($options) option "helo" must be a host name or an address literal
ValueError: Mailer::__construct(): Argument #6 ($options) option "auth" must be one of "auto", "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256", "XOAUTH2" or "OAUTHBEARER", "NTLM" given
TypeError: Mailer::__construct(): Argument #6 ($options) option "allow_insecure_auth" must be of type bool, string given
TypeError: Mailer::__construct(): Argument #6 ($options) option "debug_handler" must be of type callable or Psr\Log\LoggerInterface, string given
TypeError: Mailer::__construct(): Argument #6 ($options) option "context" must be of type a stream context resource, string given
ValueError: Mailer::__construct(): Argument #6 ($options) option keys must be strings, 0 given
ValueError: Mailer::__construct(): Argument #2 ($port) must be between 1 and 65535
ValueError: Mailer::__construct(): Argument #2 ($port) must be between 1 and 65535
ValueError: Mailer::__construct(): Argument #1 ($host) no host given
ValueError: Mailer::__construct(): Argument #1 ($host) invalid host "host:99999": invalid port
ValueError: Mailer::__construct(): Argument #1 ($host) invalid host "ftp://host": unknown scheme (use ssl://, smtps://, tls:// or smtp://)
ValueError: Mailer::__construct(): Argument #1 ($host) invalid host "host
X": invalid character in host name
ValueError: Mailer::__construct(): Argument #1 ($host) invalid host "[::1": unterminated IPv6 literal
bool(false)
