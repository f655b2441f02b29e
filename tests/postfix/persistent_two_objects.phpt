--TEST--
Postfix relay port, persistent: a kept session serves one object at a time: two live objects of one request with the same configuration each open a connection of their own, and each message is delivered
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$events = ['a' => [], 'b' => []];
$make = function (string $k) use (&$events, $tag): Mailer {
    return mailer_postfix_mailer('relay', ['persistent' => "two-$tag", 'debug_handler' => function ($l) use (&$events, $k) {
        if ($l[0] === '*') {
            $events[$k][] = preg_replace('/:\d+/', ':PORT', $l);
        }
    }]);
};
$a = $make('a');
$b = $make('b');
$a->connect();
$b->connect();
echo implode("\n", $events['a']), "\n--\n", implode("\n", $events['b']), "\n";
echo substr($a->sendmail('a@example.org', 'x@example.net', "from a $tag", 'a'), 0, 3), "\n";
echo substr($b->sendmail('a@example.org', 'x@example.net', "from b $tag", 'b'), 0, 3), "\n";
$a->close();
$b->close();
var_dump(count(mailer_postfix_wait($tag, 2)));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
* connecting to 127.0.0.1:PORT
* connected
--
* connecting to 127.0.0.1:PORT
* connected
250
250
int(2)
