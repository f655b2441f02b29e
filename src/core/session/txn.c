/* The mail transaction: MAIL, RCPT, DATA or BDAT, the end of data, RSET.
 * With PIPELINING the envelope goes out in one write (RFC 2920); with
 * CHUNKING the message goes as one BDAT of a size measured beforehand
 * (RFC 3030); SIZE, 8BITMIME, SMTPUTF8 and DSN parameters are added when the
 * server offers them. */
#include "core/session/body.h"
#include "core/session/flight.h"
#include "core/session/session_int.h"
#include "core/util/alloc.h"
#include "core/util/idna.h"
#include "core/util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum rcpt_outcome { RCPT_ACCEPTED, RCPT_REFUSED, RCPT_DEFERRED } rcpt_outcome;

/* One send: the envelope as it goes on the wire, and where each recipient stands. */
typedef struct mailer_txn {
	const mailer_envelope *env;
	const mailer_producer *body; /* the message (borrowed) */
	char *from;                  /* wire form (A-label domain when needed) */
	char **rcpts;                /* wire forms, parallel to env->rcpts */
	size_t *pending;             /* indices of the recipients this transaction tries */
	size_t pending_count;
	rcpt_outcome *outcome; /* per pending position */
	unsigned long long size;
	int have_size;
	int size_asked; /* the body's size was asked (its answer may be "unknown") */
	int smtputf8;
	size_t delivered; /* recipients a completed transaction already reached */
	size_t recorded;  /* s->rcpt_count when the last completed transaction ended */

	/* the envelope of the transaction under way (the MAIL, RCPT and DATA states) */
	int pipelined, bdat, mail_ok, data_ready, data_sent;
	size_t next; /* position in pending of the RCPT whose reply comes next */
	size_t accepted, refused;
	int go;          /* the envelope was decided: 1 the message goes, 0 abort */
	mailer_buf line; /* the current RCPT line */
	mailer_buf mail; /* the MAIL line */

	/* the message under way (MAILER_SMTP_BODY), pulled from body as the connection
	 * takes it */
	mailer_body writer;
	char bdat_line[64]; /* "BDAT <size> LAST" */
	int body_ended;     /* all of it is queued but BDAT's last octet */
	int eod_queued;     /* the end of data (DATA's dot, BDAT's last octet) is queued */
	int body_over;      /* all of it left: the final reply is awaited (MAILER_SMTP_DOT) */
} txn;

static void record_rcpt(mailer_smtp *s, const char *address)
{
	mailer_rcpt_result *r;

	s->rcpts = mailer_realloc(s->rcpts, (s->rcpt_count + 1) * sizeof(*s->rcpts));
	r = &s->rcpts[s->rcpt_count++];
	r->address = mailer_strdup(address);
	r->code = s->reply.code;
	memcpy(r->enhanced, s->reply.enhanced, sizeof(r->enhanced));
	r->reply = mailer_strdup(mailer_buf_cstr(&s->reply.text));
}

/* Ends an aborted transaction so the connection can serve the next one (or closes it). */
static void reset_transaction(mailer_smtp *s)
{
	mailer_error ignored;

	if (!s->connected) {
		return;
	}
	mailer_error_init(&ignored);
	mailer_smtp_perform(s, MAILER_SMTP_RSET, "RSET");
	if (mailer_smtp_run(s, &ignored) != MAILER_OK) {
		mailer_smtp_close(s);
	}
	mailer_error_clear(&ignored);
}

/* After DATA got its 354 there is no way to abandon the message but to drop
 * the connection: the server discards a message whose end never came. */
static void abandon_data(mailer_smtp *s)
{
	mailer_smtp_debug_event(s, "* dropping the connection to abandon the message");
	mailer_smtp_close(s);
}

static int uses_pipelining(const mailer_smtp *s)
{
	return !s->cfg.no_pipelining && (s->caps.flags & MAILER_CAP_PIPELINING);
}

static int uses_bdat(const mailer_smtp *s)
{
	return !s->cfg.no_chunking && (s->caps.flags & MAILER_CAP_CHUNKING);
}

/* RFC 3461 xtext: "+" and "=" and anything outside 33..126 as "+HH". */
static void append_xtext(mailer_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 33 || *p > 126 || *p == '+' || *p == '=') {
			mailer_buf_appendc(b, '+');
			mailer_buf_appendc(b, hex[*p >> 4]);
			mailer_buf_appendc(b, hex[*p & 15]);
		} else {
			mailer_buf_appendc(b, (char)*p);
		}
	}
}

/* RFC 6533 utf-8-addr-unitext (SMTPUTF8 is in use): UTF-8 as is; "+", "=",
 * "\\" and anything below 33 or DEL as "\\x{HH}". */
static void append_unitext(mailer_buf *b, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 33 || *p == 127 || *p == '+' || *p == '=' || *p == '\\') {
			mailer_buf_appendf(b, "\\x{%02X}", *p);
		} else {
			mailer_buf_appendc(b, (char)*p);
		}
	}
}

/* The size the body computes, without a pass over it (RFC 1870: as transmitted,
 * before dot-stuffing); unknown: no SIZE parameter, and DATA rather than BDAT. */
static void get_size(txn *t)
{
	long long size = mailer_producer_size(t->body);

	t->size_asked = 1;
	if (size >= 0) {
		t->size = (unsigned long long)size;
		t->have_size = 1;
	}
}

/* The envelope address for the wire: as given with SMTPUTF8, else ASCII only,
 * the domain as A-labels (RFC 5891); a UTF-8 local part cannot be converted. */
static char *wire_address(mailer_smtp *s, const char *addr, int smtputf8, mailer_error *err)
{
	const char *at = strrchr(addr, '@');
	mailer_buf b;
	size_t i;

	if (smtputf8 || mailer_is_ascii(addr)) {
		return mailer_strdup(addr);
	}
	for (i = 0; at && addr + i < at; i++) {
		if ((unsigned char)addr[i] >= 0x80) {
			mailer_error_set(
				err, MAILER_ERR_PROTOCOL, MAILER_STAGE_MAIL,
				"<%s> has a non-ASCII local part, which needs SMTPUTF8 (RFC 6531); the server does not "
				"offer it",
				addr);
			return NULL;
		}
	}
	mailer_buf_init(&b);
	mailer_buf_append(&b, addr, (size_t)(at - addr) + 1);
	/* A-labels are longer than the U-labels: the path must still fit RFC 5321 */
	if (mailer_idna_to_ascii(at + 1, strlen(at + 1), &b) != MAILER_OK || b.len > 254) {
		mailer_buf_free(&b);
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_MAIL,
						 "<%s>: the domain cannot be converted to A-labels within 254 octets",
						 addr);
		return NULL;
	}
	mailer_smtp_debug_event(s, "* <%s> sent as <%s> (the server does not offer SMTPUTF8)", addr,
							b.data);
	return mailer_buf_detach(&b, NULL);
}

static int envelope_needs_utf8(const mailer_envelope *env)
{
	size_t i;

	if (env->utf8_headers || !mailer_is_ascii(env->from)) {
		return 1;
	}
	for (i = 0; i < env->rcpt_count; i++) {
		if (!mailer_is_ascii(env->rcpts[i])) {
			return 1;
		}
	}
	return 0;
}

static mailer_status prepare(mailer_smtp *s, txn *t, mailer_error *err)
{
	const mailer_envelope *env = t->env;
	const char *limit_text = mailer_caps_get(&s->caps, "SIZE");
	size_t i;

	t->smtputf8 = 0;
	if (envelope_needs_utf8(env)) {
		if ((s->caps.flags & MAILER_CAP_SMTPUTF8)) {
			t->smtputf8 = 1;
		} else if (env->utf8_headers) {
			return mailer_error_set(
				err, MAILER_ERR_PROTOCOL, MAILER_STAGE_MAIL,
				"the message has UTF-8 addresses in its header, which needs SMTPUTF8 (RFC "
				"6532); the server does not offer it");
		}
	}
	/* 8-bit data only to a server that takes it (RFC 6152 §3); a raw message cannot be
	 * re-encoded, so it is refused before anything is sent */
	if (env->body_8bit && !(s->caps.flags & MAILER_CAP_8BITMIME) && !t->smtputf8) {
		return mailer_error_set(
			err, MAILER_ERR_PROTOCOL, MAILER_STAGE_MAIL,
			"the message has 8-bit data, which needs 8BITMIME (RFC 6152); the server does not "
			"offer it; nothing was sent");
	}
	if (!(t->from = wire_address(s, env->from, t->smtputf8, err))) {
		return MAILER_FAIL;
	}
	for (i = 0; i < env->rcpt_count; i++) {
		if (!(t->rcpts[i] = wire_address(s, env->rcpts[i], t->smtputf8, err))) {
			return MAILER_FAIL;
		}
	}
	if ((limit_text || uses_bdat(s)) && !t->have_size && !t->size_asked) {
		get_size(t);
	}
	if (limit_text && *limit_text) {
		unsigned long long limit = strtoull(limit_text, NULL, 10);
		if (limit > 0 && t->size > limit) {
			return mailer_error_set(
				err, MAILER_ERR_PROTOCOL, MAILER_STAGE_MAIL,
				"the message is %llu octets; the server accepts at most %llu (SIZE); nothing "
				"was sent",
				t->size, limit);
		}
	}
	if ((env->dsn_notify || env->dsn_ret || env->dsn_envid) && !(s->caps.flags & MAILER_CAP_DSN)) {
		mailer_smtp_debug_event(s,
								"* the server does not offer DSN: NOTIFY, RET and ENVID left out");
	}
	return MAILER_OK;
}

static void mail_line(mailer_smtp *s, const txn *t, mailer_buf *line)
{
	const mailer_envelope *env = t->env;
	int dsn = (s->caps.flags & MAILER_CAP_DSN);

	mailer_buf_reset(line);
	mailer_buf_appends(line, "MAIL FROM:<");
	mailer_buf_appends(line, t->from);
	mailer_buf_appendc(line, '>');
	if (t->have_size && (s->caps.flags & MAILER_CAP_SIZE)) {
		mailer_buf_appendf(line, " SIZE=%llu", t->size);
	}
	if (env->body_8bit && (s->caps.flags & MAILER_CAP_8BITMIME)) {
		mailer_buf_appends(line, " BODY=8BITMIME");
	}
	if (t->smtputf8) {
		mailer_buf_appends(line, " SMTPUTF8");
	}
	if (dsn && env->dsn_ret) {
		mailer_buf_appendf(line, " RET=%s", env->dsn_ret);
	}
	if (dsn && env->dsn_envid) {
		mailer_buf_appends(line, " ENVID=");
		append_xtext(line, env->dsn_envid);
	}
}

static void rcpt_line(mailer_smtp *s, const txn *t, size_t index, mailer_buf *line)
{
	const mailer_envelope *env = t->env;

	mailer_buf_reset(line);
	mailer_buf_appends(line, "RCPT TO:<");
	mailer_buf_appends(line, t->rcpts[index]);
	mailer_buf_appendc(line, '>');
	if ((s->caps.flags & MAILER_CAP_DSN)) {
		if (env->dsn_notify) {
			mailer_buf_appendf(line, " NOTIFY=%s", env->dsn_notify);
		}
		if (env->dsn_notify || env->dsn_ret || env->dsn_envid) {
			/* the original recipient, so a bounce names the address the user gave */
			/* without SMTPUTF8 the address is ASCII on the wire (A-labels), and so is ORCPT */
			const char *original = t->smtputf8 ? env->rcpts[index] : t->rcpts[index];
			if (mailer_is_ascii(original)) {
				mailer_buf_appends(line, " ORCPT=rfc822;");
				append_xtext(line, original);
			} else {
				mailer_buf_appends(line, " ORCPT=utf-8;");
				append_unitext(line, original);
			}
		}
	}
}

/* 452 "too many recipients" (RFC 5321 §4.5.3.1.10) asks for another transaction. */
static int is_too_many(const mailer_reply *r)
{
	const char *text = mailer_buf_cstr(&r->text);

	return r->code == 452 &&
		   (strcmp(r->enhanced, "4.5.3") == 0 || strstr(text, "oo many recipients") != NULL);
}

#define LOST_IN_DATA "connection lost while sending the message; it was not delivered"

/* The body state failed: the connection is dropped (a message whose end never
 * came is discarded by the server), state IDLE. */
static mailer_smtp_want body_failed(mailer_smtp *s)
{
	if (s->connected) {
		mailer_smtp_close(s);
	}
	s->state = MAILER_SMTP_IDLE;
	return MAILER_SMTP_FAILED;
}

/* The connection would not take the message (or the caller abandoned it). */
static mailer_smtp_want body_lost(mailer_smtp *s, txn *t, mailer_error *err)
{
	mailer_error_clear(err);
	mailer_error_set_command(err, t->bdat ? t->bdat_line : "DATA");
	mailer_smtp_lost(s, MAILER_STAGE_DATA, LOST_IN_DATA, err);
	return body_failed(s);
}

/* BDAT: the message did not match its announced size (the source changed since its
 * size was computed): the chunk is left incomplete and the connection dropped, so
 * the server discards it. */
static mailer_smtp_want size_mismatch(mailer_smtp *s, txn *t, int grew, mailer_error *err)
{
	mailer_smtp_debug_event(s,
							"* dropping the connection: the message does not match its BDAT size");
	mailer_smtp_close(s);
	mailer_error_clear(err);
	mailer_error_set_command(err, t->bdat_line);
	if (grew) {
		mailer_error_set(
			err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA,
			"the message grew while it was sent (%llu octets announced, more produced); it was "
			"not delivered",
			t->size);
	} else {
		mailer_error_set(
			err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA,
			"the message shrank while it was sent (%llu octets announced, %llu produced); it was "
			"not delivered",
			t->size, t->writer.seen);
	}
	return body_failed(s);
}

/* The message's source failed: never end a message whose source failed; dropping
 * the connection makes the server discard what it got. */
static mailer_smtp_want source_failed(mailer_smtp *s, mailer_error *err)
{
	if (err->kind == MAILER_ERR_NONE) {
		mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA,
						 "the message could not be written");
	}
	err->stage = MAILER_STAGE_DATA;
	return body_failed(s);
}

/* The end of data is queued (BDAT: its last octet, once the rest has left). Said
 * before it leaves: code the debug line runs can still abandon the message. */
static mailer_smtp_want queue_end(mailer_smtp *s, txn *t, mailer_error *err)
{
	if (mailer_body_queue_end(&t->writer) != MAILER_OK) {
		return body_lost(s, t, err);
	}
	t->eod_queued = 1;
	mailer_smtp_debug_event(
		s, t->bdat ? "C: [message: %llu octets]" : "C: [message: %llu octets, then <CRLF>.<CRLF>]",
		mailer_body_octets(&t->writer));
	return MAILER_SMTP_STEP_ON;
}

mailer_smtp_want mailer_smtp_body_step(mailer_smtp *s, mailer_error *err)
{
	txn *t = s->txn;
	unsigned long long before;
	mailer_smtp_want w;

	for (;;) {
		if (s->out.len > s->out_sent) {
			before = s->out_taken;
			w = mailer_smtp_flush_some(s);
			if (s->out_taken != before) {
				mailer_smtp_restart_clock(s); /* the timeout is for each wait, not the message */
			}
			if (w == MAILER_SMTP_WANT_WRITE) {
				return w;
			}
			if (w == MAILER_SMTP_FAILED) {
				return body_lost(s, t, err);
			}
		}
		if (t->body_ended && !t->eod_queued) {
			/* BDAT: the rest has left, all but the held-back octet */
			if (queue_end(s, t, err) == MAILER_SMTP_FAILED) {
				return MAILER_SMTP_FAILED;
			}
			continue;
		}
		if (t->body_ended) {
			/* all of it left: the final reply next */
			t->body_over = 1;
			mailer_smtp_set_command(s, t->bdat ? t->bdat_line : ".");
			s->state = MAILER_SMTP_DOT;
			mailer_smtp_restart_clock(s);
			return MAILER_SMTP_STEP_ON;
		}
		/* the queue is empty: fill it from the message (CPU and file reads, no waiting) */
		switch (mailer_body_fill(&t->writer, err)) {
		case MAILER_BODY_MORE:
			break;
		case MAILER_BODY_ENDED:
			t->body_ended = 1;
			if (!t->bdat && queue_end(s, t, err) == MAILER_SMTP_FAILED) {
				return MAILER_SMTP_FAILED;
			}
			break;
		case MAILER_BODY_SOURCE_FAILED:
			return source_failed(s, err);
		case MAILER_BODY_GREW:
			return size_mismatch(s, t, 1, err);
		case MAILER_BODY_SHRANK:
			return size_mismatch(s, t, 0, err);
		default:
			return body_lost(s, t, err);
		}
	}
}

/* Sends the message after a 354 (dot-stuffed) or as one BDAT LAST of its size: the
 * body as a state (MAILER_SMTP_BODY), then the final reply (MAILER_SMTP_DOT), run by
 * the driver. */
static mailer_status send_message(mailer_smtp *s, txn *t, mailer_error *err)
{
	mailer_status rc;

	if (t->bdat) {
		snprintf(t->bdat_line, sizeof(t->bdat_line), "BDAT %llu LAST", t->size);
		mailer_smtp_queue(s, t->bdat_line, strlen(t->bdat_line), NULL);
	}
	if (mailer_body_start(&t->writer, s, t->body, t->bdat, t->size, err) != MAILER_OK) {
		source_failed(s, err);
		return MAILER_FAIL;
	}
	t->body_ended = t->eod_queued = t->body_over = 0;
	mailer_smtp_set_command(s, t->bdat ? t->bdat_line : "DATA");
	s->state = MAILER_SMTP_BODY;
	mailer_smtp_restart_clock(s);
	s->txn = t;
	rc = mailer_smtp_run(s, err);
	s->txn = NULL;
	mailer_body_free(&t->writer);
	if (rc != MAILER_OK && !t->body_over) {
		return MAILER_FAIL; /* the body's failure, said as it happened */
	}
	if (rc != MAILER_OK) {
		/* the whole message went out: only the server knows whether it took it */
		if (err->kind == MAILER_ERR_CONNECTION) {
			char *why = err->message;
			err->message = NULL;
			mailer_error_set(
				err, MAILER_ERR_CONNECTION, MAILER_STAGE_EOD,
				"%s after the end of the message was sent: delivery is uncertain, the message may or "
				"may not have been accepted",
				why);
			mailer_free(why);
		}
		mailer_error_set_command(err, t->bdat ? t->bdat_line : ".");
		return MAILER_FAIL;
	}
	s->in_transaction = 0;
	s->transactions++;
	mailer_smtp_set_busy(s, 0); /* the final reply ends the transaction, whatever it says */
	if (!MAILER_REPLY_OK(&s->reply)) {
		return mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_EOD,
									   t->bdat ? t->bdat_line : ".",
									   "the server refused the message", err);
	}
	return MAILER_OK;
}

static mailer_status refused_error(mailer_smtp *s, txn *t, size_t refused, mailer_error *err)
{
	mailer_rejected *first;
	mailer_buf cmd;

	if (err->rejected_count == 0) {
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_RCPT,
								"the connection was closed before any recipient was accepted");
	}
	first = &err->rejected[0];

	if (t->delivered) {
		mailer_error_set(
			err, MAILER_ERR_RECIPIENT, MAILER_STAGE_RCPT,
			"the message was delivered to %zu recipients, but the server refused %zu (first: <%s>: %s); "
			"see getLastRecipients()",
			t->delivered, refused, first->address, first->reply);
	} else {
		mailer_error_set(
			err, MAILER_ERR_RECIPIENT, MAILER_STAGE_RCPT,
			"the server refused %zu of %zu recipients; nothing was sent (first: <%s>: %s)", refused,
			t->env->rcpt_count, first->address, first->reply);
	}
	mailer_error_set_reply(err, first->code, first->enhanced, first->reply);
	mailer_buf_init(&cmd);
	mailer_buf_appendf(&cmd, "RCPT TO:<%s>", first->address);
	mailer_error_set_command(err, cmd.data);
	mailer_buf_free(&cmd);
	(void)s;
	return MAILER_FAIL;
}

/* The envelope is decided: go (send the message) or abort; the state machine is done. */
static mailer_smtp_want envelope_over(mailer_smtp *s, txn *t, int go)
{
	t->go = go;
	s->state = MAILER_SMTP_READY;
	return MAILER_SMTP_DONE;
}

/* After the RCPT replies (and a pipelined DATA's): refusals, then DATA when it is due. */
static mailer_smtp_want decide(mailer_smtp *s, txn *t, mailer_error *err)
{
	if (!t->mail_ok) {
		return envelope_over(s, t, 0);
	}
	if (t->accepted == 0 || (t->refused && !s->cfg.partial)) {
		refused_error(s, t, t->refused, err);
		return envelope_over(s, t, 0);
	}
	if (!t->bdat) {
		if (!t->data_sent) {
			t->data_sent = 1;
			mailer_smtp_perform(s, MAILER_SMTP_DATA, "DATA");
			return MAILER_SMTP_STEP_ON;
		}
		if (!t->data_ready) {
			mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA, "DATA",
									"the server refused DATA", err);
			return envelope_over(s, t, 0);
		}
	}
	return envelope_over(s, t, 1);
}

/* The next RCPT's reply to wait for (without PIPELINING, the RCPT is sent first), then
 * a pipelined DATA's, then the decision. */
static mailer_smtp_want next_reply(mailer_smtp *s, txn *t, mailer_error *err)
{
	if (t->next < t->pending_count && (t->mail_ok || t->pipelined) && s->connected) {
		rcpt_line(s, t, t->pending[t->next], &t->line);
		if (t->pipelined) {
			mailer_smtp_set_command(s, t->line.data);
			s->state = MAILER_SMTP_RCPT;
			mailer_smtp_restart_clock(s);
		} else {
			mailer_smtp_perform(s, MAILER_SMTP_RCPT, t->line.data);
		}
		return MAILER_SMTP_STEP_ON;
	}
	if (t->data_sent && !t->data_ready && s->state != MAILER_SMTP_DATA && s->connected) {
		mailer_smtp_set_command(s, "DATA");
		s->state = MAILER_SMTP_DATA;
		mailer_smtp_restart_clock(s);
		return MAILER_SMTP_STEP_ON;
	}
	return decide(s, t, err);
}

mailer_smtp_want mailer_smtp_txn_resp(mailer_smtp *s, mailer_error *err)
{
	txn *t = s->txn;
	size_t index;

	switch (s->state) {
	case MAILER_SMTP_MAIL:
		t->mail_ok = MAILER_REPLY_OK(&s->reply);
		if (!t->mail_ok) {
			mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_MAIL, t->mail.data,
									"the server refused the sender", err);
			if (!s->connected) {
				s->state = MAILER_SMTP_IDLE;
				return MAILER_SMTP_FAILED;
			}
		}
		return next_reply(s, t, err);
	case MAILER_SMTP_RCPT:
		index = t->pending[t->next];
		/* a pipelined RCPT after a refused MAIL: its reply means nothing */
		if (t->mail_ok) {
			if (MAILER_REPLY_OK(&s->reply)) {
				t->outcome[t->next] = RCPT_ACCEPTED;
				t->accepted++;
			} else if (t->accepted > 0 && is_too_many(&s->reply)) {
				t->outcome[t->next] = RCPT_DEFERRED;
			} else {
				t->outcome[t->next] = RCPT_REFUSED;
				t->refused++;
				mailer_error_add_rejected(err, t->env->rcpts[index], s->reply.code,
										  s->reply.enhanced, mailer_buf_cstr(&s->reply.text));
			}
			record_rcpt(s, t->env->rcpts[index]);
		}
		t->next++;
		return next_reply(s, t, err);
	default: /* MAILER_SMTP_DATA */
		t->data_ready = s->reply.code == 354;
		return decide(s, t, err);
	}
}

/* One transaction over t->pending: the envelope as states (run by the driver), then the
 * message. On return, deferred recipients (452) are left in t->pending for the next one. */
static mailer_status one_transaction(mailer_smtp *s, txn *t, mailer_error *err)
{
	size_t i, n = t->pending_count;
	mailer_status rc;

	/* BDAT LAST needs the total; a message of unknown size goes with DATA */
	t->pipelined = uses_pipelining(s);
	t->bdat = uses_bdat(s) && t->have_size;
	t->mail_ok = t->data_ready = t->data_sent = t->go = 0;
	t->next = t->accepted = t->refused = 0;
	mail_line(s, t, &t->mail);
	s->in_transaction = 1;
	mailer_smtp_perform(s, MAILER_SMTP_MAIL, t->mail.data);
	if (t->pipelined) {
		for (i = 0; i < n; i++) {
			rcpt_line(s, t, t->pending[i], &t->line);
			mailer_smtp_queue(s, t->line.data, t->line.len, NULL);
		}
		if (!t->bdat) {
			mailer_smtp_queue(s, "DATA", 4, NULL);
			t->data_sent = 1;
		}
	}
	s->txn = t;
	rc = mailer_smtp_run(s, err);
	s->txn = NULL;
	if (rc != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (!t->go) {
		if (t->data_ready) {
			abandon_data(s);
		} else if (s->reply.code != 421) {
			reset_transaction(s);
		} else {
			mailer_smtp_close(s);
		}
		return MAILER_FAIL;
	}
	if (send_message(s, t, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	t->delivered += t->accepted;
	t->recorded = s->rcpt_count;
	/* what is left for the next transaction: the deferred recipients */
	{
		size_t kept = 0;
		for (i = 0; i < n; i++) {
			if (t->outcome[i] == RCPT_DEFERRED) {
				t->pending[kept++] = t->pending[i];
			}
		}
		t->pending_count = kept;
	}
	return MAILER_OK;
}

static void txn_free(txn *t)
{
	size_t i;

	mailer_buf_free(&t->line);
	mailer_buf_free(&t->mail);
	mailer_free(t->from);
	if (t->rcpts) {
		for (i = 0; i < t->env->rcpt_count; i++) {
			mailer_free(t->rcpts[i]);
		}
	}
	mailer_free(t->rcpts);
	mailer_free(t->pending);
	mailer_free(t->outcome);
}

mailer_status mailer_smtp_envelope_lines(mailer_smtp *s, const mailer_envelope *env,
										 unsigned long long size, mailer_buf *mail,
										 mailer_buf *rcpts, mailer_error *err)
{
	mailer_status rc;
	size_t i;
	txn t;

	memset(&t, 0, sizeof(t));
	t.env = env;
	t.size = size;
	t.have_size = t.size_asked = 1;
	t.rcpts = mailer_calloc(env->rcpt_count ? env->rcpt_count : 1, sizeof(*t.rcpts));
	rc = prepare(s, &t, err);
	if (rc == MAILER_OK) {
		mail_line(s, &t, mail);
		for (i = 0; i < env->rcpt_count; i++) {
			rcpt_line(s, &t, i, &t.line);
			mailer_buf_append(rcpts, t.line.data, t.line.len + 1); /* with its NUL */
		}
	}
	txn_free(&t);
	return rc;
}

static mailer_status transaction(mailer_smtp *s, txn *t, mailer_error *err)
{
	size_t i, before;

	if (prepare(s, t, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	t->pending_count = t->env->rcpt_count;
	for (i = 0; i < t->pending_count; i++) {
		t->pending[i] = i;
	}
	while (t->pending_count) {
		before = t->pending_count;
		memset(t->outcome, 0, t->pending_count * sizeof(*t->outcome));
		if (one_transaction(s, t, err) != MAILER_OK) {
			return MAILER_FAIL;
		}
		if (t->pending_count) {
			mailer_smtp_debug_event(
				s,
				"* %zu recipients deferred by the server (too many recipients): another "
				"transaction",
				t->pending_count);
		}
		if (t->pending_count >= before) {
			break; /* cannot happen: a transaction with deferrals accepted at least one */
		}
	}
	return MAILER_OK;
}

static int is_stale_connection_failure(const mailer_error *err, const mailer_smtp *s)
{
	return err->kind == MAILER_ERR_CONNECTION || (!s->connected && err->code == 421);
}

/* A temporary refusal of MAIL on a connection that already carried mail is
 * about the connection, not the message: OpenSMTPD's max-mails answers the
 * 101st "452 4.5.3 Too many messages sent", other servers limit with 451.
 * On a fresh connection the same reply is the server's answer to the message. */
static int is_connection_worn_out(const mailer_error *err)
{
	return err->kind == MAILER_ERR_PROTOCOL && (err->code == 451 || err->code == 452);
}

mailer_status mailer_smtp_send(mailer_smtp *s, const mailer_envelope *env,
							   const mailer_producer *body, mailer_error *err)
{
	int reused, carried, attempt, rc = MAILER_FAIL;
	txn t;

	s->abandoned = 0;
	mailer_flight_abandon(s); /* a batch left behind (a fatal error) */
	mailer_smtp_clear_rcpts(s);
	if (env->rcpt_count == 0) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "no recipients given");
	}
	mailer_smtp_check_owner(s);
	memset(&t, 0, sizeof(t));
	t.env = env;
	t.body = body;
	for (attempt = 0; attempt < 2; attempt++) {
		reused = s->connected;
		if (!s->connected && mailer_smtp_connect_hosts(s, err) != MAILER_OK) {
			break;
		}
		reused |= s->resumed;
		/* a resumed session was kept by a request that sent mail over it */
		carried = s->transactions > 0 || s->resumed;
		if (s->in_transaction) {
			reset_transaction(s);
			if (s->abandoned) {
				break;
			}
			if (!s->connected) {
				mailer_error_clear(err);
				continue;
			}
		}
		/* wire forms depend on the server's extensions: recompute per connection */
		txn_free(&t);
		t.from = NULL;
		t.rcpts = mailer_calloc(env->rcpt_count, sizeof(*t.rcpts));
		t.pending = mailer_calloc(env->rcpt_count, sizeof(*t.pending));
		t.outcome = mailer_calloc(env->rcpt_count, sizeof(*t.outcome));
		t.delivered = 0;
		t.recorded = 0;
		if (transaction(s, &t, err) == MAILER_OK) {
			rc = MAILER_OK;
			break;
		}
		s->abandoned |= err->kind == MAILER_ERR_ABORTED; /* the message's source gave up */
		/* A reused connection the server had already closed fails at MAIL,
		 * before anything was accepted: connect again, once. */
		if (reused && attempt == 0 && t.delivered == 0 && err->stage == MAILER_STAGE_MAIL &&
			!s->abandoned && is_stale_connection_failure(err, s)) {
			mailer_smtp_debug_event(s, "* the server closed the idle connection; reconnecting");
			mailer_smtp_close(s);
			mailer_smtp_clear_rcpts(s);
			mailer_error_clear(err);
			continue;
		}
		/* Nothing was accepted yet: a new connection takes the message, once. */
		if (carried && attempt == 0 && t.delivered == 0 && err->stage == MAILER_STAGE_MAIL &&
			!s->abandoned && is_connection_worn_out(err)) {
			mailer_smtp_debug_event(
				s, "* the server takes no more mail on this connection (%d); reconnecting",
				err->code);
			mailer_smtp_quit(s);
			mailer_smtp_clear_rcpts(s);
			mailer_error_clear(err);
			continue;
		}
		break;
	}
	if (rc != MAILER_OK && (s->abandoned || err->kind == MAILER_ERR_ABORTED)) {
		if (err->kind == MAILER_ERR_NONE) {
			/* given up in a reset before anything else failed */
			mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_RSET, "%s", MAILER_ABORTED_TEXT);
		}
		mailer_smtp_abandon_error(s, err);
		/* The caller abandoned the send (its I/O, or the message's source,
		 * said MAILER_IO_ABORTED): the connection goes, without a byte more,
		 * and no reply of the unfinished transaction stands for anything
		 * delivered, so none is kept (the last reply is then no reply; the
		 * recipients, those a completed transaction reached). */
		mailer_smtp_close(s);
		while (s->rcpt_count > t.recorded) {
			s->rcpt_count--;
			mailer_free(s->rcpts[s->rcpt_count].address);
			mailer_free(s->rcpts[s->rcpt_count].reply);
		}
		mailer_reply_reset(&s->reply);
	}
	txn_free(&t);
	return rc;
}
