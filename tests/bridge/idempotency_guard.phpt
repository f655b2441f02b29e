--TEST--
Symfony bridge, Messenger\IdempotencyMiddleware (state in a real Redis): at dispatch an email gets its Message-ID; a redelivered message already accepted is acknowledged without being sent; a connection lost after the end of data makes it uncertain, listed and never resent; a state left at "data" by a dead worker is uncertain, at "sending" is sent; a refused message clears its state and is thrown for Messenger's retry
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_skipif();
foreach (['igbinary', 'msgpack', 'redis'] as $ext) {
    extension_loaded($ext) || !is_file(ini_get('extension_dir') . "/$ext.so") || @dl("$ext.so");
}
if (!class_exists('Redis', false)) die('skip php-redis not installed (scripts/frameworks.sh deps)');
if (!is_file('/usr/share/php/Symfony/Component/Messenger/autoload.php')) die('skip php-symfony-messenger not installed (scripts/frameworks.sh deps)');
if (!is_executable('/usr/bin/redis-server')) die('skip redis-server not installed (scripts/frameworks.sh deps)');
?>
--FILE--
<?php
foreach (['igbinary', 'msgpack', 'redis'] as $ext) {
    extension_loaded($ext) || !is_file(ini_get('extension_dir') . "/$ext.so") || dl("$ext.so");
}
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Mailer\Bridge\Symfony\Messenger\IdempotencyMiddleware;
use Symfony\Component\EventDispatcher\EventDispatcher;
use Symfony\Component\Mailer\Messenger\MessageHandler;
use Symfony\Component\Mailer\Messenger\SendEmailMessage;
use Symfony\Component\Messenger\Envelope;
use Symfony\Component\Messenger\Exception\HandlerFailedException;
use Symfony\Component\Messenger\Handler\HandlersLocator;
use Symfony\Component\Messenger\MessageBus;
use Symfony\Component\Messenger\Middleware\HandleMessageMiddleware;
use Symfony\Component\Messenger\Middleware\SendMessageMiddleware;
use Symfony\Component\Messenger\Stamp\ReceivedStamp;
use Symfony\Component\Messenger\Transport\Sender\SendersLocator;
use Symfony\Component\Mime\Email;

// A Redis of the test's own, on a free loopback port, stopped by its PID.
$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int) explode(':', stream_socket_get_name($s, false))[1];
fclose($s);
$redisProc = proc_open(['/usr/bin/redis-server', '--port', (string) $port, '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--dir', sys_get_temp_dir()], [0 => ['pipe', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
$redis = new Redis();
for ($i = 0; $i < 100; $i++) {
    try {
        if ($redis->connect('127.0.0.1', $port, 1.0)) {
            break;
        }
    } catch (RedisException) {
    }
    usleep(50000);
}
$guard = new IdempotencyMiddleware($redis, 'mailer:delivery:');

$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME'],
    'drop' => ['at' => 'EOD#2'],
    'replies' => ['RCPT:refused@example.net' => '550 5.1.1 <refused@example.net>: User unknown']]);
$dispatcher = new EventDispatcher();
$dispatcher->addSubscriber($guard);
$transport = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port", $dispatcher);

// dispatch side: the guard, then the queue
// Symfony 6.3 moved it into InMemory\ (7.0 dropped the old name)
$inMemory = class_exists(Symfony\Component\Messenger\Transport\InMemory\InMemoryTransport::class)
    ? Symfony\Component\Messenger\Transport\InMemory\InMemoryTransport::class : 'Symfony\Component\Messenger\Transport\InMemoryTransport';
$queue = new $inMemory();
$producer = new MessageBus([$guard, new SendMessageMiddleware(new SendersLocator([SendEmailMessage::class => ['q']],
    new class($queue) implements Psr\Container\ContainerInterface {
        public function __construct(private $q) {}
        public function get(string $id): mixed { return $this->q; }
        public function has(string $id): bool { return true; }
    }))]);
// worker side: the guard, then Mailer's handler on the native transport
$worker = new MessageBus([$guard, new HandleMessageMiddleware(new HandlersLocator([SendEmailMessage::class => [new MessageHandler($transport)]]))]);

$ids = [];
foreach (['accepted', 'lost after the end of data', 'refused', 'left at data', 'left at sending'] as $i => $what) {
    $to = $what === 'refused' ? 'refused@example.net' : 'b@example.net';
    $producer->dispatch(new SendEmailMessage((new Email())->from('a@example.org')->to($to)->subject($what)->text("body\n")));
}
$queued = $queue->getSent();
foreach ($queued as $envelope) {
    $ids[] = $envelope->getMessage()->getMessage()->getHeaders()->get('Message-ID')->getBodyAsString();
}
echo count($queued), ' queued, Message-IDs: ', count(array_unique(array_filter($ids))), "\n";

$state = fn (int $n) => $redis->hGet("mailer:delivery:$ids[$n]", 'state') ?: 'none';
$handle = function (int $n) use ($worker, $queued, $srv, $state): void {
    try {
        $worker->dispatch($queued[$n]->with(new ReceivedStamp('q')));
        $outcome = 'handled';
    } catch (HandlerFailedException $e) {
        $outcome = 'thrown: ' . get_class($e->getPrevious()) . ' ' . $e->getPrevious()->getCode();
    }
    printf("  %-28s %-58s state %-9s server has %d\n", $queued[$n]->getMessage()->getMessage()->getSubject(),
        $outcome, $state($n), $srv->messageCount());
};

echo "-- first deliveries\n";
$handle(0);
echo '  queue id: ', $redis->hGet("mailer:delivery:$ids[0]", 'queue_id'), "\n";
$handle(1);
$handle(2);
$redis->hSet("mailer:delivery:$ids[3]", 'state', 'data');     // a worker died after DATA
$handle(3);
$redis->hSet("mailer:delivery:$ids[4]", 'state', 'sending');  // a worker died before DATA
$handle(4);
echo "-- redelivered (Messenger retries what was not acknowledged)\n";
foreach ([0, 1, 3, 4] as $n) {
    $handle($n);
}
echo "-- uncertain, for an operator\n";
$lines = [];
foreach ($guard->getUncertain() as $id => $record) {
    $lines[] = '  ' . ($id === $ids[1] ? 'message 2' : ($id === $ids[3] ? 'message 4' : $id)) . ': ' . $record['why']
        . ', to ' . implode(',', $record['recipients']) . "\n";
}
sort($lines);   // a Redis hash has no order
echo implode('', $lines);
$guard->forget($ids[3]);
echo '  after forget: ', count($guard->getUncertain()), "\n";
unset($transport, $worker, $producer, $dispatcher, $guard);
$redis->close();
proc_terminate($redisProc);
proc_close($redisProc);
mailer_bridge_cleanup();
?>
--EXPECT--
5 queued, Message-IDs: 5
-- first deliveries
  accepted                     handled                                                    state accepted  server has 1
  queue id: TEST0001
  lost after the end of data   handled                                                    state uncertain server has 1
  refused                      thrown: Symfony\Component\Mailer\Exception\TransportException 550 state none      server has 1
  left at data                 handled                                                    state uncertain server has 1
  left at sending              handled                                                    state accepted  server has 2
-- redelivered (Messenger retries what was not acknowledged)
  accepted                     handled                                                    state accepted  server has 2
  lost after the end of data   handled                                                    state uncertain server has 2
  left at data                 handled                                                    state uncertain server has 2
  left at sending              handled                                                    state accepted  server has 2
-- uncertain, for an operator
  message 2: connection closed by the server after the end of the message was sent: delivery is uncertain, the message may or may not have been accepted, to b@example.net
  message 4: its worker stopped after the DATA, before the reply, to b@example.net
  after forget: 1
