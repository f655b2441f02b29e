--TEST--
Symfony bridge: the factory parses native+smtp:// and native+smtps:// DSNs (user and password, verify_peer, peer_fingerprint, auto_tls, require_tls, local_domain, timeout, pipelining, chunking, persistent pool, DSN notify/ret/envid) and each option reaches the extension, as seen by the server; bad values are InvalidArgumentException; names and default ports follow Symfony's smtp://
--EXTENSIONS--
mailer
mbstring
intl
iconv
ctype
--SKIPIF--
<?php require __DIR__ . '/bridge.inc'; mailer_bridge_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Mailer\Bridge\Symfony\NativeSmtpTransportFactory;
use Symfony\Component\Mailer\Transport;
use Symfony\Component\Mailer\Transport\Dsn;
use Symfony\Component\Mime\Email;

$email = fn (string $subject) => (new Email())->from('a@example.org')->to('b@example.net')
    ->bcc('c@example.net')->subject($subject)->text("body\n");
$ehlo = ['PIPELINING', 'CHUNKING', 'DSN', 'SIZE 10240000', '8BITMIME', 'STARTTLS', 'AUTH PLAIN LOGIN'];
$config = ['starttls' => true, 'cert' => 'self', 'auth_user' => 'us er', 'auth_pass' => 'p@ss:w/rd',
    'ehlo' => $ehlo, 'ehlo_after_tls' => array_values(array_diff($ehlo, ['STARTTLS']))];

echo "-- every option\n";
$srv = mailer_test_server($config);
$dsn = "native+smtp://us%20er:p%40ss%3Aw%2Frd@127.0.0.1:$srv->port?verify_peer=0&pipelining=0&chunking=0"
    . '&persistent=pool1&local_domain=client.example&timeout=5&dsn_notify=SUCCESS,FAILURE&dsn_ret=HDRS&dsn_envid=env-1';
$t = mailer_bridge_transport($dsn);
echo get_class($t), ' ', $t, "\n";
echo $t->send($email('first'))->getMessageId(), "\n";
$env = $srv->envelope(1);
echo $env['helo'], "\n", $env['mail_from'], "\n", implode("\n", $env['rcpt']), "\n";
var_dump($env['tls'], $env['auth'], $env['bdat']);
// pipelining=0: every command line went in a read of its own
echo 'lines per read: ', implode(',', array_unique($srv->reads(1))), "\n";

// persistent=pool1: the next transport made from the same DSN takes up the same session
unset($t);
$t = mailer_bridge_transport($dsn);
echo $t->send($email('second'))->getMessageId(), ' connection ', $srv->envelope(2)['connection'],
    ' of ', $srv->connectionCount(), "\n";
$t->stop();   // stop() closes a persistent session too
var_dump($srv->waitClosed(1));

echo "-- defaults\n";
// the same throw-away certificate: an RSA key made under valgrind takes a minute
$srv2 = mailer_test_server(['tls_cert' => $srv->cert['cert'], 'tls_key' => $srv->cert['key']] + $config);
// without verify_peer=0 the self-signed certificate is refused, as by Symfony's smtp://
$t = mailer_bridge_transport("native+smtp://us%20er:p%40ss%3Aw%2Frd@127.0.0.1:$srv2->port");
try {
    $t->send($email('refused'));
} catch (Symfony\Component\Mailer\Exception\TransportException $e) {
    echo get_class($e->getPrevious()), ' ', $e->getPrevious()->getStage(), "\n";
}
// pipelining and chunking are on by default: one read for MAIL, both RCPTs; BDAT instead of DATA
$t = mailer_bridge_transport("native+smtp://us%20er:p%40ss%3Aw%2Frd@127.0.0.1:$srv2->port?verify_peer=false");
echo $t->send($email('defaults'))->getMessageId(), "\n";
$env = $srv2->envelope(1);
var_dump($env['bdat'], max($srv2->reads($env['connection'])) >= 3);
echo $env['mail_from'], "\n";

// peer_fingerprint pins the certificate (sha256 here, with colons as openssl prints it)
$fp = implode(':', str_split(openssl_x509_fingerprint(file_get_contents($srv->cert['cert']), 'sha256'), 2));
foreach ([$fp, str_repeat('ab', 32)] as $pin) {
    $t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv2->port?verify_peer=0&peer_fingerprint=$pin");
    try {
        echo $t->send($email('pinned'))->getMessageId(), "\n";
    } catch (Symfony\Component\Mailer\Exception\TransportException $e) {
        echo get_class($e->getPrevious()), ': ', $e->getMessage(), "\n";
    }
}

// auto_tls=0: no STARTTLS although offered; require_tls=1: a server without it is refused
$n = $srv2->messageCount();
echo mailer_bridge_transport("native+smtp://127.0.0.1:$srv2->port?auto_tls=0")->send($email('plain'))->getMessageId(), ' ';
var_dump($srv2->envelope($n + 1)['tls']);
$plain = mailer_test_server([]);
try {
    mailer_bridge_transport("native+smtp://127.0.0.1:$plain->port?require_tls=1")->send($email('refused'));
} catch (Symfony\Component\Mailer\Exception\TransportException $e) {
    echo get_class($e->getPrevious()), ' ', $e->getPrevious()->getStage(), "\n";
}
var_dump($plain->messageCount());

echo "-- names and ports (nothing connects)\n";
foreach (['native+smtp://localhost', 'native+smtp://127.0.0.1:25', 'native+smtp://smtp.example.com',
    'native+smtp://smtp.example.com:587', 'native+smtp://smtp.example.com:465', 'native+smtps://smtp.example.com',
    'native+smtps://smtp.example.com:2465', 'native+smtp://[::1]:2525'] as $d) {
    echo str_pad($d, 40), ' ', mailer_bridge_transport($d), "\n";
}

echo "-- factory\n";
$f = new NativeSmtpTransportFactory();
var_dump($f->supports(Dsn::fromString('native+smtp://h')), $f->supports(Dsn::fromString('native+smtps://h')),
    $f->supports(Dsn::fromString('smtp://h')));
try {
    $f->create(Dsn::fromString('smtp://h'));
} catch (Symfony\Component\Mailer\Exception\UnsupportedSchemeException $e) {
    echo get_class($e), "\n";
}
// next to Symfony's own factories: smtp:// stays Symfony's, native+smtp:// is ours
$all = new Transport([new NativeSmtpTransportFactory(), ...Transport::getDefaultFactories()]);
echo get_class($all->fromString('smtp://localhost')), ' ', get_class($all->fromString('native+smtp://localhost')), "\n";

echo "-- bad values\n";
foreach (['timeout=abc', 'timeout=0', 'pipelining=maybe', 'persistent[]=1', 'auth=BOGUS', 'dsn_notify=SOMETIMES',
    'dsn_ret=ALL', 'local_domain=bad%0Aname', 'peer_fingerprint=abc'] as $q) {
    try {
        mailer_bridge_transport("native+smtp://localhost?$q");
        echo "$q: accepted?!\n";
    } catch (Symfony\Component\Mailer\Exception\InvalidArgumentException $e) {
        echo json_encode(urldecode($q)), ': ', $e->getMessage(), "\n";
    }
}
mailer_bridge_cleanup();
?>
--EXPECTF--
-- every option
Mailer\Bridge\Symfony\NativeSmtpTransport native+smtp://127.0.0.1:%d
TEST0001
EHLO client.example
MAIL FROM:<a@example.org> SIZE=268 RET=HDRS ENVID=env-1
RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net
RCPT TO:<c@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c@example.net
bool(true)
string(5) "us er"
bool(false)
lines per read: 1
TEST0002 connection 1 of 1
bool(true)
-- defaults
Mailer\ConnectionException starttls
TEST0001
bool(true)
bool(true)
MAIL FROM:<a@example.org> SIZE=271
TEST0002
Mailer\ConnectionException: TLS with 127.0.0.1 failed: Mailer::sendRaw(): peer_fingerprint match failure
TEST0003 bool(false)
Mailer\ConnectionException starttls
int(0)
-- names and ports (nothing connects)
native+smtp://localhost                  native+smtp://localhost
native+smtp://127.0.0.1:25               native+smtp://127.0.0.1
native+smtp://smtp.example.com           native+smtps://smtp.example.com
native+smtp://smtp.example.com:587       native+smtp://smtp.example.com:587
native+smtp://smtp.example.com:465       native+smtps://smtp.example.com
native+smtps://smtp.example.com          native+smtps://smtp.example.com
native+smtps://smtp.example.com:2465     native+smtps://smtp.example.com:2465
native+smtp://[::1]:2525                 native+smtp://[::1]:2525
-- factory
bool(true)
bool(true)
bool(false)
Symfony\Component\Mailer\Exception\UnsupportedSchemeException
Symfony\Component\Mailer\Transport\Smtp\EsmtpTransport Mailer\Bridge\Symfony\NativeSmtpTransport
-- bad values
"timeout=abc": The "timeout" option must be a number of seconds above 0, "abc" given.
"timeout=0": The "timeout" option must be a number of seconds above 0, "0" given.
"pipelining=maybe": The "pipelining" option must be a boolean (1, 0, true, false, yes, no, on, off), "maybe" given.
"persistent[]=1": The "persistent" option takes one value, not a list.
"auth=BOGUS": Mailer::__construct(): Argument #6 ($options) option "auth" must be one of "auto", "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256", "XOAUTH2" or "OAUTHBEARER", "BOGUS" given
"dsn_notify=SOMETIMES": Mailer::__construct(): Argument #6 ($options) option "dsn": "notify" must be "NEVER" or a list of "SUCCESS", "FAILURE" and "DELAY"
"dsn_ret=ALL": Mailer::__construct(): Argument #6 ($options) option "dsn": "ret" must be "FULL" or "HDRS"
"local_domain=bad\nname": Mailer::__construct(): Argument #6 ($options) option "helo" must be a host name or an address literal
"peer_fingerprint=abc": The "peer_fingerprint" option must be an md5, sha1 or sha256 certificate fingerprint in hex.
