<?php

return [
    'paths' => [resource_path('views')],
    'compiled' => env('LARAVEL_STORAGE') . '/views',
];
