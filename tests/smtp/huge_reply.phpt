--TEST--
Absurd replies (a 1 MB line, 10,000 continuation lines): clear exception, bounded memory, no hang
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$before = memory_get_usage();
foreach ([['line_bytes' => 1048576], ['lines' => 10000]] as $huge) {
    $srv = mailer_test_server(['huge_reply' => ['at' => 'EHLO'] + $huge]);
    $m = new Mailer('127.0.0.1', $srv->port, '', '', false, ['timeout' => 5]);
    $t = microtime(true);
    try {
        $m->connect();
        echo "no exception\n";
    } catch (Mailer\Exception $e) {
        echo get_class($e), ' [', $e->getStage(), '] ', $e->getMessage(), "\n";
    }
    var_dump(microtime(true) - $t < 4, $m->isConnected());
    unset($e);
    $srv->stop();
}
// nothing of the absurd replies stays behind
var_dump(memory_get_usage() - $before < 200000, memory_get_peak_usage() < 16 * 1048576);
?>
--EXPECT--
Mailer\Exception [ehlo] malformed reply: a reply line is longer than 4096 bytes
bool(true)
bool(false)
Mailer\Exception [ehlo] malformed reply from the server: reply has too many lines
bool(true)
bool(false)
bool(true)
bool(true)
