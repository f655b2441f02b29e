--TEST--
Mailer\Message cannot be changed while it is being sent (e.g. from a debug handler); the send completes unharmed
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/mime.inc';
$srv = mailer_test_server();
$m = (new Mailer\Message)->from('a@example.org')->to('b@example.net')->text('original')
    ->attachData(str_repeat('x', 100000), 'x.bin');
$errors = [];
$mailer = new Mailer('127.0.0.1', $srv->port, debug: true, options: ['debug_handler' => function (string $line) use ($m, &$errors) {
    try {
        $m->text('changed')->attachData('y', 'y.bin');
    } catch (Error $e) {
        $errors[$e->getMessage()] = true;
    }
}]);
echo $mailer->send($m), "\n";
print_r(array_keys($errors));
$p = $srv->parse(1);
echo $p['structure'], ' ', mailer_test_part($p, 'text/plain')['text'], "\n";
// afterwards it can be changed again
$m->text('changed');
echo mailer_test_part(mailer_test_python_parse($m->toString()), 'text/plain')['text'], "\n";
?>
--EXPECTF--
250 2.0.0 Ok: queued as TEST%d
Array
(
    [0] => Mailer\Message is busy being sent or converted; Mailer\Message::text() cannot be called until that is done
)
multipart/mixed(text/plain,application/octet-stream) original
changed
