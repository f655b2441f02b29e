--TEST--
Postfix relay port: sendMany() delivers 200 items from a generator (raw and Mailer\Message), each told "sent" with Postfix's own queue id, and each delivered once to the Maildir (counted by Message-ID, body checked)
--EXTENSIONS--
mailer
--SKIPIF--
<?php require __DIR__ . '/../inc/postfix.inc'; mailer_postfix_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/postfix.inc';
$tag = mailer_postfix_tag();
$n = 200;
$m = mailer_postfix_mailer('relay');
$items = function () use ($n, $tag) {
    for ($i = 1; $i <= $n; $i++) {
        $id = "<$i.$tag@php-mailer.test>";
        yield "item-$i" => $i % 2
            ? ['from' => 'bulk@example.org', 'to' => "rcpt$i@example.net",
                'data' => "From: bulk@example.org\r\nTo: rcpt$i@example.net\r\nSubject: bulk $i $tag\r\n"
                    . "Message-ID: $id\r\n\r\nmessage $i\r\n"]
            : (new Mailer\Message)->from('bulk@example.org')->to("rcpt$i@example.net")
                ->subject("bulk $i $tag")->text("message $i\n")->header('Message-ID', $id);
    }
};
$qids = [];
$bad = [];
$summary = $m->sendMany($items(), function (string $key, Mailer\Result $r) use (&$qids, &$bad) {
    if ($r->status !== 'sent' || $r->queueId === null || $r->queueId !== mailer_postfix_queue_id($r->reply)) {
        $bad[] = "$key: $r->status $r->reply";
    }
    $qids[$r->queueId] = true;
}, ['connections' => 4, 'window' => 16]);
var_dump($summary, $bad, count($qids));

$files = mailer_postfix_wait($tag, $n, 60.0);
$ids = [];
foreach ($files as $f) {
    $eml = file_get_contents($f);
    preg_match('/^Message-ID: <(\d+)\.' . $tag . '@php-mailer\.test>$/mi', $eml, $mm);
    $i = (int)($mm[1] ?? 0);
    // the body is the one sent with that Message-ID
    if ($i > 0 && preg_match("/\r?\n\r?\nmessage $i\r?\n/", $eml)) {
        $ids[$i] = ($ids[$i] ?? 0) + 1;
    }
}
var_dump(count($files), count($ids), max($ids ?: [0]), min(array_keys($ids) ?: [0]), max(array_keys($ids) ?: [0]));
mailer_postfix_cleanup($tag);
?>
--EXPECT--
array(4) {
  ["sent"]=>
  int(200)
  ["rejected"]=>
  int(0)
  ["failed"]=>
  int(0)
  ["uncertain"]=>
  int(0)
}
array(0) {
}
int(200)
int(200)
int(200)
int(1)
int(1)
int(200)
