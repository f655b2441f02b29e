#include "core/auth/sasl.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/util/portable.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

static const struct {
	mailer_auth_mech mech;
	const char *name;
} mech_names[] = {
	{MAILER_AUTH_AUTO, "auto"},
	{MAILER_AUTH_PLAIN, "PLAIN"},
	{MAILER_AUTH_LOGIN, "LOGIN"},
	{MAILER_AUTH_CRAM_MD5, "CRAM-MD5"},
	{MAILER_AUTH_XOAUTH2, "XOAUTH2"},
	{MAILER_AUTH_SCRAM_SHA_256, "SCRAM-SHA-256"},
	{MAILER_AUTH_OAUTHBEARER, "OAUTHBEARER"},
};

const char *mailer_auth_mech_name(mailer_auth_mech mech)
{
	size_t i;

	for (i = 0; i < sizeof(mech_names) / sizeof(mech_names[0]); i++) {
		if (mech_names[i].mech == mech) {
			return mech_names[i].name;
		}
	}
	return "";
}

mailer_status mailer_auth_mech_parse(const char *name, mailer_auth_mech *mech)
{
	size_t i;

	for (i = 0; i < sizeof(mech_names) / sizeof(mech_names[0]); i++) {
		if (mailer_ascii_casecmp(mech_names[i].name, name) == 0) {
			*mech = mech_names[i].mech;
			return MAILER_OK;
		}
	}
	return MAILER_FAIL;
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
