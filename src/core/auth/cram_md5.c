/* CRAM-MD5 (RFC 2195): the server's challenge answered with an HMAC-MD5 of it. */
#include "core/auth/sasl.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

mailer_status mailer_sasl_cram_md5(mailer_buf *out, const char *user, const char *pass,
								   const char *challenge, size_t challenge_len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char *decoded;
	size_t decoded_len = 0;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	mailer_buf raw;
	unsigned int i;

	decoded = mailer_malloc(challenge_len / 4 * 3 + 3);
	if (mailer_base64_decode(challenge, challenge_len, decoded, &decoded_len) != MAILER_OK ||
		!HMAC(EVP_md5(), pass, (int)strlen(pass), decoded, decoded_len, mac, &mac_len)) {
		mailer_free(decoded);
		return MAILER_FAIL;
	}
	mailer_free(decoded);
	mailer_buf_init(&raw);
	mailer_buf_appends(&raw, user);
	mailer_buf_appendc(&raw, ' ');
	for (i = 0; i < mac_len; i++) {
		mailer_buf_appendc(&raw, hex[mac[i] >> 4]);
		mailer_buf_appendc(&raw, hex[mac[i] & 15]);
	}
	mailer_secure_zero(mac, sizeof(mac));
	mailer_sasl_base64(out, raw.data, raw.len);
	mailer_buf_wipe(&raw);
	mailer_buf_free(&raw);
	return MAILER_OK;
}

typedef struct cram_state {
	int answered;
} cram_state;

static mailer_status cram_step(void *state, const mailer_sasl_creds *creds, const char *challenge,
							   size_t len, mailer_buf *out, const char **why)
{
	cram_state *st = state;

	if (st->answered) {
		return MAILER_FAIL; /* one challenge, one answer */
	}
	st->answered = 1;
	if (mailer_sasl_cram_md5(out, creds->user, creds->secret, challenge, len) != MAILER_OK) {
		*why = "the server sent a CRAM-MD5 challenge that is not valid base64";
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

const mailer_sasl_mech mailer_sasl_cram_md5_mech = {
	"CRAM-MD5", 0, sizeof(cram_state), NULL, cram_step, NULL, NULL};
