<?php
/*
 * Loads the bridge without Composer: Debian's autoloaders for Symfony Mailer (php-symfony-mailer)
 * and, when installed, the Twig bridge (php-symfony-twig-bridge, for TemplatedEmail), plus the
 * bridge's autoload.php for src/. Used by tests/bridge/*.phpt and bench/symfony.php; with Composer,
 * vendor/autoload.php does the same.
 *
 * Returns false (and loads nothing) when Debian's Symfony Mailer is not installed.
 */

declare(strict_types=1);

$symfony = getenv('MAILER_SYMFONY_DIR') ?: '/usr/share/php';
if (!is_file("$symfony/Symfony/Component/Mailer/autoload.php")) {
    return false;
}
require_once "$symfony/Symfony/Component/Mailer/autoload.php";
if (is_file("$symfony/Symfony/Bridge/Twig/autoload.php")) {
    require_once "$symfony/Symfony/Bridge/Twig/autoload.php";
}
// Messenger and its Redis transport (php-symfony-messenger, php-symfony-redis-messenger), for
// Messenger\IdempotencyMiddleware and the queue tests
foreach (['Component/Messenger', 'Component/Messenger/Bridge/Redis'] as $optional) {
    if (is_file("$symfony/Symfony/$optional/autoload.php")) {
        require_once "$symfony/Symfony/$optional/autoload.php";
    }
}

// The bridge's own autoloader, as the README tells users without Composer to load it.
require_once dirname(__DIR__) . '/autoload.php';

return true;
