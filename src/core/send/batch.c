/* Bulk sending: up to `connections` sessions, set up as states and polled
 * together (curl's multi interface; Postfix's smtp client runs its sessions the
 * same way), each carrying a flight of messages pipelined across (flight.h).
 * Items are taken from next() only when a session has room; a session that
 * fails or is closed by a 421 gives back the messages whose data was not all
 * written, for another (or a new) session, once; those whose end of data went
 * out without a reply are UNCERTAIN. Messages too large to render into memory,
 * and servers without PIPELINING, take the blocking, streaming transaction. */
#include "core/send/batch.h"
#include "core/session/flight.h"
#include "core/util/alloc.h"
#include "core/util/portable.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif

static void sleep_seconds(double seconds)
{
	if (seconds <= 0) {
		return;
	}
#ifdef _WIN32
	Sleep((DWORD)(seconds * 1000.0) + 1);
#else
	{
		struct timespec ts;
		ts.tv_sec = (time_t)seconds;
		ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL); /* a signal cutting it short only sends a little early */
	}
#endif
}

static int is_id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_' || c == '@';
}

static char *word_after(const char *text, size_t len, const char *marker)
{
	const char *p = text, *end = text + len, *start;
	size_t mlen = strlen(marker);

	for (; p + mlen <= end; p++) {
		if (mailer_ascii_ncasecmp(p, marker, mlen) == 0) {
			start = p + mlen;
			for (p = start; p < end && is_id_char(*p); p++) {
			}
			return p > start ? mailer_strndup(start, (size_t)(p - start)) : NULL;
		}
	}
	return NULL;
}

char *mailer_batch_queue_id(const mailer_reply *r)
{
	/* Postfix, Sendmail ("... Message accepted for delivery" has none), Exim, qmail */
	static const char *const markers[] = {"queued as ", "id=", "queued as: ", "qp "};
	const char *text;
	size_t len, i;
	char *id;

	if (!MAILER_REPLY_OK(r) || !mailer_reply_line(r, r->lines ? r->lines - 1 : 0, &text, &len)) {
		return NULL;
	}
	for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		if ((id = word_after(text, len, markers[i])) != NULL) {
			return id;
		}
	}
	return NULL;
}

/* Was the item's data completely written? Only then may the server have it. */
static int data_written(const mailer_error *err)
{
	return err->stage == MAILER_STAGE_EOD && err->code == 0;
}

static mailer_batch_status fate(const mailer_error *err)
{
	if (err->code >= 400) {
		return MAILER_BATCH_REJECTED;
	}
	if (err->kind == MAILER_ERR_RECIPIENT) {
		return MAILER_BATCH_REJECTED;
	}
	return data_written(err) ? MAILER_BATCH_UNCERTAIN : MAILER_BATCH_FAILED;
}

/* The connection dropped before the data was all written: a new connection may do. */
static int retryable(const mailer_error *err)
{
	return err->kind == MAILER_ERR_CONNECTION && err->code == 0 && !data_written(err) &&
		   (err->stage == MAILER_STAGE_MAIL || err->stage == MAILER_STAGE_RCPT ||
			err->stage == MAILER_STAGE_DATA);
}

static void count(mailer_batch_summary *sum, mailer_batch_status st)
{
	switch (st) {
	case MAILER_BATCH_SENT:
		sum->sent++;
		break;
	case MAILER_BATCH_REJECTED:
		sum->rejected++;
		break;
	case MAILER_BATCH_FAILED:
		sum->failed++;
		break;
	case MAILER_BATCH_UNCERTAIN:
		sum->uncertain++;
		break;
	}
}

/* ---- the multi-session driver ---- */

typedef struct entry {
	mailer_flight_msg msg; /* msg.owner: the entry */
	mailer_batch_item *item;
	int attempts; /* times its commands went out */
	int big;      /* of unknown size: the blocking transaction */
	struct entry *next;
} entry;

enum slot_phase { SL_NEW, SL_SETUP, SL_READY, SL_DEAD };

typedef struct slot {
	mailer_smtp *s;
	int phase;
	size_t hosts_tried; /* in this set-up */
	int resumed_again;  /* a resumed session that failed its check was replaced */
	unsigned setups;
} slot;

typedef struct batch {
	const mailer_batch_config *cfg;
	const mailer_batch_ops *ops;
	void *ctx;
	mailer_batch_summary *sum;
	slot slots[MAILER_BATCH_CONNECTIONS_MAX];
	unsigned opened;
	entry *queue, *queue_tail; /* taken, waiting for a session */
	size_t in_hand;            /* entries not told yet */
	int no_more;               /* next() has nothing more (or is not asked any more) */
	int failed;                /* next() or result() failed, or the caller abandoned a session */
	double next_start;         /* the rate limit: when the next message may start */
	mailer_error setup_err;    /* why the last session could not be set up */
} batch;

static void push_front(batch *b, entry *e)
{
	e->next = b->queue;
	b->queue = e;
	if (!b->queue_tail) {
		b->queue_tail = e;
	}
}

static void push_back(batch *b, entry *e)
{
	e->next = NULL;
	if (b->queue_tail) {
		b->queue_tail->next = e;
	} else {
		b->queue = e;
	}
	b->queue_tail = e;
}

static entry *pop(batch *b)
{
	entry *e = b->queue;

	if (e) {
		b->queue = e->next;
		if (!b->queue) {
			b->queue_tail = NULL;
		}
		e->next = NULL;
	}
	return e;
}

/* Tells an entry's fate and frees it; a failing result() stops the batch taking items. */
static void tell(batch *b, entry *e, unsigned session, mailer_batch_status status,
				 const mailer_reply *reply, const mailer_error *err)
{
	mailer_batch_result r;
	char *queue_id = NULL;

	memset(&r, 0, sizeof(r));
	r.status = status;
	r.session = session;
	if (status == MAILER_BATCH_SENT) {
		r.reply = reply;
		r.queue_id = queue_id = mailer_batch_queue_id(reply);
	} else {
		r.error = err;
	}
	r.rcpts = e->msg.rcpts;
	r.rcpt_count = e->msg.rcpt_count;
	r.attempts = e->attempts ? e->attempts : 1;
	count(b->sum, status);
	if (b->ops->result(b->ctx, e->item, &r) != MAILER_OK) {
		b->failed = b->no_more = 1;
	}
	mailer_free(queue_id);
	mailer_flight_msg_free(&e->msg);
	mailer_free(e);
	b->in_hand--;
}

static void tell_failed(batch *b, entry *e, unsigned session, const char *why,
						const mailer_error *cause)
{
	mailer_error err;

	mailer_error_init(&err);
	if (cause && cause->kind != MAILER_ERR_NONE) {
		mailer_error_set(&err, cause->kind, cause->stage, "%s",
						 cause->message ? cause->message : why);
		if (cause->reply) {
			mailer_error_set_reply(&err, cause->code, cause->enhanced, cause->reply);
		}
	} else {
		mailer_error_set(&err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE, "%s", why);
	}
	tell(b, e, session, MAILER_BATCH_FAILED, NULL, &err);
	mailer_error_clear(&err);
}

/* The next item from the caller, rendered when it is small enough; NULL when none. */
static entry *take_item(batch *b)
{
	mailer_batch_item *item;
	mailer_error err;
	long long size = MAILER_SIZE_UNKNOWN;
	mailer_sink sink;
	entry *e;
	int got;

	if (b->queue) {
		return pop(b);
	}
	if (b->no_more) {
		return NULL;
	}
	got = b->ops->next(b->ctx, &item);
	if (got <= 0) {
		b->no_more = 1;
		b->failed |= got < 0;
		return NULL;
	}
	e = mailer_calloc(1, sizeof(*e));
	e->item = item;
	mailer_flight_msg_init(&e->msg, &item->env, e);
	b->in_hand++;
	mailer_error_init(&err);
	size = mailer_producer_size(mailer_pipeline_producer(item->pipeline));
	/* a large message is pulled as the connection takes it; one of unknown size (a
	 * source that cannot tell) needs the blocking transaction: no BDAT, no SIZE */
	e->big = size < 0;
	if (size > MAILER_FLIGHT_RENDER_MAX) {
		e->msg.body = mailer_pipeline_producer(item->pipeline);
		e->msg.size = (unsigned long long)size;
	} else if (!e->big) {
		sink.write = mailer_sink_to_buf;
		sink.ctx = &e->msg.data;
		if (mailer_pipeline_write(item->pipeline, &sink, &err) != MAILER_OK) {
			if (err.kind == MAILER_ERR_ABORTED) {
				b->failed = b->no_more = 1;
			}
			if (err.stage == MAILER_STAGE_NONE) {
				err.stage = MAILER_STAGE_DATA;
			}
			tell(b, e, 0, MAILER_BATCH_FAILED, NULL, &err);
			mailer_error_clear(&err);
			return take_item(b);
		}
	}
	mailer_error_clear(&err);
	return e;
}

/* A message's verdict from a flight: told, or back in the queue for another session. */
static void collect(batch *b, unsigned index)
{
	mailer_smtp *s = b->slots[index].s;
	mailer_flight_msg *m;
	entry *e, *lost = NULL, *lost_last = NULL;

	while ((m = mailer_flight_take(s)) != NULL) {
		e = m->owner;
		if (m->fate != MAILER_FLIGHT_LOST || m->started) {
			e->attempts++;
		}
		switch (m->fate) {
		case MAILER_FLIGHT_ACCEPTED:
			tell(b, e, index, MAILER_BATCH_SENT, &m->reply, NULL);
			break;
		case MAILER_FLIGHT_REFUSED:
			tell(b, e, index, MAILER_BATCH_REJECTED, NULL, &m->err);
			break;
		case MAILER_FLIGHT_UNCERTAIN:
			tell(b, e, index, MAILER_BATCH_UNCERTAIN, NULL, &m->err);
			break;
		case MAILER_FLIGHT_LOST:
			if (!m->started || (e->attempts < 2 && !b->failed)) {
				mailer_flight_msg_reset(m);
				/* kept in the order they were taken, to go before new items */
				e->next = NULL;
				if (lost_last) {
					lost_last->next = e;
				} else {
					lost = e;
				}
				lost_last = e;
				break;
			}
			tell(b, e, index, MAILER_BATCH_FAILED, NULL, &m->err);
			break;
		default:
			tell(b, e, index, MAILER_BATCH_FAILED, NULL, &m->err);
			break;
		}
	}
	if (lost) {
		lost_last->next = b->queue;
		b->queue = lost;
		if (!b->queue_tail) {
			b->queue_tail = lost_last;
		}
	}
}

/* Opens slot index's connection on its next host (spread: session i starts at host
 * i % count), its set-up then running as states. 0 when no host is left. */
static int open_slot(batch *b, unsigned index)
{
	slot *sl = &b->slots[index];
	mailer_smtp *s = sl->s;
	size_t count = s->cfg.host_count;

	while (sl->hosts_tried < count) {
		const mailer_host *h = &s->cfg.hosts[(index + sl->hosts_tried) % count];
		mailer_error_clear(&b->setup_err);
		sl->hosts_tried++;
		if (mailer_smtp_begin_host(s, h, &b->setup_err) == MAILER_OK) {
			sl->phase = SL_SETUP;
			sl->setups++;
			s->waiting = MAILER_SMTP_DONE;
			return 1;
		}
		mailer_smtp_close(s);
		if (s->abandoned) {
			b->failed = b->no_more = 1;
			return 0;
		}
	}
	sl->phase = SL_DEAD;
	return 0;
}

/* Gets slot index going: its session from the caller, taken up as it is when it is set up. */
static void start_slot(batch *b, unsigned index)
{
	slot *sl = &b->slots[index];
	mailer_error err;

	if (!sl->s) {
		mailer_error_init(&err);
		sl->s = b->ops->session(b->ctx, index, &err);
		if (!sl->s) {
			mailer_error_clear(&b->setup_err);
			b->setup_err = err;
			sl->phase = SL_DEAD;
			return;
		}
		sl->s->abandoned = 0;
		mailer_flight_abandon(sl->s);
		mailer_smtp_clear_rcpts(sl->s);
		if (sl->s->connected && sl->s->io->inherited && sl->s->io->inherited(sl->s->io_ctx)) {
			mailer_smtp_close(sl->s); /* another process's (fork()): not a byte on it */
		}
		if (sl->s->connected && sl->s->state == MAILER_SMTP_READY && !sl->s->in_transaction) {
			sl->phase = SL_READY;
			return;
		}
		if (sl->s->connected) {
			mailer_smtp_close(sl->s); /* left mid-way by an earlier call: start clean */
		}
	}
	sl->hosts_tried = 0;
	sl->resumed_again = 0;
	open_slot(b, index);
}

/* The blocking transaction (a message of unknown size, or no PIPELINING), with the
 * reference rules: retried once on a new connection when nothing can have been
 * delivered; UNCERTAIN when the end of data went without a reply. */
static void send_blocking(batch *b, unsigned index, entry *e)
{
	mailer_smtp *s = b->slots[index].s;
	mailer_error err;

	mailer_error_init(&err);
	for (;;) {
		e->attempts++;
		if (mailer_pipeline_send(e->item->pipeline, s, &e->item->env, &err) == MAILER_OK) {
			break;
		}
		if (err.kind == MAILER_ERR_ABORTED) {
			b->failed = b->no_more = 1;
			break;
		}
		if (e->attempts > 1 || !retryable(&err)) {
			break;
		}
		mailer_error_clear(&err);
	}
	/* the transaction's recipients are the item's */
	e->msg.rcpts = s->rcpts;
	e->msg.rcpt_count = s->rcpt_count;
	s->rcpts = NULL;
	s->rcpt_count = 0;
	if (err.kind == MAILER_ERR_NONE) {
		tell(b, e, index, MAILER_BATCH_SENT, &s->reply, NULL);
	} else {
		tell(b, e, index, fate(&err), NULL, &err);
	}
	mailer_error_clear(&err);
	b->slots[index].phase = s->connected && s->state == MAILER_SMTP_READY ? SL_READY : SL_NEW;
}

/* Rate limit across sessions: may a message start now? */
static int may_start(batch *b, double now)
{
	if (b->cfg->max_per_second <= 0) {
		return 1;
	}
	return now >= b->next_start;
}

static void started(batch *b, double now)
{
	if (b->cfg->max_per_second > 0) {
		/* a token bucket of one: no burst after idle time */
		b->next_start = (b->next_start > now ? b->next_start : now) + 1.0 / b->cfg->max_per_second;
	}
}

/* Gives slot index messages up to its window. */
static void feed(batch *b, unsigned index)
{
	slot *sl = &b->slots[index];
	mailer_smtp *s = sl->s;
	unsigned window = b->cfg->window ? b->cfg->window : 1;
	entry *e;

	while (sl->phase == SL_READY && !b->failed && mailer_flight_count(s) < window &&
		   !mailer_flight_worn(s) && may_start(b, mailer_monotonic_seconds())) {
		if (!(e = take_item(b))) {
			return;
		}
		if (e->big || !mailer_flight_usable(s)) {
			if (mailer_flight_count(s) > 0 || s->state != MAILER_SMTP_READY) {
				push_front(b, e); /* once this session's flight has landed */
				return;
			}
			started(b, mailer_monotonic_seconds());
			send_blocking(b, index, e);
			continue;
		}
		started(b, mailer_monotonic_seconds());
		mailer_flight_add(s, &e->msg);
		s->waiting = MAILER_SMTP_DONE; /* to be stepped at once */
	}
}

/* One step of slot index, with the event its wait ended with. */
static void step_slot(batch *b, unsigned index, mailer_smtp_event ev)
{
	slot *sl = &b->slots[index];
	mailer_smtp *s = sl->s;
	mailer_error err;
	mailer_smtp_want w;
	int in_flight = s->state == MAILER_SMTP_FLIGHT, resumed = s->resumed;

	mailer_error_init(&err);
	w = mailer_smtp_step(s, ev, &err);
	if (in_flight) {
		collect(b, index);
	}
	if (s->abandoned || err.kind == MAILER_ERR_ABORTED) {
		b->failed = b->no_more = 1;
	}
	if (w == MAILER_SMTP_DONE) {
		if (sl->phase == SL_SETUP) {
			sl->phase = SL_READY;
		}
		if (mailer_flight_worn(s)) {
			mailer_smtp_quit(s);
			sl->phase = SL_NEW;
		}
	} else if (w == MAILER_SMTP_FAILED) {
		if (s->debug) {
			char line[512];
			int n = snprintf(line, sizeof(line), "* session %u failed: %s", index,
							 err.message ? err.message : "(no reason)");
			s->debug(s->debug_ctx, line, n > 0 && (size_t)n < sizeof(line) ? (size_t)n : 0);
		}
		mailer_smtp_close(s);
		if (sl->phase == SL_SETUP && !b->failed) {
			mailer_error_clear(&b->setup_err);
			b->setup_err = err;
			mailer_error_init(&err);
			if (resumed && !sl->resumed_again) {
				sl->resumed_again = 1;
				sl->hosts_tried--; /* the same host, on a new connection */
			}
			open_slot(b, index);
		} else {
			sl->phase = SL_NEW; /* a new connection when there is work for it */
		}
	}
	mailer_error_clear(&err);
}

static int slot_busy(const slot *sl)
{
	return sl->phase == SL_SETUP || (sl->phase == SL_READY && mailer_flight_count(sl->s) > 0);
}

/* Messages the open sessions can still take, less those waiting: at or below 0
 * another session would have work. So a second session opens only when the first
 * one's flight is full (not for a batch one flight carries), and then the rest. */
static long room(const batch *b)
{
	long window = b->cfg->window ? (long)b->cfg->window : 1, r = 0;
	const entry *e;
	unsigned i;

	for (i = 0; i < b->opened; i++) {
		if (b->slots[i].phase == SL_SETUP) {
			/* the first may well carry the whole batch; once a second is needed
			 * the batch is large, and the others open together, not in turn */
			r += b->opened == 1 ? window : 1;
		} else if (b->slots[i].phase == SL_READY) {
			r += window - (long)mailer_flight_count(b->slots[i].s);
		}
	}
	for (e = b->queue; e; e = e->next) {
		r--;
	}
	return r;
}

/* Sessions set up again after failing are bounded: a server that drops every
 * connection runs each message out of attempts long before. */
#define MAILER_BATCH_SETUPS_MAX 1000

mailer_status mailer_batch_run(const mailer_batch_config *cfg, const mailer_batch_ops *ops,
							   void *ctx, mailer_batch_summary *summary)
{
	mailer_smtp *polled[MAILER_BATCH_CONNECTIONS_MAX];
	int ev[MAILER_BATCH_CONNECTIONS_MAX];
	unsigned connections = cfg->connections ? cfg->connections : 1, i, live;
	unsigned long rounds;
	double until, now;
	batch b;
	entry *e = NULL;
	int busy;

	if (connections > MAILER_BATCH_CONNECTIONS_MAX) {
		connections = MAILER_BATCH_CONNECTIONS_MAX;
	}
	memset(summary, 0, sizeof(*summary));
	memset(&b, 0, sizeof(b));
	b.cfg = cfg;
	b.ops = ops;
	b.ctx = ctx;
	b.sum = summary;
	mailer_error_init(&b.setup_err);

	for (rounds = 0; rounds < 100000000UL; rounds++) {
		/* sessions: one more whenever the open ones are full and work may wait */
		live = 0;
		for (i = 0; i < b.opened; i++) {
			slot *sl = &b.slots[i];
			if (sl->phase == SL_NEW && (b.queue || !b.no_more) && !b.failed) {
				if (sl->setups < MAILER_BATCH_SETUPS_MAX) {
					start_slot(&b, i);
				} else {
					sl->phase = SL_DEAD;
				}
			}
			if (sl->phase == SL_READY) {
				feed(&b, i);
			}
			live += sl->phase == SL_SETUP || sl->phase == SL_READY;
		}
		if (b.opened < connections && !b.failed && room(&b) <= 0 &&
			(b.queue || (e = take_item(&b)) != NULL)) {
			if (!b.queue) {
				push_back(&b, e);
			}
			start_slot(&b, b.opened++);
			continue;
		}
		/* no session can be set up: what is left fails with the reason (unless the
		 * batch was stopped: then that is the reason, below) */
		if (live == 0 && b.opened == connections && !b.failed) {
			while ((e = take_item(&b)) != NULL) {
				tell_failed(&b, e, 0, "no session could be set up", &b.setup_err);
			}
		}
		if (b.failed) {
			/* what waits and never went out goes back to the caller, told */
			while ((e = pop(&b)) != NULL) {
				tell_failed(&b, e, 0, "not sent: the batch was stopped", NULL);
			}
		}
		busy = 0;
		for (i = 0; i < b.opened; i++) {
			slot *sl = &b.slots[i];
			if (sl->phase == SL_SETUP && !b.queue && b.no_more) {
				/* nothing left for it: not kept waiting for a greeting (a server
				 * that serves one connection at a time would never give it) */
				mailer_smtp_close(sl->s);
				sl->phase = SL_NEW;
			}
			busy |= slot_busy(sl);
		}
		if (!busy && !b.queue && b.no_more) {
			break;
		}
		/* step whatever has nothing to wait for, then wait for the rest */
		for (i = 0; i < b.opened; i++) {
			slot *sl = &b.slots[i];
			if ((sl->phase == SL_SETUP || sl->phase == SL_READY) &&
				sl->s->waiting == MAILER_SMTP_DONE && slot_busy(sl)) {
				step_slot(&b, i, MAILER_SMTP_GO);
			}
		}
		now = mailer_monotonic_seconds();
		until = now + 3600;
		if ((b.queue || !b.no_more) && !may_start(&b, now)) {
			until = b.next_start; /* never later than the rate limit allows the next */
		}
		for (i = 0; i < b.opened; i++) {
			polled[i] = slot_busy(&b.slots[i]) ? b.slots[i].s : NULL;
		}
		if (mailer_smtp_poll(polled, b.opened, until, ev) == 0 && until < now + 3600) {
			/* nothing on the wire (scripted sessions): the rate limit's wait */
			now = mailer_monotonic_seconds();
			if (b.next_start > now) {
				int waiting = 0;
				for (i = 0; i < b.opened; i++) {
					waiting |= polled[i] && polled[i]->io->wait;
				}
				if (!waiting) {
					sleep_seconds(b.next_start - now);
				}
			}
		}
		for (i = 0; i < b.opened; i++) {
			if (ev[i] >= 0 && polled[i]) {
				step_slot(&b, i, (mailer_smtp_event)ev[i]);
			}
		}
	}
	while ((e = pop(&b)) != NULL) { /* (only when the loop's bound was reached) */
		tell_failed(&b, e, 0, "not sent: the batch was stopped", NULL);
	}
	mailer_error_clear(&b.setup_err);
	return b.failed ? MAILER_FAIL : MAILER_OK;
}
