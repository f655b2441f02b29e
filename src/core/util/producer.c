#include "core/util/producer.h"
#include "core/util/alloc.h"
#include "core/util/dotstuff.h"

#include <string.h>

/* Bytes asked of a producer per read when it is drained into a sink. */
#define DRAIN_PIECE (16 * 1024)

mailer_status mailer_producer_drain(const mailer_producer *p, const mailer_sink *out,
									mailer_error *err)
{
	char piece[DRAIN_PIECE];
	long n;

	if (mailer_producer_rewind(p, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	while ((n = mailer_producer_read(p, piece, sizeof(piece), err)) > 0) {
		if (mailer_sink_write(out, piece, (size_t)n) != MAILER_OK) {
			/* the sink failed: the connection is gone (its owner knows the details) */
			if (err->kind == MAILER_ERR_NONE) {
				mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_DATA,
								 "could not write the message");
			}
			return MAILER_FAIL;
		}
	}
	return n == 0 ? MAILER_OK : MAILER_FAIL;
}

mailer_status mailer_producer_emit(void *ctx, const mailer_sink *out, mailer_error *err)
{
	return mailer_producer_drain(ctx, out, err);
}

/* ---- bytes in memory ---- */

typedef struct memory_producer {
	const char *data;
	size_t len, pos;
	long long size; /* after CRLF normalisation, counted at the first ask; -1 until then */
} memory_producer;

static mailer_status memory_rewind(void *ctx, mailer_error *err)
{
	(void)err;
	((memory_producer *)ctx)->pos = 0;
	return MAILER_OK;
}

static long memory_read(void *ctx, char *buf, size_t cap, mailer_error *err)
{
	memory_producer *m = ctx;
	size_t n = m->len - m->pos;

	(void)err;
	n = n < cap ? n : cap;
	n = n < (size_t)MAILER_PRODUCER_READ_MAX ? n : (size_t)MAILER_PRODUCER_READ_MAX;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (long)n;
}

static long long memory_size(void *ctx)
{
	memory_producer *m = ctx;
	size_t counted = 0;
	mailer_sink counter = {mailer_sink_count, &counted};
	mailer_dotstuff *norm;

	if (m->size < 0) {
		norm = mailer_malloc(sizeof(*norm));
		mailer_dotstuff_init(norm, &counter, 0);
		mailer_dotstuff_write(norm, m->data, m->len);
		mailer_dotstuff_finish(norm);
		mailer_free(norm);
		m->size = (long long)counted;
	}
	return m->size;
}

static void memory_free(void *ctx)
{
	mailer_free(ctx);
}

static const mailer_producer_ops memory_ops = {memory_rewind, memory_read, memory_size,
											   memory_free};

void mailer_producer_memory(mailer_producer *p, const char *data, size_t len)
{
	memory_producer *m = mailer_calloc(1, sizeof(*m));

	m->data = data;
	m->len = len;
	m->size = -1;
	p->ops = &memory_ops;
	p->ctx = m;
}
