--TEST--
connect(): refused port and unknown host are ConnectionExceptions at stage "connect" that say what failed
--EXTENSIONS--
mailer
--FILE--
<?php
$probe = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
foreach (["127.0.0.1:$port", 'no-such-host.invalid'] as $host) {
    $m = new Mailer($host, 25, '', '', false, ['timeout' => 3]);
    try {
        $m->connect();
    } catch (Mailer\ConnectionException $e) {
        echo get_class($e), ' [', $e->getStage(), '] ', preg_replace('/:\d+:/', ':PORT:', $e->getMessage()), "\n";
        var_dump($e->getSmtpCode(), $e->getReply(), $e->getEnhancedStatus());
    }
}
?>
--EXPECTF--
Mailer\ConnectionException [connect] could not connect to 127.0.0.1:PORT: Connection refused
int(0)
NULL
NULL
Mailer\ConnectionException [connect] could not connect to no-such-host.invalid:PORT: %s
int(0)
NULL
NULL
