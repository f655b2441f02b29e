/* The states outside the transaction. The connection set-up: greeting, EHLO
 * (HELO for an old server), STARTTLS and its handshake, EHLO again, AUTH; or, for
 * a resumed persistent session, one RSET to see that it is alive. RSET after an
 * aborted transaction, and QUIT. Each state either waits for the
 * reply to the command it queued (curl's <cmd>_resp) or moves the handshake a
 * step; none of them waits itself: the driver does, until s->deadline. */
#include "core/session/session_int.h"

#include <stdio.h>
#include <string.h>

#define STEP_ON MAILER_SMTP_STEP_ON

static mailer_stage stage_of(mailer_smtp_state state)
{
	switch (state) {
	case MAILER_SMTP_GREETING:
		return MAILER_STAGE_GREETING;
	case MAILER_SMTP_EHLO:
	case MAILER_SMTP_HELO:
		return MAILER_STAGE_EHLO;
	case MAILER_SMTP_STARTTLS:
	case MAILER_SMTP_HANDSHAKE:
		return MAILER_STAGE_STARTTLS;
	case MAILER_SMTP_CONNECTING:
		return MAILER_STAGE_CONNECT;
	case MAILER_SMTP_AUTH:
		return MAILER_STAGE_AUTH;
	case MAILER_SMTP_MAIL:
		return MAILER_STAGE_MAIL;
	case MAILER_SMTP_RCPT:
		return MAILER_STAGE_RCPT;
	case MAILER_SMTP_DATA:
	case MAILER_SMTP_BODY:
		return MAILER_STAGE_DATA;
	case MAILER_SMTP_DOT:
		return MAILER_STAGE_EOD;
	case MAILER_SMTP_RSET:
		return MAILER_STAGE_RSET;
	case MAILER_SMTP_QUIT:
		return MAILER_STAGE_QUIT;
	default:
		return MAILER_STAGE_CONNECT;
	}
}

#define restart_clock mailer_smtp_restart_clock

void mailer_smtp_restart_clock(mailer_smtp *s)
{
	double timeout = s->cfg.timeout;

	/* QUIT should not keep a script waiting long on a server that hangs */
	if (s->state == MAILER_SMTP_QUIT && timeout > MAILER_QUIT_TIMEOUT) {
		timeout = MAILER_QUIT_TIMEOUT;
	}
	s->deadline = mailer_smtp_now() + timeout;
}

#define perform mailer_smtp_perform

void mailer_smtp_perform(mailer_smtp *s, mailer_smtp_state next, const char *line)
{
	mailer_smtp_set_command(s, line);
	mailer_smtp_queue(s, line, strlen(line), NULL);
	s->state = next;
	restart_clock(s);
}

static void perform_ehlo(mailer_smtp *s, const char *verb)
{
	char line[MAILER_COMMAND_MAX];

	snprintf(line, sizeof(line), "%s %s", verb, s->cfg.helo);
	perform(s, verb[0] == 'E' ? MAILER_SMTP_EHLO : MAILER_SMTP_HELO, line);
}

void mailer_smtp_setup_begin(mailer_smtp *s, int resumed)
{
	if (resumed) {
		/* it was left idle and clean (the I/O layer resumes nothing else); a
		 * cheap check that it is still alive */
		perform(s, MAILER_SMTP_RESUME_RSET, "RSET");
		return;
	}
	mailer_smtp_set_command(s, "");
	s->state = MAILER_SMTP_GREETING;
	restart_clock(s);
}

/* Connected (TCP): implicit TLS's handshake, else the greeting. */
static void connected(mailer_smtp *s)
{
	if (s->host->tls == MAILER_TLS_SMTPS) {
		s->implicit_tls = 1;
		s->state = MAILER_SMTP_HANDSHAKE;
		s->hello_sent = 0;
		mailer_smtp_set_command(s, "");
		restart_clock(s); /* the whole handshake within one timeout, as STARTTLS's */
		return;
	}
	mailer_smtp_debug_event(s, "* connected");
	mailer_smtp_setup_begin(s, 0);
}

void mailer_smtp_connecting_begin(mailer_smtp *s, int in_progress)
{
	if (!in_progress) {
		connected(s);
		return;
	}
	mailer_smtp_set_command(s, "");
	s->state = MAILER_SMTP_CONNECTING;
	restart_clock(s); /* the connect timeout */
}

/* Set up: every reply is read. */
static mailer_smtp_want ready(mailer_smtp *s)
{
	s->state = MAILER_SMTP_READY;
	mailer_smtp_set_busy(s, 0);
	if (!s->resumed && s->io->established) {
		s->io->established(s->io_ctx, &s->caps, s->tls_active);
	}
	return MAILER_SMTP_DONE;
}

/* A failure that ends the set-up, the connection closed or to be closed by the caller. */
static mailer_smtp_want failed(mailer_smtp *s)
{
	s->state = MAILER_SMTP_IDLE;
	mailer_smtp_auth_end(s);
	return MAILER_SMTP_FAILED;
}

/* A failure on the wire (err filled): AUTH may have a better reason. */
static mailer_smtp_want failed_on_wire(mailer_smtp *s, mailer_error *err)
{
	if (s->state == MAILER_SMTP_AUTH) {
		mailer_smtp_auth_failed(s, err);
	}
	return failed(s);
}

/* After a refusal the server did not end the session for: QUIT, then fail (err,
 * filled, stays as it is). */
static mailer_smtp_want quit_and_fail(mailer_smtp *s)
{
	failed(s);
	mailer_smtp_check_owner(s);
	if (!s->connected) {
		return MAILER_SMTP_FAILED;
	}
	s->fail_after_quit = 1;
	perform(s, MAILER_SMTP_QUIT, "QUIT");
	return STEP_ON;
}

/* EHLO (or HELO) answered 250: STARTTLS next when TLS is due, else AUTH, else done. */
static mailer_smtp_want after_ehlo(mailer_smtp *s, mailer_error *err)
{
	if (!s->tls_active && s->host->tls != MAILER_TLS_NONE) {
		if (mailer_caps_has(&s->caps, "STARTTLS")) {
			perform(s, MAILER_SMTP_STARTTLS, "STARTTLS");
			return STEP_ON;
		}
		if (s->host->tls == MAILER_TLS_STARTTLS) {
			mailer_error_set(
				err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS,
				"the server does not offer STARTTLS, which the tls option \"starttls\" requires");
			return quit_and_fail(s);
		}
	}
	if (s->cfg.user && s->cfg.user[0]) {
		s->state = MAILER_SMTP_AUTH;
		if (mailer_smtp_auth_begin(s, err) != MAILER_OK) {
			return quit_and_fail(s);
		}
		restart_clock(s);
		return STEP_ON;
	}
	return ready(s);
}

static mailer_smtp_want greeting_resp(mailer_smtp *s, mailer_error *err)
{
	if (s->reply.code != 220) {
		/* 421 or 554 (RFC 5321 §3.1): the server will not serve this connection */
		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_GREETING, NULL,
								"the server refused the connection", err);
		return quit_and_fail(s);
	}
	perform_ehlo(s, "EHLO");
	return STEP_ON;
}

static mailer_smtp_want ehlo_resp(mailer_smtp *s, mailer_error *err)
{
	int code = s->reply.code;

	if (code == 250) {
		mailer_caps_parse(&s->caps, &s->reply);
		return after_ehlo(s, err);
	}
	if (code != 500 && code != 501 && code != 502 && code != 504 && code != 550) {
		/* a server that will not serve us: a connection failure, which failover and retries catch */
		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_EHLO,
								mailer_buf_cstr(&s->command), "the server refused EHLO", err);
		return failed(s);
	}
	/* an old server: no extensions (RFC 5321 §3.2) */
	mailer_caps_free(&s->caps);
	perform_ehlo(s, "HELO");
	return STEP_ON;
}

static mailer_smtp_want helo_resp(mailer_smtp *s, mailer_error *err)
{
	if (s->reply.code != 250) {
		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_EHLO,
								mailer_buf_cstr(&s->command), "the server refused EHLO and HELO",
								err);
		return failed(s);
	}
	return after_ehlo(s, err);
}

static mailer_smtp_want starttls_resp(mailer_smtp *s, mailer_error *err)
{
	int pending;

	if (s->reply.code != 220) {
		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "STARTTLS",
								"the server refused STARTTLS", err);
		mailer_smtp_close(s);
		return failed(s);
	}
	/* Anything that arrived with the 220 was sent before TLS and must not be
	 * read as if it came through it (the STARTTLS injection attack): in our
	 * buffer, or in one of the I/O layer's, which would hand it out after TLS. */
	pending = s->in_end != s->in_start ? 1 : s->io->pending ? s->io->pending(s->io_ctx) : 0;
	if (pending != 0) {
		mailer_error_set(
			err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "%s",
			pending > 0
				? "the server sent data after its STARTTLS reply, before the TLS handshake"
				: "the connection failed after the STARTTLS reply, before the TLS handshake");
		mailer_smtp_close(s);
		return failed(s);
	}
	s->state = MAILER_SMTP_HANDSHAKE;
	s->hello_sent = 0;
	restart_clock(s); /* the whole handshake within one timeout */
	return STEP_ON;
}

/* A connection that failed while connecting (TCP, or implicit TLS's handshake): closed,
 * err (filled) at stage connect. The debug output says what a blocking connect's failure
 * says: why, and not "connection closed" (it never was connected). */
static mailer_smtp_want connect_failed(mailer_smtp *s, mailer_error *err)
{
	if (err->kind != MAILER_ERR_ABORTED) {
		err->kind = MAILER_ERR_CONNECTION;
		mailer_smtp_debug_event(s, "* %s", err->message ? err->message : "connection failed");
	}
	err->stage = MAILER_STAGE_CONNECT;
	s->io->close(s->io_ctx);
	s->connected = 0;
	mailer_smtp_close(s);
	return failed(s);
}

static mailer_smtp_want connecting_step(mailer_smtp *s, mailer_error *err)
{
	int rc = s->abandoned ? MAILER_IO_ABORTED : s->io->connect_finish(s->io_ctx, err);

	if (rc == MAILER_IO_WANT_WRITE) {
		return MAILER_SMTP_WANT_WRITE;
	}
	if (rc == MAILER_IO_ABORTED) {
		s->abandoned = 1;
		mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_CONNECT, "%s", MAILER_ABORTED_TEXT);
		return connect_failed(s, err);
	}
	if (rc != 0) {
		if (!err->message) {
			mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT,
							 "could not connect to %s%s%s:%d",
							 strchr(s->host->name, ':') ? "[" : "", s->host->name,
							 strchr(s->host->name, ':') ? "]" : "", s->host->port);
		}
		return connect_failed(s, err);
	}
	connected(s);
	return STEP_ON;
}

static mailer_smtp_want handshake_step(mailer_smtp *s, mailer_error *err)
{
	int rc = s->abandoned ? MAILER_IO_ABORTED : s->io->tls_step(s->io_ctx, err);

	if ((rc == MAILER_IO_WANT_READ || rc == MAILER_IO_WANT_WRITE) && !s->hello_sent) {
		/* the first step did our own work (loading the CA store: seconds under
		 * valgrind) before the ClientHello left: the server's part of the handshake
		 * gets the whole timeout from here */
		s->hello_sent = 1;
		restart_clock(s);
	}
	if (rc == MAILER_IO_WANT_READ) {
		return MAILER_SMTP_WANT_READ;
	}
	if (rc == MAILER_IO_WANT_WRITE) {
		return MAILER_SMTP_WANT_WRITE;
	}
	if (rc == MAILER_IO_ABORTED) {
		s->abandoned = 1;
		mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_STARTTLS, "%s", MAILER_ABORTED_TEXT);
	} else if (rc != 0) {
		err->kind = MAILER_ERR_CONNECTION;
		err->stage = MAILER_STAGE_STARTTLS;
	}
	if (rc != 0) {
		if (s->implicit_tls) {
			return connect_failed(s, err);
		}
		mailer_smtp_close(s);
		return failed(s);
	}
	s->tls_active = 1;
	if (s->implicit_tls) {
		/* TLS from the first byte: the greeting comes through it */
		s->implicit_tls = 0;
		mailer_smtp_debug_event(s, "* connected, TLS started");
		mailer_smtp_setup_begin(s, 0);
		return STEP_ON;
	}
	mailer_smtp_debug_event(s, "* TLS started");
	/* RFC 3207 §4.2: forget what was learnt before TLS and ask again */
	mailer_caps_free(&s->caps);
	perform_ehlo(s, "EHLO");
	return STEP_ON;
}

static mailer_smtp_want auth_resp(mailer_smtp *s, mailer_error *err)
{
	switch (mailer_smtp_auth_resp(s, err)) {
	case MAILER_AUTH_MORE:
		restart_clock(s);
		return STEP_ON;
	case MAILER_AUTH_DONE:
		mailer_smtp_auth_end(s);
		return ready(s);
	default:
		return quit_and_fail(s);
	}
}

static mailer_smtp_want rset_resp(mailer_smtp *s)
{
	if (s->reply.code != 250) {
		mailer_smtp_close(s);
		return failed(s);
	}
	s->in_transaction = 0;
	s->state = MAILER_SMTP_READY;
	mailer_smtp_set_busy(s, 0);
	return MAILER_SMTP_DONE;
}

/* QUIT over, answered or not: closed (answered: cleanly, with TLS close_notify). */
static mailer_smtp_want quit_over(mailer_smtp *s, int answered)
{
	int fail = s->fail_after_quit;

	if (answered) {
		mailer_smtp_set_busy(s, 0);
	}
	mailer_smtp_close(s);
	s->state = MAILER_SMTP_IDLE;
	s->fail_after_quit = 0;
	return fail ? MAILER_SMTP_FAILED : MAILER_SMTP_DONE;
}

static mailer_smtp_want resume_resp(mailer_smtp *s, mailer_error *err)
{
	(void)err;
	if (s->reply.code != 250) {
		return failed(s); /* the caller connects again */
	}
	return ready(s);
}

static const char *lost_text(const mailer_smtp *s)
{
	if (s->state == MAILER_SMTP_AUTH) {
		return "connection lost during authentication";
	}
	if (s->state == MAILER_SMTP_BODY) {
		return "connection lost while sending the message; it was not delivered";
	}
	return s->state == MAILER_SMTP_MAIL ? "connection lost while sending MAIL FROM"
										: "connection lost while sending a command";
}

/* Writes what is queued, then reads the reply of the current state's command. */
static mailer_smtp_want exchange(mailer_smtp *s, mailer_error *err)
{
	mailer_stage stage = stage_of(s->state);
	mailer_smtp_want w;

	if (s->out.len) {
		w = mailer_smtp_flush_some(s);
		if (w == MAILER_SMTP_WANT_WRITE) {
			return w;
		}
		if (w == MAILER_SMTP_FAILED) {
			mailer_error_set_command(err, mailer_buf_cstr(&s->command));
			mailer_smtp_lost(s, stage, lost_text(s), err);
			return failed_on_wire(s, err);
		}
		restart_clock(s); /* sent: the reply gets the whole timeout */
	}
	w = mailer_smtp_reply_some(s, stage, err);
	if (w == MAILER_SMTP_FAILED) {
		if (s->command.len) {
			mailer_error_set_command(err, mailer_buf_cstr(&s->command));
		}
		return failed_on_wire(s, err);
	}
	return w;
}

/* QUIT's failures are nobody's business: the connection ends either way. */
static mailer_smtp_want quit_step(mailer_smtp *s)
{
	mailer_error ignored;
	mailer_smtp_want w;

	mailer_error_init(&ignored);
	w = exchange(s, &ignored);
	mailer_error_clear(&ignored);
	if (w == MAILER_SMTP_WANT_READ || w == MAILER_SMTP_WANT_WRITE) {
		return w;
	}
	return quit_over(s, w == MAILER_SMTP_DONE);
}

mailer_smtp_want mailer_smtp_setup_step(mailer_smtp *s, mailer_error *err)
{
	mailer_smtp_want w;

	for (;;) {
		switch (s->state) {
		case MAILER_SMTP_QUIT:
			return quit_step(s);
		case MAILER_SMTP_CONNECTING:
			w = connecting_step(s, err);
			break;
		case MAILER_SMTP_HANDSHAKE:
			w = handshake_step(s, err);
			break;
		case MAILER_SMTP_READY:
			return MAILER_SMTP_DONE;
		case MAILER_SMTP_BODY:
			w = mailer_smtp_body_step(s, err);
			break;
		case MAILER_SMTP_IDLE:
			return MAILER_SMTP_FAILED;
		default:
			w = exchange(s, err);
			if (w != MAILER_SMTP_DONE) {
				return w;
			}
			switch (s->state) {
			case MAILER_SMTP_GREETING:
				w = greeting_resp(s, err);
				break;
			case MAILER_SMTP_EHLO:
				w = ehlo_resp(s, err);
				break;
			case MAILER_SMTP_HELO:
				w = helo_resp(s, err);
				break;
			case MAILER_SMTP_STARTTLS:
				w = starttls_resp(s, err);
				break;
			case MAILER_SMTP_AUTH:
				w = auth_resp(s, err);
				break;
			case MAILER_SMTP_RSET:
				w = rset_resp(s);
				break;
			case MAILER_SMTP_DOT:
				/* the final reply, whatever it says, ends the transaction: the caller reads it */
				s->state = MAILER_SMTP_READY;
				w = MAILER_SMTP_DONE;
				break;
			case MAILER_SMTP_MAIL:
			case MAILER_SMTP_RCPT:
			case MAILER_SMTP_DATA:
				w = mailer_smtp_txn_resp(s, err);
				break;
			default:
				w = resume_resp(s, err);
				break;
			}
		}
		/* a state that was left (a command queued, the handshake done) goes on at once */
		if (w != STEP_ON) {
			return w;
		}
	}
}

mailer_smtp_want mailer_smtp_setup_wait_failed(mailer_smtp *s, mailer_smtp_event ev,
											   mailer_error *err)
{
	mailer_stage stage = stage_of(s->state);
	mailer_smtp_want w;

	if (s->state == MAILER_SMTP_QUIT) {
		return quit_over(s, 0);
	}
	if (s->state == MAILER_SMTP_CONNECTING) {
		if (ev == MAILER_SMTP_TIMEOUT) {
			/* PHP's text for a connect that reached its timeout */
			mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT,
							 "could not connect to %s%s%s:%d: Connection timed out",
							 strchr(s->host->name, ':') ? "[" : "", s->host->name,
							 strchr(s->host->name, ':') ? "]" : "", s->host->port);
			return connect_failed(s, err);
		}
		/* an error on the socket (a refusal shows so): the socket's own error says which */
		w = mailer_smtp_setup_step(s, err);
		if (w == MAILER_SMTP_WANT_WRITE && s->state == MAILER_SMTP_CONNECTING) {
			/* no error to read, yet the wait failed: it would fail again */
			mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT,
							 "could not connect to %s%s%s:%d: the wait for the connection failed",
							 strchr(s->host->name, ':') ? "[" : "", s->host->name,
							 strchr(s->host->name, ':') ? "]" : "", s->host->port);
			return connect_failed(s, err);
		}
		return w;
	}
	if (s->state == MAILER_SMTP_HANDSHAKE) {
		mailer_stage hs_stage = s->implicit_tls ? MAILER_STAGE_CONNECT : MAILER_STAGE_STARTTLS;
		if (ev == MAILER_SMTP_TIMEOUT && s->implicit_tls) {
			/* the words of the blocking connect's handshake (PHP's), which callers match */
			mailer_error_set(err, MAILER_ERR_CONNECTION, hs_stage,
							 "TLS with %s failed: SSL: Handshake timed out after %g seconds",
							 s->host->name, s->cfg.timeout);
		} else if (ev == MAILER_SMTP_TIMEOUT) {
			mailer_error_set(err, MAILER_ERR_CONNECTION, hs_stage,
							 "TLS handshake timed out after %g seconds", s->cfg.timeout);
		} else {
			mailer_error_set(err, MAILER_ERR_CONNECTION, hs_stage, "%s",
							 "the connection failed during the TLS handshake");
		}
		if (s->implicit_tls) {
			return connect_failed(s, err);
		}
		mailer_smtp_close(s);
		return failed(s);
	}
	if (s->waiting == MAILER_SMTP_WANT_WRITE) {
		s->write_failed = ev == MAILER_SMTP_TIMEOUT ? MAILER_IO_TIMEOUT : MAILER_IO_ERROR;
		mailer_error_set_command(err, mailer_buf_cstr(&s->command));
		mailer_smtp_lost(s, stage, lost_text(s), err);
		return failed_on_wire(s, err);
	}
	mailer_smtp_read_failed(s, ev == MAILER_SMTP_TIMEOUT ? MAILER_IO_TIMEOUT : MAILER_IO_ERROR,
							stage, err);
	if (s->command.len) {
		mailer_error_set_command(err, mailer_buf_cstr(&s->command));
	}
	return failed_on_wire(s, err);
}
