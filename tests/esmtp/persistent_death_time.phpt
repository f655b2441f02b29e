--TEST--
persistent: a request killed by max_execution_time mid-exchange leaves a session that is never resumed nor written to (php-cgi -T 2)
--EXTENSIONS--
mailer
--SKIPIF--
<?php
$cgi = getenv('TEST_PHP_CGI_EXECUTABLE') ?: '/usr/bin/php-cgi';
if (!is_executable($cgi)) die("skip php-cgi is needed to run several requests in one process ($cgi missing)");
// Under valgrind a CPU-time limit takes minutes to expire at every stage; how the request dies
// does not change what the extension does, and persistent_death_error.phpt runs the same
// stages under valgrind.
if (getenv('USE_ZEND_ALLOC') === '0') die('skip under valgrind: the same path as persistent_death_error.phpt, 6 minutes of CPU-time limits');
?>
--FILE--
<?php
require __DIR__ . '/persistent_death.inc';
persistent_death_run('time');
?>
--ENV--
MAILER_SO={PWD}/../../modules/mailer.so
--EXPECT--
mail: request 1 died there; dave: exactly his message; request 1's recipients: nothing of it; request 2: 250; session left by request 1: never resumed unclean
mail-bdat: request 1 died there; dave: exactly his message; request 1's recipients: nothing of it; request 2: 250; session left by request 1: never resumed unclean
rcpt: request 1 died there; dave: exactly his message; request 1's recipients: nothing of it; request 2: 250; session left by request 1: never resumed unclean
data: request 1 died there; dave: exactly his message; request 1's recipients: nothing of it; request 2: 250; session left by request 1: never resumed unclean
eod: request 1 died there; dave: exactly his message; request 1's recipients: nothing of it; request 2: 250; session left by request 1: never resumed unclean
rset: request 1 died there; dave: exactly his message; request 1's recipients: nothing of it; request 2: 250; session left by request 1: never resumed unclean
