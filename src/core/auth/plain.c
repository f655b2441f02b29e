/* PLAIN (RFC 4616): the whole credential in the initial response. */
#include "core/auth/sasl.h"

void mailer_sasl_plain(mailer_buf *out, const char *user, const char *pass)
{
	mailer_buf raw;

	mailer_buf_init(&raw);
	mailer_buf_appendc(&raw, '\0');
	mailer_buf_appends(&raw, user);
	mailer_buf_appendc(&raw, '\0');
	mailer_buf_appends(&raw, pass);
	mailer_sasl_base64(out, raw.data, raw.len);
	mailer_buf_wipe(&raw);
	mailer_buf_free(&raw);
}

static mailer_status plain_start(void *state, const mailer_sasl_creds *creds, mailer_buf *out,
								 const char **why)
{
	(void)state;
	(void)why;
	mailer_sasl_plain(out, creds->user, creds->secret);
	return MAILER_OK;
}

/* No step: a challenge after the credential is more than PLAIN has to say. */
const mailer_sasl_mech mailer_sasl_plain_mech = {"PLAIN", 0, 0, plain_start, NULL, NULL, NULL};
