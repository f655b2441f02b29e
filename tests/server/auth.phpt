--TEST--
Strict test server, rule auth: AUTH not offered (here: only after STARTTLS), a mechanism not offered, a second AUTH, AUTH in a transaction, AUTH in plaintext after a 530 asking for STARTTLS: each fails the test
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$plain = fn(string $u, string $p) => 'AUTH PLAIN ' . base64_encode("\0$u\0$p");
$srv = mailer_test_server(['starttls' => true, 'auth_user' => 'u', 'auth_pass' => 'p',
    'ehlo' => ['PIPELINING', 'STARTTLS'], 'ehlo_after_tls' => ['PIPELINING', 'AUTH PLAIN']]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
echo 'before TLS: ', $c->cmd($plain('u', 'p')), "\n";
$c->cmd('STARTTLS');
$c->startTls($srv);
$c->cmd('EHLO me');
echo 'LOGIN: ', $c->cmd('AUTH LOGIN'), "\n";
echo 'PLAIN: ', $c->cmd($plain('u', 'p')), "\n";
echo 'again: ', $c->cmd($plain('u', 'p')), "\n";
$c->cmd('QUIT');
$srv->stop();

$srv = mailer_test_server(['tls_require' => true, 'starttls' => true, 'auth_user' => 'u', 'auth_pass' => 'p']);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
echo 'MAIL: ', $c->cmd('MAIL FROM:<a@example.org>'), "\n";
echo 'then AUTH: ', $c->cmd($plain('u', 'p')), "\n";
$c->cmd('QUIT');
$srv->stop();

$srv = mailer_test_server(['auth_user' => 'u', 'auth_pass' => 'p']);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
$c->cmd('MAIL FROM:<a@example.org>');
echo 'in a transaction: ', $c->cmd($plain('u', 'p')), "\n";
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
before TLS: 503 5.5.1 Error: authentication not enabled
LOGIN: 504 5.5.4 Unrecognized authentication type
PLAIN: 235 2.7.0 Authentication successful
again: 503 5.5.1 Error: already authenticated

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: auth: AUTH sent but not offered in the EHLO reply in force (the server offers it only after STARTTLS?)
  connection 1: auth: AUTH LOGIN: the server offers PLAIN
  connection 1: auth: AUTH after a successful AUTH (RFC 4954 4)
MAIL: 530 5.7.0 Must issue a STARTTLS command first
then AUTH: 530 5.7.0 Must issue a STARTTLS command first

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: auth: AUTH in plaintext after the server answered 530 (STARTTLS first)
in a transaction: 503 5.5.1 Error: MAIL transaction in progress

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: auth: AUTH during a mail transaction (RFC 4954 4)
