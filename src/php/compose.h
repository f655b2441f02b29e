/* Turning sendmail()/sendRaw() arguments into a core message and address lists. */
#ifndef PHP_MAILER_COMPOSE_H
#define PHP_MAILER_COMPOSE_H

#include "php.h"
#include "core/mime/address.h"
#include "core/mime/message.h"

/* Fills m from sendmail()'s arguments; throws a ValueError and returns FAILURE on bad input.
 * body is borrowed by m. */
zend_result php_mailer_compose(mailer_message *m, zend_string *from, zval *to, zend_string *subject,
							   zend_string *body, HashTable *headers);

/* Appends every address of a string|array argument (lists allowed in each string).
 * Throws a ValueError and returns FAILURE on a bad one. */
zend_result php_mailer_addresses_from_zval(zval *value, const char *what, mailer_address_list *out);

#endif
