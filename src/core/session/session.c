/* The SMTP session: connecting (greeting, EHLO/HELO, STARTTLS, AUTH), failover
 * over the host list, QUIT and closing. The transaction is in txn.c. */
#include "core/session/flight.h"
#include "core/session/session_int.h"
#include "core/util/alloc.h"

#include <stdio.h>
#include <string.h>

void mailer_smtp_init(mailer_smtp *s, const mailer_io *io, void *io_ctx)
{
	memset(s, 0, sizeof(*s));
	s->io = io;
	s->io_ctx = io_ctx;
	mailer_caps_init(&s->caps);
	mailer_reply_init(&s->reply);
	mailer_buf_init(&s->out);
	mailer_buf_init(&s->command);
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

void mailer_rcpt_results_free(mailer_rcpt_result **rcpts, size_t *count)
{
	size_t i;

	for (i = 0; i < *count; i++) {
		mailer_free((*rcpts)[i].address);
		mailer_free((*rcpts)[i].reply);
	}
	mailer_free(*rcpts);
	*rcpts = NULL;
	*count = 0;
}

void mailer_rcpt_results_copy(mailer_rcpt_result **out, const mailer_rcpt_result *rcpts,
							  size_t count)
{
	size_t i;

	*out = NULL;
	if (!count) {
		return;
	}
	*out = mailer_calloc(count, sizeof(**out));
	for (i = 0; i < count; i++) {
		(*out)[i] = rcpts[i];
		(*out)[i].address = mailer_strdup(rcpts[i].address);
		(*out)[i].reply = mailer_strdup(rcpts[i].reply);
	}
}

void mailer_smtp_clear_rcpts(mailer_smtp *s)
{
	mailer_rcpt_results_free(&s->rcpts, &s->rcpt_count);
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
	mailer_flight_free(s);
	mailer_smtp_auth_end(s);
	mailer_buf_free(&s->command);
	mailer_caps_free(&s->caps);
	mailer_reply_free(&s->reply);
	mailer_buf_wipe(&s->out);
	mailer_buf_free(&s->out);
	mailer_smtp_clear_rcpts(s);
	mailer_smtp_config_free(&s->cfg);
}

/* ---- connection set-up (the states are in setup.c) ---- */

mailer_status mailer_smtp_begin_host(mailer_smtp *s, const mailer_host *host, mailer_error *err)
{
	int implicit = host->tls == MAILER_TLS_SMTPS, rc, resumed;
	int in_steps = s->io->connect_start != NULL;

	s->host = host;
	s->implicit_tls = 0;
	mailer_smtp_debug_event(s, "* connecting to %s%s%s:%d%s", strchr(host->name, ':') ? "[" : "",
							host->name, strchr(host->name, ':') ? "]" : "", host->port,
							implicit ? " (TLS)" : "");
	rc = MAILER_IO_ABORTED;
	if (!s->abandoned) {
		rc = in_steps
				 ? s->io->connect_start(s->io_ctx, host->name, host->port, implicit, s->cfg.timeout,
										err)
				 : s->io->connect(s->io_ctx, host->name, host->port, implicit, s->cfg.timeout, err);
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
	s->tls_active = implicit && !in_steps;
	s->in_start = s->in_end = 0;
	s->write_failed = 0;
	s->resumed = resumed = rc == MAILER_IO_RESUMED;
	if (resumed) {
		/* a persistent session from an earlier request: greeting, EHLO and
		 * AUTH are behind it; a dead one shows at MAIL and is replaced */
		s->io->resume(s->io_ctx, &s->caps, &s->tls_active);
		mailer_smtp_debug_event(s, "* reusing a persistent connection%s",
								s->tls_active ? " (TLS)" : "");
		mailer_smtp_setup_begin(s, 1);
	} else if (in_steps) {
		/* the TCP connection, then implicit TLS's handshake, run as states */
		mailer_smtp_connecting_begin(s, rc == MAILER_IO_WANT_WRITE);
	} else {
		mailer_smtp_debug_event(s, implicit ? "* connected, TLS started" : "* connected");
		mailer_smtp_setup_begin(s, 0);
	}
	return MAILER_OK;
}

static mailer_status open_host(mailer_smtp *s, const mailer_host *host, mailer_error *err)
{
	int resumed;

	if (mailer_smtp_begin_host(s, host, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	resumed = s->resumed;
	if (mailer_smtp_run(s, err) == MAILER_OK) {
		return MAILER_OK;
	}
	if (resumed && !s->abandoned) {
		/* the RSET that checks a resumed session failed: it is closed (and
		 * forgotten) and a new one is made right away */
		mailer_smtp_debug_event(s, "* the persistent connection is gone; connecting again");
		mailer_smtp_close(s);
		mailer_error_clear(err);
		return open_host(s, host, err);
	}
	return MAILER_FAIL;
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
		mailer_smtp_quit_inner(s);
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
	mailer_flight_abandon(s); /* a batch left behind (a fatal error) */
	if (mailer_smtp_connect_hosts(s, err) == MAILER_OK) {
		return MAILER_OK;
	}
	mailer_smtp_abandon_error(s, err);
	return MAILER_FAIL;
}

void mailer_smtp_quit(mailer_smtp *s)
{
	s->abandoned = 0;
	mailer_flight_abandon(s); /* a batch left behind (a fatal error) */
	mailer_smtp_quit_inner(s);
}

void mailer_smtp_quit_inner(mailer_smtp *s)
{
	mailer_error ignored;

	mailer_smtp_check_owner(s);
	if (!s->connected) {
		return;
	}
	mailer_error_init(&ignored);
	mailer_smtp_perform(s, MAILER_SMTP_QUIT, "QUIT");
	mailer_smtp_run(s, &ignored); /* closes, answered or not */
	mailer_error_clear(&ignored);
	mailer_smtp_close(s);
}
