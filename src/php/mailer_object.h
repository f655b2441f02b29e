/* The Mailer object as the glue's files that send for it see it (mailer_class.c,
 * send_many.c): its session, its options, and the few helpers they share. */
#ifndef PHP_MAILER_MAILER_OBJECT_H
#define PHP_MAILER_MAILER_OBJECT_H

#include "php.h"
#include "php/options.h"
#include "php/stream_io.h"
#include "core/send/pipeline.h"
#include "core/session/session.h"

#include <stddef.h>

typedef struct php_mailer_object {
	mailer_smtp smtp;
	php_mailer_stream_io io;
	php_mailer_options opts;
	zend_object *message; /* the Mailer\Message that send() or sign() holds, else NULL */
	bool debug;
	bool constructed;
	/* A method that can run PHP code (a debug handler, a stream wrapper,
	 * __toString(), an error handler) is running: every method called from
	 * that code is refused, so nothing is changed or freed under it. */
	bool busy;
	bool in_batch; /* the method running is sendMany(): its refusals say so */
	zend_object std;
} php_mailer_object;

static inline php_mailer_object *php_mailer_from_obj(zend_object *obj)
{
	return (php_mailer_object *)((char *)obj - offsetof(php_mailer_object, std));
}

/* A debug line of session s, number its 1-based number in a batch of several
 * sessions ("[2] C: MAIL FROM:..."), or 0 when there is one (no prefix). */
void php_mailer_session_debug(php_mailer_object *m, const mailer_smtp *s, unsigned number,
							  const char *line, size_t len);
/* The "smime" stage added, then the "dkim" signatures, as every send prepares a
 * message (one pass each, before anything is connected). MAILER_FAIL with err filled;
 * EG(exception) is then set too when PHP code (a stream wrapper) failed. */
mailer_status php_mailer_prepare_pipeline(php_mailer_object *m, mailer_pipeline *p,
										  mailer_error *err);
/* sendRaw()'s check of a message's data: NULL when it may be sent, else what is
 * wrong with it ("must not be empty", ...), to follow the data's name. */
const char *php_mailer_raw_data_problem(const zend_string *data);

/* Mailer::sendMany() (send_many.c), run on the checked, busy object. */
void php_mailer_send_many_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS);

#endif
