--TEST--
Symfony bridge: source_ip (the local address connected from, as seen by the server; IPv6 with or without brackets) and max_per_second (AbstractTransport's throttle) from the DSN; bad values are InvalidArgumentException
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/bridge.inc'; mailer_bridge_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Symfony\Component\Mime\Email;

$email = fn (string $subject) => (new Email())->from('a@example.org')->to('b@example.net')
    ->subject($subject)->text("body\n");
$srv = mailer_test_server([]);

echo "-- source_ip\n";
foreach (['127.0.0.2', '127.0.0.3'] as $ip) {
    $t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port?source_ip=$ip");
    $t->send($email($ip));
    echo $ip, ' -> ', explode(':', $srv->envelope($srv->messageCount())['peer'])[0], "\n";
    $t->stop();   // the test server serves one connection at a time
}
// without it, the kernel's choice for 127.0.0.1
mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port")->send($email('default'));
echo 'default -> ', explode(':', $srv->envelope($srv->messageCount())['peer'])[0], "\n";

echo "-- max_per_second\n";
// 4 messages at 5 per second: the last leaves 3 intervals of 0.2 s after the first
$t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port?max_per_second=5");
$start = microtime(true);
for ($i = 0; $i < 4; $i++) {
    $t->send($email("rate $i"));
}
$elapsed = microtime(true) - $start;
var_dump($elapsed >= 0.58, $elapsed < 5);
$t->stop();
$t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port?max_per_second=0");
$start = microtime(true);
for ($i = 0; $i < 4; $i++) {
    $t->send($email("free $i"));
}
var_dump(microtime(true) - $start < 0.5);
echo $srv->messageCount(), " messages\n";

echo "-- bad values\n";
foreach (['source_ip=localhost', 'source_ip=300.1.1.1', 'max_per_second=fast', 'max_per_second=-1'] as $q) {
    try {
        mailer_bridge_transport("native+smtp://localhost?$q");
        echo "$q: accepted?!\n";
    } catch (Symfony\Component\Mailer\Exception\InvalidArgumentException $e) {
        echo $q, ': ', $e->getMessage(), "\n";
    }
}
// IPv6: with or without brackets, nothing connects
foreach (['::1', '[::1]'] as $ip) {
    echo get_class(mailer_bridge_transport('native+smtp://[::1]:25?source_ip=' . rawurlencode($ip))), "\n";
}
mailer_bridge_cleanup();
?>
--EXPECT--
-- source_ip
127.0.0.2 -> 127.0.0.2
127.0.0.3 -> 127.0.0.3
default -> 127.0.0.1
-- max_per_second
bool(true)
bool(true)
bool(true)
11 messages
-- bad values
source_ip=localhost: The "source_ip" option must be an IP address, "localhost" given.
source_ip=300.1.1.1: The "source_ip" option must be an IP address, "300.1.1.1" given.
max_per_second=fast: The "max_per_second" option must be a number of messages per second (0: no limit), "fast" given.
max_per_second=-1: The "max_per_second" option must be a number of messages per second (0: no limit), "-1" given.
Mailer\Bridge\Symfony\NativeSmtpTransport
Mailer\Bridge\Symfony\NativeSmtpTransport
