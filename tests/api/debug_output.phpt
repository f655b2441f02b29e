--TEST--
debug(): "debug: $message" on the CLI only when debug is on; debug_handler receives the lines instead, also only when debug is on
--EXTENSIONS--
mailer
--FILE--
<?php
$quiet = new Mailer('mail.invalid');
$quiet->debug('not shown');
$loud = new Mailer('mail.invalid', 25, '', '', true);
$loud->debug('shown <b>as is</b> on the CLI');
$lines = [];
$handler = function (string $line) use (&$lines) {
    $lines[] = $line;
};
// the handler says where lines go, not whether there are any: with debug off, nothing
$off = new Mailer('mail.invalid', 25, '', '', false, ['debug_handler' => $handler]);
$off->debug('not to the handler');
$handled = new Mailer('mail.invalid', 25, '', '', true, ['debug_handler' => $handler]);
$handled->debug('to the handler');
var_dump($lines);
// a handler that throws: the exception reaches the caller of the method that debugged
$throwing = new Mailer('mail.invalid', 25, '', '', true, ['debug_handler' => function () { throw new LogicException('from handler'); }]);
try {
    $throwing->debug('x');
} catch (LogicException $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
debug: shown <b>as is</b> on the CLI
array(1) {
  [0]=>
  string(14) "to the handler"
}
from handler
