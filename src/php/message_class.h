/* What the rest of the glue asks of a Mailer\Message object (message_class.c). */
#ifndef PHP_MAILER_MESSAGE_CLASS_H
#define PHP_MAILER_MESSAGE_CLASS_H

#include "php.h"
#include "core/mime/message.h"
#include "core/send/pipeline.h"

/* For Mailer::send() and toString(): the core message of a Mailer\Message,
 * checked (From, a recipient) and prepared; NULL after throwing a ValueError.
 * what names the caller in the error. Until php_mailer_message_release(), the
 * Message refuses changes. */
mailer_message *php_mailer_message_acquire(zend_object *obj, const char *what);
void php_mailer_message_release(zend_object *obj);
/* The pipeline's message as a string (Message::toString(), Mailer::sign()), or NULL
 * after throwing. */
zend_string *php_mailer_pipeline_string(mailer_pipeline *p);

#endif
