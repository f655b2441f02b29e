--TEST--
Symfony full-stack: a kernel (FrameworkBundle) with bridge/symfony/README.md's services.yaml and messenger.yaml for the batch handler, as written there (the guard on a real Redis, the in-memory transport for Redis's): Mailer::send() queues, the worker's SendEmailBatchHandler sends the three with one sendMany(), the guard records them accepted, each delivered once
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/../frameworks/frameworks.inc';
mailer_bridge_skipif();
if (getenv('USE_ZEND_ALLOC') === '0') {
    die('skip under valgrind: PHP leaks the Symfony kernel generators\' objects at request end (as tests/frameworks/symfony_kernel.phpt)');
}
foreach (['igbinary', 'msgpack', 'redis'] as $ext) {
    extension_loaded($ext) || !is_file(ini_get('extension_dir') . "/$ext.so") || @dl("$ext.so");
}
if (!class_exists('Redis', false)) die('skip php-redis not installed (scripts/frameworks.sh deps)');
if (!is_executable('/usr/bin/redis-server')) die('skip redis-server not installed (scripts/frameworks.sh deps)');
foreach (['Bundle/FrameworkBundle', 'Component/Messenger', 'Component/Yaml'] as $part) {
    if (!is_file((getenv('MAILER_SYMFONY_DIR') ?: '/usr/share/php') . "/Symfony/$part/autoload.php")) {
        die("skip Symfony $part not installed (scripts/frameworks.sh deps)");
    }
}
?>
--FILE--
<?php
foreach (['igbinary', 'msgpack', 'redis'] as $ext) {
    extension_loaded($ext) || !is_file(ini_get('extension_dir') . "/$ext.so") || dl("$ext.so");
}
require __DIR__ . '/../frameworks/frameworks.inc';
mailer_bridge_load();
$symfony = getenv('MAILER_SYMFONY_DIR') ?: '/usr/share/php';
foreach (['Bundle/FrameworkBundle', 'Component/Yaml'] as $part) {
    require_once "$symfony/Symfony/$part/autoload.php";
}
if (!class_exists(Composer\InstalledVersions::class) && is_file('/usr/share/php/Composer/InstalledVersions.php')) {
    require_once '/usr/share/php/Composer/InstalledVersions.php';
}

use Symfony\Component\Messenger\EventListener\StopWorkerOnMessageLimitListener;
use Symfony\Component\Mime\Email;

final class MailerBatchKernel extends Symfony\Component\HttpKernel\Kernel
{
    use Symfony\Bundle\FrameworkBundle\Kernel\MicroKernelTrait;

    public function __construct(private string $dir)
    {
        parent::__construct('test', false);
    }

    public function getProjectDir(): string
    {
        return $this->dir;
    }
}

/** The README's YAML block that starts with $first. */
function readme_yaml(string $first): string
{
    $md = file_get_contents(dirname(__DIR__, 2) . '/bridge/symfony/README.md');
    preg_match_all('/```yaml\n(.*?)```/s', $md, $m);
    foreach ($m[1] as $block) {
        if (str_starts_with($block, $first)) {
            return $block;
        }
    }
    throw new RuntimeException("no YAML block starting with $first in the README");
}

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

$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]);
$dir = sys_get_temp_dir() . '/mailer-kernel-batch-' . getmypid();
mkdir("$dir/config/packages", 0777, true);
file_put_contents("$dir/config/bundles.php",
    "<?php return [Symfony\\Bundle\\FrameworkBundle\\FrameworkBundle::class => ['all' => true]];\n");
file_put_contents("$dir/config/packages/framework.yaml", <<<'YAML'
framework:
    secret: not-secret
    mailer:
        dsn: '%env(MAILER_DSN)%'
YAML);
// The README's two files as written; what they leave to the application: its \Redis service, and
// the factory registration of "Symfony (full-stack)".
file_put_contents("$dir/config/packages/messenger.yaml", readme_yaml('# config/packages/messenger.yaml'));
file_put_contents("$dir/config/services.yaml", readme_yaml("# config/services.yaml\nservices:\n    Mailer\\Bridge\\Symfony\\NativeSmtpTransportFactory:")
    . preg_replace('/^services:\n/m', '', readme_yaml('# config/services.yaml (with the factory'))
    . "    app.redis:\n        class: Redis\n        calls: [[connect, ['127.0.0.1', $port]]]\n");
file_put_contents("$dir/config/packages/test_aliases.yaml", <<<'YAML'
services:
    test.mailer: { alias: Symfony\Component\Mailer\MailerInterface, public: true }
    test.async: { alias: messenger.transport.async, public: true }
    test.bus: { alias: messenger.bus.default, public: true }
    test.handler: { alias: mailer.messenger.message_handler, public: true }
YAML);
$_SERVER['MAILER_DSN'] = $_ENV['MAILER_DSN'] = "native+smtp://127.0.0.1:$srv->port";
$_SERVER['MESSENGER_TRANSPORT_DSN'] = $_ENV['MESSENGER_TRANSPORT_DSN'] = 'in-memory://';

$kernel = new MailerBatchKernel($dir);
$kernel->boot();
$c = $kernel->getContainer();
foreach (['zoe', 'max', 'ann'] as $name) {
    $c->get('test.mailer')->send((new Email())->from('app@example.org')->to("$name@example.net")
        ->subject("hello $name")->text("Hello $name.\n"));
}
$async = $c->get('test.async');
// Symfony 6.3 moved InMemoryTransport into Transport\InMemory\: its short name is the same
$inner = get_class((fn () => $this->inner)->call($async));
echo get_class($async), ' around ', substr($inner, strrpos($inner, '\\') + 1), "\n";
echo get_class($c->get('test.handler')), ', server has ', $srv->messageCount(), "\n";

$dispatcher = $c->get('event_dispatcher');
$dispatcher->addSubscriber(new StopWorkerOnMessageLimitListener(3));
(new Symfony\Component\Messenger\Worker(['async' => $async], $c->get('test.bus'), $dispatcher))->run(['sleep' => 10000]);

echo 'server has ', $srv->messageCount(), ' on ', $srv->connectionCount(), " connection\n";
$subjects = [];
for ($n = 1; $n <= $srv->messageCount(); $n++) {
    $subjects[] = mailer_test_headers(mailer_test_python_parse($srv->message($n)))['subject'][0];
}
sort($subjects);
echo implode(', ', $subjects), "\n";
$states = [];
foreach ($redis->keys('mailer:delivery:<*') as $key) {
    $states[] = $redis->hGet($key, 'state');
}
echo 'guard states: ', implode(', ', $states), "\n";
exec('rm -rf ' . escapeshellarg($dir));
$kernel->shutdown();
unset($kernel, $c, $async, $dispatcher);
gc_collect_cycles();
$redis->close();
proc_terminate($redisProc);
proc_close($redisProc);
?>
--EXPECT--
Mailer\Bridge\Symfony\Messenger\PendingOnceReceiver around InMemoryTransport
Mailer\Bridge\Symfony\Messenger\SendEmailBatchHandler, server has 0
server has 3 on 1 connection
hello ann, hello max, hello zoe
guard states: accepted, accepted, accepted