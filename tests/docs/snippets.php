<?php
/*
 * Runs every PHP snippet of the documentation, as a reader would paste it into a file.
 *
 *   php -n tests/docs/snippets.php [-v] [FILE.md...]
 *
 * Default files: README.md, docs/*.md, bridge/symfony/README.md, bench/README.md. Each fenced
 * ```php block is written to a file and run by PHP with the system's php.ini (as a new user
 * runs it; Debian's, with variables_order forced to "GPCS" as Debian ships it for the CLI),
 * the built module (modules/mailer.so, or $MAILER_SO) and every warning, notice and
 * deprecation shown. A snippet passes when it exits 0, prints nothing on stderr, the scripted
 * server saw no error, and a snippet that sends got its message(s) accepted.
 *
 * What the snippets may rely on (see docs/development.md, "Documentation snippets"):
 *   - the server: every `smtp.example.com` with its port (`"smtp.example.com", 587`,
 *     `smtp.example.com:587`) becomes a scripted server on 127.0.0.1 started for the snippet
 *     (tests/inc/server.inc): STARTTLS with a certificate its CA signed (openssl.cafile points
 *     at that CA, so verification stays on), implicit TLS instead when the snippet says ssl://,
 *     smtps:// or native+smtps://; AUTH with user "user@example.com", password "app-password"
 *     (XOAUTH2 and OAUTHBEARER: token "ya29.fresh-token"; "ya29.expired-token" is refused);
 *     PIPELINING, CHUNKING, SIZE, 8BITMIME, SMTPUTF8, DSN; any address starting "nobody@" is
 *     refused with 550. MAILER_DSN is set in the environment to a native+smtp:// DSN for it.
 *   - files: the snippet runs from a directory holding logo.png, report.pdf and DKIM keys;
 *     `__DIR__` is that directory, and `/etc/php-mailer/` in a path is mapped to it
 *     (dkim-rsa.pem, dkim-ed25519.pem; for S/MIME smime-cert.pem and smime-key.pem for
 *     news@example.org, zoe.pem for zoe@example.net, smime-ca.pem); `/path/to/php-mailer` is this
 *     checkout.
 *
 * Markers: an HTML comment on the line before the fence says more.
 *   <!-- snippet: not run: REASON -->   not run; counted as skipped, the reason printed
 *   <!-- snippet: continues -->         run after the previous php block of the same file,
 *                                       as one script (that block also runs on its own)
 *   <!-- snippet: messages N -->        exactly N messages must reach the server (default:
 *                                       at least one when the code calls a send method)
 * A snippet whose require_once "Vendor/.../autoload.php" (a Debian package) does not resolve
 * on the include path is skipped, naming it.
 * An unlabelled fence whose text looks like PHP is an error: label it ```php (or ```text).
 * So is a relative link to a file or heading that does not exist (each counts as a failure).
 *
 * Last line: "snippets: N passed, N failed, N skipped". Exit status 1 when any failed.
 */

declare(strict_types=1);

require __DIR__ . '/../inc/server.inc';

$root = dirname(__DIR__, 2);
$verbose = false;
$files = [];
foreach (array_slice($argv, 1) as $arg) {
    if ($arg === '-v') {
        $verbose = true;
    } elseif (str_starts_with($arg, '-')) {
        fwrite(STDERR, "usage: php -n tests/docs/snippets.php [-v] [FILE.md...]\n");
        exit(2);
    } else {
        $files[] = $arg;
    }
}
if (!$files) {
    $files = array_merge(["$root/README.md"], glob("$root/docs/*.md") ?: [],
        array_filter(["$root/bridge/symfony/README.md", "$root/bench/README.md"], 'is_file'));
}

$so = getenv('MAILER_SO') ?: "$root/modules/mailer.so";
if (!is_file($so)) {
    fwrite(STDERR, "snippets: $so not found: build first (bash scripts/build.sh)\n");
    echo "snippets: 0 passed, 1 failed, 0 skipped\n";
    exit(1);
}

/** One block of a Markdown file. */
final class Snippet
{
    public function __construct(
        public string $file,
        public int $line,
        public string $code,
        public ?string $skip = null,
        public bool $continues = false,
        public ?int $messages = null,
    ) {
    }

    public function where(string $root): string
    {
        $f = str_starts_with($this->file, "$root/") ? substr($this->file, strlen($root) + 1) : $this->file;
        return "$f:$this->line";
    }
}

/**
 * The ```php blocks of $file, with their markers; problems (an unknown marker, an unlabelled
 * block that looks like PHP) go to $errors.
 */
function mailer_snippets(string $file, array &$errors): array
{
    $lines = file($file, FILE_IGNORE_NEW_LINES);
    $out = [];
    $n = count($lines);
    for ($i = 0; $i < $n; $i++) {
        if (!preg_match('/^(\s*)(```+|~~~+)\s*([\w+-]*)/', $lines[$i], $m)) {
            continue;
        }
        [$indent, $fence, $lang] = [$m[1], $m[2], strtolower($m[3])];
        $start = $i + 1;
        $body = [];
        for ($i++; $i < $n && !preg_match('/^\s*' . preg_quote($fence, '/') . '\s*$/', $lines[$i]); $i++) {
            $body[] = str_starts_with($lines[$i], $indent) ? substr($lines[$i], strlen($indent)) : $lines[$i];
        }
        $code = implode("\n", $body) . "\n";
        $marker = null;
        for ($j = $start - 2; $j >= 0 && trim($lines[$j]) === ''; $j--) {
        }
        if ($j >= 0 && preg_match('/^\s*<!--\s*snippet:\s*(.*?)\s*-->\s*$/', $lines[$j], $mm)) {
            $marker = $mm[1];
        }
        if ($lang !== 'php') {
            if ($lang === '' && preg_match('/(\$\w+\s*(=|->)|new \\\\?Mailer\b|<\?php)/', $code)) {
                $errors[] = basename(dirname($file)) . '/' . basename($file) . ":$start: an unlabelled "
                    . 'block that looks like PHP: label it ```php (or ```text)';
            }
            continue;
        }
        $s = new Snippet($file, $start, $code);
        if ($marker !== null) {
            if (preg_match('/^not run:\s*(\S.*)$/', $marker, $mm)) {
                $s->skip = $mm[1];
            } elseif ($marker === 'continues') {
                $s->continues = true;
            } elseif (preg_match('/^messages (\d+)$/', $marker, $mm)) {
                $s->messages = (int)$mm[1];
            } else {
                $errors[] = "$file:$start: unknown snippet marker \"$marker\"";
            }
        }
        $out[] = $s;
    }
    return $out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function mailer_heading_slug(string $heading): string
{
    $h = strtolower(trim($heading));   // ASCII only (php -n has no mbstring): enough for these headings
    $h = preg_replace('/[^\p{L}\p{N}\s_-]/u', '', $h);
    return preg_replace('/\s/u', '-', $h);
}

/**
 * Relative links of $file that lead nowhere: a missing file, or an anchor that no heading
 * (or <a id>) of the target has. Links to the web are not followed.
 */
function mailer_dead_links(string $file): array
{
    static $anchors = [];
    $dead = [];
    $text = (string)file_get_contents($file);
    $prose = preg_replace('/^(```|~~~).*?^\1\s*$/ms', '', $text);   // not inside code blocks
    preg_match_all('/\]\(([^)\s]+)\)/', $prose, $m);
    foreach ($m[1] as $link) {
        if (preg_match('#^[a-z][a-z0-9+.-]*:#i', $link)) {
            continue;
        }
        [$path, $anchor] = array_pad(explode('#', $link, 2), 2, null);
        $target = $path === '' ? $file : dirname($file) . '/' . $path;
        if (!file_exists($target)) {
            $dead[] = "$link (no $path)";
            continue;
        }
        if ($anchor === null || !str_ends_with($target, '.md')) {
            continue;
        }
        $real = realpath($target);
        if (!isset($anchors[$real])) {
            $t = preg_replace('/^(```|~~~).*?^\1\s*$/ms', '', (string)file_get_contents($real));
            preg_match_all('/^#+\s+(.*)$/m', $t, $hm);
            preg_match_all('/<a id="([^"]+)"/', $t, $am);
            $anchors[$real] = array_merge(array_map('mailer_heading_slug', $hm[1]), $am[1]);
        }
        if (!in_array($anchor, $anchors[$real], true)) {
            $dead[] = "$link (no such heading)";
        }
    }
    return $dead;
}

/** DKIM keys and the files the snippets attach, made once. */
function mailer_snippet_fixtures(string $dir): void
{
    // A 1x1 PNG and a minimal PDF: real formats, so that what a snippet attaches is a real file.
    file_put_contents("$dir/logo.png", base64_decode(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='));
    file_put_contents("$dir/report.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    $rsa = openssl_pkey_new(['private_key_type' => OPENSSL_KEYTYPE_RSA, 'private_key_bits' => 2048]);
    if ($rsa === false || !openssl_pkey_export_to_file($rsa, "$dir/dkim-rsa.pem")) {
        throw new RuntimeException('cannot make an RSA key: ' . openssl_error_string());
    }
    // PHP 8.2's openssl extension cannot make Ed25519 keys: the openssl command can.
    exec('openssl genpkey -algorithm ed25519 -out ' . escapeshellarg("$dir/dkim-ed25519.pem") . ' 2>&1', $o, $rc);
    if ($rc !== 0) {
        throw new RuntimeException('openssl genpkey -algorithm ed25519 failed: ' . implode("\n", $o));
    }
    // S/MIME (docs/smime.md): a CA (smime-ca.pem), a signer for news@example.org
    // (smime-cert.pem, smime-key.pem) and a recipient, zoe@example.net (zoe.pem)
    $run = function (string $args) use ($dir): void {
        exec("cd " . escapeshellarg($dir) . " && openssl $args 2>&1", $o, $rc);
        if ($rc !== 0) {
            throw new RuntimeException("openssl $args failed: " . implode("\n", $o));
        }
    };
    $run('req -x509 -newkey rsa:2048 -nodes -keyout smime-ca.key -out smime-ca.pem -days 2 -subj "/CN=Docs CA"'
        . ' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign');
    foreach (['smime' => 'news@example.org', 'zoe' => 'zoe@example.net'] as $name => $email) {
        file_put_contents("$dir/$name.ext", "subjectAltName=email:$email\nextendedKeyUsage=emailProtection\n"
            . "keyUsage=critical,digitalSignature,keyEncipherment\n");
        $run("req -newkey rsa:2048 -nodes -keyout $name-key.pem -out $name.csr -subj /CN=$email");
        $run("x509 -req -in $name.csr -CA smime-ca.pem -CAkey smime-ca.key -set_serial " . random_int(2, 1 << 30)
            . " -days 2 -extfile $name.ext -out " . ($name === 'smime' ? 'smime-cert.pem' : "$name.pem"));
    }
}

/**
 * The code as it runs: the server's address for smtp.example.com, the fixture directory for
 * /etc/php-mailer/, this checkout for /path/to/php-mailer. Returns null (and $why) when a
 * server is named in a way that cannot be substituted.
 */
function mailer_snippet_code(string $code, int $port, string $fixtures, string $root, ?string &$why): ?string
{
    $code = preg_replace('/"smtp\.example\.com",\s*\d+/', "\"127.0.0.1\", $port", $code);
    $code = preg_replace('/\bsmtp\.example\.com:\d+/', "127.0.0.1:$port", $code);
    $code = preg_replace('#(ssl|smtps|tls)://smtp\.example\.com"(,\s*)\d+#', "\$1://127.0.0.1\"\${2}$port", $code);
    if (preg_match('/smtp\.example\.com/', $code)) {
        $why = 'names smtp.example.com without a port the harness can substitute';
        return null;
    }
    $code = str_replace(['/etc/php-mailer/', '/path/to/php-mailer'], ["$fixtures/", $root], $code);
    return str_starts_with(ltrim($code), '<?php') ? ltrim($code) : "<?php\n" . $code;
}

/** Runs $script with the system php.ini; [exit status, stdout, stderr], bounded by $timeout. */
function mailer_snippet_run(string $script, array $args, array $env, float $timeout): array
{
    $cmd = array_merge([PHP_BINARY], $args, [$script]);
    $spec = [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']];
    $proc = proc_open($cmd, $spec, $pipes, dirname($script), $env);
    if (!is_resource($proc)) {
        return [-1, '', 'proc_open failed'];
    }
    stream_set_blocking($pipes[1], false);
    stream_set_blocking($pipes[2], false);
    $out = $err = '';
    $end = microtime(true) + $timeout;
    $open = [1 => $pipes[1], 2 => $pipes[2]];
    for ($i = 0; $i < 10000000 && $open; $i++) {
        $left = $end - microtime(true);
        if ($left <= 0) {
            proc_terminate($proc, 9);
            $err .= "\n(killed after {$timeout} s)";
            break;
        }
        $r = array_values($open);
        $w = $e = null;
        if (@stream_select($r, $w, $e, 0, (int)min(200000, $left * 1e6)) > 0) {
            foreach ($open as $k => $p) {
                if (in_array($p, $r, true)) {
                    $d = fread($p, 65536);
                    if ($d === '' || $d === false) {
                        if (feof($p)) {
                            unset($open[$k]);
                        }
                    } elseif ($k === 1) {
                        $out .= $d;
                    } else {
                        $err .= $d;
                    }
                }
            }
        }
    }
    fclose($pipes[1]);
    fclose($pipes[2]);
    $status = proc_close($proc);
    return [$status, $out, $err];
}

$errors = [];
$snippets = [];
foreach ($files as $f) {
    $f = realpath($f) ?: $f;
    if (!is_file($f)) {
        $errors[] = "$f: no such file";
        continue;
    }
    $snippets = array_merge($snippets, mailer_snippets($f, $errors));
    foreach (mailer_dead_links($f) as $link) {
        $errors[] = (str_starts_with($f, "$root/") ? substr($f, strlen($root) + 1) : $f) . ": dead link $link";
    }
}

$fixtures = mailer_test_tmpdir();
mailer_snippet_fixtures($fixtures);
$cert = mailer_test_cert($fixtures);
$ehlo = ['PIPELINING', 'CHUNKING', 'SIZE 10240000', '8BITMIME', 'SMTPUTF8', 'DSN', 'ENHANCEDSTATUSCODES'];
$auth = 'AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER';

// The module is loaded by path unless the system's php.ini loads one already (twice is a warning).
exec(escapeshellarg(PHP_BINARY) . ' -r ' . escapeshellarg('echo extension_loaded("mailer") ? 1 : 0;'), $o);
$phpArgs = ($o[0] ?? '0') === '1' ? [] : ['-d', "extension=$so"];
$phpArgs = array_merge($phpArgs, ['-d', 'variables_order=GPCS', '-d', 'display_errors=stderr',
    '-d', 'display_startup_errors=1', '-d', 'error_reporting=-1', '-d', 'log_errors=0',
    '-d', 'html_errors=0', '-d', "openssl.cafile={$cert['ca']}"]);

$passed = $failed = $skipped = 0;
foreach ($errors as $e) {
    echo "FAIL $e\n";
    $failed++;
}
$previous = null;   // the last php block of the current file, as it runs
$previousFile = null;
foreach ($snippets as $s) {
    $where = $s->where($root);
    if ($s->file !== $previousFile) {
        $previous = null;
        $previousFile = $s->file;
    }
    // a Debian package the snippet loads and this machine lacks (the compat roots install
    // Symfony Mailer but not Messenger): skipped, saying which
    if ($s->skip === null && preg_match_all('~require_once\s+"([A-Z][\w/]*/autoload\.php)"~', $s->code, $req)) {
        foreach ($req[1] as $path) {
            if (stream_resolve_include_path($path) === false) {
                $s->skip = "needs $path (not installed here)";
                break;
            }
        }
    }
    if ($s->skip !== null) {
        echo "skip $where: {$s->skip}\n";
        $skipped++;
        $previous = null;
        continue;
    }
    $code = $s->code;
    if ($s->continues) {
        if ($previous === null) {
            echo "FAIL $where: marked \"continues\" but no runnable php block comes before it\n";
            $failed++;
            continue;
        }
        $code = $previous . "\n" . $code;
    }
    $previous = $code;

    $implicit = (bool)preg_match('#\b(ssl|smtps)://#', $code);
    $config = ['auth_user' => 'user@example.com', 'auth_pass' => 'app-password',
        'auth_tokens' => ['ya29.expired-token' => false, 'ya29.fresh-token' => true],
        'tls_cert' => $cert['cert'], 'tls_key' => $cert['key'],
        'replies' => ['RCPT:<nobody@' => '550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown'],
        // sendMany() with "connections" runs several sessions at once
        'concurrent' => function_exists('pcntl_fork')];
    $config += $implicit ? ['implicit_tls' => true, 'ehlo' => array_merge($ehlo, [$auth])]
        : ['starttls' => true, 'ehlo' => array_merge($ehlo, ['STARTTLS', $auth]),
            'ehlo_after_tls' => array_merge($ehlo, [$auth])];
    try {
        $srv = mailer_test_server($config);
    } catch (Throwable $e) {
        echo "FAIL $where: the test server did not start: {$e->getMessage()}\n";
        $failed++;
        continue;
    }
    $why = null;
    $run = mailer_snippet_code($code, $srv->port, $fixtures, $root, $why);
    if ($run === null) {
        echo "FAIL $where: $why (mark it <!-- snippet: not run: REASON --> if it cannot run)\n";
        $failed++;
        $srv->stop();
        continue;
    }
    $script = "$fixtures/snippet-" . ($passed + $failed + $skipped + 1) . '.php';
    file_put_contents($script, $run);
    $env = ['MAILER_DSN' => "native+smtp://user%40example.com:app-password@127.0.0.1:{$srv->port}",
        'PATH' => getenv('PATH') ?: '/usr/bin:/bin', 'HOME' => getenv('HOME') ?: '/tmp',
        'TMPDIR' => sys_get_temp_dir()];
    [$status, $out, $err] = mailer_snippet_run($script, $phpArgs, $env, 60.0);
    try {
        $srv->stop();
        $serverErrors = trim($srv->errors());
    } catch (Throwable $e) {
        $serverErrors = 'the test server reported: ' . $e->getMessage();
    }
    $count = $srv->messageCount();
    $sends = (bool)preg_match('/->(send|sendmail|sendRaw)\s*\(/', $code);
    $problems = [];
    if ($status !== 0) {
        $problems[] = "exit status $status";
    }
    if (trim($err) !== '') {
        $problems[] = 'stderr: ' . trim($err);
    }
    if ($serverErrors !== '') {
        $problems[] = "server: $serverErrors";
    }
    if ($s->messages !== null && $count !== $s->messages) {
        $problems[] = "$count message(s) reached the server, the marker says {$s->messages}";
    } elseif ($s->messages === null && $sends && $count === 0) {
        $problems[] = 'it sends, but no message reached the server';
    }
    $what = $count === 1 ? '1 message' : "$count messages";
    if ($problems) {
        echo "FAIL $where ($what): " . implode('; ', $problems) . "\n";
        if (trim($out) !== '') {
            echo '  stdout: ' . str_replace("\n", "\n  ", trim($out)) . "\n";
        }
        $failed++;
    } else {
        echo "ok   $where ($what)\n";
        if ($verbose && trim($out) !== '') {
            echo '  ' . str_replace("\n", "\n  ", trim($out)) . "\n";
        }
        $passed++;
    }
}

echo "snippets: $passed passed, $failed failed, $skipped skipped\n";
exit($failed ? 1 : 0);
