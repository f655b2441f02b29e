<?php

return [
    'default' => 'sqlite',
    'connections' => [
        'sqlite' => ['driver' => 'sqlite', 'database' => env('LARAVEL_STORAGE') . '/queue.sqlite', 'prefix' => '',
            'foreign_key_constraints' => true],
    ],
    'migrations' => 'migrations',
];
