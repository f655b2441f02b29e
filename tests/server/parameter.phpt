--TEST--
Strict test server, rule parameter: a MAIL or RCPT parameter the server did not offer, an unknown one, one given twice or a malformed value gets 555 and fails the test; offered ones pass
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
require __DIR__ . '/../inc/raw_client.inc';
$srv = mailer_test_server(['ehlo' => ['PIPELINING', '8BITMIME', 'DSN']]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
foreach (['MAIL FROM:<a@example.org> SIZE=100', 'MAIL FROM:<a@example.org> SMTPUTF8',
          'MAIL FROM:<a@example.org> BODY=BINARYMIME', 'MAIL FROM:<a@example.org> X-PRIORITY=1',
          'MAIL FROM:<a@example.org> RET=FULL RET=HDRS', 'MAIL FROM:<a@example.org> BODY=9BIT',
          'MAIL FROM:<a@example.org> ENVID=' . str_repeat('e', 101),
          'MAIL FROM:<a@example.org> BODY=8BITMIME RET=HDRS ENVID=x+2By',
          'RCPT TO:<b@example.net> NOTIFY=SOMETIMES', 'RCPT TO:<b@example.net> SIZE=1',
          'RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net'] as $cmd) {
    echo $cmd, ' -> ', $c->cmd($cmd), "\n";
}
$c->cmd('QUIT');
$srv->stop();
// nothing offered: BODY needs 8BITMIME, RET/ENVID/NOTIFY/ORCPT need DSN
$srv = mailer_test_server(['ehlo' => ['PIPELINING']]);
$c = mailer_raw_client($srv);
$c->reply();
$c->cmd('EHLO me');
foreach (['MAIL FROM:<a@example.org> BODY=8BITMIME', 'MAIL FROM:<a@example.org> RET=HDRS',
          'MAIL FROM:<a@example.org> ENVID=x', 'MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.net> NOTIFY=NEVER',
          'RCPT TO:<b@example.net> ORCPT=rfc822;b@example.net'] as $cmd) {
    echo $cmd, ' -> ', $c->cmd($cmd), "\n";
}
$c->cmd('QUIT');
$srv->stop();
?>
--EXPECT--
MAIL FROM:<a@example.org> SIZE=100 -> 555 5.5.4 Unsupported option: SIZE
MAIL FROM:<a@example.org> SMTPUTF8 -> 555 5.5.4 Unsupported option: SMTPUTF8
MAIL FROM:<a@example.org> BODY=BINARYMIME -> 555 5.5.4 Unsupported option: BODY
MAIL FROM:<a@example.org> X-PRIORITY=1 -> 555 5.5.4 Unsupported option: X-PRIORITY
MAIL FROM:<a@example.org> RET=FULL RET=HDRS -> 555 5.5.4 Unsupported option: RET
MAIL FROM:<a@example.org> BODY=9BIT -> 555 5.5.4 Unsupported option: BODY
MAIL FROM:<a@example.org> ENVID=eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee -> 555 5.5.4 Unsupported option: ENVID
MAIL FROM:<a@example.org> BODY=8BITMIME RET=HDRS ENVID=x+2By -> 250 2.1.0 Ok
RCPT TO:<b@example.net> NOTIFY=SOMETIMES -> 555 5.5.4 Unsupported option: NOTIFY
RCPT TO:<b@example.net> SIZE=1 -> 555 5.5.4 Unsupported option: SIZE
RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net -> 250 2.1.5 Ok

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: parameter: "MAIL FROM:<a@example.org> SIZE=100": SIZE without SIZE in the EHLO reply in force
  connection 1: parameter: "MAIL FROM:<a@example.org> SMTPUTF8": SMTPUTF8 without SMTPUTF8 in the EHLO reply in force
  connection 1: parameter: "MAIL FROM:<a@example.org> BODY=BINARYMIME": BODY without BINARYMIME in the EHLO reply in force
  connection 1: parameter: "MAIL FROM:<a@example.org> X-PRIORITY=1": X-PRIORITY is no MAIL parameter
  connection 1: parameter: "MAIL FROM:<a@example.org> RET=FULL RET=HDRS": RET twice
  connection 1: parameter: "MAIL FROM:<a@example.org> BODY=9BIT": BODY has a malformed value
  connection 1: parameter: "MAIL FROM:<a@example.org> ENVID=eeeeeeeeeeeeeeeeeeeeeeeee...": ENVID has a malformed value
  connection 1: parameter: "RCPT TO:<b@example.net> NOTIFY=SOMETIMES": NOTIFY has a malformed value
  connection 1: parameter: "RCPT TO:<b@example.net> SIZE=1": SIZE is no RCPT parameter
MAIL FROM:<a@example.org> BODY=8BITMIME -> 555 5.5.4 Unsupported option: BODY
MAIL FROM:<a@example.org> RET=HDRS -> 555 5.5.4 Unsupported option: RET
MAIL FROM:<a@example.org> ENVID=x -> 555 5.5.4 Unsupported option: ENVID
MAIL FROM:<a@example.org> -> 250 2.1.0 Ok
RCPT TO:<b@example.net> NOTIFY=NEVER -> 555 5.5.4 Unsupported option: NOTIFY
RCPT TO:<b@example.net> ORCPT=rfc822;b@example.net -> 555 5.5.4 Unsupported option: ORCPT

mailer test server: the client violated the protocol (the server is strict; a test that means it declares "allow_violations"):
  connection 1: parameter: "MAIL FROM:<a@example.org> BODY=8BITMIME": BODY without 8BITMIME in the EHLO reply in force
  connection 1: parameter: "MAIL FROM:<a@example.org> RET=HDRS": RET without DSN in the EHLO reply in force
  connection 1: parameter: "MAIL FROM:<a@example.org> ENVID=x": ENVID without DSN in the EHLO reply in force
  connection 1: parameter: "RCPT TO:<b@example.net> NOTIFY=NEVER": NOTIFY without DSN in the EHLO reply in force
  connection 1: parameter: "RCPT TO:<b@example.net> ORCPT=rfc822;b@example.net": ORCPT without DSN in the EHLO reply in force
