--TEST--
Symfony full-stack: a kernel (FrameworkBundle) with the README's services.yaml and MAILER_DSN=native+smtp://... sends through Messenger: Mailer::send() queues a SendEmailMessage on the async transport (nothing reaches the server), a worker handles it and the native transport delivers it; a MessageEvent listener of the framework's dispatcher runs
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/frameworks.inc';
mailer_bridge_skipif();
if (getenv('USE_ZEND_ALLOC') === '0') {
    // valgrind: objects the kernel's generators hold when the request ends are reported as lost by
    // PHP 8.2 itself (no frame of the extension in any record); the extension's part of this path
    // runs under valgrind in tests/bridge
    die('skip under valgrind: PHP leaks the Symfony kernel generators\' objects at request end');
}
foreach (['Bundle/FrameworkBundle', 'Component/Messenger', 'Component/Yaml'] as $part) {
    if (!is_file((getenv('MAILER_SYMFONY_DIR') ?: '/usr/share/php') . "/Symfony/$part/autoload.php")) {
        die("skip Symfony $part not installed (php-symfony-framework-bundle, php-symfony-messenger, php-symfony-yaml: scripts/frameworks.sh deps)");
    }
}
?>
--FILE--
<?php
require __DIR__ . '/frameworks.inc';
mailer_bridge_load();
$symfony = getenv('MAILER_SYMFONY_DIR') ?: '/usr/share/php';
foreach (['Bundle/FrameworkBundle', 'Component/Yaml'] as $part) {
    require_once "$symfony/Symfony/$part/autoload.php";
}
// FrameworkBundle 6.x and later asks Composer\InstalledVersions which packages are there; without
// Composer, Debian's composer package provides the class (it then finds none and trusts the classes).
if (!class_exists(Composer\InstalledVersions::class) && is_file('/usr/share/php/Composer/InstalledVersions.php')) {
    require_once '/usr/share/php/Composer/InstalledVersions.php';
}

use Symfony\Component\Mailer\Event\MessageEvent;
use Symfony\Component\Messenger\EventListener\StopWorkerOnMessageLimitListener;
use Symfony\Component\Messenger\Worker;
use Symfony\Component\Mime\Email;

final class MailerTestKernel extends Symfony\Component\HttpKernel\Kernel
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

$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME']]);
$dir = sys_get_temp_dir() . '/mailer-kernel-' . getmypid();
mkdir("$dir/config/packages", 0777, true);
file_put_contents("$dir/config/bundles.php",
    "<?php return [Symfony\\Bundle\\FrameworkBundle\\FrameworkBundle::class => ['all' => true]];\n");
file_put_contents("$dir/config/packages/framework.yaml", <<<'YAML'
framework:
    secret: not-secret
    mailer:
        dsn: '%env(MAILER_DSN)%'
    messenger:
        transports:
            async: 'in-memory://'
        routing:
            'Symfony\Component\Mailer\Messenger\SendEmailMessage': async
YAML);
// What the test reaches from outside (an application injects these instead).
file_put_contents("$dir/config/packages/test_aliases.yaml", <<<'YAML'
services:
    test.mailer: { alias: Symfony\Component\Mailer\MailerInterface, public: true }
    test.async: { alias: messenger.transport.async, public: true }
    test.bus: { alias: messenger.bus.default, public: true }
YAML);
// The README's services.yaml, as is.
file_put_contents("$dir/config/services.yaml", <<<'YAML'
# config/services.yaml
services:
    Mailer\Bridge\Symfony\NativeSmtpTransportFactory:
        arguments: ['@event_dispatcher', null, '@?logger']
        tags: ['mailer.transport_factory']
YAML);
$_SERVER['MAILER_DSN'] = $_ENV['MAILER_DSN'] = "native+smtp://127.0.0.1:$srv->port";

$kernel = new MailerTestKernel($dir);
$kernel->boot();
$c = $kernel->getContainer();
$c->get('event_dispatcher')->addListener(MessageEvent::class, function (MessageEvent $e): void {
    echo 'MessageEvent: ', $e->getMessage()->getSubject(), ', queued: ', var_export($e->isQueued(), true), ', ', $e->getTransport(), "\n";
});

$c->get('test.mailer')->send((new Email())->from('app@example.org')->to('user@example.net')
    ->subject('through Messenger')->text("Hello from the kernel.\n"));
$async = $c->get('test.async');
echo 'queued: ', count($async->getSent()), ', server has ', $srv->messageCount(), "\n";

$dispatcher = $c->get('event_dispatcher');
$dispatcher->addSubscriber(new StopWorkerOnMessageLimitListener(1));
(new Worker(['async' => $async], $c->get('test.bus'), $dispatcher))->run(['sleep' => 10000]);

echo 'acknowledged: ', count($async->getAcknowledged()), ', server has ', $srv->messageCount(), "\n";
$env = $srv->envelope(1);
echo $env['helo'] === 'EHLO [127.0.0.1]' ? "Symfony's own transport?!" : 'the native transport', ': ',
    $env['mail_from'], ' ', implode(' ', $env['rcpt']), "\n";
$h = mailer_test_headers(mailer_test_python_parse($srv->message(1)));
echo $h['subject'][0], "\n";
exec('rm -rf ' . escapeshellarg($dir));
// the kernel's container is one large cycle: free it before the request ends, where PHP
// leaves cycles to the allocator (valgrind would report them)
$kernel->shutdown();
unset($kernel, $c, $async, $dispatcher);
gc_collect_cycles();
?>
--EXPECTF--
MessageEvent: through Messenger, queued: true, %s
queued: 1, server has 0
MessageEvent: through Messenger, queued: false, native+smtp://127.0.0.1:%d
acknowledged: 1, server has 1
the native transport: MAIL FROM:<app@example.org> RCPT TO:<user@example.net>
through Messenger
