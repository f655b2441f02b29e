--TEST--
auth_token: the token (as given, or inside its SASL message) never appears in debug output, exceptions or the exception's trace; both tokens of a refresh are masked
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$old = 'ya29.OLD-token-0123456789';
$new = 'ya29.NEW-token-9876543210';
// a token as given, or in any base64 word of the text (the SASL messages of both mechanisms)
$leaks = function (string $text) use ($old, $new): int {
    preg_match_all('~[A-Za-z0-9+/]{16,}={0,2}~', $text, $words);
    $decoded = implode("\n", array_map(fn($w) => (string)base64_decode($w), $words[0]));
    $n = 0;
    foreach ([$old, $new] as $t) {
        $n += substr_count($text, $t) + substr_count($decoded, $t) + substr_count($text, substr($t, 5));
    }
    return $n;
};
foreach (['XOAUTH2', 'OAUTHBEARER'] as $mech) {
    $srv = mailer_test_server(['auth_user' => 'me@example.org', 'ehlo' => ["AUTH $mech"],
        'auth_tokens' => [$old => false, $new => true]]);
    $lines = [];
    $m = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', true, ['allow_insecure_auth' => true,
        'debug_handler' => function (string $l) use (&$lines) { $lines[] = $l; },
        'auth_token' => fn(bool $refresh) => $refresh ? $new : $old]);
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    $m->close();
    $out = implode("\n", $lines);
    echo "$mech: ", $leaks($out), " leaks\n";
    echo implode("\n", preg_grep('/AUTH|\*\*\*\*|token|authenticated|S: 334|S: 535/', $lines)), "\n";
    $srv->waitClosed(1);
    // the server did receive both tokens: the masking is in the client's output only
    var_dump($leaks($srv->log(1)));
}
// a refused refresh: the exception says nothing of either token
$srv = mailer_test_server(['auth_user' => 'me@example.org', 'ehlo' => ['AUTH XOAUTH2'], 'auth_tokens' => [$old => false]]);
$m = new Mailer('127.0.0.1', $srv->port, 'me@example.org', '', false, ['allow_insecure_auth' => true,
    'auth_token' => fn(bool $refresh) => $refresh ? $new : $old]);
try {
    $m->connect();
} catch (Mailer\AuthenticationException $e) {
    echo 'exception: ', $leaks(print_r($e, true) . $e . $e->getTraceAsString() . $e->getCommand() . $e->getReply()), " leaks\n";
}
?>
--EXPECT--
XOAUTH2: 0 leaks
S: 250 AUTH XOAUTH2
C: AUTH XOAUTH2 ****
S: 334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==
C: ****
S: 535 5.7.8 Error: authentication failed
* the server refused the token; asking for a new one
C: AUTH XOAUTH2 ****
* authenticated with XOAUTH2
int(2)
OAUTHBEARER: 0 leaks
S: 250 AUTH OAUTHBEARER
C: AUTH OAUTHBEARER ****
S: 334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJtYWlsIn0=
C: ****
S: 535 5.7.8 Error: authentication failed
* the server refused the token; asking for a new one
C: AUTH OAUTHBEARER ****
* authenticated with OAUTHBEARER
int(2)
exception: 0 leaks
