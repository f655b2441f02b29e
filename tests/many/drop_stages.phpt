--TEST--
sendMany(): the connection dropped mid-batch at MAIL, RCPT, DATA, in the data and after the end of data: no item lost, none delivered twice (counted by Message-ID at the server); an item not completely written is resent on a new connection, the one whose end of data went out without a reply is "uncertain" and not resent
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/many.inc';
$cases = [
    'MAIL' => ['drop' => ['at' => 'MAIL#3', 'connection' => 0]],
    'RCPT' => ['drop' => ['at' => 'RCPT#3', 'connection' => 0]],
    'DATA' => ['drop' => ['at' => 'DATA#3', 'connection' => 0]],
    // far more than the socket buffers hold, so the drop comes while the client still writes
    'in the data' => ['drop_data_after' => 65536, 'drop_data_message' => 3,
        'ehlo' => ['PIPELINING', 'SIZE 100000000']],
    'EOD' => ['drop' => ['at' => 'EOD#3', 'connection' => 0]],
];
foreach ($cases as $stage => $config) {
    $srv = mailer_test_server($config);
    $m = new Mailer('127.0.0.1', $srv->port);
    $items = [];
    for ($i = 1; $i <= 5; $i++) {
        $items[$i] = many_raw((string)$i, 'b@example.net', $i === 3 && $stage === 'in the data' ? 17000000 : 0);
    }
    $fates = [];
    $summary = $m->sendMany($items, function (int $key, Mailer\Result $r) use (&$fates) {
        $fates[$key] = $r->status . ($r->error ? ' [' . $r->error->getStage() . ']' : '');
    });
    ksort($fates);
    $delivered = many_delivered($srv);
    echo "$stage: ", json_encode($fates), "\n";
    echo "  delivered: ", json_encode($delivered), ", connections: ", $srv->connectionCount(), "\n";
    // no item lost: each was told, and each sent one is at the server exactly once
    foreach ($fates as $k => $f) {
        if (str_starts_with($f, 'sent') && ($delivered[$k] ?? 0) !== 1) {
            echo "  item $k: told sent, delivered ", $delivered[$k] ?? 0, " times\n";
        }
    }
    if (max($delivered) > 1) {
        echo "  delivered twice!\n";
    }
    $srv->stop();
}
?>
--EXPECT--
MAIL: {"1":"sent","2":"sent","3":"sent","4":"sent","5":"sent"}
  delivered: {"1":1,"2":1,"3":1,"4":1,"5":1}, connections: 2
RCPT: {"1":"sent","2":"sent","3":"sent","4":"sent","5":"sent"}
  delivered: {"1":1,"2":1,"3":1,"4":1,"5":1}, connections: 2
DATA: {"1":"sent","2":"sent","3":"sent","4":"sent","5":"sent"}
  delivered: {"1":1,"2":1,"3":1,"4":1,"5":1}, connections: 2
in the data: {"1":"sent","2":"sent","3":"sent","4":"sent","5":"sent"}
  delivered: {"1":1,"2":1,"3":1,"4":1,"5":1}, connections: 2
EOD: {"1":"sent","2":"sent","3":"uncertain [eod]","4":"sent","5":"sent"}
  delivered: {"1":1,"2":1,"4":1,"5":1}, connections: 2
