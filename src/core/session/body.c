#include "core/session/body.h"
#include "core/session/session_int.h"
#include "core/util/alloc.h"

#include <string.h>

/* Appends to the output queue without writing (the caller writes it). */
static mailer_status queue_sink(void *ctx, const char *data, size_t len)
{
	mailer_smtp *s = ctx;

	if (s->write_failed || s->abandoned) {
		return MAILER_FAIL;
	}
	mailer_buf_append(&s->out, data, len);
	return MAILER_OK;
}

/* BDAT: no octet past the size, and the last one held back. */
static mailer_status bdat_sink(void *ctx, const char *data, size_t len)
{
	mailer_body *b = ctx;

	if (b->seen > b->size || len > b->size - b->seen) {
		b->seen = b->size + 1; /* grew: more than announced */
		return MAILER_FAIL;
	}
	b->seen += len;
	if (b->seen < b->size) {
		return queue_sink(b->s, data, len);
	}
	if (len > 1 && queue_sink(b->s, data, len - 1) != MAILER_OK) {
		return MAILER_FAIL;
	}
	b->last = data[len - 1];
	b->have_last = 1;
	return MAILER_OK;
}

mailer_status mailer_body_start(mailer_body *b, mailer_smtp *s, const mailer_producer *producer,
								int bdat, unsigned long long size, mailer_error *err)
{
	mailer_sink out = {queue_sink, s};

	memset(b, 0, sizeof(*b));
	if (mailer_producer_rewind(producer, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	b->producer = producer;
	b->s = s;
	b->bdat = bdat;
	b->size = size;
	if (bdat) {
		out.write = bdat_sink;
		out.ctx = b;
	}
	b->stuffer = mailer_malloc(sizeof(*b->stuffer));
	mailer_dotstuff_init(b->stuffer, &out, !bdat);
	b->piece = mailer_malloc(MAILER_BODY_PIECE);
	return MAILER_OK;
}

static mailer_body_result refused(const mailer_body *b)
{
	return b->bdat && b->seen > b->size && !b->s->write_failed && !b->s->abandoned
			   ? MAILER_BODY_GREW
			   : MAILER_BODY_REFUSED;
}

mailer_body_result mailer_body_fill(mailer_body *b, mailer_error *err)
{
	long n;

	while (b->s->out.len < MAILER_OUT_FLUSH_AT) {
		n = mailer_producer_read(b->producer, b->piece, MAILER_BODY_PIECE, err);
		if (n < 0) {
			return MAILER_BODY_SOURCE_FAILED;
		}
		if (n == 0) {
			if (mailer_dotstuff_finish(b->stuffer) != MAILER_OK) {
				return refused(b);
			}
			return b->bdat && b->seen != b->size ? MAILER_BODY_SHRANK : MAILER_BODY_ENDED;
		}
		if (mailer_dotstuff_write(b->stuffer, b->piece, (size_t)n) != MAILER_OK) {
			return refused(b);
		}
	}
	return MAILER_BODY_MORE;
}

mailer_status mailer_body_queue_end(mailer_body *b)
{
	return b->have_last ? queue_sink(b->s, &b->last, 1) : MAILER_OK;
}

unsigned long long mailer_body_octets(const mailer_body *b)
{
	return b->stuffer ? (unsigned long long)b->stuffer->written : 0;
}

void mailer_body_free(mailer_body *b)
{
	mailer_free(b->stuffer);
	mailer_free(b->piece);
	b->stuffer = NULL;
	b->piece = NULL;
}
