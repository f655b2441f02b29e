/* XOAUTH2 (Google's and Microsoft's bearer-token mechanism): the token in the initial
 * response. A refused token gets a 334 with a JSON error first; the client answers it with
 * an empty line and the server then sends the final 5xx. */
#include "core/auth/sasl.h"

void mailer_sasl_xoauth2(mailer_buf *out, const char *user, const char *token)
{
	mailer_buf raw;

	mailer_buf_init(&raw);
	mailer_buf_appends(&raw, "user=");
	mailer_buf_appends(&raw, user);
	mailer_buf_appends(&raw, "\001auth=Bearer ");
	mailer_buf_appends(&raw, token);
	mailer_buf_appends(&raw, "\001\001");
	mailer_sasl_base64(out, raw.data, raw.len);
	mailer_buf_wipe(&raw);
	mailer_buf_free(&raw);
}

static mailer_status xoauth2_start(void *state, const mailer_sasl_creds *creds, mailer_buf *out,
								   const char **why)
{
	(void)state;
	(void)why;
	mailer_sasl_xoauth2(out, creds->user, creds->secret);
	return MAILER_OK;
}

typedef struct xoauth2_state {
	int answered;
} xoauth2_state;

static mailer_status xoauth2_step(void *state, const mailer_sasl_creds *creds,
								  const char *challenge, size_t len, mailer_buf *out,
								  const char **why)
{
	xoauth2_state *st = state;

	(void)creds; /* the challenge is a JSON error; what it says changes nothing */
	(void)challenge;
	(void)len;
	(void)out;
	(void)why;

	if (st->answered) {
		return MAILER_FAIL;
	}
	st->answered = 1;
	return MAILER_OK; /* the error challenge: an empty line, to get the final 5xx */
}

const mailer_sasl_mech mailer_sasl_xoauth2_mech = {
	"XOAUTH2", MAILER_SASL_BEARER, sizeof(xoauth2_state), xoauth2_start, xoauth2_step, NULL, NULL};
