<?php

return [
    'default' => 'local',
    'disks' => ['local' => ['driver' => 'local', 'root' => env('LARAVEL_STORAGE') . '/app']],
];
