--TEST--
Symfony bridge: a BeforeDataEvent listener that throws ends the transaction before the end of data, so nothing is delivered, its exception comes out of send(), and the transport goes on with the next message
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/bridge.inc'; mailer_bridge_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/bridge.inc';
mailer_bridge_load();

use Mailer\Bridge\Symfony\Event\BeforeDataEvent;
use Symfony\Component\EventDispatcher\EventDispatcher;
use Symfony\Component\Mime\Email;

$dispatcher = new EventDispatcher();
$dispatcher->addListener(BeforeDataEvent::class, function (BeforeDataEvent $event): void {
    $subject = $event->getMessage()->getOriginalMessage()->getSubject();
    echo "  before data: $subject, ", $event->getTransport(), "\n";
    if ($subject === 'refused by the listener') {
        throw new RuntimeException('the state store is down');
    }
});
$email = fn (string $subject) => (new Email())->from('a@example.org')->to('b@example.net', 'c@example.net')
    ->subject($subject)->text("body\n");

foreach (['DATA, pipelined' => ['PIPELINING', '8BITMIME'], 'DATA' => ['8BITMIME'],
    'BDAT' => ['PIPELINING', 'CHUNKING']] as $name => $ehlo) {
    echo "-- $name\n";
    $srv = mailer_test_server(['ehlo' => $ehlo]);
    // transcript=1 as well: the user's debug lines still come
    $t = mailer_bridge_transport("native+smtp://127.0.0.1:$srv->port?transcript=1", $dispatcher);
    foreach (['first', 'refused by the listener', 'third'] as $subject) {
        try {
            $sent = $t->send($email($subject));
            $lines = explode("\n", trim($sent->getDebug()));
            echo "  sent: $subject, debug ", count($lines) > 3 ? 'ok' : 'missing', "\n";
        } catch (Throwable $e) {
            echo '  ', get_class($e), ': ', $e->getMessage(), "\n";
        }
    }
    $got = [];
    for ($i = 1; $i <= $srv->messageCount(); $i++) {
        $got[] = mailer_test_headers(mailer_test_python_parse($srv->message($i)))['subject'][0];
    }
    echo '  server: ', implode(', ', $got), "\n";
    unset($t);
}
mailer_bridge_cleanup();
?>
--EXPECTF--
-- DATA, pipelined
  before data: first, native+smtp://127.0.0.1:%d
  sent: first, debug ok
  before data: refused by the listener, native+smtp://127.0.0.1:%d
  RuntimeException: the state store is down
  before data: third, native+smtp://127.0.0.1:%d
  sent: third, debug ok
  server: first, third
-- DATA
  before data: first, native+smtp://127.0.0.1:%d
  sent: first, debug ok
  before data: refused by the listener, native+smtp://127.0.0.1:%d
  RuntimeException: the state store is down
  before data: third, native+smtp://127.0.0.1:%d
  sent: third, debug ok
  server: first, third
-- BDAT
  before data: first, native+smtp://127.0.0.1:%d
  sent: first, debug ok
  before data: refused by the listener, native+smtp://127.0.0.1:%d
  RuntimeException: the state store is down
  before data: third, native+smtp://127.0.0.1:%d
  sent: third, debug ok
  server: first, third
