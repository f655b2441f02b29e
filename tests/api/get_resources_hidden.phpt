--TEST--
get_resources() never lists the Mailer's SMTP socket (plain, STARTTLS, persistent), during a send or after it
--EXTENSIONS--
mailer
--FILE--
<?php
require __DIR__ . '/../inc/server.inc';
$new = fn(array $before) => implode(', ', array_map('get_resource_type', array_diff_key(get_resources(), $before))) ?: 'none';
foreach (['plain' => [], 'STARTTLS' => ['starttls' => true], 'persistent' => []] as $variant => $config) {
    $srv = mailer_test_server($config);
    $options = $variant === 'persistent' ? ['persistent' => true] : [];
    if ($variant === 'STARTTLS') {
        $options['context'] = stream_context_create(['ssl' => ['cafile' => $srv->cert['ca']]]);
    }
    $before = get_resources();
    $during = [];
    $m = new Mailer('127.0.0.1', $srv->port, '', '', true, $options + [
        'debug_handler' => function (string $line) use (&$during, $before, $new): void {
            if (str_starts_with($line, 'S: ') || str_starts_with($line, '* ')) {
                $during[$new($before)] = true;
            }
        }]);
    $m->sendmail('a@example.org', 'b@example.net', 's', 'b');
    echo "$variant: new resources during the send: ", implode(' | ', array_keys($during)), "; after it: ",
        $new($before), "; still connected: ", var_export($m->isConnected(), true), "\n";
    unset($m);
    echo "  after the Mailer is gone: ", $new($before), "\n";
    $srv->stop();
}
?>
--EXPECT--
plain: new resources during the send: none; after it: none; still connected: true
  after the Mailer is gone: none
STARTTLS: new resources during the send: none; after it: none; still connected: true
  after the Mailer is gone: none
persistent: new resources during the send: none; after it: none; still connected: true
  after the Mailer is gone: none
