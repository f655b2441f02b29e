--TEST--
Postfix relay port over IPv6 loopback ([::1]): message delivered, Postfix saw the client at ::1
--EXTENSIONS--
mailer
--SKIPIF--
<?php
require __DIR__ . '/../inc/postfix.inc';
mailer_postfix_skipif();
if ((mailer_postfix_env()['MAILER_POSTFIX_IPV6'] ?? '0') !== '1') {
    die('skip the Postfix instance listens on IPv4 only (no ::1 on this machine)');
}
?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$m = mailer_postfix_mailer('relay', [], null, null, '[::1]');
$reply = $m->sendmail('a@example.org', 'b@example.net', "over IPv6 $tag", "<p>v6</p>\n",
    ['Message-ID' => "<v6.$tag@php-mailer.test>"]);
$m->close();
var_dump(mailer_postfix_queue_id($reply) !== null);
$files = mailer_postfix_wait($tag);
$trace = mailer_postfix_trace(file_get_contents($files[0]));
echo preg_match('/^Received: from \S+ \(\S+ \[(\S+)\]\)/m', $trace, $rm) ? $rm[1] : $trace, "\n";
mailer_postfix_cleanup($tag);
?>
--EXPECT--
bool(true)
IPv6:::1
