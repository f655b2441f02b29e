/* The session's wire: closing the connection, buffered output, line and reply
 * input with deadlines, debug lines, and the error helpers every stage shares.
 * The bottom layer of the session: it calls no other file of it (auth.c,
 * session.c and txn.c build on it). */
#include "core/session/session_int.h"
#include "core/util/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

double mailer_smtp_now(void)
{
	return mailer_monotonic_seconds();
}

void mailer_smtp_debug_line(mailer_smtp *s, const char *prefix, const char *line, size_t len)
{
	mailer_buf b;

	if (!s->debug) {
		return;
	}
	mailer_buf_init(&b);
	mailer_buf_appends(&b, prefix);
	mailer_buf_append(&b, line, len);
	s->debug(s->debug_ctx, b.data, b.len);
	mailer_buf_free(&b);
}

void mailer_smtp_debug_event(mailer_smtp *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (!s->debug) {
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0) {
		s->debug(s->debug_ctx, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
}

/* ---- the connection ---- */

/* Empties the output queue; a secret in it is wiped. */
static void reset_out(mailer_smtp *s)
{
	if (s->out_secret) {
		mailer_buf_wipe(&s->out);
		s->out_secret = 0;
	}
	mailer_buf_reset(&s->out);
	s->out_sent = 0;
}

void mailer_smtp_close(mailer_smtp *s)
{
	if (s->connected) {
		s->io->close(s->io_ctx);
		mailer_smtp_debug_event(s, "* connection closed");
	}
	s->connected = 0;
	s->resumed = 0;
	s->busy = 0; /* nothing is owed on a connection that is gone */
	s->transactions = 0;
	s->tls_active = 0;
	s->in_transaction = 0;
	s->in_start = s->in_end = 0;
	s->reply_open = 0;
	s->write_failed = 0;
	reset_out(s);
	mailer_caps_free(&s->caps);
	if (s->flight) {
		mailer_flight_closed(s);
	}
}

void mailer_smtp_set_busy(mailer_smtp *s, int busy)
{
	if (s->busy == busy) {
		return;
	}
	s->busy = busy;
	if (s->io->busy) {
		s->io->busy(s->io_ctx, busy);
	}
}

/* ---- output ---- */

/* Records a failed write; every later one fails too. */
static void write_failure(mailer_smtp *s, long rc)
{
	s->write_failed =
		rc == MAILER_IO_TIMEOUT || rc == MAILER_IO_ABORTED ? (int)rc : MAILER_IO_ERROR;
	s->abandoned |= rc == MAILER_IO_ABORTED;
}

/* Offers data to the connection until it takes no more: the bytes it took, in *taken. */
static mailer_smtp_want write_some(mailer_smtp *s, const char *data, size_t len, size_t *taken)
{
	long n;

	*taken = 0;
	if (s->abandoned && !s->write_failed) {
		write_failure(s, MAILER_IO_ABORTED);
	}
	if (s->write_failed) {
		return MAILER_SMTP_FAILED;
	}
	if (len) {
		mailer_smtp_set_busy(s, 1);
	}
	while (*taken < len) {
		n = s->io->write_some(s->io_ctx, data + *taken, len - *taken);
		if (n > 0) {
			*taken += (size_t)n;
			s->out_taken += (unsigned long long)n;
		} else if (n == MAILER_IO_WOULD_BLOCK) {
			return MAILER_SMTP_WANT_WRITE;
		} else {
			write_failure(s, n);
			return MAILER_SMTP_FAILED;
		}
	}
	return MAILER_SMTP_DONE;
}

/* Waits (the driver) until the connection takes more, at most until deadline. */
static mailer_status wait_writable(mailer_smtp *s, double deadline)
{
	int ready = mailer_smtp_wait(s, MAILER_WAIT_WRITE, deadline);

	if (ready <= 0) {
		write_failure(s, ready == 0 ? MAILER_IO_TIMEOUT : MAILER_IO_ERROR);
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

mailer_smtp_want mailer_smtp_flush_some(mailer_smtp *s)
{
	size_t taken;
	mailer_smtp_want w = write_some(s, s->out.data + s->out_sent, s->out.len - s->out_sent, &taken);

	s->out_sent += taken;
	if (w != MAILER_SMTP_WANT_WRITE) {
		/* all of it went, or none of it ever will */
		reset_out(s);
	}
	return w;
}

mailer_status mailer_smtp_flush(mailer_smtp *s)
{
	double deadline = mailer_smtp_now() + s->cfg.timeout;

	for (;;) {
		mailer_smtp_want w = mailer_smtp_flush_some(s);
		if (w != MAILER_SMTP_WANT_WRITE) {
			return w == MAILER_SMTP_DONE ? MAILER_OK : MAILER_FAIL;
		}
		if (wait_writable(s, deadline) != MAILER_OK) {
			reset_out(s);
			return MAILER_FAIL;
		}
	}
}

mailer_status mailer_smtp_lost(mailer_smtp *s, mailer_stage stage, const char *what,
							   mailer_error *err)
{
	static const char lost[] = "connection lost";

	if (s->abandoned) {
		mailer_error_set(err, MAILER_ERR_ABORTED, stage, "%s", MAILER_ABORTED_TEXT);
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}

	/* a write that timed out: the server stopped reading, the connection is not gone */
	if (s->write_failed == MAILER_IO_TIMEOUT && strncmp(what, lost, sizeof(lost) - 1) == 0) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, stage,
						 "timed out after %g seconds writing to the server%s", s->cfg.timeout,
						 what + sizeof(lost) - 1);
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}
	mailer_error_set(err, MAILER_ERR_CONNECTION, stage, "%s", what);
	mailer_smtp_close(s);
	return MAILER_FAIL;
}

void mailer_smtp_set_command(mailer_smtp *s, const char *text)
{
	mailer_buf_reset(&s->command);
	mailer_buf_appends(&s->command, text);
}

/* Queues one command line; debug_text replaces it in debug output and errors (for secrets). */
void mailer_smtp_queue(mailer_smtp *s, const char *line, size_t len, const char *debug_text)
{
	mailer_buf_append(&s->out, line, len);
	mailer_buf_append(&s->out, "\r\n", 2);
	if (debug_text) {
		mailer_smtp_debug_line(s, "C: ", debug_text, strlen(debug_text));
	} else {
		mailer_smtp_debug_line(s, "C: ", line, len);
	}
}

mailer_status mailer_smtp_send_command(mailer_smtp *s, mailer_stage stage, const char *line,
									   const char *debug_text, mailer_error *err)
{
	mailer_smtp_queue(s, line, strlen(line), debug_text);
	if (mailer_smtp_flush(s) != MAILER_OK) {
		mailer_error_set_command(err, debug_text ? debug_text : line);
		return mailer_smtp_lost(s, stage, "connection lost while sending a command", err);
	}
	return MAILER_OK;
}

/* ---- input ---- */

/* The next complete line in the input buffer, without its CRLF; 0 when none has arrived. */
static int take_line(mailer_smtp *s, const char **line, size_t *len)
{
	char *lf = memchr(s->in + s->in_start, '\n', s->in_end - s->in_start);

	if (!lf) {
		return 0;
	}
	*line = s->in + s->in_start;
	*len = (size_t)(lf - *line);
	if (*len && (*line)[*len - 1] == '\r') {
		(*len)--;
	}
	s->in_start = (size_t)(lf - s->in) + 1;
	return 1;
}

mailer_smtp_want mailer_smtp_read_failed(mailer_smtp *s, long n, mailer_stage stage,
										 mailer_error *err)
{
	if (n == MAILER_IO_ABORTED) {
		s->abandoned = 1;
		mailer_error_set(err, MAILER_ERR_ABORTED, stage, "%s", MAILER_ABORTED_TEXT);
	} else if (n == MAILER_IO_TIMEOUT) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, stage,
						 "timed out after %g seconds waiting for the server", s->cfg.timeout);
	} else if (n == MAILER_IO_EOF) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, stage, "connection closed by the server");
	} else {
		mailer_error_set(err, MAILER_ERR_CONNECTION, stage, "error reading from the server");
	}
	mailer_smtp_close(s);
	return MAILER_SMTP_FAILED;
}

mailer_smtp_want mailer_smtp_reply_some(mailer_smtp *s, mailer_stage stage, mailer_error *err)
{
	const char *line, *why = NULL;
	size_t len;
	long n;

	if (!s->reply_open) {
		mailer_reply_reset(&s->reply);
		s->reply_open = 1;
	}
	for (;;) {
		while (take_line(s, &line, &len)) {
			mailer_reply_state st;

			mailer_smtp_debug_line(s, "S: ", line, len);
			st = mailer_reply_feed(&s->reply, line, len, &why);
			if (st == MAILER_REPLY_DONE) {
				s->reply_open = 0;
				return MAILER_SMTP_DONE;
			}
			if (st == MAILER_REPLY_BAD) {
				mailer_error_set(err, MAILER_ERR_PROTOCOL, stage,
								 "malformed reply from the server: %s", why);
				mailer_error_set_reply(err, 0, NULL, mailer_buf_cstr(&s->reply.text));
				mailer_smtp_close(s);
				return MAILER_SMTP_FAILED;
			}
		}
		if (s->in_start) {
			memmove(s->in, s->in + s->in_start, s->in_end - s->in_start);
			s->in_end -= s->in_start;
			s->in_start = 0;
		}
		if (s->in_end >= sizeof(s->in)) {
			mailer_error_set(err, MAILER_ERR_PROTOCOL, stage,
							 "malformed reply: a reply line is longer than %d bytes",
							 MAILER_REPLY_LINE_MAX);
			mailer_smtp_close(s);
			return MAILER_SMTP_FAILED;
		}
		n = s->abandoned
				? MAILER_IO_ABORTED
				: s->io->read_some(s->io_ctx, s->in + s->in_end, sizeof(s->in) - s->in_end);
		if (n > 0) {
			s->in_end += (size_t)n;
		} else if (n == MAILER_IO_WOULD_BLOCK) {
			return MAILER_SMTP_WANT_READ;
		} else {
			return mailer_smtp_read_failed(s, n, stage, err);
		}
	}
}

mailer_status mailer_smtp_read_reply_within(mailer_smtp *s, mailer_stage stage, double timeout,
											mailer_error *err)
{
	double deadline = mailer_smtp_now() + timeout;
	mailer_smtp_want w;
	int ready;

	s->reply_open = 0;
	while ((w = mailer_smtp_reply_some(s, stage, err)) == MAILER_SMTP_WANT_READ) {
		ready = mailer_smtp_wait(s, MAILER_WAIT_READ, deadline);
		if (ready <= 0) {
			mailer_smtp_read_failed(s, ready == 0 ? MAILER_IO_TIMEOUT : MAILER_IO_ERROR, stage,
									err);
			return MAILER_FAIL;
		}
	}
	return w == MAILER_SMTP_DONE ? MAILER_OK : MAILER_FAIL;
}

mailer_status mailer_smtp_read_reply(mailer_smtp *s, mailer_stage stage, mailer_error *err)
{
	return mailer_smtp_read_reply_within(s, stage, s->cfg.timeout, err);
}

/* Records the current reply as the cause of a failure of the given kind. */
mailer_status mailer_smtp_reply_error(mailer_smtp *s, mailer_error_kind kind, mailer_stage stage,
									  const char *command, const char *what, mailer_error *err)
{
	mailer_error_set(err, kind, stage, "%s: %s", what, mailer_buf_cstr(&s->reply.text));
	mailer_error_set_reply(err, s->reply.code, s->reply.enhanced, mailer_buf_cstr(&s->reply.text));
	mailer_error_set_command(err, command);
	/* 421: the server is closing the channel (RFC 5321 §3.8) */
	if (s->reply.code == 421) {
		mailer_smtp_close(s);
	}
	return MAILER_FAIL;
}

mailer_status mailer_smtp_command(mailer_smtp *s, mailer_stage stage, const char *line,
								  const char *debug_text, mailer_error *err)
{
	if (mailer_smtp_send_command(s, stage, line, debug_text, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (mailer_smtp_read_reply(s, stage, err) != MAILER_OK) {
		mailer_error_set_command(err, debug_text ? debug_text : line);
		return MAILER_FAIL;
	}
	return MAILER_OK;
}
