/* The glue's classes: their entries (registered in MINIT from the stub's
 * register_class_* functions, src/mailer.c) and the object handlers each
 * class file sets up. */
#ifndef PHP_MAILER_CLASSES_H
#define PHP_MAILER_CLASSES_H

#include "php.h"

extern zend_class_entry *php_mailer_ce;
extern zend_class_entry *php_mailer_message_ce;
extern zend_class_entry *php_mailer_exception_ce;
extern zend_class_entry *php_mailer_connection_exception_ce;
extern zend_class_entry *php_mailer_authentication_exception_ce;
extern zend_class_entry *php_mailer_recipient_exception_ce;

/* Mailer (mailer_class.c) and Mailer\Message (message_class.c): object handlers. */
void php_mailer_register_handlers(zend_class_entry *ce);
void php_mailer_message_register_handlers(zend_class_entry *ce);

#endif
