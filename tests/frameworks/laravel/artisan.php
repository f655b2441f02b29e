<?php
/*
 * A minimal Laravel application (10 and later, as Debian packages them) with the README's
 * Mail::extend provider (app/Providers) and config/mail.php entry, and complete config files of
 * its own (Debian's Laravel 11+ cannot merge the framework's from its install path).
 *
 *   php artisan.php migrate        the queue's tables in LARAVEL_STORAGE/queue.sqlite
 *   php artisan.php send TAG       Mail::to()->send(new Invoice)
 *   php artisan.php queue TAG      Mail::to()->queue(new Invoice): a job in the database queue
 *   php artisan.php work           queue:work --stop-when-empty: runs the queued jobs
 *   php artisan.php raw TAG        Mail::raw()
 *   php artisan.php version        Laravel's version
 *
 * Environment: LARAVEL_STORAGE (a writable directory), MAIL_NATIVE_DSN, INVOICE_LOGO and
 * INVOICE_PDF (the files the Mailable embeds and attaches).
 */

declare(strict_types=1);

$illuminate = (getenv('MAILER_LARAVEL_DIR') ?: '/usr/share/php') . '/Illuminate/autoload.php';
require_once $illuminate;
if (!(require dirname(__DIR__, 3) . '/bridge/symfony/tests/bootstrap.php')) {
    fwrite(STDERR, "php-symfony-mailer is not installed\n");
    exit(2);
}
spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'App\\')) {
        require __DIR__ . '/app/' . str_replace('\\', '/', substr($class, 4)) . '.php';
    }
});

use App\Mail\Invoice;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Mail;
use Illuminate\Support\Facades\Schema;

$storage = getenv('LARAVEL_STORAGE') ?: sys_get_temp_dir() . '/laravel-mailer-test';
foreach (['', '/views', '/app', '/framework', '/logs', '/cache'] as $sub) {
    is_dir("$storage$sub") || mkdir("$storage$sub", 0777, true);
}
// the database queue's SQLite file (Laravel does not create it)
is_file("$storage/queue.sqlite") || touch("$storage/queue.sqlite");
// Laravel's caches of the bootstrap directory, in the storage instead
foreach (['SERVICES', 'PACKAGES', 'CONFIG', 'ROUTES', 'EVENTS'] as $name) {
    putenv("APP_{$name}_CACHE=$storage/cache/" . strtolower($name) . '.php');
}

$app = new Illuminate\Foundation\Application(__DIR__);
$app->useStoragePath($storage);
if (method_exists($app, 'dontMergeFrameworkConfiguration')) {
    $app->dontMergeFrameworkConfiguration();
}
$app->singleton(Illuminate\Contracts\Console\Kernel::class, Illuminate\Foundation\Console\Kernel::class);
$app->singleton(Illuminate\Contracts\Debug\ExceptionHandler::class, Illuminate\Foundation\Exceptions\Handler::class);
$kernel = $app->make(Illuminate\Contracts\Console\Kernel::class);
$kernel->bootstrap();

$tag = $argv[2] ?? 'laravel';
$invoice = fn () => new Invoice('Zoë', $tag, getenv('INVOICE_LOGO'), getenv('INVOICE_PDF'));
switch ($argv[1] ?? '') {
    case 'version':
        echo $app->version(), "\n";
        break;
    case 'migrate':
        Schema::create('jobs', function (Blueprint $table) {
            $table->bigIncrements('id');
            $table->string('queue')->index();
            $table->longText('payload');
            $table->unsignedTinyInteger('attempts');
            $table->unsignedInteger('reserved_at')->nullable();
            $table->unsignedInteger('available_at');
            $table->unsignedInteger('created_at');
        });
        Schema::create('failed_jobs', function (Blueprint $table) {
            $table->id();
            $table->string('uuid')->unique();
            $table->text('connection');
            $table->text('queue');
            $table->longText('payload');
            $table->longText('exception');
            $table->timestamp('failed_at')->useCurrent();
        });
        echo "migrated\n";
        break;
    case 'send':
        Mail::to('zoe@example.net')->bcc('audit@example.org')->send($invoice());
        echo "sent\n";
        break;
    case 'queue':
        Mail::to('zoe@example.net')->bcc('audit@example.org')->queue($invoice());
        echo 'queued, jobs: ', DB::table('jobs')->count(), "\n";
        break;
    case 'work':
        $status = $kernel->call('queue:work', ['--stop-when-empty' => true, '--tries' => 1]);
        echo 'worked (status ', $status, '), jobs: ', DB::table('jobs')->count(), ', failed: ',
            DB::table('failed_jobs')->count(), "\n";
        break;
    case 'raw':
        Mail::raw("Bonjour,\n\nun message brut ($tag).\n", function ($message) use ($tag) {
            $message->to('li@example.com')->subject("Brut $tag");
        });
        echo "raw sent\n";
        break;
    default:
        fwrite(STDERR, "usage: php artisan.php migrate|send|queue|work|raw|version [TAG]\n");
        exit(2);
}
