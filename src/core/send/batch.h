/* Bulk sending (sendMany()): a stream of items, each an envelope and a pipeline,
 * sent over up to `connections` sessions. The caller hands items out on demand
 * (next) and hears each item's fate as soon as it is known (result), in
 * completion order. One item's failure never stops the others.
 *
 * Fates (RFC 5321 gives no other way to know):
 *   SENT       the final reply to the end of data was 2xx;
 *   REJECTED   the server refused it (MAIL, RCPT without "partial", DATA, end of data);
 *   FAILED     it was not sent and could not be: no session could be set up, a source
 *              could not be read, the retry on a new connection failed too;
 *   UNCERTAIN  the end of data was written and no reply came (the connection dropped
 *              or timed out): the server may have accepted it. Never resent.
 * An item whose data was not completely written when its connection dropped is
 * retried once on a new connection (its pipeline is restartable). */
#ifndef MAILER_CORE_SEND_BATCH_H
#define MAILER_CORE_SEND_BATCH_H

#include "core/send/pipeline.h"
#include "core/session/session.h"
#include "core/util/error.h"

#include <stddef.h>

#define MAILER_BATCH_CONNECTIONS_MAX 64
#define MAILER_BATCH_WINDOW_MAX 1024

typedef enum mailer_batch_status {
	MAILER_BATCH_SENT = 0,
	MAILER_BATCH_REJECTED,
	MAILER_BATCH_FAILED,
	MAILER_BATCH_UNCERTAIN
} mailer_batch_status;

/* One item, owned by the caller from next() until its result() returns. */
typedef struct mailer_batch_item {
	mailer_envelope env;
	mailer_pipeline *pipeline; /* prepared (S/MIME stage added, DKIM signed) */
	void *owner;               /* the caller's: its key, its buffers */
} mailer_batch_item;

/* What result() is told; valid during the call only. */
typedef struct mailer_batch_result {
	mailer_batch_status status;
	unsigned session;                /* the session that carried it last (0-based) */
	const mailer_reply *reply;       /* SENT: the final reply; else NULL (see error->reply) */
	const char *queue_id;            /* from the final reply when the server gave one, or NULL */
	const mailer_rcpt_result *rcpts; /* each recipient's reply, as getLastRecipients() */
	size_t rcpt_count;
	const mailer_error *error; /* not SENT: why (kind, stage, code, reply, command) */
	int attempts;              /* 1, or 2 when it was retried on a new connection */
} mailer_batch_result;

typedef struct mailer_batch_ops {
	/* The next item: 1 (*item set), 0 (no more), or -1: the caller failed (its own
	 * error stands); the batch then takes no more items. */
	int (*next)(void *ctx, mailer_batch_item **item);
	/* An item's fate. MAILER_FAIL (the caller's code failed): the batch takes no more
	 * items, finishes or resets what is in flight, never leaving a message half-sent,
	 * and returns MAILER_FAIL. The item is the caller's again either way.
	 * Fates come in completion order, which is not next()'s: items pipelined on
	 * several sessions land in any order, an item retried comes after later ones, and
	 * one that cannot be prepared (its source fails) is told as soon as it is taken.
	 * After a MAILER_FAIL result() is still called, once, for every item already taken:
	 * those in flight with their real fate, those not yet sent FAILED ("not sent: the
	 * batch was stopped"). */
	mailer_status (*result)(void *ctx, mailer_batch_item *item, const mailer_batch_result *r);
	/* Session number index (0 .. connections - 1), set up by the caller's config but not
	 * necessarily connected; the same pointer for the same index during a run. NULL with
	 * err filled when it cannot be made. Session 0 is asked for first. */
	mailer_smtp *(*session)(void *ctx, unsigned index, mailer_error *err);
} mailer_batch_ops;

typedef struct mailer_batch_config {
	unsigned connections;  /* 1 .. MAILER_BATCH_CONNECTIONS_MAX */
	unsigned window;       /* messages in flight per session, 1 .. MAILER_BATCH_WINDOW_MAX */
	double max_per_second; /* across all sessions; 0: unlimited */
} mailer_batch_config;

typedef struct mailer_batch_summary {
	size_t sent, rejected, failed, uncertain;
} mailer_batch_summary;

/* The queue id in a 2xx reply to the end of data ("250 2.0.0 Ok: queued as 4XyZ",
 * "250 OK id=1abcde-0001", ...), as a malloc'd string, or NULL when there is none. */
char *mailer_batch_queue_id(const mailer_reply *r);

/* Runs the batch until next() says there are no more items and every item's fate is
 * told. MAILER_OK, or MAILER_FAIL when next() or result() failed, or a session was
 * abandoned by the caller's code (MAILER_IO_ABORTED: not a byte more on it). Every
 * item taken is still told, once: on the abandoned session one whose end of data had
 * left without a reply is UNCERTAIN, the others are FAILED ("not sent: the batch was
 * stopped"), as are those still waiting. The caller's own error stands. Sessions stay
 * open (the caller closes or keeps them). */
mailer_status mailer_batch_run(const mailer_batch_config *cfg, const mailer_batch_ops *ops,
							   void *ctx, mailer_batch_summary *summary);

#endif
