/* OAUTHBEARER (RFC 7628): the token in a GS2 header with the server's host and port. A
 * refused token gets a 334 with a JSON error, answered with a lone ^A (§3.2.3). */
#include "core/auth/sasl.h"

void mailer_sasl_oauthbearer(mailer_buf *out, const char *user, const char *host, int port,
							 const char *token)
{
	mailer_buf raw;

	mailer_buf_init(&raw);
	mailer_buf_appends(&raw, "n,a=");
	mailer_sasl_append_saslname(&raw, user);
	mailer_buf_appendf(&raw, ",\001host=%s\001port=%d\001auth=Bearer ", host, port);
	mailer_buf_appends(&raw, token);
	mailer_buf_appends(&raw, "\001\001");
	mailer_sasl_base64(out, raw.data, raw.len);
	mailer_buf_wipe(&raw);
	mailer_buf_free(&raw);
}

static mailer_status oauthbearer_start(void *state, const mailer_sasl_creds *creds, mailer_buf *out,
									   const char **why)
{
	(void)state;
	(void)why;
	mailer_sasl_oauthbearer(out, creds->user, creds->host, creds->port, creds->secret);
	return MAILER_OK;
}

typedef struct oauthbearer_state {
	int answered;
} oauthbearer_state;

static mailer_status oauthbearer_step(void *state, const mailer_sasl_creds *creds,
									  const char *challenge, size_t len, mailer_buf *out,
									  const char **why)
{
	oauthbearer_state *st = state;

	(void)creds; /* the challenge is a JSON error; what it says changes nothing */
	(void)challenge;
	(void)len;
	(void)why;

	if (st->answered) {
		return MAILER_FAIL;
	}
	st->answered = 1;
	mailer_sasl_base64(out, "\001", 1);
	return MAILER_OK;
}

const mailer_sasl_mech mailer_sasl_oauthbearer_mech = {"OAUTHBEARER",
													   MAILER_SASL_BEARER,
													   sizeof(oauthbearer_state),
													   oauthbearer_start,
													   oauthbearer_step,
													   NULL,
													   NULL};
