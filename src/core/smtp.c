#include "smtp.h"
#include "alloc.h"
#include "dotstuff.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The session writes through this buffer: a command, or a stretch of message
 * data, leaves in one write call rather than many small ones. */
#define MAILER_OUT_FLUSH_AT (64 * 1024)
/* Longest command line (RFC 5321 §4.5.3.1.4: 512 octets with CRLF). */
#define MAILER_COMMAND_MAX 512
/* QUIT should not keep a script waiting long on a server that hangs. */
#define MAILER_QUIT_TIMEOUT 5.0

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void debug_line(mailer_smtp *s, const char *prefix, const char *line, size_t len)
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

static void debug_event(mailer_smtp *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void debug_event(mailer_smtp *s, const char *fmt, ...)
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

void mailer_smtp_close(mailer_smtp *s)
{
	if (s->connected) {
		s->io->close(s->io_ctx);
		debug_event(s, "* connection closed");
	}
	s->connected = 0;
	s->tls_active = 0;
	s->in_transaction = 0;
	s->in_start = s->in_end = 0;
	s->write_failed = 0;
	mailer_buf_reset(&s->out);
	mailer_caps_free(&s->caps);
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

/* ---- output ---- */

static int flush_out(mailer_smtp *s)
{
	int rc = 0;

	if (s->out.len && !s->write_failed) {
		rc = s->io->write(s->io_ctx, s->out.data, s->out.len);
		if (rc != 0) {
			s->write_failed = 1;
		}
	}
	mailer_buf_reset(&s->out);
	return s->write_failed ? -1 : 0;
}

static int out_sink(void *ctx, const char *data, size_t len)
{
	mailer_smtp *s = ctx;

	if (s->write_failed) {
		return -1;
	}
	if (s->out.len + len > MAILER_OUT_FLUSH_AT) {
		if (flush_out(s) != 0) {
			return -1;
		}
		if (len >= MAILER_OUT_FLUSH_AT) {
			if (s->io->write(s->io_ctx, data, len) != 0) {
				s->write_failed = 1;
				return -1;
			}
			return 0;
		}
	}
	mailer_buf_append(&s->out, data, len);
	return 0;
}

static int lost_connection(mailer_smtp *s, mailer_stage stage, const char *what, mailer_error *err)
{
	mailer_error_set(err, MAILER_ERR_CONNECTION, stage, "%s", what);
	mailer_smtp_close(s);
	return MAILER_FAIL;
}

/* Queues one command line; debug_text replaces it in debug output and errors (for secrets). */
static void queue_command(mailer_smtp *s, const char *line, size_t len, const char *debug_text)
{
	mailer_buf_append(&s->out, line, len);
	mailer_buf_append(&s->out, "\r\n", 2);
	if (debug_text) {
		debug_line(s, "C: ", debug_text, strlen(debug_text));
	} else {
		debug_line(s, "C: ", line, len);
	}
}

static int send_command(mailer_smtp *s, mailer_stage stage, const char *line, const char *debug_text,
						mailer_error *err)
{
	queue_command(s, line, strlen(line), debug_text);
	if (flush_out(s) != 0) {
		mailer_error_set_command(err, debug_text ? debug_text : line);
		return lost_connection(s, stage, "connection lost while sending a command", err);
	}
	return MAILER_OK;
}

/* ---- input ---- */

static int read_line(mailer_smtp *s, double deadline, mailer_stage stage, const char **line, size_t *len,
					 mailer_error *err)
{
	char *lf;
	long n;
	double left;

	for (;;) {
		lf = memchr(s->in + s->in_start, '\n', s->in_end - s->in_start);
		if (lf) {
			*line = s->in + s->in_start;
			*len = (size_t)(lf - *line);
			if (*len && (*line)[*len - 1] == '\r') {
				(*len)--;
			}
			s->in_start = (size_t)(lf - s->in) + 1;
			return MAILER_OK;
		}
		if (s->in_start) {
			memmove(s->in, s->in + s->in_start, s->in_end - s->in_start);
			s->in_end -= s->in_start;
			s->in_start = 0;
		}
		if (s->in_end >= sizeof(s->in)) {
			mailer_error_set(err, MAILER_ERR_PROTOCOL, stage,
							 "malformed reply: a reply line is longer than %d bytes", MAILER_REPLY_LINE_MAX);
			mailer_smtp_close(s);
			return MAILER_FAIL;
		}
		left = deadline - now_seconds();
		if (left <= 0) {
			n = MAILER_IO_TIMEOUT;
		} else {
			n = s->io->read(s->io_ctx, s->in + s->in_end, sizeof(s->in) - s->in_end, left);
		}
		if (n > 0) {
			s->in_end += (size_t)n;
			continue;
		}
		if (n == MAILER_IO_TIMEOUT) {
			mailer_error_set(err, MAILER_ERR_CONNECTION, stage, "timed out after %g seconds waiting for the server",
							 s->cfg.timeout);
		} else if (n == MAILER_IO_EOF) {
			mailer_error_set(err, MAILER_ERR_CONNECTION, stage, "connection closed by the server");
		} else {
			mailer_error_set(err, MAILER_ERR_CONNECTION, stage, "error reading from the server");
		}
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}
}

static int read_reply_within(mailer_smtp *s, mailer_stage stage, double timeout, mailer_error *err)
{
	double deadline = now_seconds() + timeout;
	const char *line, *why = NULL;
	size_t len;
	mailer_reply_state st;

	mailer_reply_reset(&s->reply);
	do {
		if (read_line(s, deadline, stage, &line, &len, err) != MAILER_OK) {
			return MAILER_FAIL;
		}
		debug_line(s, "S: ", line, len);
		st = mailer_reply_feed(&s->reply, line, len, &why);
	} while (st == MAILER_REPLY_MORE);
	if (st == MAILER_REPLY_BAD) {
		mailer_error_set(err, MAILER_ERR_PROTOCOL, stage, "malformed reply from the server: %s", why);
		mailer_error_set_reply(err, 0, NULL, mailer_buf_cstr(&s->reply.text));
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

static int read_reply(mailer_smtp *s, mailer_stage stage, mailer_error *err)
{
	return read_reply_within(s, stage, s->cfg.timeout, err);
}

/* Records the current reply as the cause of a failure of the given kind. */
static int reply_error(mailer_smtp *s, mailer_error_kind kind, mailer_stage stage, const char *command,
					   const char *what, mailer_error *err)
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

static int command(mailer_smtp *s, mailer_stage stage, const char *line, const char *debug_text, mailer_error *err)
{
	if (send_command(s, stage, line, debug_text, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (read_reply(s, stage, err) != MAILER_OK) {
		mailer_error_set_command(err, debug_text ? debug_text : line);
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

/* ---- connection set-up ---- */

static int ehlo(mailer_smtp *s, mailer_error *err)
{
	char line[MAILER_COMMAND_MAX];

	snprintf(line, sizeof(line), "EHLO %s", s->cfg.helo);
	if (command(s, MAILER_STAGE_EHLO, line, NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code == 250) {
		mailer_caps_parse(&s->caps, &s->reply);
		return MAILER_OK;
	}
	if (s->reply.code != 500 && s->reply.code != 501 && s->reply.code != 502 && s->reply.code != 504 &&
		s->reply.code != 550) {
		return reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_EHLO, line, "the server refused EHLO", err);
	}
	/* an old server: no extensions (RFC 5321 §3.2) */
	mailer_caps_free(&s->caps);
	snprintf(line, sizeof(line), "HELO %s", s->cfg.helo);
	if (command(s, MAILER_STAGE_EHLO, line, NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 250) {
		return reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_EHLO, line, "the server refused EHLO and HELO", err);
	}
	return MAILER_OK;
}

static int starttls(mailer_smtp *s, mailer_error *err)
{
	if (command(s, MAILER_STAGE_STARTTLS, "STARTTLS", NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 220) {
		reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "STARTTLS", "the server refused STARTTLS", err);
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}
	/* Anything that arrived with the 220 was sent before TLS and must not be
	 * read as if it came through it (the STARTTLS injection attack). */
	if (s->in_end != s->in_start) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS,
						 "the server sent data after its STARTTLS reply, before the TLS handshake");
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}
	if (s->io->start_tls(s->io_ctx, s->cfg.timeout, err) != 0) {
		err->kind = MAILER_ERR_CONNECTION;
		err->stage = MAILER_STAGE_STARTTLS;
		mailer_smtp_close(s);
		return MAILER_FAIL;
	}
	s->tls_active = 1;
	debug_event(s, "* TLS started");
	/* RFC 3207 §4.2: forget what was learnt before TLS and ask again */
	mailer_caps_free(&s->caps);
	return ehlo(s, err);
}

static mailer_auth_mech choose_mech(mailer_smtp *s)
{
	if (mailer_caps_has_auth(&s->caps, "CRAM-MD5")) {
		return MAILER_AUTH_CRAM_MD5;
	}
	if (mailer_caps_has_auth(&s->caps, "PLAIN")) {
		return MAILER_AUTH_PLAIN;
	}
	if (mailer_caps_has_auth(&s->caps, "LOGIN")) {
		return MAILER_AUTH_LOGIN;
	}
	return MAILER_AUTH_AUTO;
}

static int auth_failed(mailer_smtp *s, const char *command_text, mailer_error *err)
{
	return reply_error(s, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, command_text, "authentication failed", err);
}

/* Sends one SASL response line (a secret: never shown) and reads the reply. */
static int auth_step(mailer_smtp *s, const mailer_buf *response, const char *command_text, mailer_error *err)
{
	queue_command(s, mailer_buf_cstr(response), response->len, "****");
	if (flush_out(s) != 0) {
		mailer_error_set_command(err, command_text);
		return lost_connection(s, MAILER_STAGE_AUTH, "connection lost during authentication", err);
	}
	mailer_buf_wipe(&s->out);
	if (read_reply(s, MAILER_STAGE_AUTH, err) != MAILER_OK) {
		mailer_error_set_command(err, command_text);
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

/* "AUTH MECH initial-response", or "AUTH MECH" then the response after a 334
 * when the line would pass the 512-octet limit (RFC 4954 §4). */
static int auth_initial(mailer_smtp *s, const char *mech, const mailer_buf *ir, const char *command_text,
						mailer_error *err)
{
	char line[64];
	mailer_buf cmd;
	int rc;

	if (strlen("AUTH ") + strlen(mech) + 1 + ir->len + 2 <= MAILER_COMMAND_MAX) {
		mailer_buf_init(&cmd);
		mailer_buf_appendf(&cmd, "AUTH %s ", mech);
		mailer_buf_append(&cmd, ir->data, ir->len);
		queue_command(s, cmd.data, cmd.len, command_text);
		mailer_buf_wipe(&cmd);
		mailer_buf_free(&cmd);
		rc = flush_out(s);
		mailer_buf_wipe(&s->out);
		if (rc != 0) {
			mailer_error_set_command(err, command_text);
			return lost_connection(s, MAILER_STAGE_AUTH, "connection lost during authentication", err);
		}
		if (read_reply(s, MAILER_STAGE_AUTH, err) != MAILER_OK) {
			mailer_error_set_command(err, command_text);
			return MAILER_FAIL;
		}
		return MAILER_OK;
	}
	snprintf(line, sizeof(line), "AUTH %s", mech);
	if (command(s, MAILER_STAGE_AUTH, line, NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 334) {
		return MAILER_OK; /* the caller reports the refusal */
	}
	return auth_step(s, ir, command_text, err);
}

static int challenge_text(mailer_smtp *s, const char **text, size_t *len)
{
	return mailer_reply_line(&s->reply, 0, text, len);
}

static int authenticate(mailer_smtp *s, mailer_error *err)
{
	mailer_auth_mech mech = s->cfg.auth;
	mailer_buf resp;
	const char *text;
	size_t len;
	int rc = MAILER_FAIL;
	char command_text[64];

	if (!s->tls_active && !s->cfg.allow_insecure_auth) {
		return mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
								"refusing to send credentials over a connection without TLS: use TLS, or set the "
								"allow_insecure_auth option to allow it");
	}
	if (mech == MAILER_AUTH_AUTO) {
		if (!mailer_caps_has(&s->caps, "AUTH")) {
			return mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
									"a user name was given but the server does not offer AUTH");
		}
		mech = choose_mech(s);
		if (mech == MAILER_AUTH_AUTO) {
			return mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
									"the server offers no supported AUTH mechanism (it offers: %s)",
									mailer_caps_get(&s->caps, "AUTH"));
		}
	}
	snprintf(command_text, sizeof(command_text), "AUTH %s ****", mailer_auth_mech_name(mech));
	mailer_buf_init(&resp);
	switch (mech) {
	case MAILER_AUTH_PLAIN:
		mailer_sasl_plain(&resp, s->cfg.user, s->cfg.pass);
		if (auth_initial(s, "PLAIN", &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
		break;
	case MAILER_AUTH_XOAUTH2:
		mailer_sasl_xoauth2(&resp, s->cfg.user, s->cfg.pass);
		if (auth_initial(s, "XOAUTH2", &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
		if (s->reply.code == 334) {
			/* an error challenge: answer with an empty line to get the final 5xx */
			mailer_buf_wipe(&resp);
			if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
				goto done;
			}
		}
		break;
	case MAILER_AUTH_LOGIN:
		if (command(s, MAILER_STAGE_AUTH, "AUTH LOGIN", NULL, err) != MAILER_OK) {
			goto done;
		}
		if (s->reply.code != 334) {
			break;
		}
		mailer_sasl_base64(&resp, s->cfg.user, strlen(s->cfg.user));
		if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
		if (s->reply.code != 334) {
			break;
		}
		mailer_buf_wipe(&resp);
		mailer_sasl_base64(&resp, s->cfg.pass, strlen(s->cfg.pass));
		if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
		break;
	case MAILER_AUTH_CRAM_MD5:
		if (command(s, MAILER_STAGE_AUTH, "AUTH CRAM-MD5", NULL, err) != MAILER_OK) {
			goto done;
		}
		if (s->reply.code != 334) {
			break;
		}
		challenge_text(s, &text, &len);
		if (mailer_sasl_cram_md5(&resp, s->cfg.user, s->cfg.pass, text, len) != 0) {
			/* cancel the exchange (RFC 4954 §4) */
			mailer_buf_appendc(&resp, '*');
			auth_step(s, &resp, command_text, err);
			mailer_error_clear(err);
			mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
							 "the server sent a CRAM-MD5 challenge that is not valid base64");
			goto done;
		}
		if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
		break;
	case MAILER_AUTH_AUTO:
		break;
	}
	if (s->reply.code == 334) {
		/* the server wants more than the mechanism has to say: cancel */
		mailer_buf_wipe(&resp);
		mailer_buf_appendc(&resp, '*');
		if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
	}
	if (s->reply.code != 235) {
		auth_failed(s, command_text, err);
		goto done;
	}
	debug_event(s, "* authenticated with %s", mailer_auth_mech_name(mech));
	rc = MAILER_OK;
done:
	mailer_buf_wipe(&resp);
	mailer_buf_free(&resp);
	return rc;
}

static int open_host(mailer_smtp *s, const mailer_host *host, mailer_error *err)
{
	int implicit = host->tls == MAILER_TLS_SMTPS;

	s->host = host;
	debug_event(s, "* connecting to %s%s%s:%d%s", strchr(host->name, ':') ? "[" : "", host->name,
				strchr(host->name, ':') ? "]" : "", host->port, implicit ? " (TLS)" : "");
	if (s->io->connect(s->io_ctx, host->name, host->port, implicit, s->cfg.timeout, err) != 0) {
		err->kind = MAILER_ERR_CONNECTION;
		err->stage = MAILER_STAGE_CONNECT;
		debug_event(s, "* %s", err->message ? err->message : "connection failed");
		return MAILER_FAIL;
	}
	s->connected = 1;
	s->tls_active = implicit;
	s->in_start = s->in_end = 0;
	s->write_failed = 0;
	debug_event(s, implicit ? "* connected, TLS started" : "* connected");
	if (read_reply(s, MAILER_STAGE_GREETING, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 220) {
		reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_GREETING, NULL, "the server refused the connection", err);
		mailer_smtp_quit(s);
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
			mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS,
							 "the server does not offer STARTTLS, which the tls option \"starttls\" requires");
			mailer_smtp_quit(s);
			return MAILER_FAIL;
		}
	}
	if (s->cfg.user && s->cfg.user[0] && authenticate(s, err) != MAILER_OK) {
		mailer_smtp_quit(s);
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

int mailer_smtp_connect(mailer_smtp *s, mailer_error *err)
{
	size_t i;

	if (s->connected) {
		mailer_smtp_quit(s);
	}
	for (i = 0; i < s->cfg.host_count; i++) {
		if (i > 0) {
			debug_event(s, "* trying the next host");
			mailer_error_clear(err);
		}
		if (open_host(s, &s->cfg.hosts[i], err) == MAILER_OK) {
			return MAILER_OK;
		}
		mailer_smtp_close(s);
	}
	return MAILER_FAIL;
}

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
	if (command(s, MAILER_STAGE_RSET, "RSET", NULL, &ignored) != MAILER_OK || s->reply.code != 250) {
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
	mailer_sink raw = {out_sink, s};
	mailer_dotstuff stuffer;
	mailer_sink stuffed;

	if (command(s, MAILER_STAGE_DATA, "DATA", NULL, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->reply.code != 354) {
		reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA, "DATA", "the server refused DATA", err);
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
			return lost_connection(s, MAILER_STAGE_DATA,
								   "connection lost while sending the message; it was not delivered", err);
		}
		mailer_smtp_close(s);
		if (err->kind == MAILER_ERR_NONE) {
			mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA, "the message could not be written");
		}
		err->stage = MAILER_STAGE_DATA;
		return MAILER_FAIL;
	}
	if (mailer_dotstuff_finish(&stuffer) != 0 || flush_out(s) != 0) {
		mailer_error_set_command(err, "DATA");
		return lost_connection(s, MAILER_STAGE_DATA, "connection lost while sending the message; it was not delivered",
							   err);
	}
	debug_event(s, "C: [message: %llu bytes, then <CRLF>.<CRLF>]", (unsigned long long)stuffer.written);
	if (read_reply(s, MAILER_STAGE_EOD, err) != MAILER_OK) {
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
		return reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_EOD, ".", "the server refused the message", err);
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
	if (command(s, MAILER_STAGE_MAIL, line.data, NULL, err) != MAILER_OK) {
		mailer_buf_free(&line);
		return MAILER_FAIL;
	}
	if (!MAILER_REPLY_OK(&s->reply)) {
		reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_MAIL, line.data, "the server refused the sender", err);
		mailer_buf_free(&line);
		reset_transaction(s);
		return MAILER_FAIL;
	}
	for (i = 0; i < env->rcpt_count; i++) {
		mailer_buf_reset(&line);
		mailer_buf_appendf(&line, "RCPT TO:<%s>", env->rcpts[i]);
		if (command(s, MAILER_STAGE_RCPT, line.data, NULL, err) != MAILER_OK) {
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
			debug_event(s, "* the server closed the idle connection; reconnecting");
			mailer_smtp_close(s);
			mailer_smtp_clear_rcpts(s);
			mailer_error_clear(err);
			continue;
		}
		return MAILER_FAIL;
	}
	return MAILER_FAIL;
}

void mailer_smtp_quit(mailer_smtp *s)
{
	mailer_error ignored;

	if (!s->connected) {
		return;
	}
	mailer_error_init(&ignored);
	if (send_command(s, MAILER_STAGE_QUIT, "QUIT", NULL, &ignored) == MAILER_OK) {
		read_reply_within(s, MAILER_STAGE_QUIT, s->cfg.timeout < MAILER_QUIT_TIMEOUT ? s->cfg.timeout : MAILER_QUIT_TIMEOUT,
						  &ignored);
	}
	mailer_error_clear(&ignored);
	mailer_smtp_close(s);
}
