/* The mechanism registry and what the mechanisms share. */
#include "core/auth/sasl.h"
#include "core/util/base64.h"
#include "core/util/portable.h"
#include "core/util/alloc.h"

#include <string.h>

/* In the order "auto" prefers them: strongest first. The bearer mechanisms are chosen only
 * with a token (mailer_sasl_choose()); of those, OAUTHBEARER is the standard (RFC 7628). */
static const mailer_sasl_mech *const registry[] = {
	&mailer_sasl_scram_sha256_mech, &mailer_sasl_cram_md5_mech,    &mailer_sasl_plain_mech,
	&mailer_sasl_login_mech,        &mailer_sasl_oauthbearer_mech, &mailer_sasl_xoauth2_mech,
};

#define REGISTRY_SIZE (sizeof(registry) / sizeof(registry[0]))

const mailer_sasl_mech *mailer_sasl_find(const char *name)
{
	size_t i;

	for (i = 0; i < REGISTRY_SIZE; i++) {
		if (mailer_ascii_casecmp(registry[i]->name, name) == 0) {
			return registry[i];
		}
	}
	return NULL;
}

const mailer_sasl_mech *mailer_sasl_choose(int bearer, mailer_sasl_offered_fn offered,
										   const void *ctx)
{
	size_t i;

	for (i = 0; i < REGISTRY_SIZE; i++) {
		if (((registry[i]->flags & MAILER_SASL_BEARER) != 0) == (bearer != 0) &&
			offered(ctx, registry[i]->name)) {
			return registry[i];
		}
	}
	return NULL;
}

const char *mailer_sasl_names(void)
{
	return "SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN, OAUTHBEARER, XOAUTH2";
}

void mailer_sasl_base64(mailer_buf *out, const char *data, size_t len)
{
	size_t n = mailer_base64_encoded_len(len);

	mailer_buf_reserve(out, n);
	out->len += mailer_base64_encode((const unsigned char *)data, len, out->data + out->len);
	out->data[out->len] = '\0';
}

void mailer_buf_wipe(mailer_buf *buf)
{
	if (buf->data) {
		mailer_secure_zero(buf->data, buf->cap);
	}
	buf->len = 0;
}

void mailer_sasl_append_saslname(mailer_buf *out, const char *name)
{
	for (; *name; name++) {
		if (*name == ',') {
			mailer_buf_appends(out, "=2C");
		} else if (*name == '=') {
			mailer_buf_appends(out, "=3D");
		} else {
			mailer_buf_appendc(out, *name);
		}
	}
}
