--TEST--
persistent: a context option that cannot be compared (an object, a resource, deep nesting) refuses persistence with a ValueError at construction (deep nesting refuses any Mailer)
--EXTENSIONS--
mailer
--FILE--
<?php
$try = function (array $ssl, bool $persistent = true): void {
    try {
        new Mailer('127.0.0.1', 25, '', '', false,
            ['persistent' => $persistent, 'context' => stream_context_create(['ssl' => $ssl])]);
        echo "constructed\n";
    } catch (ValueError $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
};
$try(['local_cert' => new ArrayObject()]);
$try(['peer_fingerprint' => ['sha256' => fopen('php://memory', 'r')]]);
$deep = 'x';
for ($i = 0; $i < 20; $i++) {
    $deep = [$deep];
}
$try(['ciphers' => $deep]);
$try(['ciphers' => $deep], false); // the options are copied at construction, persistent or not
// an object without persistence: nothing is compared
$try(['local_cert' => new ArrayObject()], false);
// scalars and arrays of them are fine; options of other wrappers are not the connection's
$try(['verify_peer' => false, 'peer_fingerprint' => ['sha256' => str_repeat('a', 64)], 'security_level' => 1,
    'ciphers' => null, 'verify_depth' => 1.0]);
new Mailer('127.0.0.1', 25, '', '', false, ['persistent' => true,
    'context' => stream_context_create(['http' => ['header' => new ArrayObject()]])]);
echo "other wrappers: constructed\n";
?>
--EXPECT--
ValueError: Mailer::__construct(): Argument #6 ($options) option "context" ["ssl"]["local_cert"] is an object of class ArrayObject, which a persistent connection cannot compare (the pool key covers the whole configuration); give a scalar or an array, or leave "persistent" off
ValueError: Mailer::__construct(): Argument #6 ($options) option "context" ["ssl"]["peer_fingerprint"]["sha256"] is a resource, which a persistent connection cannot compare (the pool key covers the whole configuration); give a scalar or an array, or leave "persistent" off
ValueError: Mailer::__construct(): Argument #6 ($options) option "context": the "ssl" options are nested more than 16 levels deep
ValueError: Mailer::__construct(): Argument #6 ($options) option "context": the "ssl" options are nested more than 16 levels deep
constructed
constructed
other wrappers: constructed
