/* Where the S/MIME stage keeps its output between passes: memory up to a
 * limit, then a temporary file (removed when closed), so a 100 MB message
 * costs disk, not memory, and every replay gives the same bytes. */
#ifndef MAILER_CORE_SMIME_SPOOL_H
#define MAILER_CORE_SMIME_SPOOL_H

#include <stdio.h>

#include "core/util/buf.h"
#include "core/util/error.h"
#include "core/util/sink.h"

typedef struct mailer_spool {
	mailer_buf memory;
	size_t limit;            /* bytes kept in memory before moving to a file */
	FILE *file;              /* NULL while everything fits in memory */
	unsigned long long size; /* bytes written */
	int error;               /* errno of a failed file operation, 0 if none */
	unsigned long long read; /* bytes of the current read pass handed out */
} mailer_spool;

void mailer_spool_init(mailer_spool *s, size_t limit);
void mailer_spool_free(mailer_spool *s);
/* A mailer_sink_fn (ctx is the mailer_spool *); on failure s->error says why. */
mailer_status mailer_spool_write(void *ctx, const char *data, size_t len);
/* Starts a read pass at the first byte. MAILER_OK, or MAILER_FAIL with err set
 * (MAILER_ERR_SOURCE when the file cannot be read back). */
mailer_status mailer_spool_rewind(mailer_spool *s, mailer_error *err);
/* Up to cap bytes of the pass into buf: > 0, 0 at the end, -1 with err set
 * (MAILER_ERR_SOURCE). */
long mailer_spool_read(mailer_spool *s, char *buf, size_t cap, mailer_error *err);
/* Writes everything spooled to sink. MAILER_OK, or MAILER_FAIL with err set
 * (MAILER_ERR_SOURCE when the file cannot be read back, MAILER_ERR_CONNECTION
 * when the sink failed, unless err already says why). */
mailer_status mailer_spool_replay(mailer_spool *s, const mailer_sink *sink, mailer_error *err);

#endif
