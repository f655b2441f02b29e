<?php
/*
 * Writes package.xml (PECL) from the files git tracks, so the package can never
 * miss a source, header, stub, test or doc file.
 *
 *   php scripts/package.php           rewrite package.xml
 *   php scripts/package.php --check   exit 1 when package.xml is not what it would write
 *
 * The version comes from PHP_MAILER_VERSION in php_mailer.h; the release notes
 * from the newest section of CHANGELOG.md.
 */
declare(strict_types=1);

chdir(dirname(__DIR__));
$check = in_array('--check', $argv, true);

preg_match('/#define PHP_MAILER_VERSION "([^"]+)"/', (string)file_get_contents('php_mailer.h'), $m)
    or exit("php_mailer.h has no PHP_MAILER_VERSION\n");
$version = $m[1];
$stability = preg_match('/^0\./', $version) ? 'alpha' : 'stable';

$changelog = is_file('CHANGELOG.md') ? (string)file_get_contents('CHANGELOG.md') : '';
$notes = "See CHANGELOG.md.";
$date = gmdate('Y-m-d');
if (preg_match('/^## (\S+) \((\d{4}-\d{2}-\d{2})\)\n(.*?)(?=^## |\z)/ms', $changelog, $c)) {
    $notes = trim($c[3]);
    $date = $c[2];
}

/** The role PECL gives a file, or null when it stays out of the package. */
function role(string $path): ?string
{
    return match (true) {
        $path === 'config.m4', $path === 'config.w32', $path === 'php_mailer.h', $path === 'Makefile.frag',
        str_starts_with($path, 'src/'), str_starts_with($path, 'stubs/') => 'src',
        str_starts_with($path, 'tests/') && !str_starts_with($path, 'tests/fuzz/') => 'test',
        $path === 'README.md', $path === 'CHANGELOG.md', $path === 'LICENSE',
        str_starts_with($path, 'docs/'), str_starts_with($path, 'examples/') => 'doc',
        default => null,
    };
}

exec('git ls-files', $files, $rc);
$rc === 0 or exit("git ls-files failed\n");
// during a merge an unresolved path is listed once per stage
$files = array_values(array_unique($files));
sort($files, SORT_STRING);
$entries = '';
foreach ($files as $f) {
    if (($role = role($f)) !== null) {
        $entries .= sprintf("   <file name=\"%s\" role=\"%s\"/>\n", htmlspecialchars($f, ENT_XML1), $role);
    }
}
$esc = fn(string $s) => htmlspecialchars($s, ENT_XML1);

$xml = <<<XML
<?xml version="1.0" encoding="UTF-8"?>
<package packagerversion="1.10.13" version="2.0" xmlns="http://pear.php.net/dtd/package-2.0" xmlns:tasks="http://pear.php.net/dtd/tasks-1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://pear.php.net/dtd/tasks-1.0 http://pear.php.net/dtd/tasks-1.0.xsd http://pear.php.net/dtd/package-2.0 http://pear.php.net/dtd/package-2.0.xsd">
 <name>mailer</name>
 <channel>pecl.php.net</channel>
 <summary>Send mail over SMTP natively: ESMTP, TLS, AUTH, MIME and DKIM in C</summary>
 <description>A native SMTP client for PHP. new Mailer(...) and -&gt;sendmail(...) work like the well-known userland Mailer class, and behind them sits a real ESMTP client in C over PHP streams: STARTTLS and implicit TLS with verified certificates, AUTH (SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN, XOAUTH2, OAUTHBEARER), PIPELINING, CHUNKING, SIZE, SMTPUTF8, DSN, persistent connections, correct MIME with attachments streamed in constant memory, and clear exceptions.</description>
 <lead>
  <name>php-mailer developers</name>
  <user>mailer</user>
  <email>mailer@php.invalid</email>
  <active>yes</active>
 </lead>
 <date>{$date}</date>
 <version>
  <release>{$version}</release>
  <api>{$version}</api>
 </version>
 <stability>
  <release>{$stability}</release>
  <api>{$stability}</api>
 </stability>
 <license uri="https://opensource.org/licenses/MIT">MIT</license>
 <notes>
{$esc($notes)}
 </notes>
 <contents>
  <dir name="/">
{$entries}  </dir>
 </contents>
 <dependencies>
  <required>
   <php>
    <min>8.1.0</min>
   </php>
   <pearinstaller>
    <min>1.10.0</min>
   </pearinstaller>
   <extension>
    <name>openssl</name>
   </extension>
  </required>
 </dependencies>
 <providesextension>mailer</providesextension>
 <extsrcrelease>
  <configureoption name="enable-mailer-dev" default="no" prompt="Build with strict developer warnings (-Werror)?"/>
 </extsrcrelease>
</package>

XML;

if ($check) {
    if (!is_file('package.xml') || file_get_contents('package.xml') !== $xml) {
        fwrite(STDERR, "package.xml is out of date: run php scripts/package.php\n");
        exit(1);
    }
    echo "package.xml is up to date\n";
    exit(0);
}
file_put_contents('package.xml', $xml);
echo "package.xml written (", substr_count($entries, '<file '), " files, version $version)\n";
