<?php
/*
 * SmtpTestServer, faults aimed at one message of a batch (Mailer::sendMany()): which
 * message's data drop_data_after cuts (drop_data_message). Drops, delays and replies at the
 * n-th MAIL, RCPT or end of data need nothing new: "MAIL#3", {"at": "EOD#2", "connection": 0}.
 */

declare(strict_types=1);

trait SmtpTestServerBatch
{
    /** drop_data_message: does drop_data_after cut the data being read now? */
    private function dropsThisMessage(): bool
    {
        $n = (int)$this->c['drop_data_message'];
        return $n <= 0 || ($this->seen['DATA'] ?? 0) + ($this->seen['BDAT'] ?? 0) === $n;
    }
}
