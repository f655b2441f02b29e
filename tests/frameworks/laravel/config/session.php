<?php

return ['driver' => 'array', 'lifetime' => 120, 'expire_on_close' => false, 'encrypt' => false,
    'files' => env('LARAVEL_STORAGE') . '/sessions', 'cookie' => 'mailer_test_session', 'path' => '/',
    'domain' => null, 'secure' => false, 'http_only' => true, 'same_site' => 'lax'];
