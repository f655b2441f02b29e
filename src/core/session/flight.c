/* Transactions pipelined across messages (see flight.h). The flight writes
 * commands and message data into the session's output queue and notes, for
 * each command, whose reply comes back and for what (a ring, in wire order:
 * SMTP answers in order, RFC 2920 §3.1). A message's fate is told once every
 * reply it is owed has come, so the caller never frees a message a reply still
 * names. The wire (wire.c) moves the bytes; nothing here waits. */
#include "core/session/body.h"
#include "core/session/flight.h"
#include "core/session/session_int.h"
#include "core/util/alloc.h"
#include "core/util/dotstuff.h"

#include <stdio.h>
#include <string.h>

enum phase { P_QUEUED, P_ENVELOPE, P_DATA, P_BODY, P_TOLD };
enum expect_kind { X_MAIL, X_RCPT, X_DATA, X_EOD, X_RSET };

typedef struct expect {
	mailer_flight_msg *m; /* NULL for RSET */
	int kind;
	size_t index; /* X_RCPT: the recipient */
} expect;

typedef struct mailer_flight {
	mailer_flight_msg *queued, *queued_tail; /* added, no command out yet */
	mailer_flight_msg *done, *done_tail;     /* fate known, not taken yet */
	size_t count;                            /* added and not taken */
	expect *ring;
	size_t ring_cap, ring_head, ring_len;
	/* a message whose replies decide what is written next (DATA's 354, or a
	 * multi-recipient envelope that is all-or-nothing): nothing more goes before them */
	mailer_flight_msg *gate;
	int dirty;       /* a transaction may be open: RSET before the next MAIL */
	size_t bdat_out; /* BDAT chunks whose reply is outstanding */
	int worn;        /* MAIL refused as a worn-out connection is: take no more */
	mailer_buf mail, lines;
	/* the message whose body is being pulled into the queue: nothing goes after it
	 * until its end is queued */
	mailer_flight_msg *streaming;
	mailer_body writer;
	int body_ended;   /* all of it is queued but BDAT's last octet */
	int start_failed; /* its producer could not start (its error in the message's err) */
} mailer_flight;

void mailer_flight_msg_init(mailer_flight_msg *m, const mailer_envelope *env, void *owner)
{
	memset(m, 0, sizeof(*m));
	m->env = env;
	m->owner = owner;
	mailer_buf_init(&m->data);
	mailer_error_init(&m->err);
	mailer_reply_init(&m->reply);
}

static void clear_rcpts(mailer_flight_msg *m)
{
	mailer_rcpt_results_free(&m->rcpts, &m->rcpt_count);
}

void mailer_flight_msg_reset(mailer_flight_msg *m)
{
	clear_rcpts(m);
	mailer_error_clear(&m->err);
	mailer_reply_reset(&m->reply);
	m->fate = MAILER_FLIGHT_PENDING;
	m->started = m->phase = m->mail_ok = m->careful = m->bdat = 0;
	m->accepted = m->refused = m->owed = 0;
	m->eod_at = 0;
	m->next = NULL;
}

void mailer_flight_msg_free(mailer_flight_msg *m)
{
	mailer_flight_msg_reset(m);
	mailer_reply_free(&m->reply);
	mailer_buf_free(&m->data);
}

int mailer_flight_usable(const mailer_smtp *s)
{
	return s->connected && !s->cfg.no_pipelining && (s->caps.flags & MAILER_CAP_PIPELINING) &&
		   (s->state == MAILER_SMTP_READY || s->state == MAILER_SMTP_FLIGHT);
}

void mailer_flight_add(mailer_smtp *s, mailer_flight_msg *m)
{
	mailer_flight *f = s->flight;

	if (!f) {
		f = s->flight = mailer_calloc(1, sizeof(*f));
		mailer_buf_init(&f->mail);
		mailer_buf_init(&f->lines);
	}
	m->next = NULL;
	m->phase = P_QUEUED;
	if (f->queued_tail) {
		f->queued_tail->next = m;
	} else {
		f->queued = m;
	}
	f->queued_tail = m;
	f->count++;
	if (s->state != MAILER_SMTP_FLIGHT) {
		f->worn = 0; /* a new start on a connection set up again */
		s->state = MAILER_SMTP_FLIGHT;
		mailer_smtp_restart_clock(s);
	}
}

size_t mailer_flight_count(const mailer_smtp *s)
{
	return s->flight ? s->flight->count : 0;
}

int mailer_flight_worn(const mailer_smtp *s)
{
	return s->flight && s->flight->worn;
}

mailer_flight_msg *mailer_flight_take(mailer_smtp *s)
{
	mailer_flight *f = s->flight;
	mailer_flight_msg *m;

	if (!f || !(m = f->done)) {
		return NULL;
	}
	f->done = m->next;
	if (!f->done) {
		f->done_tail = NULL;
	}
	m->next = NULL;
	f->count--;
	return m;
}

static void stop_streaming(mailer_flight *f)
{
	if (f->streaming) {
		mailer_body_free(&f->writer);
		f->streaming = NULL;
	}
	f->body_ended = f->start_failed = 0;
}

void mailer_flight_abandon(mailer_smtp *s)
{
	mailer_flight *f = s->flight;

	if (!f) {
		return;
	}
	if (s->state == MAILER_SMTP_FLIGHT) {
		if (s->connected && (f->ring_len || s->out.len > s->out_sent)) {
			mailer_smtp_close(s); /* replies owed: nothing more may go on it */
		}
		s->state = s->connected ? MAILER_SMTP_READY : MAILER_SMTP_IDLE;
	}
	f->queued = f->queued_tail = f->done = f->done_tail = NULL;
	f->gate = NULL;
	f->count = f->ring_len = f->ring_head = f->bdat_out = 0;
	f->dirty = f->worn = 0;
	stop_streaming(f);
}

void mailer_flight_closed(mailer_smtp *s)
{
	s->flight->worn = 0;
}

void mailer_flight_free(mailer_smtp *s)
{
	mailer_flight *f = s->flight;

	if (!f) {
		return;
	}
	stop_streaming(f);
	mailer_free(f->ring);
	mailer_buf_free(&f->mail);
	mailer_buf_free(&f->lines);
	mailer_free(f);
	s->flight = NULL;
}

/* ---- the ring of awaited replies ---- */

static void expect_reply(mailer_flight *f, mailer_flight_msg *m, int kind, size_t index)
{
	expect *x;

	if (f->ring_len == f->ring_cap) {
		size_t cap = f->ring_cap ? f->ring_cap * 2 : 64, i;
		expect *ring = mailer_malloc(cap * sizeof(*ring));
		for (i = 0; i < f->ring_len; i++) {
			ring[i] = f->ring[(f->ring_head + i) % f->ring_cap];
		}
		mailer_free(f->ring);
		f->ring = ring;
		f->ring_cap = cap;
		f->ring_head = 0;
	}
	x = &f->ring[(f->ring_head + f->ring_len) % f->ring_cap];
	x->m = m;
	x->kind = kind;
	x->index = index;
	f->ring_len++;
	if (m) {
		m->owed++;
	}
}

static mailer_stage stage_of(int kind)
{
	switch (kind) {
	case X_MAIL:
		return MAILER_STAGE_MAIL;
	case X_RCPT:
		return MAILER_STAGE_RCPT;
	case X_DATA:
		return MAILER_STAGE_DATA;
	case X_EOD:
		return MAILER_STAGE_EOD;
	default:
		return MAILER_STAGE_RSET;
	}
}

/* ---- fates ---- */

static void tell(mailer_flight *f, mailer_flight_msg *m)
{
	m->phase = P_TOLD;
	m->next = NULL;
	if (f->done_tail) {
		f->done_tail->next = m;
	} else {
		f->done = m;
	}
	f->done_tail = m;
}

/* Told as soon as its fate is known and no reply still names it. */
static void settle(mailer_flight *f, mailer_flight_msg *m)
{
	if (m->fate != MAILER_FLIGHT_PENDING && m->owed == 0 && m->phase != P_TOLD) {
		if (f->gate == m) {
			f->gate = NULL;
		}
		tell(f, m);
	}
}

static void refuse(mailer_smtp *s, mailer_flight_msg *m, mailer_stage stage, const char *command,
				   const char *what)
{
	const char *text = mailer_buf_cstr(&s->reply.text);

	mailer_error_set(&m->err, MAILER_ERR_PROTOCOL, stage, "%s: %s", what, text);
	mailer_error_set_reply(&m->err, s->reply.code, s->reply.enhanced, text);
	mailer_error_set_command(&m->err, command);
	m->fate = MAILER_FLIGHT_REFUSED;
}

/* All or nothing (unless partial): the refusals, as mailer_smtp_send() reports them. */
static void refuse_recipients(mailer_flight_msg *m)
{
	mailer_rejected *first;
	mailer_buf cmd;

	m->fate = MAILER_FLIGHT_REFUSED;
	if (m->err.rejected_count == 0) {
		mailer_error_set(&m->err, MAILER_ERR_RECIPIENT, MAILER_STAGE_RCPT,
						 "the server accepted no recipient; nothing was sent");
		return;
	}
	first = &m->err.rejected[0];
	mailer_error_set(&m->err, MAILER_ERR_RECIPIENT, MAILER_STAGE_RCPT,
					 "the server refused %zu of %zu recipients; nothing was sent (first: <%s>: %s)",
					 m->refused, m->env->rcpt_count, first->address, first->reply);
	mailer_error_set_reply(&m->err, first->code, first->enhanced, first->reply);
	mailer_buf_init(&cmd);
	mailer_buf_appendf(&cmd, "RCPT TO:<%s>", first->address);
	mailer_error_set_command(&m->err, cmd.data);
	mailer_buf_free(&cmd);
}

static void record_rcpt(mailer_smtp *s, mailer_flight_msg *m, size_t index)
{
	mailer_rcpt_result *r;

	m->rcpts = mailer_realloc(m->rcpts, (m->rcpt_count + 1) * sizeof(*m->rcpts));
	r = &m->rcpts[m->rcpt_count++];
	r->address = mailer_strdup(m->env->rcpts[index]);
	r->code = s->reply.code;
	memcpy(r->enhanced, s->reply.enhanced, sizeof(r->enhanced));
	r->reply = mailer_strdup(mailer_buf_cstr(&s->reply.text));
}

static void copy_reply(mailer_reply *to, const mailer_reply *from)
{
	mailer_reply_reset(to);
	to->code = from->code;
	memcpy(to->enhanced, from->enhanced, sizeof(to->enhanced));
	mailer_buf_append(&to->text, from->text.data ? from->text.data : "", from->text.len);
	to->lines = from->lines;
}

/* ---- writing ---- */

/* The message's octets as sent before dot-stuffing. */
static unsigned long long msg_size(const mailer_flight_msg *m)
{
	return m->body ? m->size : (unsigned long long)m->data.len;
}

static int uses_bdat(const mailer_smtp *s)
{
	return !s->cfg.no_chunking && (s->caps.flags & MAILER_CAP_CHUNKING);
}

/* Where the output queue ends, counted in bytes the connection takes. */
static unsigned long long queue_end(const mailer_smtp *s)
{
	return s->out_taken + (s->out.len - s->out_sent);
}

static mailer_status append_out(void *ctx, const char *data, size_t len)
{
	mailer_buf_append(&((mailer_smtp *)ctx)->out, data, len);
	return MAILER_OK;
}

/* A streamed message's end is queued (BDAT: its last octet, once the rest left). Said
 * before it leaves: code the debug line runs can still abandon the message. */
static mailer_status queue_stream_end(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m)
{
	if (mailer_body_queue_end(&f->writer) != MAILER_OK) {
		return MAILER_FAIL;
	}
	mailer_smtp_debug_event(
		s, m->bdat ? "C: [message: %llu octets]" : "C: [message: %llu octets, then <CRLF>.<CRLF>]",
		mailer_body_octets(&f->writer));
	m->eod_at = queue_end(s);
	stop_streaming(f);
	return MAILER_OK;
}

/* The message itself: after DATA's 354, dot-stuffed with its end; or as one BDAT LAST.
 * A streamed one is started here and pulled by pump(). */
static void queue_body(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m)
{
	if (m->bdat) {
		char line[64];
		f->bdat_out++;
		snprintf(line, sizeof(line), "BDAT %llu LAST", msg_size(m));
		mailer_smtp_queue(s, line, strlen(line), NULL);
	}
	m->phase = P_BODY;
	expect_reply(f, m, X_EOD, 0);
	if (m->body) {
		/* its end is not queued yet: a connection lost before it is no uncertainty */
		m->eod_at = ~0ULL;
		f->streaming = m;
		f->body_ended = 0;
		/* failing, pump() drops the connection: it must never end */
		f->start_failed =
			mailer_body_start(&f->writer, s, m->body, m->bdat, m->size, &m->err) != MAILER_OK;
		return;
	}
	if (m->bdat) {
		mailer_buf_append(&s->out, m->data.data ? m->data.data : "", m->data.len);
		mailer_smtp_debug_event(s, "C: [message: %zu octets]", m->data.len);
	} else {
		mailer_sink out = {append_out, s};
		mailer_dotstuff *d = mailer_malloc(sizeof(*d));
		mailer_dotstuff_init(d, &out, 1);
		mailer_dotstuff_write(d, m->data.data ? m->data.data : "", m->data.len);
		mailer_dotstuff_finish(d);
		mailer_smtp_debug_event(s, "C: [message: %llu octets, then <CRLF>.<CRLF>]",
								(unsigned long long)d->written);
		mailer_free(d);
	}
	m->eod_at = queue_end(s);
}

/* After the envelope's replies (or at once, pipelined): DATA, or the BDAT chunk. */
static void queue_data_or_bdat(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m)
{
	if (m->bdat) {
		if (f->gate == m) {
			f->gate = NULL;
		}
		queue_body(s, f, m);
		return;
	}
	mailer_smtp_queue(s, "DATA", 4, NULL);
	m->phase = P_DATA;
	expect_reply(f, m, X_DATA, 0);
	f->gate = m; /* its 354 comes before anything more */
}

static void queue_rset(mailer_smtp *s, mailer_flight *f)
{
	mailer_smtp_queue(s, "RSET", 4, NULL);
	expect_reply(f, NULL, X_RSET, 0);
	f->dirty = 0;
}

static void start(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m)
{
	const char *line;
	size_t i;

	mailer_buf_reset(&f->mail);
	mailer_buf_reset(&f->lines);
	if (mailer_smtp_envelope_lines(s, m->env, msg_size(m), &f->mail, &f->lines, &m->err) !=
		MAILER_OK) {
		m->fate = MAILER_FLIGHT_FAILED; /* this server cannot take it; nothing was sent */
		settle(f, m);
		return;
	}
	/* A refused BDAT may leave its transaction open (RFC 3030 does not say it ends it),
	 * and then this MAIL would meet a 503 and its RCPTs and chunk join that transaction:
	 * while a chunk's reply is outstanding an RSET goes between, which costs no round
	 * trip. */
	if (f->dirty || (uses_bdat(s) && f->bdat_out)) {
		queue_rset(s, f);
	}
	m->started = 1;
	m->phase = P_ENVELOPE;
	m->bdat = uses_bdat(s);
	/* several recipients, all or nothing: their replies decide before any data goes */
	m->careful = m->env->rcpt_count > 1 && !s->cfg.partial;
	s->in_transaction = 1;
	mailer_smtp_queue(s, f->mail.data, f->mail.len, NULL);
	expect_reply(f, m, X_MAIL, 0);
	for (i = 0, line = f->lines.data; i < m->env->rcpt_count; i++, line += strlen(line) + 1) {
		mailer_smtp_queue(s, line, strlen(line), NULL);
		expect_reply(f, m, X_RCPT, i);
	}
	if (m->careful) {
		f->gate = m;
		return;
	}
	queue_data_or_bdat(s, f, m);
}

static void fill(mailer_smtp *s, mailer_flight *f)
{
	mailer_flight_msg *m;

	while (!f->gate && !f->worn && !f->streaming && (m = f->queued) != NULL) {
		if (m->body && f->ring_len) {
			break; /* a streamed message starts once every earlier reply is in */
		}
		f->queued = m->next;
		if (!f->queued) {
			f->queued_tail = NULL;
		}
		start(s, f, m);
	}
	/* nothing more to send: leave the connection without an open transaction */
	if (f->dirty && !f->gate && !f->streaming && f->ring_len == 0) {
		queue_rset(s, f);
	}
}

/* ---- replies ---- */

/* The envelope's replies are all in: the message goes on, or is refused. */
static void envelope_done(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m)
{
	if (m->fate != MAILER_FLIGHT_PENDING) {
		return; /* MAIL was refused */
	}
	if (m->accepted == 0 || (m->refused && !s->cfg.partial)) {
		refuse_recipients(m);
		if (m->careful) {
			f->dirty = 1; /* MAIL was accepted: the transaction is open */
		}
		return;
	}
	if (m->careful) {
		queue_data_or_bdat(s, f, m);
	}
}

static void mail_resp(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m)
{
	int code = s->reply.code;
	char command[600];

	m->mail_ok = MAILER_REPLY_OK(&s->reply);
	if (m->mail_ok) {
		return;
	}
	snprintf(command, sizeof(command), "MAIL FROM:<%s>", m->env->from);
	refuse(s, m, MAILER_STAGE_MAIL, command, "the server refused the sender");
	if ((code == 451 || code == 452) && s->transactions > 0) {
		/* about the connection, not the message (DESIGN: a reused connection): it goes
		 * again on a new one, which is not a retry of the message (each connection
		 * carries at least one before it wears out) */
		m->fate = MAILER_FLIGHT_LOST;
		m->started = 0;
		f->worn = 1;
	}
}

static void rcpt_resp(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m, size_t index)
{
	if (m->mail_ok) {
		if (MAILER_REPLY_OK(&s->reply)) {
			m->accepted++;
		} else {
			m->refused++;
			mailer_error_add_rejected(&m->err, m->env->rcpts[index], s->reply.code,
									  s->reply.enhanced, mailer_buf_cstr(&s->reply.text));
		}
		record_rcpt(s, m, index);
	}
	if (index + 1 == m->env->rcpt_count) {
		envelope_done(s, f, m);
	}
}

/* Returns 0 when the connection must be dropped (a 354 for a message that must not go). */
static int data_resp(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m)
{
	if (s->reply.code == 354) {
		if (m->fate != MAILER_FLIGHT_PENDING) {
			return 0;
		}
		f->gate = NULL;
		queue_body(s, f, m);
		return 1;
	}
	if (m->fate == MAILER_FLIGHT_PENDING) {
		refuse(s, m, MAILER_STAGE_DATA, "DATA", "the server refused DATA");
	}
	f->dirty |= m->mail_ok;
	f->gate = NULL;
	return 1;
}

static void eod_resp(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m)
{
	char command[64];

	if (m->bdat) {
		f->bdat_out--;
	}
	s->in_transaction = 0;
	if (MAILER_REPLY_OK(&s->reply) && m->fate == MAILER_FLIGHT_PENDING) {
		s->transactions++;
		m->fate = MAILER_FLIGHT_ACCEPTED;
		copy_reply(&m->reply, &s->reply);
		return;
	}
	if (m->bdat && m->mail_ok) {
		f->dirty = 1; /* RFC 3030 does not say a refused chunk ends the transaction */
	}
	if (m->fate == MAILER_FLIGHT_PENDING) {
		snprintf(command, sizeof(command), m->bdat ? "BDAT %llu LAST" : ".", msg_size(m));
		refuse(s, m, MAILER_STAGE_EOD, command, "the server refused the message");
	}
}

/* ---- the session failing under the flight ---- */

#define LOST_TEXT "connection lost with messages in flight"

static void fail_message(mailer_smtp *s, mailer_flight_msg *m, const mailer_error *why, int by_421)
{
	int uncertain = !by_421 && m->phase == P_BODY && s->out_taken >= m->eod_at;

	if (m->fate == MAILER_FLIGHT_PENDING) {
		mailer_error_clear(&m->err);
		mailer_error_set(&m->err, why->kind ? why->kind : MAILER_ERR_CONNECTION,
						 uncertain ? MAILER_STAGE_EOD : why->stage, "%s%s",
						 why->message ? why->message : LOST_TEXT,
						 uncertain
							 ? " after the end of the message was sent: delivery is uncertain, the "
							   "message may or may not have been accepted"
							 : "");
		if (why->reply) {
			mailer_error_set_reply(&m->err, why->code, why->enhanced, why->reply);
		}
		m->fate = uncertain ? MAILER_FLIGHT_UNCERTAIN : MAILER_FLIGHT_LOST;
	}
	m->owed = 0;
}

/* The connection is gone (or closing after a 421, whose reply came in order: nothing
 * after it was taken): every message not told yet is, LOST or UNCERTAIN. */
static mailer_smtp_want fail_flight(mailer_smtp *s, mailer_error *err, int by_421)
{
	mailer_flight *f = s->flight;
	mailer_flight_msg *m;
	size_t i;

	mailer_smtp_close(s);
	for (i = 0; i < f->ring_len; i++) {
		m = f->ring[(f->ring_head + i) % f->ring_cap].m;
		if (m && m->phase != P_TOLD) {
			fail_message(s, m, err, by_421);
			tell(f, m);
		}
	}
	f->ring_len = f->ring_head = 0;
	while ((m = f->queued) != NULL) {
		f->queued = m->next;
		m->fate = MAILER_FLIGHT_LOST; /* never started: no error of its own */
		m->started = 0;
		tell(f, m);
	}
	f->queued_tail = NULL;
	f->gate = NULL;
	f->dirty = f->worn = 0;
	f->bdat_out = 0;
	stop_streaming(f);
	s->state = MAILER_SMTP_IDLE;
	return MAILER_SMTP_FAILED;
}

/* The streamed message cannot go on (its source failed, or it does not match its
 * BDAT size): it fails with that reason, and the connection is dropped, the only way
 * not to end it; no other message has a reply owed (it started after the last). */
static mailer_smtp_want stream_failed(mailer_smtp *s, mailer_flight *f, mailer_flight_msg *m,
									  mailer_body_result why, mailer_error *err)
{
	char line[64];

	if (why == MAILER_BODY_GREW || why == MAILER_BODY_SHRANK) {
		mailer_error_clear(&m->err);
		snprintf(line, sizeof(line), "BDAT %llu LAST", m->size);
		mailer_error_set_command(&m->err, line);
		if (why == MAILER_BODY_GREW) {
			mailer_error_set(&m->err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA,
							 "the message grew while it was sent (%llu octets announced, more "
							 "produced); it was not delivered",
							 m->size);
		} else {
			mailer_error_set(&m->err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA,
							 "the message shrank while it was sent (%llu octets announced, %llu "
							 "produced); it was not delivered",
							 m->size, f->writer.seen);
		}
	} else if (m->err.kind == MAILER_ERR_NONE) {
		mailer_error_set(&m->err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA,
						 "the message could not be written");
	}
	m->err.stage = MAILER_STAGE_DATA;
	m->fate = MAILER_FLIGHT_FAILED;
	mailer_smtp_debug_event(s, "* dropping the connection: the message cannot be ended");
	/* the session's error: the batch stops when the caller abandoned the send */
	mailer_error_set(err,
					 m->err.kind == MAILER_ERR_ABORTED ? MAILER_ERR_ABORTED : MAILER_ERR_CONNECTION,
					 MAILER_STAGE_DATA, "dropped the connection: %s",
					 m->err.message ? m->err.message : "the message cannot be ended");
	return fail_flight(s, err, 1);
}

/* The streamed message: when the queue is empty, more of it, or its end. FAILED once
 * the flight failed (the connection dropped), else DONE. */
static mailer_smtp_want pump(mailer_smtp *s, mailer_flight *f, mailer_error *err)
{
	mailer_flight_msg *m = f->streaming;
	mailer_body_result r;

	if (!m || s->out.len > s->out_sent) {
		return MAILER_SMTP_DONE;
	}
	if (f->start_failed) {
		return stream_failed(s, f, m, MAILER_BODY_SOURCE_FAILED, err);
	}
	/* BDAT's last octet once the rest has left; DATA's dot with the rest */
	r = f->body_ended ? MAILER_BODY_ENDED : mailer_body_fill(&f->writer, &m->err);
	if (r == MAILER_BODY_ENDED) {
		f->body_ended = 1;
		if ((!m->bdat || s->out.len == s->out_sent) && queue_stream_end(s, f, m) != MAILER_OK) {
			r = MAILER_BODY_REFUSED;
		}
	}
	if (r == MAILER_BODY_REFUSED) {
		/* the connection failed before, or the caller abandoned the send */
		mailer_smtp_lost(s, MAILER_STAGE_DATA, "connection lost while sending", err);
		return fail_flight(s, err, 0);
	}
	if (r != MAILER_BODY_MORE && r != MAILER_BODY_ENDED) {
		return stream_failed(s, f, m, r, err);
	}
	return MAILER_SMTP_DONE;
}

static mailer_smtp_want wait_failed(mailer_smtp *s, mailer_smtp_event ev, mailer_error *err)
{
	mailer_flight *f = s->flight;
	mailer_stage stage = f->ring_len ? stage_of(f->ring[f->ring_head].kind) : MAILER_STAGE_MAIL;

	if (s->waiting == MAILER_SMTP_WANT_WRITE && s->out.len > s->out_sent) {
		s->write_failed = ev == MAILER_SMTP_TIMEOUT ? MAILER_IO_TIMEOUT : MAILER_IO_ERROR;
		mailer_smtp_lost(s, stage, "connection lost while sending", err);
	} else {
		mailer_smtp_read_failed(s, ev == MAILER_SMTP_TIMEOUT ? MAILER_IO_TIMEOUT : MAILER_IO_ERROR,
								stage, err);
	}
	return fail_flight(s, err, 0);
}

/* Reads every reply that has arrived; returns FAILED, or DONE after at least one, or
 * WANT_READ. */
static mailer_smtp_want read_replies(mailer_smtp *s, mailer_flight *f, mailer_error *err)
{
	mailer_smtp_want got = MAILER_SMTP_WANT_READ, w;
	expect x;

	while (f->ring_len) {
		x = f->ring[f->ring_head];
		w = mailer_smtp_reply_some(s, stage_of(x.kind), err);
		if (w == MAILER_SMTP_WANT_READ) {
			break;
		}
		if (w == MAILER_SMTP_FAILED) {
			return fail_flight(s, err, 0);
		}
		mailer_smtp_restart_clock(s);
		f->ring_head = (f->ring_head + 1) % f->ring_cap;
		f->ring_len--;
		got = MAILER_SMTP_DONE;
		if (s->reply.code == 421) {
			/* RFC 5321 §3.8: the server is closing; later commands were not acted on */
			mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, stage_of(x.kind), NULL,
									"the server closed the connection", err);
			return fail_flight(s, err, 1);
		}
		if (x.m) {
			x.m->owed--;
		}
		switch (x.kind) {
		case X_RSET:
			if (s->reply.code != 250) {
				mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_RSET, "RSET",
										"the server refused RSET", err);
				return fail_flight(s, err, 0);
			}
			break;
		case X_MAIL:
			mail_resp(s, f, x.m);
			break;
		case X_RCPT:
			rcpt_resp(s, f, x.m, x.index);
			break;
		case X_DATA:
			if (!data_resp(s, f, x.m)) {
				/* the only way to abandon a message after 354: the server discards it */
				mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_DATA,
								 "dropping the connection to abandon a refused message");
				return fail_flight(s, err, 1);
			}
			break;
		default:
			eod_resp(s, f, x.m);
			break;
		}
		if (x.m) {
			settle(f, x.m);
		}
	}
	return got;
}

mailer_smtp_want mailer_flight_step(mailer_smtp *s, mailer_smtp_event ev, mailer_error *err)
{
	mailer_flight *f = s->flight;
	unsigned long long before;
	mailer_smtp_want w;
	int round;

	if (ev != MAILER_SMTP_GO) {
		return wait_failed(s, ev, err);
	}
	/* bounded: each round either moves bytes or replies, or leaves */
	for (round = 0; round < 100000; round++) {
		if (pump(s, f, err) == MAILER_SMTP_FAILED) {
			return MAILER_SMTP_FAILED;
		}
		fill(s, f);
		if (s->out.len > s->out_sent) {
			before = s->out_taken;
			w = mailer_smtp_flush_some(s);
			if (w == MAILER_SMTP_FAILED) {
				/* the replies that came before the end (a 421, the verdicts of messages
				 * already sent) may still be there to read: they are told first */
				if (!s->abandoned && read_replies(s, f, err) == MAILER_SMTP_FAILED) {
					return MAILER_SMTP_FAILED;
				}
				mailer_smtp_lost(s, MAILER_STAGE_DATA, "connection lost while sending", err);
				return fail_flight(s, err, 0);
			}
			if (s->out_taken != before) {
				mailer_smtp_restart_clock(s);
			}
		}
		w = read_replies(s, f, err);
		if (w == MAILER_SMTP_FAILED) {
			return w;
		}
		if (w == MAILER_SMTP_DONE) {
			continue; /* replies may let more go */
		}
		break;
	}
	if (f->ring_len == 0 && s->out.len == s->out_sent && (!f->queued || f->worn)) {
		mailer_flight_msg *m;
		while ((m = f->queued) != NULL) { /* a worn connection takes no more */
			f->queued = m->next;
			m->fate = MAILER_FLIGHT_LOST;
			m->started = 0;
			tell(f, m);
		}
		f->queued_tail = NULL;
		s->state = MAILER_SMTP_READY;
		s->in_transaction = 0;
		mailer_smtp_set_busy(s, 0);
		return MAILER_SMTP_DONE;
	}
	/* a message being streamed: its next piece at the next step, after the driver has
	 * seen to the other sessions (the socket may take everything it is given, and one
	 * session would then keep the driver to itself) */
	return s->out.len > s->out_sent || f->streaming ? MAILER_SMTP_WANT_WRITE
													: MAILER_SMTP_WANT_READ;
}
