--TEST--
sendMany(): onResult throwing stops the batch: no item is taken after it, what is in flight is finished (never half-sent), then the exception comes out unchanged; the Mailer stays usable
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$srv = mailer_test_server([]);
$m = new Mailer('127.0.0.1', $srv->port);
$taken = [];
$gen = function () use (&$taken) {
    for ($i = 1; $i <= 200; $i++) {
        $taken[] = $i;
        yield $i => many_raw((string)$i);
    }
};
$told = [];
try {
    $m->sendMany($gen(), function (int $key, Mailer\Result $r) use (&$told) {
        $told[$key] = $r->status;
        if ($key === 3) {
            throw new DomainException("stop after $key");
        }
    }, ['window' => 8]);
    echo "no exception\n";
} catch (DomainException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
ksort($told);
$delivered = many_delivered($srv);
// every item taken was told, and delivered exactly once; none was left half-sent
var_dump(array_keys($told) === $taken, array_keys($delivered) === $taken, max($delivered));
var_dump(count($taken) >= 3 && count($taken) < 200);
$log = $srv->log(1);
var_dump(substr_count($log, 'C: MAIL FROM') === count($taken));
// usable afterwards
$reply = $m->sendRaw('a@example.org', 'b@example.net', many_raw('after')['data']);
var_dump($reply === sprintf('250 2.0.0 Ok: queued as TEST%04d', count($taken) + 1), $srv->connectionCount());
?>
--EXPECT--
DomainException: stop after 3
bool(true)
bool(true)
int(1)
bool(true)
bool(true)
bool(true)
int(1)
