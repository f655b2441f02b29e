--TEST--
Postfix submission and implicit-TLS ports verified against an unrelated CA: ConnectionException at TLS, nothing delivered
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
// An unrelated CA of its own (EC: RSA key generation takes a minute under valgrind).
$key = openssl_pkey_new(['private_key_type' => OPENSSL_KEYTYPE_EC, 'curve_name' => 'prime256v1']);
$ca = openssl_csr_sign(openssl_csr_new(['commonName' => 'unrelated test CA'], $key, ['digest_alg' => 'sha256']),
    null, $key, 1, ['digest_alg' => 'sha256']);
$caFile = mailer_test_tmpdir() . '/other-ca.pem';
openssl_x509_export_to_file($ca, $caFile);
$ctx = stream_context_create(['ssl' => ['cafile' => $caFile]]);
foreach (['submission', 'smtps'] as $service) {
    $m = mailer_postfix_mailer($service, ['context' => $ctx]);
    try {
        $m->sendmail('a@example.org', 'b@example.net', "must not arrive $tag", 'body',
            ['Message-ID' => "<$service.$tag@php-mailer.test>"]);
        echo "$service: sent?!\n";
    } catch (Mailer\ConnectionException $e) {
        echo $service, ': ', get_class($e), ' ', $e->getStage(), ' ', $e->getSmtpCode(), "\n";
        var_dump(str_contains($e->getMessage(), 'certificate verify failed'));
    }
    var_dump($m->isConnected());
}

// Nothing was queued. A message sent after the failures, once delivered, shows the queue has
// moved past them.
$m = mailer_postfix_mailer('relay');
$m->sendmail('a@example.org', 'b@example.net', "sentinel $tag", 'body', ['Message-ID' => "<sentinel.$tag@php-mailer.test>"]);
$m->close();
$files = mailer_postfix_wait("sentinel.$tag");
var_dump(count($files));
usleep(200000);
$files = mailer_postfix_wait($tag, 2, 0.0);
var_dump(count($files));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
submission: Mailer\ConnectionException starttls 0
bool(true)
bool(false)
smtps: Mailer\ConnectionException connect 0
bool(true)
bool(false)
int(1)
int(1)
