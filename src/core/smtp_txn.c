/* The mail transaction: MAIL, RCPT, DATA and the end of data, RSET. */
#include "smtp_int.h"
#include "alloc.h"

#include "dotstuff.h"

#include <stdio.h>
#include <string.h>

/* ---- the mail transaction ---- */

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

/* Ends an aborted transaction so the connection can serve the next one. */
static void reset_transaction(mailer_smtp *s)
{
	mailer_error ignored;

	if (!s->connected) {
		return;
	}
	mailer_error_init(&ignored);
	if (mailer_smtp_command(s, MAILER_STAGE_RSET, "RSET", NULL, &ignored) != MAILER_OK || s->reply.code != 250) {
		mailer_smtp_close(s);
	} else {
		s->in_transaction = 0;
	}
	mailer_error_clear(&ignored);
}

static int is_stale_connection_failure(const mailer_error *err, const mailer_smtp *s)
{
	return err->kind == MAILER_ERR_CONNECTION || (!s->connected && err->code == 421);
}

static int send_data(mailer_smtp *s, mailer_emit_fn emit, void *emit_ctx, mailer_error *err)
{
	mailer_sink raw = {mailer_smtp_out_sink, s};
	mailer_dotstuff stuffer;
	mailer_sink stuffed;

	if (mailer_smtp_command(s, MAILER_STAGE_DATA, "DATA", NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 354) {
		mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA, "DATA", "the server refused DATA", err);
		reset_transaction(s);
		return MAILER_FAIL;
	}
	mailer_dotstuff_init(&stuffer, &raw, 1);
	stuffed.write = mailer_dotstuff_sink;
	stuffed.ctx = &stuffer;
	if (emit(emit_ctx, &stuffed, err) != MAILER_OK) {
		/* Never send the final dot after a failed source: dropping the
		 * connection makes the server discard the partial message. */
		if (s->write_failed) {
			mailer_error_set_command(err, "DATA");
			return mailer_smtp_lost(s, MAILER_STAGE_DATA,
								   "connection lost while sending the message; it was not delivered", err);
		}
		mailer_smtp_close(s);
		if (err->kind == MAILER_ERR_NONE) {
			mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA, "the message could not be written");
		}
		err->stage = MAILER_STAGE_DATA;
		return MAILER_FAIL;
	}
	if (mailer_dotstuff_finish(&stuffer) != 0 || mailer_smtp_flush(s) != 0) {
		mailer_error_set_command(err, "DATA");
		return mailer_smtp_lost(s, MAILER_STAGE_DATA, "connection lost while sending the message; it was not delivered",
							   err);
	}
	mailer_smtp_debug_event(s, "C: [message: %llu bytes, then <CRLF>.<CRLF>]", (unsigned long long)stuffer.written);
	if (mailer_smtp_read_reply(s, MAILER_STAGE_EOD, err) != MAILER_OK) {
		/* the whole message went out: only the server knows whether it took it */
		if (err->kind == MAILER_ERR_CONNECTION) {
			mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_EOD,
							 "%s after the end of the message was sent: delivery is uncertain, the message may or "
							 "may not have been accepted",
							 err->message);
		}
		mailer_error_set_command(err, ".");
		return MAILER_FAIL;
	}
	s->in_transaction = 0;
	if (!MAILER_REPLY_OK(&s->reply)) {
		return mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_EOD, ".", "the server refused the message", err);
	}
	return MAILER_OK;
}

static int transaction(mailer_smtp *s, const mailer_envelope *env, mailer_emit_fn emit, void *emit_ctx,
					   mailer_error *err)
{
	mailer_buf line;
	size_t i, refused = 0;

	mailer_buf_init(&line);
	mailer_buf_appendf(&line, "MAIL FROM:<%s>", env->from);
	if (env->body_8bit && mailer_caps_has(&s->caps, "8BITMIME")) {
		mailer_buf_appends(&line, " BODY=8BITMIME");
	}
	s->in_transaction = 1;
	if (mailer_smtp_command(s, MAILER_STAGE_MAIL, line.data, NULL, err) != MAILER_OK) {
		mailer_buf_free(&line);
		return MAILER_FAIL;
	}
	if (!MAILER_REPLY_OK(&s->reply)) {
		mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_MAIL, line.data, "the server refused the sender", err);
		mailer_buf_free(&line);
		reset_transaction(s);
		return MAILER_FAIL;
	}
	for (i = 0; i < env->rcpt_count; i++) {
		mailer_buf_reset(&line);
		mailer_buf_appendf(&line, "RCPT TO:<%s>", env->rcpts[i]);
		if (mailer_smtp_command(s, MAILER_STAGE_RCPT, line.data, NULL, err) != MAILER_OK) {
			mailer_buf_free(&line);
			return MAILER_FAIL;
		}
		record_rcpt(s, env->rcpts[i]);
		if (!MAILER_REPLY_OK(&s->reply)) {
			refused++;
			mailer_error_add_rejected(err, env->rcpts[i], s->reply.code, s->reply.enhanced,
									  mailer_buf_cstr(&s->reply.text));
			if (s->reply.code == 421) {
				break;
			}
		}
	}
	if (refused) {
		mailer_rejected *first = &err->rejected[0];
		mailer_error_set(err, MAILER_ERR_RECIPIENT, MAILER_STAGE_RCPT,
						 "the server refused %zu of %zu recipients; nothing was sent (first: <%s>: %s)", refused,
						 env->rcpt_count, first->address, first->reply);
		mailer_error_set_reply(err, first->code, first->enhanced, first->reply);
		mailer_buf_reset(&line);
		mailer_buf_appendf(&line, "RCPT TO:<%s>", first->address);
		mailer_error_set_command(err, line.data);
		mailer_buf_free(&line);
		if (s->reply.code == 421) {
			mailer_smtp_close(s);
		}
		reset_transaction(s);
		return MAILER_FAIL;
	}
	mailer_buf_free(&line);
	return send_data(s, emit, emit_ctx, err);
}

int mailer_smtp_send(mailer_smtp *s, const mailer_envelope *env, mailer_emit_fn emit, void *emit_ctx,
					 mailer_error *err)
{
	int reused, attempt;

	mailer_smtp_clear_rcpts(s);
	if (env->rcpt_count == 0) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "no recipients given");
	}
	for (attempt = 0; attempt < 2; attempt++) {
		reused = s->connected;
		if (!s->connected && mailer_smtp_connect(s, err) != MAILER_OK) {
			return MAILER_FAIL;
		}
		if (s->in_transaction) {
			reset_transaction(s);
			if (!s->connected) {
				mailer_error_clear(err);
				continue;
			}
		}
		if (transaction(s, env, emit, emit_ctx, err) == MAILER_OK) {
			return MAILER_OK;
		}
		/* A reused connection the server had already closed fails at MAIL,
		 * before anything was accepted: connect again, once. */
		if (reused && attempt == 0 && err->stage == MAILER_STAGE_MAIL && is_stale_connection_failure(err, s)) {
			mailer_smtp_debug_event(s, "* the server closed the idle connection; reconnecting");
			mailer_smtp_close(s);
			mailer_smtp_clear_rcpts(s);
			mailer_error_clear(err);
			continue;
		}
		return MAILER_FAIL;
	}
	return MAILER_FAIL;
}
