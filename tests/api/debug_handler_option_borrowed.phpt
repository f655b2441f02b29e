--TEST--
debug_handler option: a "Class::method" string stays valid while checking it autoloads the class, even when the autoloader replaces the option's value
--EXTENSIONS--
mailer
--FILE--
<?php
function declare_sink(): void
{
    final class LogSink
    {
        public static function line(string $line): void
        {
            echo "LogSink: $line\n";
        }
    }
}
spl_autoload_register(function (string $class) {
    global $handler, $filler;
    echo "autoload $class\n";
    // the handler is reached by reference from the options: replacing it frees the string
    // being checked, unless the constructor holds a reference; new strings then take its memory
    $size = strlen($handler);
    $handler = 42;
    for ($i = 0; $i < 8; $i++) {
        $filler[] = str_repeat('z', $size);
    }
    declare_sink();
});

$handler = implode('::', ['LogSink', 'line']); // made at run time: only $handler holds it
$m = new Mailer('mail.invalid', 25, '', '', true, ['debug_handler' => &$handler]);
var_dump($handler);
$m->debug('hello');
?>
--EXPECT--
autoload LogSink
int(42)
LogSink: hello
