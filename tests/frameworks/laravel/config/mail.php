<?php

return [
    'default' => env('MAIL_MAILER', 'native'),
    'mailers' => [
        // The README's entry, as is.
        'native' => [
            'transport' => 'native',
            'dsn' => env('MAIL_NATIVE_DSN', 'native+smtp://user:pass@smtp.example.com:587'),
        ],
        'array' => ['transport' => 'array'],
    ],
    'from' => ['address' => 'factures@example.org', 'name' => 'Boutique Élise'],
    'markdown' => ['theme' => 'default', 'paths' => [resource_path('views/vendor/mail')]],
];
