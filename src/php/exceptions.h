/* From the core's errors to PHP exceptions (exceptions.c). */
#ifndef PHP_MAILER_EXCEPTIONS_H
#define PHP_MAILER_EXCEPTIONS_H

#include "core/util/error.h"

/* Throws the exception that err describes (ValueError for MAILER_ERR_INVALID) and clears err. */
void php_mailer_throw(mailer_error *err);

#endif
