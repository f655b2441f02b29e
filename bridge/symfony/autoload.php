<?php
/*
 * Loads the php-mailer Symfony bridge without Composer (Debian's packaged Symfony, a build server
 * with no network): registers an autoloader for the Mailer\Bridge\Symfony\ classes of src/.
 * Symfony Mailer itself must be loadable too; with Debian's php-symfony-mailer:
 *
 *   require_once 'Symfony/Component/Mailer/autoload.php';         // /usr/share/php is on include_path
 *   require_once '/path/to/php-mailer/bridge/symfony/autoload.php';
 *
 * With Composer the package's PSR-4 autoload does the same, and this file is not needed.
 * See bridge/symfony/README.md.
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    $prefix = 'Mailer\\Bridge\\Symfony\\';
    if (strncmp($class, $prefix, strlen($prefix)) === 0) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
