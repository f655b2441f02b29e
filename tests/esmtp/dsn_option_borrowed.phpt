--TEST--
DSN option: the array, its "notify" list and the list's entries stay valid while a __toString of an entry runs, even when that code frees them
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';

final class Word
{
    public function __toString(): string
    {
        global $dsn, $notify, $first, $filler;
        // the option's array, its "notify" list and that list's first entry are references:
        // dropping them frees them (while they are being read) unless the constructor holds
        // references of its own; new arrays and strings then take the freed memory
        $dsn = null;
        $notify = null;
        $first = null;
        for ($i = 0; $i < 8; $i++) {
            $filler[] = ['notify' => [str_repeat('x', 7), 'y'], 'ret' => str_repeat('z', 4), 'envid' => 'w'];
            $filler[] = [str_repeat('v', 7), str_repeat('u', 7)];
        }
        return 'SUCCESS';
    }
}

$srv = mailer_test_server(['ehlo' => ['PIPELINING', 'DSN']]);
$first = implode('', ['FAIL', 'URE']); // made at run time: only the reference holds it
$notify = [&$first, new Word, 'DELAY'];
$dsn = ['notify' => &$notify, 'ret' => 'hdrs', 'envid' => 'id-' . str_repeat('7', 20)];
$m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['dsn' => &$dsn]);
var_dump($dsn, $notify, $first);
$m->sendmail('a@example.org', 'b@example.net', 's', 'b');
$env = $srv->envelope(1);
echo $env['mail_from'], "\n", $env['rcpt'][0], "\n";
?>
--EXPECT--
NULL
NULL
NULL
MAIL FROM:<a@example.org> RET=HDRS ENVID=id-77777777777777777777
RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;b@example.net
