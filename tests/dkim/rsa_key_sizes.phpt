--TEST--
DKIM rsa-sha256: sendmail() signed with 1024-, 2048- and 4096-bit keys; dkimpy verifies each with the DNS record
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/dkim.inc'; mailer_dkim_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/dkim.inc';
$srv = mailer_test_server();
$n = 0;
foreach ([1024, 2048, 4096] as $bits) {
    $key = mailer_dkim_key('rsa', $bits);
    $m = new Mailer('127.0.0.1', $srv->port, '', '', false, [
        'dkim' => ['domain' => 'example.org', 'selector' => "rsa$bits", 'key' => $key['pem']],
    ]);
    $m->sendmail('Sender <a@example.org>', 'b@example.net', "key of $bits bits", "<p>Hello</p>\n");
    $m->close();
    $msg = $srv->message(++$n);
    preg_match('/^DKIM-Signature: (.*(?:\r\n\t.*)*)\r\n/m', $msg, $sig);
    $tags = preg_replace('/\s+/', '', $sig[1]);
    echo preg_replace('/; (bh|b)=[^;]*/', '; $1=...', preg_replace('/t=\d+/', 't=T', str_replace(';', '; ', $tags))), "\n";
    echo mailer_dkim_verify($msg, ["rsa$bits._domainkey.example.org" => $key['record']]), "\n";
    // every line of the field within 78 octets
    var_dump(max(array_map('strlen', explode("\r\n", $sig[0]))) <= 78);
}
?>
--EXPECT--
v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa1024; t=T; h=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type; bh=...; b=...
1 rsa-sha256 example.org rsa1024: pass
bool(true)
v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa2048; t=T; h=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type; bh=...; b=...
1 rsa-sha256 example.org rsa2048: pass
bool(true)
v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=rsa4096; t=T; h=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type; bh=...; b=...
1 rsa-sha256 example.org rsa4096: pass
bool(true)
