--TEST--
DKIM: the four canonicalisations (c=) sign a message with folded headers, whitespace runs and trailing blank lines, and each verifies
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/dkim.inc';
$srv = mailer_test_server();
$rsa = mailer_dkim_key('rsa', 2048);
$ed = mailer_dkim_key('ed25519');
$raw = "From:   Sender   <a@example.org>  \r\n"
     . "To: b@example.net,\r\n\t  c@example.net\r\n"
     . "Subject:\tFolded\r\n   subject  \t with runs\r\n"
     . "Date: Thu, 26 Nov 2026 16:02:50 +0000\r\n"
     . "\r\n"
     . "  leading and trailing whitespace  \t \r\n"
     . "runs\t\t of   whitespace\r\n"
     . "\r\n"
     . "an empty line above, several below \r\n"
     . " \r\n\r\n\t\r\n\r\n";
$n = 0;
foreach (['relaxed/relaxed', 'simple/simple', 'relaxed/simple', 'simple/relaxed'] as $c) {
    foreach (['rsa' => $rsa, 'ed25519' => $ed] as $type => $key) {
        $mailer = new Mailer('127.0.0.1', $srv->port, '', '', false, [
            'dkim' => ['domain' => 'example.org', 'selector' => $type, 'key' => $key['pem'], 'canonicalization' => $c],
        ]);
        $mailer->sendRaw('a@example.org', 'b@example.net', $raw);
        $mailer->close();
        $msg = $srv->message(++$n);
        preg_match('/ c=([a-z\/]+);/', $msg, $cm);
        echo "$c: c=$cm[1] ", mailer_dkim_verify($msg, ["$type._domainkey.example.org" => $key['record']]), "\n";
    }
}
?>
--EXPECT--
relaxed/relaxed: c=relaxed/relaxed 1 rsa-sha256 example.org rsa: pass
relaxed/relaxed: c=relaxed/relaxed 1 ed25519-sha256 example.org ed25519: pass
simple/simple: c=simple/simple 1 rsa-sha256 example.org rsa: pass
simple/simple: c=simple/simple 1 ed25519-sha256 example.org ed25519: pass
relaxed/simple: c=relaxed/simple 1 rsa-sha256 example.org rsa: pass
relaxed/simple: c=relaxed/simple 1 ed25519-sha256 example.org ed25519: pass
simple/relaxed: c=simple/relaxed 1 rsa-sha256 example.org rsa: pass
simple/relaxed: c=simple/relaxed 1 ed25519-sha256 example.org ed25519: pass
