/* Mailer\Result, one item's fate in Mailer::sendMany() (result_class.c), and the
 * recipients' replies in the shape getLastRecipients() gives them. */
#ifndef PHP_MAILER_RESULT_CLASS_H
#define PHP_MAILER_RESULT_CLASS_H

#include "php.h"
#include "core/session/session.h"

extern zend_class_entry *php_mailer_result_ce;

/* ["a@x.org" => ["code" => 250, "status" => "2.1.5", "reply" => "..."], ...] into out. */
void php_mailer_recipients_array(zval *out, const mailer_rcpt_result *rcpts, size_t count);

/* A new Mailer\Result in out. status: "sent", "rejected", ...; reply, queue_id NULL for
 * none; error the Mailer\Exception (a reference is taken), or NULL. */
void php_mailer_result_create(zval *out, const char *status, const char *reply, size_t reply_len,
							  const char *queue_id, const mailer_rcpt_result *rcpts,
							  size_t rcpt_count, zend_object *error);

#endif
