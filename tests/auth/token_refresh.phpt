--TEST--
auth_token: an expired token is refused; the callable is asked once more with $refresh = true and AUTH is tried again on the same connection (XOAUTH2 and OAUTHBEARER)
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
foreach (['XOAUTH2', 'OAUTHBEARER'] as $mech) {
    $srv = mailer_test_server(['auth_user' => 'me@example.org', 'ehlo' => ["AUTH $mech"],
        'auth_tokens' => ['tok-old' => false, 'tok-new' => true]]);
    $calls = [];
    $m = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, ['allow_insecure_auth' => true,
        'auth_token' => function (bool $refresh) use (&$calls): string {
            $calls[] = $refresh;
            return $refresh ? 'tok-new' : 'tok-old';
        }]);
    echo $mech, ': ', $m->sendmail('a@example.org', 'b@example.net', 's', 'b'), "\n";
    echo '  calls: ', json_encode($calls), "\n";
    $m->close();
    $srv->waitClosed(1);
    // what the server saw: two AUTH exchanges on one connection, the tokens in order
    $log = $srv->log(1);
    preg_match_all('/^C: AUTH \S+ (\S+)$/m', $log, $auths);
    $tokens = array_map(fn($b) => preg_match('/Bearer ([^\x01]*)/', base64_decode($b), $t) ? $t[1] : '?', $auths[1]);
    echo '  tokens sent: ', implode(', ', $tokens), '; connections: ', $srv->connectionCount(),
        '; messages: ', $srv->messageCount(), '; 535: ', substr_count($log, 'S: 535'), '; 235: ', substr_count($log, 'S: 235'), "\n";
    echo '  authenticated as: ', $srv->envelope(1)['auth'] ?? 'nobody', "\n";
}
?>
--EXPECT--
XOAUTH2: 250 2.0.0 Ok: queued as TEST0001
  calls: [false,true]
  tokens sent: tok-old, tok-new; connections: 1; messages: 1; 535: 1; 235: 1
  authenticated as: me@example.org
OAUTHBEARER: 250 2.0.0 Ok: queued as TEST0001
  calls: [false,true]
  tokens sent: tok-old, tok-new; connections: 1; messages: 1; 535: 1; 235: 1
  authenticated as: me@example.org
