<?php
/*
 * php-mailer quick start: send one HTML message over SMTP.
 *
 *   php -d extension=modules/mailer.so examples/quickstart.php PORT
 *
 * Connects to the SMTP server on 127.0.0.1:PORT (scripts/demo.sh starts a local capture
 * server, tests/inc/capture_server.php, that prints what it receives) without user or
 * password, with debug on: each debug line the mailer emits is printed.
 * The mailer builds the MIME message itself: the non-ASCII display name and subject are
 * encoded as RFC 2047 words, the UTF-8 HTML body gets a fitting transfer encoding, and
 * Date, Message-ID and MIME-Version headers are added. sendmail() returns the server's
 * final reply ("250 ...") or throws a Mailer\Exception saying which step failed.
 */

declare(strict_types=1);

if ($argc < 2 || !preg_match('/^[0-9]+$/', $argv[1])) {
    fwrite(STDERR, "usage: php examples/quickstart.php PORT\n");
    exit(2);
}
$port = (int)$argv[1];

$mailer = new Mailer("127.0.0.1", $port, "", "", true);
echo $mailer->sendmail(
    "Demo Sender <demo@example.org>",
    "Zoë Recipient <zoe@example.net>",
    "Héllo from php-mailer ✓",
    "<h1>It works</h1><p>Sent by the mailer extension.</p>"
), "\n";
