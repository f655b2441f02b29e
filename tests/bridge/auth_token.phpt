--TEST--
Symfony bridge: ?auth_token=name picks an OAuth2 token provider added to the factory (addAuthToken()); an expired token is refreshed once and the message goes out; an unknown name, or a password beside it, is an InvalidArgumentException; a token refused twice is a TransportException (535) around the AuthenticationException
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
use Symfony\Component\Mime\Email;

$srv = mailer_test_server(['auth_user' => 'me@example.org', 'ehlo' => ['AUTH PLAIN XOAUTH2'],
    'auth_tokens' => ['tok-old' => false, 'tok-new' => true, 'tok-bad' => false]]);
$calls = [];
$factory = new NativeSmtpTransportFactory();
$factory->addAuthToken('google', function (bool $refresh) use (&$calls): string {
    $calls[] = $refresh;
    return $refresh ? 'tok-new' : 'tok-old';
});
$factory->addAuthToken('broken', fn(bool $refresh): string => 'tok-bad');
$make = fn(string $dsn) => (new Transport([$factory]))->fromString($dsn);
$email = (new Email())->from('a@example.org')->to('b@example.net')->subject('oauth')->text("body\n");

$t = $make("native+smtp://me%40example.org@127.0.0.1:$srv->port?auth_token=google&allow_insecure_auth=1");
$sent = $t->send($email);
echo 'sent: ', $sent->getMessageId(), '; calls: ', json_encode($calls), '; authenticated as: ', $srv->envelope(1)['auth'], "\n";
$t->stop();

foreach (["native+smtp://me%40example.org@127.0.0.1:$srv->port?auth_token=microsoft",
          "native+smtp://me%40example.org:secret@127.0.0.1:$srv->port?auth_token=google"] as $dsn) {
    try {
        $make($dsn);
        echo "made?\n";
    } catch (Symfony\Component\Mailer\Exception\InvalidArgumentException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
}

$t = $make("native+smtp://me%40example.org@127.0.0.1:$srv->port?auth_token=broken&allow_insecure_auth=1");
try {
    $t->send($email);
    echo "sent?\n";
} catch (Symfony\Component\Mailer\Exception\TransportException $e) {
    echo get_class($e), ' ', $e->getCode(), ' around ', get_class($e->getPrevious()), "\n";
    var_dump(str_contains($e->getMessage() . $e->getDebug(), 'tok-'));
}
echo $srv->messageCount(), " message\n";
mailer_bridge_cleanup();
?>
--EXPECT--
sent: TEST0001; calls: [false,true]; authenticated as: me@example.org
Symfony\Component\Mailer\Exception\InvalidArgumentException: The "auth_token" option names "microsoft", but no token provider was added under that name (NativeSmtpTransportFactory::addAuthToken(); added: google, broken).
Symfony\Component\Mailer\Exception\InvalidArgumentException: Mailer::__construct(): Argument #4 ($pass) must be empty when option "auth_token" is given (the token takes the password's place)
Symfony\Component\Mailer\Exception\TransportException 535 around Mailer\AuthenticationException
bool(false)
1 message
