/* A sink receives bytes. Encoders and the message writer push their output
 * into one, so a message streams from its sources to the socket without being
 * held whole in memory. */
#ifndef MAILER_CORE_UTIL_SINK_H
#define MAILER_CORE_UTIL_SINK_H

#include <stddef.h>

#include "core/util/error.h"

/* MAILER_OK, or MAILER_FAIL on failure (the sink's owner records why). */
typedef mailer_status (*mailer_sink_fn)(void *ctx, const char *data, size_t len);

typedef struct mailer_sink {
	mailer_sink_fn write;
	void *ctx;
} mailer_sink;

static inline mailer_status mailer_sink_write(const mailer_sink *sink, const char *data, size_t len)
{
	return len ? sink->write(sink->ctx, data, len) : MAILER_OK;
}

/* A message writer: writes the message (CRLF lines, not dot-stuffed) into sink;
 * may be called more than once (each pass gives the same bytes). The session
 * sends what it writes, DKIM signs it, the glue collects it. */
typedef mailer_status (*mailer_emit_fn)(void *ctx, const mailer_sink *sink, mailer_error *err);

/* Writes an encoder's buffered output (*len bytes of buf) and empties it. A
 * failure sticks in *failed, so every later flush fails too without calling
 * the sink again. MAILER_OK or MAILER_FAIL. */
mailer_status mailer_sink_flush(const mailer_sink *sink, const char *buf, size_t *len, int *failed);

/* A sink that appends to a mailer_buf (ctx is the mailer_buf *). */
mailer_status mailer_sink_to_buf(void *ctx, const char *data, size_t len);
/* A sink that only counts bytes (ctx is a size_t *). */
mailer_status mailer_sink_count(void *ctx, const char *data, size_t len);

#endif
