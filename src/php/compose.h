/* Turning sendmail()/sendRaw() arguments into a core message and envelope. */
#ifndef PHP_MAILER_COMPOSE_H
#define PHP_MAILER_COMPOSE_H

#include "php.h"
#include "core/mime/address.h"
#include "core/mime/message.h"
#include "core/session/session.h"

/* The SMTP envelope of one send: pointers into a message's address lists. */
typedef struct php_mailer_envelope {
	mailer_envelope env;
	const char **rcpts; /* owned array; the strings are borrowed */
} php_mailer_envelope;

/* Fills m from sendmail()'s arguments; throws a ValueError and returns FAILURE on bad input.
 * body is borrowed by m. */
zend_result php_mailer_compose(mailer_message *m, zend_string *from, zval *to, zend_string *subject,
							   zend_string *body, HashTable *headers);
/* Envelope from the message's From, To, Cc and Bcc (duplicates dropped). */
zend_result php_mailer_envelope_build(php_mailer_envelope *e, const mailer_message *m);
void php_mailer_envelope_free(php_mailer_envelope *e);

/* Appends every address of a string|array argument (lists allowed in each string).
 * Throws a ValueError and returns FAILURE on a bad one. */
zend_result php_mailer_addresses_from_zval(zval *value, const char *what, mailer_address_list *out);

#endif
