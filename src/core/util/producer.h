/* A producer hands out a message's bytes on demand (pull), so every stage of the
 * send pipeline - the message writer, S/MIME, DKIM, line-end normalisation - can
 * be stacked, restarted for a retry, and driven by a session that writes only
 * when its socket takes more: nothing holds the whole message, and nothing
 * blocks inside a stage waiting for the network.
 *
 *   writer -> [S/MIME] -> [DKIM] -> CRLF normalisation -> session (dot-stuffing or BDAT)
 *
 * A stage borrows the producer it wraps; whoever assembled the chain frees it,
 * outermost first (see mailer_pipeline_free()). size() is the octets a pass gives
 * after CRLF normalisation. */
#ifndef MAILER_CORE_UTIL_PRODUCER_H
#define MAILER_CORE_UTIL_PRODUCER_H

#include "core/util/error.h"
#include "core/util/sink.h"

#include <limits.h>
#include <stddef.h>

/* The most one read hands out (its count is a long). */
#define MAILER_PRODUCER_READ_MAX (LONG_MAX > 0x40000000L ? 0x40000000L : LONG_MAX)

/* mailer_producer_ops.size() when the size cannot be known without producing the bytes */
#define MAILER_SIZE_UNKNOWN (-1LL)

typedef struct mailer_producer_ops {
	/* Starts (again) at the first byte: MAILER_OK, or MAILER_FAIL with err set. A
	 * producer is rewound before its first read. */
	mailer_status (*rewind)(void *ctx, mailer_error *err);
	/* Up to cap (> 0) bytes into buf: > 0 bytes, 0 at the end, -1 with err set. */
	long (*read)(void *ctx, char *buf, size_t cap, mailer_error *err);
	/* The octets a whole pass yields, known without producing them (attachments
	 * measured by their size, not read), or MAILER_SIZE_UNKNOWN. Valid after rewind. */
	long long (*size)(void *ctx);
	/* Frees ctx and what it owns (the producer it wraps). */
	void (*free)(void *ctx);
} mailer_producer_ops;

typedef struct mailer_producer {
	const mailer_producer_ops *ops;
	void *ctx;
} mailer_producer;

static inline mailer_status mailer_producer_rewind(const mailer_producer *p, mailer_error *err)
{
	return p->ops->rewind(p->ctx, err);
}

static inline long mailer_producer_read(const mailer_producer *p, char *buf, size_t cap,
										mailer_error *err)
{
	return p->ops->read(p->ctx, buf, cap, err);
}

static inline long long mailer_producer_size(const mailer_producer *p)
{
	return p->ops->size ? p->ops->size(p->ctx) : MAILER_SIZE_UNKNOWN;
}

static inline void mailer_producer_free(mailer_producer *p)
{
	if (p->ops && p->ops->free) {
		p->ops->free(p->ctx);
	}
	p->ops = NULL;
	p->ctx = NULL;
}

/* Rewinds p and writes one whole pass into out. On failure err says why: the
 * producer's error, or MAILER_ERR_CONNECTION (stage DATA) when the sink failed. */
mailer_status mailer_producer_drain(const mailer_producer *p, const mailer_sink *out,
									mailer_error *err);
/* mailer_producer_drain() as a mailer_emit_fn (ctx is the const mailer_producer *),
 * for a stage whose one preparing pass pushes the message into its own sink. */
mailer_status mailer_producer_emit(void *ctx, const mailer_sink *out, mailer_error *err);
/* A producer of len bytes at data (borrowed: they must outlive it); its size is
 * theirs after CRLF normalisation, counted in memory (no source is read). */
void mailer_producer_memory(mailer_producer *p, const char *data, size_t len);

#endif
