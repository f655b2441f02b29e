/* The SMTP session: connecting (greeting, EHLO/HELO, STARTTLS, AUTH), failover
 * over the host list, QUIT and closing. The transaction is in txn.c. */
#include "core/session/session_int.h"
#include "core/util/alloc.h"

#include <stdio.h>
#include <string.h>

/* QUIT within a call of the API (abandonment carries on) */
static void quit(mailer_smtp *s);

void mailer_smtp_init(mailer_smtp *s, const mailer_io *io, void *io_ctx)
{
	memset(s, 0, sizeof(*s));
	s->io = io;
	s->io_ctx = io_ctx;
	mailer_caps_init(&s->caps);
	mailer_reply_init(&s->reply);
	mailer_buf_init(&s->out);
}

void mailer_smtp_config_free(mailer_smtp_config *cfg)
{
	mailer_hosts_free(cfg->hosts, cfg->host_count);
	mailer_free(cfg->helo);
	mailer_free(cfg->user);
	if (cfg->pass) {
		mailer_secure_zero(cfg->pass, strlen(cfg->pass));
		mailer_free(cfg->pass);
	}
	memset(cfg, 0, sizeof(*cfg));
}

void mailer_smtp_clear_rcpts(mailer_smtp *s)
{
	size_t i;

	for (i = 0; i < s->rcpt_count; i++) {
		mailer_free(s->rcpts[i].address);
		mailer_free(s->rcpts[i].reply);
	}
	mailer_free(s->rcpts);
	s->rcpts = NULL;
	s->rcpt_count = 0;
}

void mailer_smtp_check_owner(mailer_smtp *s)
{
	if (s->connected && s->io->inherited && s->io->inherited(s->io_ctx)) {
		/* the parent may be mid-transaction on it: one byte from here would
		 * land in its session */
		mailer_smtp_debug_event(s, "* the connection belongs to the process this one was forked "
								   "from: abandoned without a word");
		mailer_smtp_close(s);
	}
}

void mailer_smtp_free(mailer_smtp *s)
{
	mailer_smtp_close(s);
	mailer_caps_free(&s->caps);
	mailer_reply_free(&s->reply);
	mailer_buf_wipe(&s->out);
	mailer_buf_free(&s->out);
	mailer_smtp_clear_rcpts(s);
	mailer_smtp_config_free(&s->cfg);
}

/* ---- connection set-up ---- */

static mailer_status ehlo(mailer_smtp *s, mailer_error *err)
{
	char line[MAILER_COMMAND_MAX];

	snprintf(line, sizeof(line), "EHLO %s", s->cfg.helo);
	if (mailer_smtp_command(s, MAILER_STAGE_EHLO, line, NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code == 250) {
		mailer_caps_parse(&s->caps, &s->reply);
		return MAILER_OK;
	}
	if (s->reply.code != 500 && s->reply.code != 501 && s->reply.code != 502 &&
		s->reply.code != 504 && s->reply.code != 550) {
		/* a server that will not serve us: a connection failure, which failover and retries catch */
		return mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_EHLO, line,
									   "the server refused EHLO", err);
	}
	/* an old server: no extensions (RFC 5321 §3.2) */
	mailer_caps_free(&s->caps);
	snprintf(line, sizeof(line), "HELO %s", s->cfg.helo);
	if (mailer_smtp_command(s, MAILER_STAGE_EHLO, line, NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 250) {
		return mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_EHLO, line,
									   "the server refused EHLO and HELO", err);
	}
	return MAILER_OK;
}

/* The TLS handshake in steps, waiting (the driver) at most the timeout in all:
 * 0, or the failing step's result (err filled unless MAILER_IO_ABORTED). */
static int tls_handshake(mailer_smtp *s, mailer_error *err)
{
	double deadline = mailer_smtp_now() + s->cfg.timeout;
	int rc, ready;

	for (;;) {
		rc = s->abandoned ? MAILER_IO_ABORTED : s->io->tls_step(s->io_ctx, err);
		if (rc != MAILER_IO_WANT_READ && rc != MAILER_IO_WANT_WRITE) {
			return rc;
		}
		ready = mailer_smtp_wait(
			s, rc == MAILER_IO_WANT_READ ? MAILER_WAIT_READ : MAILER_WAIT_WRITE, deadline);
		if (ready <= 0) {
			if (ready == 0) {
				mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS,
								 "TLS handshake timed out after %g seconds", s->cfg.timeout);
			} else {
				mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "%s",
								 "the connection failed during the TLS handshake");
			}
			return MAILER_IO_ERROR;
		}
	}
}

static mailer_status starttls(mailer_smtp *s, mailer_error *err)
{
	int rc, pending;

	if (mailer_smtp_command(s, MAILER_STAGE_STARTTLS, "STARTTLS", NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 220) {
		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "STARTTLS",
								"the server refused STARTTLS", err);
		mailer_smtp_close(s);
		return MAILER_FAIL;
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
		return MAILER_FAIL;
	}
	rc = tls_handshake(s, err);
	if (rc == MAILER_IO_ABORTED) {
		s->abandoned = 1;
		mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_STARTTLS, "%s", MAILER_ABORTED_TEXT);
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}
	if (rc != 0) {
		err->kind = MAILER_ERR_CONNECTION;
		err->stage = MAILER_STAGE_STARTTLS;
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}
	s->tls_active = 1;
	mailer_smtp_debug_event(s, "* TLS started");
	/* RFC 3207 §4.2: forget what was learnt before TLS and ask again */
	mailer_caps_free(&s->caps);
	return ehlo(s, err);
}

static mailer_status open_host(mailer_smtp *s, const mailer_host *host, mailer_error *err)
{
	int implicit = host->tls == MAILER_TLS_SMTPS, rc;

	s->host = host;
	mailer_smtp_debug_event(s, "* connecting to %s%s%s:%d%s", strchr(host->name, ':') ? "[" : "",
							host->name, strchr(host->name, ':') ? "]" : "", host->port,
							implicit ? " (TLS)" : "");
	rc = MAILER_IO_ABORTED;
	if (!s->abandoned) {
		rc = s->io->connect(s->io_ctx, host->name, host->port, implicit, s->cfg.timeout, err);
	}
	if (rc == MAILER_IO_ABORTED) {
		s->abandoned = 1;
		return mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_CONNECT, "%s",
								MAILER_ABORTED_TEXT);
	}
	if (rc < 0) {
		err->kind = MAILER_ERR_CONNECTION;
		err->stage = MAILER_STAGE_CONNECT;
		mailer_smtp_debug_event(s, "* %s", err->message ? err->message : "connection failed");
		return MAILER_FAIL;
	}
	s->connected = 1;
	s->tls_active = implicit;
	s->in_start = s->in_end = 0;
	s->write_failed = 0;
	s->resumed = rc == MAILER_IO_RESUMED;
	if (s->resumed) {
		/* a persistent session from an earlier request: greeting, EHLO and
		 * AUTH are behind it; a dead one shows at MAIL and is replaced */
		s->io->resume(s->io_ctx, &s->caps, &s->tls_active);
		mailer_smtp_debug_event(s, "* reusing a persistent connection%s",
								s->tls_active ? " (TLS)" : "");
		/* it was left idle and clean (the I/O layer resumes nothing else);
		 * a cheap check that it is still alive: when it is not, it is closed
		 * (and forgotten) and a new one is made right away */
		if (mailer_smtp_command(s, MAILER_STAGE_CONNECT, "RSET", NULL, err) == MAILER_OK &&
			s->reply.code == 250) {
			mailer_smtp_set_busy(s, 0);
			return MAILER_OK;
		}
		if (s->abandoned) {
			return MAILER_FAIL;
		}
		mailer_smtp_debug_event(s, "* the persistent connection is gone; connecting again");
		mailer_smtp_close(s);
		mailer_error_clear(err);
		return open_host(s, host, err);
	}
	mailer_smtp_debug_event(s, implicit ? "* connected, TLS started" : "* connected");
	if (mailer_smtp_read_reply(s, MAILER_STAGE_GREETING, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 220) {
		/* 421 or 554 (RFC 5321 §3.1): the server will not serve this connection */
		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_GREETING, NULL,
								"the server refused the connection", err);
		quit(s);
		return MAILER_FAIL;
	}
	if (ehlo(s, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (!s->tls_active && host->tls != MAILER_TLS_NONE) {
		if (mailer_caps_has(&s->caps, "STARTTLS")) {
			if (starttls(s, err) != MAILER_OK) {
				return MAILER_FAIL;
			}
		} else if (host->tls == MAILER_TLS_STARTTLS) {
			mailer_error_set(
				err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS,
				"the server does not offer STARTTLS, which the tls option \"starttls\" requires");
			quit(s);
			return MAILER_FAIL;
		}
	}
	if (s->cfg.user && s->cfg.user[0] && mailer_smtp_authenticate(s, err) != MAILER_OK) {
		quit(s);
		return MAILER_FAIL;
	}
	mailer_smtp_set_busy(s, 0); /* every reply of the set-up is read */
	if (s->io->established) {
		s->io->established(s->io_ctx, &s->caps, s->tls_active);
	}
	return MAILER_OK;
}

void mailer_smtp_abandon_error(mailer_smtp *s, mailer_error *err)
{
	if (s->abandoned && err->kind != MAILER_ERR_ABORTED) {
		/* whatever failed on the way, the caller gave up: that is the error */
		mailer_stage stage = err->stage;
		mailer_error_clear(err);
		mailer_error_set(err, MAILER_ERR_ABORTED, stage, "%s", MAILER_ABORTED_TEXT);
	}
}

mailer_status mailer_smtp_connect_hosts(mailer_smtp *s, mailer_error *err)
{
	size_t i;

	mailer_smtp_check_owner(s);
	if (s->connected) {
		quit(s);
	}
	for (i = 0; i < s->cfg.host_count; i++) {
		if (i > 0) {
			mailer_smtp_debug_event(s, "* trying the next host");
			mailer_error_clear(err);
		}
		if (open_host(s, &s->cfg.hosts[i], err) == MAILER_OK) {
			return MAILER_OK;
		}
		mailer_smtp_close(s);
		if (s->abandoned) {
			break; /* the caller gave up: no other host either */
		}
	}
	return MAILER_FAIL;
}

mailer_status mailer_smtp_connect(mailer_smtp *s, mailer_error *err)
{
	s->abandoned = 0;
	if (mailer_smtp_connect_hosts(s, err) == MAILER_OK) {
		return MAILER_OK;
	}
	mailer_smtp_abandon_error(s, err);
	return MAILER_FAIL;
}

void mailer_smtp_quit(mailer_smtp *s)
{
	s->abandoned = 0;
	quit(s);
}

static void quit(mailer_smtp *s)
{
	mailer_error ignored;

	mailer_smtp_check_owner(s);
	if (!s->connected) {
		return;
	}
	mailer_error_init(&ignored);
	if (mailer_smtp_send_command(s, MAILER_STAGE_QUIT, "QUIT", NULL, &ignored) == MAILER_OK) {
		double wait = s->cfg.timeout < MAILER_QUIT_TIMEOUT ? s->cfg.timeout : MAILER_QUIT_TIMEOUT;

		if (mailer_smtp_read_reply_within(s, MAILER_STAGE_QUIT, wait, &ignored) == MAILER_OK) {
			mailer_smtp_set_busy(s, 0); /* over: closed cleanly (with TLS, close_notify) */
		}
	}
	mailer_error_clear(&ignored);
	mailer_smtp_close(s);
}
