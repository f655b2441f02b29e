--TEST--
Implicit TLS through "ssl://", "smtps://" and the tls option "smtps"; TLS 1.2 at least
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['implicit_tls' => true]);
$ctx = stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]]);
foreach (["ssl://127.0.0.1:{$srv->port}", "smtps://127.0.0.1:{$srv->port}"] as $host) {
    $m = new Mailer($host, 25, '', '', false, ['context' => $ctx]);
    echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
    $m->close();
}
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['context' => $ctx, 'tls' => 'smtps']);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
$m->close();
for ($i = 1; $i <= 3; $i++) {
    $env = $srv->envelope($i);
    var_dump($env['tls'] && in_array($env['tls_protocol'], ['TLSv1.2', 'TLSv1.3'], true));
}
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
250 2.0.0 Ok: queued as TEST0002
250 2.0.0 Ok: queued as TEST0003
bool(true)
bool(true)
bool(true)
