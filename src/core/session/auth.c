/* SMTP AUTH (RFC 4954): choosing a mechanism and running its exchange. One loop serves
 * every mechanism (core/auth/sasl.h): the mechanism builds the responses, this file moves
 * them over the wire, hides them from debug output, and decides what a reply means. */
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

/* Sends one SASL response line (a secret: never shown) and reads the reply. */
static mailer_status auth_step(mailer_smtp *s, const mailer_buf *response, const char *command_text,
							   mailer_error *err)
{
	mailer_smtp_queue(s, mailer_buf_cstr(response), response->len, "****");
	if (mailer_smtp_flush(s) != MAILER_OK) {
		mailer_error_set_command(err, command_text);
		return mailer_smtp_lost(s, MAILER_STAGE_AUTH, "connection lost during authentication", err);
	}
	mailer_buf_wipe(&s->out);
	if (mailer_smtp_read_reply(s, MAILER_STAGE_AUTH, err) != MAILER_OK) {
		mailer_error_set_command(err, command_text);
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

/* "AUTH MECH initial-response" in one line; *deferred set when the line would pass the
 * 512-octet limit (RFC 4954 §4): then "AUTH MECH" goes alone and the response answers the
 * first 334. Without an initial response, "AUTH MECH". */
static mailer_status auth_command(mailer_smtp *s, const mailer_sasl_mech *mech,
								  const mailer_buf *ir, int has_ir, int *deferred,
								  const char *command_text, mailer_error *err)
{
	char line[64];
	mailer_buf cmd;
	mailer_status rc;

	*deferred = 0;
	if (has_ir && strlen("AUTH ") + strlen(mech->name) + 1 + ir->len + 2 <= MAILER_COMMAND_MAX) {
		mailer_buf_init(&cmd);
		mailer_buf_appendf(&cmd, "AUTH %s ", mech->name);
		mailer_buf_append(&cmd, ir->data, ir->len);
		mailer_smtp_queue(s, cmd.data, cmd.len, command_text);
		mailer_buf_wipe(&cmd);
		mailer_buf_free(&cmd);
		rc = mailer_smtp_flush(s);
		mailer_buf_wipe(&s->out);
		if (rc != MAILER_OK) {
			mailer_error_set_command(err, command_text);
			return mailer_smtp_lost(s, MAILER_STAGE_AUTH, "connection lost during authentication",
									err);
		}
		if (mailer_smtp_read_reply(s, MAILER_STAGE_AUTH, err) != MAILER_OK) {
			mailer_error_set_command(err, command_text);
			return MAILER_FAIL;
		}
		return MAILER_OK;
	}
	*deferred = has_ir;
	snprintf(line, sizeof(line), "AUTH %s", mech->name);
	return mailer_smtp_command(s, MAILER_STAGE_AUTH, line, NULL, err);
}

/* Cancels the exchange (RFC 4954 §4: "*"); the server's reply to it is read. When the
 * mechanism said why, that is the error, whatever the reply. */
static mailer_status cancel(mailer_smtp *s, mailer_buf *resp, const char *why,
							const char *command_text, mailer_error *err)
{
	mailer_buf_wipe(resp);
	mailer_buf_appendc(resp, '*');
	if (auth_step(s, resp, command_text, err) != MAILER_OK && !why) {
		return MAILER_FAIL;
	}
	if (why) {
		mailer_error_clear(err);
		return mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, "%s", why);
	}
	return MAILER_OK;
}

/* One exchange of mech: MAILER_OK when it ended on a reply the caller judges (s->reply:
 * 235 believed, or a refusal), MAILER_FAIL with err filled. *steps counts the challenges
 * the mechanism answered (for a bearer mechanism, an error challenge). */
static mailer_status run_mech(mailer_smtp *s, const mailer_sasl_mech *mech,
							  const mailer_sasl_creds *creds, const char *command_text, int *steps,
							  mailer_error *err)
{
	mailer_buf resp;
	void *state = mech->state_size ? mailer_calloc(1, mech->state_size) : NULL;
	const char *text, *why = NULL;
	size_t len;
	int deferred = 0;
	mailer_status rc = MAILER_FAIL;

	mailer_buf_init(&resp);
	*steps = 0;
	if (mech->start && mech->start(state, creds, &resp, &why) != MAILER_OK) {
		mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, "%s", why);
		goto done;
	}
	if (auth_command(s, mech, &resp, mech->start != NULL, &deferred, command_text, err) !=
		MAILER_OK) {
		goto done;
	}
	while (s->reply.code == 334) {
		if (deferred) {
			deferred = 0; /* the initial response, which did not fit on the AUTH line */
		} else {
			mailer_buf_wipe(&resp);
			why = NULL;
			mailer_reply_line(&s->reply, 0, &text, &len);
			if (!mech->step || *steps == AUTH_MAX_STEPS ||
				mech->step(state, creds, text, len, &resp, &why) != MAILER_OK) {
				/* the server wants what the mechanism cannot give */
				if (cancel(s, &resp, why, command_text, err) != MAILER_OK) {
					goto done;
				}
				break;
			}
			(*steps)++;
		}
		if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
	}
	if (s->reply.code == 235 && mech->accept && mech->accept(state, &why) != MAILER_OK) {
		mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, "%s", why);
		mailer_error_set_reply(err, s->reply.code, s->reply.enhanced,
							   mailer_buf_cstr(&s->reply.text));
		goto done;
	}
	rc = MAILER_OK;
done:
	if (state) {
		if (mech->free) {
			mech->free(state);
		}
		mailer_secure_zero(state, mech->state_size);
		mailer_free(state);
	}
	mailer_buf_wipe(&resp);
	mailer_buf_free(&resp);
	return rc;
}

/* The token callback gave up (an exception, exit()): nothing more reaches the wire. */
static mailer_status token_abandoned(mailer_smtp *s, mailer_error *err)
{
	s->abandoned = 1;
	mailer_smtp_close(s);
	return mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_AUTH, "%s", MAILER_ABORTED_TEXT);
}

/* A refusal of the token itself, worth one more try with a fresh one: 535 (RFC 4954 §6),
 * or any 5xx after the mechanism's error challenge. */
static int token_refused(const mailer_smtp *s, int steps)
{
	return s->reply.code == 535 || (steps > 0 && s->reply.code >= 500 && s->reply.code < 600);
}

mailer_status mailer_smtp_authenticate(mailer_smtp *s, mailer_error *err)
{
	const mailer_sasl_mech *mech;
	mailer_sasl_creds creds;
	mailer_buf token;
	char command_text[64]; /* the command as errors show it: the credentials masked */
	int use_token, attempt, steps = 0;
	mailer_status rc = MAILER_FAIL;

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
	if (!(mech = choose_mech(s, err))) {
		return MAILER_FAIL;
	}
	snprintf(command_text, sizeof(command_text), "AUTH %s ****", mech->name);
	use_token = s->cfg.token && (mech->flags & MAILER_SASL_BEARER);
	creds.user = s->cfg.user;
	creds.secret = s->cfg.pass;
	creds.host = s->host->name;
	creds.port = s->host->port;
	mailer_buf_init(&token);
	for (attempt = 0;; attempt++) {
		if (use_token) {
			mailer_buf_wipe(&token);
			if (s->cfg.token(s->cfg.token_ctx, attempt > 0, &token) != MAILER_OK) {
				token_abandoned(s, err);
				break;
			}
			creds.secret = mailer_buf_cstr(&token);
		}
		if (run_mech(s, mech, &creds, command_text, &steps, err) != MAILER_OK) {
			break;
		}
		if (s->reply.code == 235) {
			mailer_smtp_debug_event(s, "* authenticated with %s", mech->name);
			rc = MAILER_OK;
			break;
		}
		if (use_token && attempt == 0 && token_refused(s, steps)) {
			/* tokens expire: ask for a new one and try once more on this connection */
			mailer_smtp_debug_event(s, "* the server refused the token; asking for a new one");
			continue;
		}
		mailer_smtp_reply_error(s, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, command_text,
								"authentication failed", err);
		break;
	}
	mailer_buf_wipe(&token);
	mailer_buf_free(&token);
	return rc;
}
