--TEST--
DSN option: the array stays valid while a __toString of a "notify" entry runs, even when that code frees the option's array
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

final class Word
{
    public function __toString(): string
    {
        global $dsn, $filler;
        // the array is reached by reference from the options: dropping it frees it (the
        // "notify" list being read included) unless the constructor holds references; new
        // arrays then take the freed memory
        $dsn = null;
        for ($i = 0; $i < 8; $i++) {
            $filler[] = ['notify' => [str_repeat('x', 7), 'y'], 'ret' => str_repeat('z', 4), 'envid' => 'w'];
            $filler[] = [str_repeat('v', 7), str_repeat('u', 7)];
        }
        return 'SUCCESS';
    }
}

$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'DSN']]);
$dsn = ['notify' => [new Word, implode('', ['FAIL', 'URE'])], 'ret' => 'hdrs', 'envid' => 'id-' . str_repeat('7', 20)];
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['dsn' => &$dsn]);
var_dump($dsn);
$m->sendmail('a@example.org', 'b@example.net', 's', 'b');
$env = $srv->envelope(1);
echo $env['mail_from'], "\n", $env['rcpt'][0], "\n";
?>
--EXPECT--
NULL
MAIL FROM:<a@example.org> RET=HDRS ENVID=id-77777777777777777777
RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net
