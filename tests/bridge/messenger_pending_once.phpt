--TEST--
Symfony bridge, Messenger\PendingOnceReceiver: an entry handed out is not handed out again until it is acknowledged or rejected (a transport that hands out every unacknowledged entry at each get(), as InMemoryTransport does and Symfony's Redis transport does with its pending entries); send() passes through
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_skipif();
if (!is_file('/usr/share/php/Symfony/Component/Messenger/autoload.php')) die('skip php-symfony-messenger not installed (scripts/frameworks.sh deps)');
?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Mailer\Bridge\Symfony\Messenger\PendingOnceReceiver;
use Symfony\Component\Messenger\Envelope;

$inMemory = class_exists(Symfony\Component\Messenger\Transport\InMemory\InMemoryTransport::class)
    ? Symfony\Component\Messenger\Transport\InMemory\InMemoryTransport::class : 'Symfony\Component\Messenger\Transport\InMemoryTransport';
$inner = new $inMemory();
$queue = new PendingOnceReceiver($inner);
foreach (['a', 'b', 'c'] as $name) {
    $queue->send(new Envelope((object) ['name' => $name]));
}
$names = fn (iterable $envelopes) => implode(',', array_map(fn ($e) => $e->getMessage()->name, [...$envelopes])) ?: '-';
echo 'inner hands out: ', $names($inner->get()), "\n";
$first = [...$queue->get()];
echo 'first get: ', $names($first), "\n";
echo 'again, none acknowledged: ', $names($queue->get()), "\n";
$queue->ack($first[0]);
$queue->reject($first[1]);
$queue->send(new Envelope((object) ['name' => 'd']));
echo 'after a acked, b rejected, d sent: ', $names($queue->get()), "\n";
echo 'inner hands out: ', $names($inner->get()), "\n";
echo 'acknowledged: ', $names($inner->getAcknowledged()), ', rejected: ', $names($inner->getRejected()), "\n";
?>
--EXPECT--
inner hands out: a,b,c
first get: a,b,c
again, none acknowledged: -
after a acked, b rejected, d sent: d
inner hands out: c,d
acknowledged: a, rejected: b
