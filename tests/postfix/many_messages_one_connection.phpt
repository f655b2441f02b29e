--TEST--
Postfix relay port: 500 messages over one connection, each accepted once and delivered once (by Message-ID)
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$n = 500;
$logFrom = mailer_postfix_log_size();
$m = mailer_postfix_mailer('relay');
$qids = [];
for ($i = 1; $i <= $n; $i++) {
    $reply = $m->sendmail('bulk@example.org', "rcpt$i@example.net", "bulk $i $tag", "<p>message $i</p>",
        ['Message-ID' => "<$i.$tag@php-mailer.test>"]);
    $qids[mailer_postfix_queue_id($reply) ?? "bad reply $i: $reply"] = true;
}
var_dump($m->isConnected());
$m->close();
var_dump(count($qids));

$files = mailer_postfix_wait($tag, $n, 60.0);
$ids = [];
foreach ($files as $f) {
    $eml = file_get_contents($f);
    preg_match('/^Message-ID: <(\d+)\.' . $tag . '@php-mailer\.test>$/mi', $eml, $mm);
    $i = (int)($mm[1] ?? 0);
    // The body is the one sent with that Message-ID.
    if ($i > 0 && str_contains($eml, "\n\n<p>message $i</p>")) {
        $ids[$i] = ($ids[$i] ?? 0) + 1;
    }
}
var_dump(count($files), count($ids), array_sum($ids), min(array_keys($ids) ?: [0]), max(array_keys($ids) ?: [0]));

// Postfix saw one session carrying all of them: its summary line, logged after this test began
// (tests running in parallel send far fewer).
// DATA or BDAT (CHUNKING) may carry the messages.
$line = mailer_postfix_log_wait("/ disconnect from \S+ ehlo=1 mail=$n rcpt=$n (?:data|bdat)=\d+ quit=1 commands=\d+$/",
    10.0, $logFrom);
var_dump($line !== null);
var_dump(preg_match('/ (?:data|bdat)=(\d+) /', (string)$line, $dm) && $dm[1] === (string)$n);
mailer_postfix_cleanup($tag);
?>
--EXPECT--
bool(true)
int(500)
int(500)
int(500)
int(500)
int(1)
int(500)
bool(true)
bool(true)
