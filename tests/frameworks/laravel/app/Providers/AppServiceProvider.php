<?php

namespace App\Providers;

use Illuminate\Support\Facades\Mail;
use Illuminate\Support\ServiceProvider;
use Mailer\Bridge\Symfony\NativeSmtpTransportFactory;
use Symfony\Component\Mailer\Transport\Dsn;

class AppServiceProvider extends ServiceProvider
{
    // The README's registration, as is.
    public function boot(): void
    {
        Mail::extend('native', fn (array $config) =>
            (new NativeSmtpTransportFactory())->create(Dsn::fromString($config['dsn'])));
    }
}
