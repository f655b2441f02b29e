<?php

return [
    'default' => 'database',
    'connections' => [
        'database' => ['driver' => 'database', 'connection' => 'sqlite', 'table' => 'jobs', 'queue' => 'default',
            'retry_after' => 90, 'after_commit' => false],
        'sync' => ['driver' => 'sync'],
    ],
    'batching' => ['database' => 'sqlite', 'table' => 'job_batches'],
    'failed' => ['driver' => 'database-uuids', 'database' => 'sqlite', 'table' => 'failed_jobs'],
];
