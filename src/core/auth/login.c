/* LOGIN (draft-murchison-sasl-login): the server asks for the user name, then the password;
 * the prompts' texts vary between servers, so only their order counts. */
#include "core/auth/sasl.h"

#include <string.h>

typedef struct login_state {
	int answered; /* prompts answered so far */
} login_state;

static mailer_status login_step(void *state, const mailer_sasl_creds *creds, const char *challenge,
								size_t len, mailer_buf *out, const char **why)
{
	login_state *st = state;
	const char *value = st->answered == 0 ? creds->user : creds->secret;

	(void)challenge; /* the prompts' texts vary between servers: only their order counts */
	(void)len;
	(void)why;
	if (st->answered == 2) {
		return MAILER_FAIL; /* a third prompt: nothing left to give */
	}
	st->answered++;
	mailer_sasl_base64(out, value, strlen(value));
	return MAILER_OK;
}

const mailer_sasl_mech mailer_sasl_login_mech = {
	"LOGIN", 0, sizeof(login_state), NULL, login_step, NULL, NULL};
