--TEST--
DKIM: Mailer::sign() returns the signed message without connecting: a Mailer\Message (its toString() under the fields) or a raw string; without the option it is an Error
--EXTENSIONS--
mailer
openssl
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
require_once __DIR__ . '/../inc/dkim.inc';
// made by the openssl CLI: under valgrind, generating an RSA key in-process takes a minute
$pem = mailer_dkim_key('rsa')['pem'];
$rsa = openssl_pkey_get_private($pem);
$m = new Mailer('127.0.0.1', 9, '', '', false, ['dkim' => ['domain' => 'example.org', 'selector' => 's1', 'key' => $pem]]);
$msg = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->subject('Hi')->text("x\n");
$signed = $m->sign($msg);
[$fields, $rest] = explode("\r\nDate: ", $signed, 2);
var_dump($rest === substr($msg->toString(), strlen('Date: ')), str_starts_with($fields, 'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;'));
var_dump(preg_match('/^(DKIM-Signature: [^\r\n]*\r\n(\t[^\r\n]*\r\n)*)Date: /', $signed) === 1, $m->isConnected());
// the signature verifies with openssl_verify over what RFC 6376 says is signed (relaxed/relaxed)
preg_match('/^DKIM-Signature: (.*?)\r\nDate: /s', $signed, $f);
$field = $f[1];
preg_match('/b=([A-Za-z0-9+\/=\s]+)$/', $field, $b);
$sig = base64_decode(preg_replace('/\s+/', '', $b[1]));
preg_match('/h=([^;]+);/', $field, $h);
$headers = [];
foreach (explode("\r\n", explode("\r\n\r\n", $rest, 2)[0]) as $line) {
    if ($line !== '' && ($line[0] === ' ' || $line[0] === "\t")) { $headers[count($headers) - 1] .= "\r\n" . $line; } else { $headers[] = $line; }
}
$headers[0] = 'Date: ' . $headers[0];
$relaxed = function (string $f): string {
    [$n, $v] = explode(':', $f, 2);
    return strtolower(rtrim($n)) . ':' . trim(preg_replace('/[ \t]+/', ' ', str_replace("\r\n", '', $v)));
};
$data = '';
foreach (explode(':', preg_replace('/\s+/', '', $h[1])) as $name) {
    foreach (array_reverse($headers) as $hf) {
        if (strcasecmp(explode(':', $hf, 2)[0], $name) === 0) { $data .= $relaxed($hf) . "\r\n"; break; }
    }
}
$data .= $relaxed('DKIM-Signature: ' . substr($field, 0, strlen($field) - strlen($b[1])));
var_dump(openssl_verify($data, $sig, openssl_pkey_get_details($rsa)['key'], OPENSSL_ALGO_SHA256));
// a raw string: CRLF-normalised, a final CRLF added
var_dump(str_ends_with($m->sign("From: a@example.org\nSubject: raw\n\nno final newline"), "\r\n\r\nno final newline\r\n"));
foreach (["", "From: a@example.org\r\n\r\n" . str_repeat('x', 1000) . "\r\n"] as $bad) {
    try { $m->sign($bad); } catch (ValueError $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
}
try { $m->sign((new Mailer\Message)->to('b@example.net')); } catch (ValueError $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
try { $m->sign([]); } catch (TypeError $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
try { (new Mailer('127.0.0.1'))->sign($msg); } catch (Error $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(false)
int(1)
bool(true)
ValueError: Mailer::sign(): Argument #1 ($message) must not be empty
ValueError: Mailer::sign(): Argument #1 ($message) has a line longer than 998 octets (RFC 5322 section 2.1.1)
ValueError: Mailer::sign(): the message has no From address (call Mailer\Message::from())
TypeError: Mailer::sign(): Argument #1 ($message) must be of type Mailer\Message|string, array given
Error: Mailer::sign(): no DKIM signer and no S/MIME is configured (constructor options "dkim", "smime")
