<?php
/*
 * Scriptable SMTP server for php-mailer's phpt tests.
 *
 *   php -n tests/inc/smtp_server.php CONFIG.json
 *
 * Binds 127.0.0.1:0 ([::1]:0 with "ipv6"), prints "PORT <n>\n" on stdout (and
 * nothing else there afterwards), then serves connections one after another.
 * Errors go to stderr; a bad config exits 2 before printing PORT.
 * Tests normally start it through mailer_test_server() in server.inc.
 * The server is the class SmtpTestServer (SmtpTestServer.php), in parts under
 * SmtpTestServer/ (Session, Tls, Auth, Transaction, FaultScript, Replies,
 * Strictness, Recorder, Transport, Batch).
 *
 * CONFIG: a JSON object; unknown keys are an error, to catch typos. One row per key:
 * key, type, default, what it does. Each section names the parts that implement its
 * keys (in SmtpTestServer/); a key implemented in another part too names it in [brackets].
 * (tests/server/config_table.phpt checks the table against SmtpTestServer::DEFAULTS.)
 *
 * ---- config keys ------------------------------------------------------------------
 * Lifetime (SmtpTestServer.php, Transport.php)
 *   max_connections  int     50     exit after serving this many connections
 *   idle_exit        float   60     exit after this long without a connection
 *   max_lifetime     float   120    hard limit on the whole process (delays and
 *                                   stalls are cut short by it too)
 *   client_timeout   float   30     per read/write; a read that expires gets
 *                                   "421 4.4.2 <hostname> Error: timeout exceeded" + close
 *   parent_pid       int     0      exit when /proc/<pid> disappears, checked once a
 *                                   second (server.inc sets it)
 *   ipv6             bool    false  listen on [::1] instead of 127.0.0.1
 *
 * Greeting and EHLO (Session.php)
 *   hostname         string  "test.local"  used in EHLO/HELO replies (and in 421, 521)
 *   greeting         string|lines  "220 test.local ESMTP ready"  (point GREETING)
 *   ehlo             lines   PIPELINING, SIZE 10240000, 8BITMIME, plus STARTTLS when
 *                            "starttls" and "AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2" when
 *                            "auth_user" is set (these additions only when "ehlo" is
 *                            not given). Reply: "250-host", "250-<ext>"..., "250 <last>".
 *                            The list also drives behaviour: AUTH mechanisms accepted,
 *                            SIZE limit (MAIL SIZE= and message size, 552), CHUNKING
 *                            (BDAT).
 *   ehlo_after_tls   lines   ehlo without STARTTLS  used after STARTTLS/with implicit TLS
 *   ehlo_reply       string|lines  null  replaces the whole EHLO reply (e.g.
 *                            "502 5.5.1 not implemented" to force the HELO fallback)
 *
 * TLS, server side, with a non-blocking handshake (Tls.php)
 *   tls_cert         path    null   PEM certificate (and key, unless tls_key); required
 *                                   with starttls or implicit_tls, unless tls_stall
 *   tls_key          path    null   PEM key, when it is not in tls_cert
 *   starttls         bool    false  STARTTLS works (else 502). Plaintext pipelined after
 *                                   STARTTLS is discarded and logged.
 *   implicit_tls     bool    false  TLS from the first byte [Session.php]
 *   tls_stall        bool    false  accept TCP (or answer 220 to STARTTLS) and never do
 *                                   the handshake; read and discard until the client closes
 *   tls_require      bool    false  MAIL/AUTH before TLS -> 530 5.7.0
 *                                   [Auth.php, Transaction.php]
 *   tls_versions     list    ["1.2","1.3"]  accepted versions; with "1.0" or "1.1" the
 *                                   context gets security_level 0 (OpenSSL 3 needs it)
 *   tls_timeout      float   10     the handshake's limit
 *
 * AUTH (Auth.php)
 * PLAIN (initial response or "334 " then response), LOGIN (with or without initial
 * response), CRAM-MD5 (HMAC-MD5 over cram_challenge), XOAUTH2 ("user=U\1auth=Bearer
 * TOKEN\1\1"; on failure "334 <base64 json>", reads one line, then 535), SCRAM-SHA-256
 * (RFC 7677), OAUTHBEARER (user in "a="; on failure a JSON challenge as XOAUTH2). A
 * mechanism must be in the AUTH line of "ehlo" (or "ehlo_after_tls"), else 504; no AUTH
 * line -> 503. Success 235 2.7.0, failure 535 5.7.8; "*" aborts (501); bad base64 -> 501.
 *   auth_user        string  null   the account; also adds the default ehlo's AUTH line
 *   auth_pass        string  null   its password (the token for XOAUTH2 and OAUTHBEARER)
 *   auth_require     bool    false  MAIL before AUTH -> 530 5.7.0 Authentication required
 *                                   [Transaction.php]
 *   auth_tokens      array   []     XOAUTH2/OAUTHBEARER tokens: token => true (valid) or
 *                                   false (expired); when given, these replace auth_pass for
 *                                   the two bearer mechanisms (any other token is refused)
 *   cram_challenge   string  "<1896.697170952@test.local>"  fixed, so transcripts are stable
 *   scram_iterations int     4096   SCRAM-SHA-256's iteration count
 *   scram_bad_signature bool false  SCRAM: a wrong server signature ("v=", zeros)
 *   scram_no_proof   bool    false  SCRAM: 235 right after the client's proof, no "v="
 *
 * Mail transaction (Transaction.php)
 *   max_mails        int     0      (OpenSMTPD's max-mails) MAIL on a connection that has
 *                                   accepted this many messages gets
 *                                   "452 4.5.3 Too many messages sent"; 0 = no limit
 *   close_after_messages int 0      close the connection right after the reply that
 *                                   accepts the n-th message of that connection; 0 = never
 *   close_reply      string|lines  null  sent before that close (default: none)
 *   max_data_bytes   int     67108864  (64 MiB) larger data (DATA, or a BDAT chunk)
 *                                   gets 552 and a close [Transport.php]
 *
 * Scripted replies and faults at a point, see "Points" below (FaultScript.php, Replies.php)
 *   replies          map     {}     {"RCPT:bad@x.org": "550 5.1.1 No such user",
 *                                   "EOD#2": "451 4.3.0 later"}: the reply at that point
 *   delay            map     {}     {"EOD": 3.0, "GREETING#2": 1}: seconds to sleep before
 *                                   that reply
 *   raw_reply        map     {}     {"EHLO": "250-x\u0000y\r\n"}: bytes sent verbatim (no
 *                                   CRLF added)
 *   huge_reply       spec(s) []     {"at": "EHLO", "line_bytes": 1048576}: one line
 *                                   "250 xxx..."; or {"at": "EHLO", "lines": 10000}: lines
 *                                   "250-X-HUGE-0000001"... + "250 Ok"; optional "code"
 *                                   (default "250"), "connection" (default 0 = any).
 *                                   Streamed in 64 KiB writes.
 *   drop             spec(s) []     {"at": "RCPT", "connection": 1}: close instead of
 *                                   replying; "connection" defaults to 1, 0 = every one
 *   drop_data_after  int     0      close the connection, without a reply, once that many
 *                                   octets of a message (DATA, or a BDAT chunk) have
 *                                   arrived; 0 = never. Logged
 *                                   "* drop after <n> octets of data".
 *   drop_data_message int    0      drop_data_after cuts only the data of the n-th DATA
 *                                   or BDAT command of the server's lifetime; 0 = every
 *                                   message [Batch.php]
 *   concurrent       bool    false  each connection served by a child process of its own, so
 *                                   that several sessions run at once (sendMany()'s
 *                                   "connections"); POINT#n, message numbers and queue ids
 *                                   count over all of them (a locked file in record_dir,
 *                                   which it needs) [Batch.php]
 *   stop_reading     spec(s) []     {"at": "DATA", "seconds": 30}: after replying at that
 *                                   point the server reads nothing more
 *                                   ("* stopped reading"), then closes; "connection"
 *                                   defaults to 0 = any
 *
 * Recording, the files are described below (Recorder.php)
 *   record_dir       path    null   where the files go (server.inc sets it)
 *   log_data         bool    false  also log message lines ("D: <line>", still
 *                                   dot-stuffed) [Transport.php]
 *
 * Strictness, the rules are listed below (Strictness.php)
 *   allow_violations list    []     rules the test breaks on purpose: recorded as allowed,
 *                                   and served leniently
 * -----------------------------------------------------------------------------------
 *
 * Points. A "point" is a command verb (EHLO HELO STARTTLS AUTH MAIL RCPT DATA BDAT
 * RSET NOOP QUIT VRFY, any other verb as sent, EMPTY for an empty line) or GREETING,
 * EOD (after the end-of-data dot, or BDAT ... LAST), AUTH_RESULT (the final 235/535
 * of an AUTH exchange). Keys (of replies, delay, raw_reply, and "at" of a spec):
 * "POINT", "POINT:substring" (case-insensitive match against the command line; for
 * EOD against the message), "POINT#n" (n-th occurrence over the server lifetime,
 * 1-based; for GREETING that is the connection number). Most specific wins: #n,
 * then :substring, then the plain point. "spec(s)" is one object or a list of them.
 * A reply value is one line (string) or an array of complete lines. The reply code
 * drives state: 2xx MAIL opens a transaction, 2xx RCPT adds a recipient, 354 DATA
 * reads data, 2xx EOD records the message, 220 STARTTLS starts TLS, 235 AUTH
 * authenticates (a scripted AUTH reply replaces the whole exchange). Any 421 reply
 * closes the connection after it.
 *
 * Default replies (Postfix-like): MAIL "250 2.1.0 Ok", RCPT "250 2.1.5 Ok", DATA "354
 * End data with <CR><LF>.<CR><LF>", EOD "250 2.0.0 Ok: queued as TESTnnnn" (nnnn = EOD
 * occurrence), RSET/NOOP "250 2.0.0 Ok", QUIT "221 2.0.0 Bye" then close, VRFY "502
 * 5.5.1 VRFY command is disabled", unknown "500 5.5.2 Error: command not recognized",
 * BDAT chunk "250 2.0.0 Ok: <n> octets received", sequence errors 503, syntax errors
 * 501. A "BDAT" override replaces the chunk reply (for LAST chunks too, and then
 * nothing is recorded); the final reply of a BDAT message is otherwise scripted with
 * "EOD".
 *
 * Recording (record_dir; files are complete before the reply that ends the step)
 *   conn-N.raw   every byte received on connection N (after TLS decryption)
 *   conn-N.reads one line per read of command lines: how many complete lines it carried
 *                (PIPELINING shows as one read of MAIL+RCPT...+DATA)
 *   conn-N.log   "C: <line>" / "S: <line>" one per line, plus events:
 *                "* TLS started", "* TLS failed: <why>", "* TLS stalled",
 *                "* discarded <n> plaintext bytes pipelined after STARTTLS",
 *                "* data <n> octets[ (bare LF seen)]" (then "C: ." for DATA),
 *                "* drop at <POINT>", "* drop after <n> octets of data",
 *                "* huge reply: ...", "* stopped reading", "* timeout",
 *                "* line too long", "* data exceeds max_data_bytes",
 *                "* BDAT chunk exceeds max_data_bytes",
 *                "* close after <n> message(s)", "* closed",
 *                "* violation <rule>: <detail>[ (allowed)]". Raw replies are
 *                logged as "S: " lines with control bytes C-escaped. Message
 *                lines are not logged unless log_data: true.
 *                "* closed" is written before the final reply on QUIT, 421 and
 *                drops; after a client's own close it follows that close.
 *   msg-M.eml    accepted message M (lifetime, 1-based), dot-unstuffed, without
 *                the final ".\r\n"
 *   msg-M.json   {"mail_from": full line, "rcpt": [full lines], "connection": N,
 *                "message": M, "queue_id", "size", "helo": EHLO/HELO line,
 *                "tls": bool, "tls_protocol", "auth": user|null, "bdat": bool,
 *                "bare_lf": bool, "peer": the client's address:port}
 *   violations.json  one JSON object per line: {"connection", "rule", "detail", "allowed"}
 *
 * Strictness (DESIGN.md "Test servers"). The server checks the client against what it was
 * told: the extensions of the EHLO reply in force (as actually sent, scripted or not) and the
 * RFCs. Each violation is recorded (log, violations.json); server.inc prints the undeclared
 * ones at stop(), which fails the test. A test that provokes one on purpose declares it in
 * allow_violations (e.g. ["pipelining"]).
 * Rules (SmtpTestServer::VIOLATIONS), and what a strict server answers when the rule is not
 * allowed:
 *   pipelining       bytes received before a reply the client had to wait for: before the
 *                    greeting; after any command without PIPELINING; after EHLO, HELO, AUTH
 *                    (except PLAIN with an initial response), a SASL response, NOOP, QUIT,
 *                    VRFY... (RFC 2920 3.1, RFC 4954 4). MAIL/RCPT/RSET/BDAT/end of data may
 *                    be followed under PIPELINING.  554 5.5.0 synchronization error + close
 *   data_before_354  bytes after DATA before its reply                 the same 554 + close
 *   after_starttls   bytes after STARTTLS before its reply/the handshake  discarded (RFC 3207)
 *   parameter        a MAIL/RCPT parameter not offered (SIZE, BODY, SMTPUTF8, RET, ENVID,
 *                    AUTH, NOTIFY, ORCPT...), unknown, given twice or malformed   555 5.5.4
 *   smtputf8         a non-ASCII address without SMTPUTF8 on MAIL       553 5.6.7
 *   8bitmime         8-bit octets in the message without BODY=8BITMIME/BINARYMIME (or SMTPUTF8)
 *   bare_lf, bare_cr a command line (or the message, unless BINARYMIME) with LF or CR not in
 *                    CRLF (RFC 5321 2.3.8)                              521 5.5.2 + close
 *   line_length      a command line over 512 octets (plus what SIZE, DSN, AUTH, SMTPUTF8 add;
 *                    AUTH lines 12288), a message line over 998 + CRLF
 *   chunking         BDAT without CHUNKING; DATA after BDAT or with BODY=BINARYMIME
 *   auth             AUTH or a mechanism not offered; AUTH twice, in a transaction, or in
 *                    plaintext after a 530 asking for STARTTLS
 *   starttls         STARTTLS not offered, inside TLS, or in a transaction
 *   sequence         MAIL before EHLO/HELO (also after STARTTLS), a second MAIL in a
 *                    transaction, RCPT/DATA/BDAT without one (unless sent blind behind a refused
 *                    MAIL or BDAT under PIPELINING)
 *   syntax           an unknown command, MAIL/RCPT not exactly "MAIL FROM:<path>[ params]",
 *                    EHLO/HELO without a domain, arguments to DATA/RSET/QUIT/STARTTLS, bad BDAT
 * Where no answer is given, the server answers as it did before (503, 501, 502, 504...) and
 * the violation is only recorded.
 */

declare(strict_types=1);

require __DIR__ . '/SmtpTestServer.php';

if (function_exists('pcntl_signal')) {
    pcntl_signal(SIGPIPE, SIG_IGN);
}
if ($argc !== 2) {
    fwrite(STDERR, "usage: php smtp_server.php CONFIG.json\n");
    exit(2);
}
try {
    $json = file_get_contents($argv[1]);
    $config = json_decode((string)$json, true, 64, JSON_THROW_ON_ERROR);
    if (!is_array($config)) {
        throw new InvalidArgumentException('config must be a JSON object');
    }
    $server = new SmtpTestServer($config);
    $port = $server->listen();
} catch (Throwable $e) {
    fwrite(STDERR, 'smtp_server: ' . $e->getMessage() . "\n");
    exit(2);
}
fwrite(STDOUT, "PORT $port\n");
fflush(STDOUT);
$server->run();
exit(0);
