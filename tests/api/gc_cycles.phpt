--TEST--
Cycles through a Mailer's options (a context option's object, the debug handler) are seen and freed by the cycle collector
--EXTENSIONS--
mailer
--FILE--
<?php
final class Holder { public $back; }
for ($i = 0; $i < 3; $i++) {
    // through the stream context's snapshot: option object -> closure -> Mailer -> snapshot
    $h = new Holder;
    $m = new Mailer('127.0.0.1', 25, options: ['context' => stream_context_create(['ssl' => ['cafile' => $h]])]);
    $h->back = function () use ($m) {};
    unset($h, $m);
    // through the debug handler: closure -> Mailer -> handler
    $m = new Mailer('127.0.0.1', 25, true, options: ['debug_handler' => function () use (&$m) {}]);
    unset($m);
}
$freed = gc_collect_cycles();
var_dump($freed >= 3 * 4);
?>
--EXPECT--
bool(true)
