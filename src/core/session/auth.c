/* SMTP AUTH (RFC 4954): choosing a mechanism and running its exchange. */
#include "core/session/session_int.h"
#include "core/util/alloc.h"
#include "core/auth/scram.h"

#include <stdio.h>
#include <string.h>

/* Strongest first; the OAuth mechanisms only when asked for, since a token
 * cannot be told from a password. */
static mailer_auth_mech choose_mech(mailer_smtp *s)
{
	if (mailer_caps_has_auth(&s->caps, "SCRAM-SHA-256")) {
		return MAILER_AUTH_SCRAM_SHA_256;
	}
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

static mailer_status auth_failed(mailer_smtp *s, const char *command_text, mailer_error *err)
{
	return mailer_smtp_reply_error(s, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, command_text,
								   "authentication failed", err);
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

/* "AUTH MECH initial-response", or "AUTH MECH" then the response after a 334
 * when the line would pass the 512-octet limit (RFC 4954 §4). */
static mailer_status auth_initial(mailer_smtp *s, const char *mech, const mailer_buf *ir,
								  const char *command_text, mailer_error *err)
{
	char line[64];
	mailer_buf cmd;
	mailer_status rc;

	if (strlen("AUTH ") + strlen(mech) + 1 + ir->len + 2 <= MAILER_COMMAND_MAX) {
		mailer_buf_init(&cmd);
		mailer_buf_appendf(&cmd, "AUTH %s ", mech);
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
	snprintf(line, sizeof(line), "AUTH %s", mech);
	if (mailer_smtp_command(s, MAILER_STAGE_AUTH, line, NULL, err) != MAILER_OK) {
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

/* SCRAM-SHA-256: client-first, server-first, client-final, then the server's
 * proof, which must verify before the 235 is believed. */
static mailer_status scram(mailer_smtp *s, const char *command_text, mailer_error *err)
{
	mailer_scram sc;
	mailer_buf resp;
	const char *text, *why;
	size_t len;
	mailer_status rc = MAILER_FAIL;

	mailer_scram_init(&sc);
	mailer_buf_init(&resp);
	if (mailer_scram_client_first(&sc, s->cfg.user, &resp) != MAILER_OK) {
		mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
						 "no random bytes for the SCRAM nonce");
		goto done;
	}
	if (auth_initial(s, "SCRAM-SHA-256", &resp, command_text, err) != MAILER_OK) {
		goto done;
	}
	if (s->reply.code != 334) {
		rc = MAILER_OK; /* the caller reports the refusal */
		goto done;
	}
	challenge_text(s, &text, &len);
	mailer_buf_wipe(&resp);
	why = mailer_scram_client_final(&sc, s->cfg.pass, text, len, &resp);
	if (why) {
		mailer_buf_wipe(&resp);
		mailer_buf_appendc(&resp, '*');
		auth_step(s, &resp, command_text, err);
		mailer_error_clear(err);
		mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH, "%s", why);
		goto done;
	}
	if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
		goto done;
	}
	if (s->reply.code == 334) {
		challenge_text(s, &text, &len);
		if (mailer_scram_verify_server(&sc, text, len) != MAILER_OK) {
			mailer_buf_wipe(&resp);
			mailer_buf_appendc(&resp, '*');
			auth_step(s, &resp, command_text, err);
			mailer_error_clear(err);
			mailer_error_set(
				err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
				"the server's SCRAM signature is wrong: it does not know the password (not the server "
				"it claims to be?)");
			goto done;
		}
		mailer_buf_wipe(&resp);
		if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
	} else if (s->reply.code == 235) {
		/* RFC 4954 carries the server's proof in a 334; a 235 without it means
		 * the server never showed that it knows the password */
		mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
						 "the server accepted SCRAM without proving it knows the password");
		mailer_error_set_reply(err, s->reply.code, s->reply.enhanced,
							   mailer_buf_cstr(&s->reply.text));
		goto done;
	}
	rc = MAILER_OK;
done:
	mailer_buf_wipe(&resp);
	mailer_buf_free(&resp);
	mailer_scram_free(&sc);
	return rc;
}

mailer_status mailer_smtp_authenticate(mailer_smtp *s, mailer_error *err)
{
	mailer_auth_mech mech = s->cfg.auth;
	mailer_buf resp;
	const char *text;
	size_t len;
	mailer_status rc = MAILER_FAIL;
	char command_text[64];

	if (!s->tls_active && !s->cfg.allow_insecure_auth) {
		return mailer_error_set(
			err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
			"refusing to send credentials over a connection without TLS: use TLS, or set the "
			"allow_insecure_auth option to allow it");
	}
	/* AUTH, and a mechanism, only as the server offers them (RFC 4954 §3); a chosen
	 * mechanism it does not offer would only be refused after the credentials went out */
	if (!mailer_caps_has(&s->caps, "AUTH")) {
		return mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
								"a user name was given but the server does not offer AUTH");
	}
	if (mech == MAILER_AUTH_AUTO) {
		mech = choose_mech(s);
		if (mech == MAILER_AUTH_AUTO) {
			return mailer_error_set(err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
									"the server offers no supported AUTH mechanism (it offers: %s)",
									mailer_caps_get(&s->caps, "AUTH"));
		}
	} else if (!mailer_caps_has_auth(&s->caps, mailer_auth_mech_name(mech))) {
		return mailer_error_set(
			err, MAILER_ERR_AUTH, MAILER_STAGE_AUTH,
			"the auth option asks for %s, which the server does not offer (it offers: %s)",
			mailer_auth_mech_name(mech), mailer_caps_get(&s->caps, "AUTH"));
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
		if (mailer_smtp_command(s, MAILER_STAGE_AUTH, "AUTH LOGIN", NULL, err) != MAILER_OK) {
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
		if (mailer_smtp_command(s, MAILER_STAGE_AUTH, "AUTH CRAM-MD5", NULL, err) != MAILER_OK) {
			goto done;
		}
		if (s->reply.code != 334) {
			break;
		}
		challenge_text(s, &text, &len);
		if (mailer_sasl_cram_md5(&resp, s->cfg.user, s->cfg.pass, text, len) != MAILER_OK) {
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
	case MAILER_AUTH_OAUTHBEARER:
		mailer_sasl_oauthbearer(&resp, s->cfg.user, s->host->name, s->host->port, s->cfg.pass);
		if (auth_initial(s, "OAUTHBEARER", &resp, command_text, err) != MAILER_OK) {
			goto done;
		}
		if (s->reply.code == 334) {
			/* RFC 7628 §3.2.3: an error challenge is answered with a lone ^A */
			mailer_buf_wipe(&resp);
			mailer_sasl_base64(&resp, "\001", 1);
			if (auth_step(s, &resp, command_text, err) != MAILER_OK) {
				goto done;
			}
		}
		break;
	case MAILER_AUTH_SCRAM_SHA_256:
		if (scram(s, command_text, err) != MAILER_OK) {
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
	mailer_smtp_debug_event(s, "* authenticated with %s", mailer_auth_mech_name(mech));
	rc = MAILER_OK;
done:
	mailer_buf_wipe(&resp);
	mailer_buf_free(&resp);
	return rc;
}
