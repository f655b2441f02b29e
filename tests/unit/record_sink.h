/* Shared by the streaming encoders' tests: a sink that records what it gets
 * (and how it is called, or fails on request), and a deterministic PRNG so a
 * failure can be replayed. */
#ifndef MAILER_UNIT_RECORD_SINK_H
#define MAILER_UNIT_RECORD_SINK_H

#include "core/util/buf.h"
#include "core/util/sink.h"

#include <stdint.h>

typedef struct rec_sink {
	mailer_buf data;
	size_t calls;
	size_t last;         /* length of the latest call */
	size_t min_but_last; /* shortest call before the latest */
	size_t fail_at;      /* this call and later ones fail; 0: never */
} rec_sink;

static mailer_status rec_write(void *ctx, const char *data, size_t len)
{
	rec_sink *r = ctx;

	r->calls++;
	if (r->fail_at && r->calls >= r->fail_at) {
		return MAILER_FAIL;
	}
	if (r->calls > 1 && r->last < r->min_but_last) {
		r->min_but_last = r->last;
	}
	r->last = len;
	mailer_buf_append(&r->data, data, len);
	return MAILER_OK;
}

static void rec_init(rec_sink *r, mailer_sink *sink, size_t fail_at)
{
	mailer_buf_init(&r->data);
	mailer_buf_append(&r->data, "", 0); /* a C string even when nothing comes */
	r->calls = 0;
	r->last = 0;
	r->min_but_last = SIZE_MAX;
	r->fail_at = fail_at;
	sink->write = rec_write;
	sink->ctx = r;
}

/* xorshift64*: deterministic, so a failure can be replayed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1du;
}

#endif
