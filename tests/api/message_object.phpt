--TEST--
Mailer\Message object: final, methods chain on the same instance, not clonable nor serializable, arguments coerced like any string parameter
--EXTENSIONS--
mailer
--FILE--
<?php
$r = new ReflectionClass(Mailer\Message::class);
var_dump($r->isFinal());
echo implode(' ', array_map(fn($m) => $m->name, $r->getMethods())), "\n";
$m = new Mailer\Message;
$same = $m->from('a@example.org')->to('b@example.net')->cc()->bcc()->replyTo('r@example.org')->subject('s')
    ->text('t')->html('h')->attachData('d', 'd.txt')->header('X-A', 'b');
var_dump($same === $m);
try {
    clone $m;
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    serialize($m);
} catch (Exception $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $m->dynamic = 1;
} catch (Error $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
// variadic arguments follow the usual rules: ints become strings, arrays are refused
try {
    $m->to(42);
} catch (ValueError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $m->to('c@example.net', ['d@example.net']);
} catch (TypeError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
try {
    $m->embed('/nonexistent.png');
} catch (ArgumentCountError $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
// the failed to() added nothing
var_dump(substr_count($m->toString(), 'c@example.net'));
unset($m, $same);
echo "freed\n";
?>
--EXPECTF--
bool(true)
from to cc bcc replyTo subject text html attach attachData embed header toString
bool(true)
Error: Trying to clone an uncloneable object of class Mailer\Message
Exception: Serialization of 'Mailer\Message' is not allowed
Error: Cannot create dynamic property Mailer\Message::$dynamic
ValueError: Mailer\Message::to(): invalid address "42": %s
TypeError: Mailer\Message::to(): Argument #2 must be of type string, array given
ArgumentCountError: Mailer\Message::embed() expects at least 2 arguments, 1 given
int(0)
freed
