--TEST--
Test server config table: smtp_server.php documents every key of SmtpTestServer::DEFAULTS once, in a section (or [bracket]) naming a part that reads it
--FILE--
<?php
require __DIR__ . '/../inc/SmtpTestServer.php';
$inc = __DIR__ . '/../inc';
$doc = (string)file_get_contents("$inc/smtp_server.php");
preg_match('~^ \* ---- config keys -+\n(.*?)^ \* -{20,}\n~ms', $doc, $m) or exit("no config table\n");
$rows = [];     // key => the text of its row
$files = [];    // key => the parts named for it
$section = null;
$key = null;
foreach (explode("\n", $m[1]) as $line) {
    if (preg_match('/^ \* (\S.*) \((\w+\.php(?:, \w+\.php)*)\)$/', $line, $h)) {
        $section = explode(', ', $h[2]);
        $key = null;
    } elseif (preg_match('/^ \*   ([a-z][a-z0-9_]*) +\S/', $line, $r)) {
        $key = $r[1];
        if (isset($rows[$key])) {
            echo "$key: documented twice\n";
        }
        $rows[$key] = $line;
        $files[$key] = $section ?? [];
    } elseif ($key !== null && preg_match('/^ \*    /', $line)) {
        $rows[$key] .= "\n$line";
    } else {
        $key = null;
    }
}
foreach ($rows as $k => $text) {
    if (preg_match_all('/\[(\w+\.php(?:, \w+\.php)*)\]/', $text, $b)) {
        foreach ($b[1] as $list) {
            $files[$k] = array_merge($files[$k], explode(', ', $list));
        }
    }
}
$defaults = array_keys(SmtpTestServer::DEFAULTS);
foreach (array_diff($defaults, array_keys($rows)) as $k) {
    echo "$k: not in the table\n";
}
foreach (array_diff(array_keys($rows), $defaults) as $k) {
    echo "$k: in the table, but no config key\n";
}
foreach (array_intersect(array_keys($rows), $defaults) as $k) {
    $readers = [];
    foreach (array_unique($files[$k]) as $f) {
        $path = $f === 'SmtpTestServer.php' ? "$inc/$f" : "$inc/SmtpTestServer/$f";
        if (!is_file($path)) {
            echo "$k: $f does not exist\n";
        } elseif (str_contains((string)file_get_contents($path), "['$k']")) {
            $readers[] = $f;
        }
    }
    if (!$readers) {
        echo "$k: none of ", implode(', ', $files[$k]) ?: '(no part)', " reads it\n";
    }
}
echo "checked\n";
?>
--EXPECT--
checked
