/* From the core's errors to PHP exceptions (exceptions.c). */
#ifndef PHP_MAILER_EXCEPTIONS_H
#define PHP_MAILER_EXCEPTIONS_H

#include "core/util/error.h"

#include "php.h"

/* The Mailer\Exception (subclass by err->kind, MAILER_ERR_INVALID giving the root class)
 * that err describes, created, not thrown: a new reference for the caller. */
zend_object *php_mailer_exception_create(const mailer_error *err);
/* Throws the exception that err describes (ValueError for MAILER_ERR_INVALID) and clears err. */
void php_mailer_throw(mailer_error *err);

#endif
