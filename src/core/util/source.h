/* A source of attachment bytes that is read in chunks while the message is
 * written, so a file is never held whole in memory. The core defines the
 * vtable; the Zend glue implements it on php_stream (src/php/file_source.c),
 * the unit tests on memory. A message may be written more than once (a
 * counting pass, then the real one; or toString() then send()): each pass
 * opens, reads to the end and closes. */
#ifndef MAILER_CORE_UTIL_SOURCE_H
#define MAILER_CORE_UTIL_SOURCE_H

#include <stddef.h>

#include "core/util/error.h"
#include "core/util/producer.h" /* MAILER_SIZE_UNKNOWN */

/* Bytes asked of a source per read: large enough for few calls, small enough
 * to be irrelevant next to a 100 MB file. */
#define MAILER_SOURCE_CHUNK (64 * 1024)

typedef struct mailer_source_ops {
	/* Starts a pass from the first byte. MAILER_OK, or MAILER_FAIL with err set. */
	mailer_status (*open)(void *ctx, mailer_error *err);
	/* Up to len bytes into buf: > 0 bytes read, 0 at the end, -1 with err set
	 * (kind MAILER_ERR_ABORTED, from open too, when the caller abandons the
	 * send: the session is then dropped as after MAILER_IO_ABORTED). */
	long (*read)(void *ctx, char *buf, size_t len, mailer_error *err);
	/* Ends the pass (also after a failed read); never fails. */
	void (*close)(void *ctx);
	/* Frees ctx when its owner (the message) goes away. */
	void (*free)(void *ctx);
	/* The octets a pass will give, known without reading them (a plain file's
	 * size), or MAILER_SIZE_UNKNOWN; NULL when never known. Lets the message's
	 * size be computed, so SIZE and BDAT cost no extra pass over the file. */
	long long (*size)(void *ctx);
} mailer_source_ops;

typedef struct mailer_source {
	const mailer_source_ops *ops; /* NULL: no source */
	void *ctx;
} mailer_source;

#endif
