--TEST--
Bracketed IPv6 literal "[::1]:port" with STARTTLS: the certificate is checked against the bare address
--EXTENSIONS--
mailer
--SKIPIF--
<?php
$s = @stream_socket_server('tcp://[::1]:0');
if (!$s) die('skip IPv6 loopback not available');
?>
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$srv = mailer_test_server(['ipv6' => true, 'starttls' => true]);
$ctx = stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]]);
$m = new Mailer("[::1]:{$srv->port}", 25, '', '', false, ['context' => $ctx]);
echo $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
var_dump($srv->envelope(1)['tls']);
?>
--EXPECT--
250 2.0.0 Ok: queued as TEST0001
bool(true)
