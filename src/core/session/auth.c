/* SMTP AUTH (RFC 4954): choosing a mechanism and running its exchange, as states of the
 * set-up (setup.c). One exchange serves every mechanism (core/auth/sasl.h): the mechanism
 * builds the responses, this file queues them, hides them from debug output, and decides
 * what each reply means: a 334 is answered (or the exchange cancelled with "*"), a final
 * reply ends the attempt. A refused OAuth2 token is refreshed and AUTH tried once more. */
#include "core/session/session_int.h"
#include "core/util/alloc.h"

#include <stdio.h>
#include <string.h>

/* Challenges a mechanism answers in one exchange at most: SCRAM needs 2; a server that
 * keeps challenging is cancelled rather than followed for ever. */
#define AUTH_MAX_STEPS 8

static int offered(const void *ctx, const char *name)
{
	return mailer_caps_has_auth(&((const mailer_smtp *)ctx)->caps, name);
}

/* The mechanism to use, or NULL with err filled: the one the auth option names when the
 * server offers it (one it does not offer would only be refused after the credentials went
 * out), or for "auto" the strongest it offers (a bearer one with a token callback). */
static const mailer_sasl_mech *choose_mech(mailer_smtp *s, mailer_error *err)
{
	const mailer_sasl_mech *mech = s->cfg.auth;

	if (mech) {
		if (!offered(s, mech->name)) {
			mailer_error_set(
				err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
				"the auth option asks for %s, which the server does not offer (it offers: %s)",
				mech->name, mailer_caps_get(&s->caps, "AUTH"));
			return NULL;
		}
		return mech;
	}
	mech = mailer_sasl_choose(s->cfg.token != NULL, offered, s);
	if (!mech) {
		mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
						 s->cfg.token ? "the auth_token option needs OAUTHBEARER or XOAUTH2, which "
										"the server does not offer (it offers: %s)"
									  : "the server offers no supported AUTH mechanism (it "
										"offers: %s)",
						 mailer_caps_get(&s->caps, "AUTH"));
	}
	return mech;
}

/* Queues one line of the exchange, a secret: never shown, wiped from the output queue once
 * written (mailer_smtp_flush_some). */
static void queue_secret(mailer_smtp *s, const char *line, size_t len, const char *debug_text)
{
	mailer_smtp_queue(s, line, len, debug_text);
	s->out_secret = 1;
}

/* Frees the attempt's mechanism state. */
static void end_attempt(mailer_smtp_auth *a)
{
	if (a->state) {
		if (a->mech->free) {
			a->mech->free(a->state);
		}
		mailer_secure_zero(a->state, a->mech->state_size);
		mailer_free(a->state);
		a->state = NULL;
	}
	mailer_buf_wipe(&a->resp);
}

void mailer_smtp_auth_failed(mailer_smtp *s, mailer_error *err)
{
	if (s->auth.mech && s->auth.cancelled && s->auth.why) {
		/* the mechanism said why it cancelled: that is the error, whatever became of the
		 * reply to the "*" */
		mailer_error_clear(err);
		mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, "%s", s->auth.why);
	}
	mailer_smtp_auth_end(s);
}

void mailer_smtp_auth_end(mailer_smtp *s)
{
	mailer_smtp_auth *a = &s->auth;

	if (a->mech) {
		end_attempt(a);
	}
	mailer_buf_wipe(&a->token);
	mailer_buf_free(&a->token);
	mailer_buf_free(&a->resp);
	memset(a, 0, sizeof(*a));
}

/* The token callback gave up (an exception, exit()): nothing more reaches the wire. */
static mailer_status token_abandoned(mailer_smtp *s, mailer_error *err)
{
	s->abandoned = 1;
	mailer_smtp_close(s);
	return mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_AUTH, "%s", MAILER_ABORTED_TEXT);
}

/* One attempt: the token (when one is used), the mechanism's start, and "AUTH MECH
 * initial-response" in one line; when that line would pass the 512-octet limit
 * (RFC 4954 §4), "AUTH MECH" goes alone and the response answers the first 334. */
static mailer_status begin_attempt(mailer_smtp *s, mailer_error *err)
{
	mailer_smtp_auth *a = &s->auth;
	const char *why = NULL;
	mailer_buf cmd;
	int has_ir = a->mech->start != NULL;

	a->steps = 0;
	a->deferred = 0;
	a->cancelled = 0;
	a->why = NULL;
	if (a->use_token) {
		mailer_buf_wipe(&a->token);
		if (s->cfg.token(s->cfg.token_ctx, a->attempt > 0, &a->token) != MAILER_OK) {
			return token_abandoned(s, err);
		}
		a->creds.secret = mailer_buf_cstr(&a->token);
	}
	a->state = a->mech->state_size ? mailer_calloc(1, a->mech->state_size) : NULL;
	if (has_ir && a->mech->start(a->state, &a->creds, &a->resp, &why) != MAILER_OK) {
		return mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, "%s", why);
	}
	mailer_buf_init(&cmd);
	mailer_buf_appendf(&cmd, "AUTH %s", a->mech->name);
	if (has_ir && cmd.len + 1 + a->resp.len + 2 <= MAILER_COMMAND_MAX) {
		mailer_buf_appendc(&cmd, ' ');
		mailer_buf_append(&cmd, a->resp.data, a->resp.len);
		queue_secret(s, cmd.data, cmd.len, a->command_text);
		mailer_smtp_set_command(s, a->command_text);
	} else {
		a->deferred = has_ir;
		mailer_smtp_queue(s, cmd.data, cmd.len, NULL);
		mailer_smtp_set_command(s, cmd.data);
	}
	mailer_buf_wipe(&cmd);
	mailer_buf_free(&cmd);
	return MAILER_OK;
}

/* A refusal of the token itself, worth one more try with a fresh one: 535 (RFC 4954 §6),
 * or any 5xx after the mechanism's error challenge. */
static int token_refused(const mailer_smtp *s, int steps)
{
	return s->reply.code == 535 || (steps > 0 && s->reply.code >= 500 && s->reply.code < 600);
}

mailer_status mailer_smtp_auth_begin(mailer_smtp *s, mailer_error *err)
{
	mailer_smtp_auth *a = &s->auth;

	if (!s->tls_active && !s->cfg.allow_insecure_auth) {
		return mailer_error_set(
			err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
			"refusing to send credentials over a connection without TLS: use TLS, or set the "
			"allow_insecure_auth option to allow it");
	}
	/* AUTH, and a mechanism, only as the server offers them (RFC 4954 §3) */
	if (!mailer_caps_has(&s->caps, "AUTH")) {
		return mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
								"a user name was given but the server does not offer AUTH");
	}
	memset(a, 0, sizeof(*a));
	if (!(a->mech = choose_mech(s, err))) {
		return MAILER_FAIL;
	}
	mailer_buf_init(&a->resp);
	mailer_buf_init(&a->token);
	/* the command as errors and debug output show it: the credentials masked */
	snprintf(a->command_text, sizeof(a->command_text), "AUTH %s ****", a->mech->name);
	a->use_token = s->cfg.token && (a->mech->flags & MAILER_SASL_BEARER);
	a->creds.user = s->cfg.user;
	a->creds.secret = s->cfg.pass;
	a->creds.host = s->host->name;
	a->creds.port = s->host->port;
	return begin_attempt(s, err);
}

/* A 334: the next response (or the deferred initial one) is queued, or the exchange is
 * cancelled ("*") when the mechanism cannot answer. */
static void challenge(mailer_smtp *s)
{
	mailer_smtp_auth *a = &s->auth;
	const char *text;
	size_t len;

	if (a->deferred) {
		a->deferred = 0; /* the initial response, which did not fit on the AUTH line */
	} else {
		mailer_buf_wipe(&a->resp);
		a->why = NULL;
		mailer_reply_line(&s->reply, 0, &text, &len);
		if (!a->mech->step || a->steps == AUTH_MAX_STEPS ||
			a->mech->step(a->state, &a->creds, text, len, &a->resp, &a->why) != MAILER_OK) {
			/* the server wants what the mechanism cannot give: RFC 4954 §4's "*" */
			mailer_buf_wipe(&a->resp);
			mailer_buf_appendc(&a->resp, '*');
			a->cancelled = 1;
		} else {
			a->steps++;
		}
	}
	queue_secret(s, mailer_buf_cstr(&a->resp), a->resp.len, "****");
	mailer_smtp_set_command(s, a->command_text);
}

mailer_auth_result mailer_smtp_auth_resp(mailer_smtp *s, mailer_error *err)
{
	mailer_smtp_auth *a = &s->auth;
	const char *why = NULL;

	if (s->reply.code == 334 && !a->cancelled) {
		challenge(s);
		return MAILER_AUTH_MORE;
	}
	if (a->cancelled && a->why) {
		/* the mechanism said why it cancelled: that is the error, whatever the reply */
		mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, "%s", a->why);
		return MAILER_AUTH_FAILED;
	}
	if (s->reply.code == 235) {
		if (a->mech->accept && a->mech->accept(a->state, &why) != MAILER_OK) {
			mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, "%s", why);
			mailer_error_set_reply(err, s->reply.code, s->reply.enhanced,
								   mailer_buf_cstr(&s->reply.text));
			return MAILER_AUTH_FAILED;
		}
		mailer_smtp_debug_event(s, "* authenticated with %s", a->mech->name);
		return MAILER_AUTH_DONE;
	}
	if (a->use_token && a->attempt == 0 && token_refused(s, a->steps)) {
		/* tokens expire: ask for a new one and try once more on this connection */
		mailer_smtp_debug_event(s, "* the server refused the token; asking for a new one");
		end_attempt(a);
		a->attempt++;
		return begin_attempt(s, err) == MAILER_OK ? MAILER_AUTH_MORE : MAILER_AUTH_FAILED;
	}
	mailer_smtp_reply_error(s, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, a->command_text,
							"authentication failed", err);
	return MAILER_AUTH_FAILED;
}
