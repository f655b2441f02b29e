--TEST--
DKIM: sendRaw() signs the message as it goes on the wire (bare LF made CRLF), by DATA and by BDAT; a raw message without From is a ValueError before any connection
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/dkim.inc';
$key = mailer_dkim_key('ed25519');
$records = ['raw._domainkey.example.org' => $key['record']];
$raw = "From: a@example.org\nTo: b@example.net\nSubject: raw\n\n.leading dot\nbare LF\r\nCRLF\n\n\n";
foreach ([['PIPELINING', 'SIZE 1000000'], ['PIPELINING', 'CHUNKING']] as $ehlo) {
    $srv = mailer_test_server(['ehlo' => $ehlo]);
    $m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['chunking' => true,
        'dkim' => ['domain' => 'example.org', 'selector' => 'raw', 'key' => $key['pem'], 'canonicalization' => 'simple/simple']]);
    echo $m->sendRaw('a@example.org', 'b@example.net', $raw), "\n";
    $msg = $srv->message(1);
    echo $srv->envelope(1)['bdat'] ? 'BDAT' : 'DATA', ': ', mailer_dkim_verify($msg, $records), "\n";
    var_dump(mailer_dkim_strip($msg) === str_replace(["\r\n", "\n"], ["\n", "\r\n"], $raw));
    // sign() gives the same bytes when the second has not changed
    $signed = $m->sign($raw);
    var_dump(mailer_dkim_strip($signed) === mailer_dkim_strip($msg));
    $m->close();
}
// no From field: refused before connecting (nothing listens on that port)
$m = new Mailer('127.0.0.1', 9, '', '', false, ['dkim' => ['domain' => 'example.org', 'selector' => 'raw', 'key' => $key['pem']]]);
try {
    $m->sendRaw('a@example.org', 'b@example.net', "Subject: no sender\r\n\r\nbody\r\n");
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump($m->isConnected());
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
DATA: 1 ed25519-sha256 example.org raw: pass
bool(true)
bool(true)
250 2.0.0 Ok: queued as TEST%d
BDAT: 1 ed25519-sha256 example.org raw: pass
bool(true)
bool(true)
ValueError: the message has no From field, which DKIM signing requires (RFC 6376 section 5.4)
bool(false)
