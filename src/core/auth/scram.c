#include "core/auth/scram.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/auth/sasl.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#define SHA256_LEN 32

void mailer_scram_init(mailer_scram *sc)
{
	memset(sc, 0, sizeof(*sc));
	mailer_buf_init(&sc->client_first_bare);
}

void mailer_scram_free(mailer_scram *sc)
{
	mailer_buf_wipe(&sc->client_first_bare);
	mailer_buf_free(&sc->client_first_bare);
	mailer_secure_zero(sc, sizeof(*sc));
}

mailer_status mailer_scram_client_first(mailer_scram *sc, const char *user, mailer_buf *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char random[16];
	mailer_buf msg;
	size_t i;

	if (RAND_bytes(random, sizeof(random)) != 1) {
		return MAILER_FAIL;
	}
	for (i = 0; i < sizeof(random); i++) {
		sc->nonce[2 * i] = hex[random[i] >> 4];
		sc->nonce[2 * i + 1] = hex[random[i] & 15];
	}
	sc->nonce[32] = '\0';
	mailer_buf_reset(&sc->client_first_bare);
	mailer_buf_appends(&sc->client_first_bare, "n=");
	mailer_sasl_append_saslname(&sc->client_first_bare, user);
	mailer_buf_appendf(&sc->client_first_bare, ",r=%s", sc->nonce);
	mailer_buf_init(&msg);
	mailer_buf_appends(&msg, "n,,");
	mailer_buf_append(&msg, sc->client_first_bare.data, sc->client_first_bare.len);
	mailer_sasl_base64(out, msg.data, msg.len);
	mailer_buf_free(&msg);
	return MAILER_OK;
}

static mailer_status decode(const char *b64, size_t len, mailer_buf *out)
{
	size_t n = 0;

	mailer_buf_reset(out);
	mailer_buf_reserve(out, len / 4 * 3 + 3);
	if (mailer_base64_decode(b64, len, (unsigned char *)out->data, &n) != MAILER_OK) {
		return MAILER_FAIL;
	}
	out->len = n;
	out->data[n] = '\0';
	return MAILER_OK;
}

/* The value of attribute "a=" in a comma-separated SCRAM message, or NULL. */
static const char *attribute(const char *msg, char name, size_t *len)
{
	const char *p = msg;

	while (p && *p) {
		if (p[0] == name && p[1] == '=') {
			const char *end = strchr(p, ',');
			*len = end ? (size_t)(end - p - 2) : strlen(p + 2);
			return p + 2;
		}
		p = strchr(p, ',');
		if (p) {
			p++;
		}
	}
	return NULL;
}

static void hmac(const unsigned char *key, size_t key_len, const char *data, size_t len,
				 unsigned char out[SHA256_LEN])
{
	unsigned int out_len = SHA256_LEN;

	HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)data, len, out, &out_len);
}

const char *mailer_scram_client_final(mailer_scram *sc, const char *pass, const char *challenge,
									  size_t len, mailer_buf *out)
{
	mailer_buf server_first, salt, auth_message, final;
	const char *nonce, *salt_b64, *iter_text, *why = NULL;
	size_t nonce_len = 0, salt_len = 0, iter_len = 0, i;
	unsigned char salted[SHA256_LEN], client_key[SHA256_LEN], stored_key[SHA256_LEN],
		signature[SHA256_LEN], server_key[SHA256_LEN];
	unsigned int stored_len = SHA256_LEN;
	long iterations;
	char *end;

	mailer_buf_init(&server_first);
	mailer_buf_init(&salt);
	mailer_buf_init(&auth_message);
	mailer_buf_init(&final);
	if (decode(challenge, len, &server_first) != MAILER_OK ||
		memchr(server_first.data, '\0', server_first.len)) {
		why = "the server's SCRAM challenge is not valid base64";
		goto done;
	}
	nonce = attribute(server_first.data, 'r', &nonce_len);
	salt_b64 = attribute(server_first.data, 's', &salt_len);
	iter_text = attribute(server_first.data, 'i', &iter_len);
	if (!nonce || !salt_b64 || !iter_text) {
		why = "the server's SCRAM challenge lacks the nonce, salt or iteration count";
		goto done;
	}
	/* the server's nonce must extend ours, or a replayed exchange could pass */
	if (nonce_len <= 32 || memcmp(nonce, sc->nonce, 32) != 0) {
		why = "the server's SCRAM nonce does not start with the client's";
		goto done;
	}
	iterations = strtol(iter_text, &end, 10);
	if (end != iter_text + iter_len || iterations < 1 || iterations > MAILER_SCRAM_MAX_ITERATIONS) {
		why = "the server's SCRAM iteration count is missing or out of range";
		goto done;
	}
	if (decode(salt_b64, salt_len, &salt) != MAILER_OK || salt.len == 0) {
		why = "the server's SCRAM salt is not valid base64";
		goto done;
	}
	if (!PKCS5_PBKDF2_HMAC(pass, (int)strlen(pass), (const unsigned char *)salt.data, (int)salt.len,
						   (int)iterations, EVP_sha256(), SHA256_LEN, salted)) {
		why = "PBKDF2 failed";
		goto done;
	}
	hmac(salted, SHA256_LEN, "Client Key", 10, client_key);
	EVP_Digest(client_key, SHA256_LEN, stored_key, &stored_len, EVP_sha256(), NULL);
	mailer_buf_appendf(&final, "c=biws,r=%.*s", (int)nonce_len, nonce);
	mailer_buf_append(&auth_message, sc->client_first_bare.data, sc->client_first_bare.len);
	mailer_buf_appendc(&auth_message, ',');
	mailer_buf_append(&auth_message, server_first.data, server_first.len);
	mailer_buf_appendc(&auth_message, ',');
	mailer_buf_append(&auth_message, final.data, final.len);
	hmac(stored_key, SHA256_LEN, auth_message.data, auth_message.len, signature);
	for (i = 0; i < SHA256_LEN; i++) {
		client_key[i] ^= signature[i]; /* now the ClientProof */
	}
	hmac(salted, SHA256_LEN, "Server Key", 10, server_key);
	hmac(server_key, SHA256_LEN, auth_message.data, auth_message.len, sc->server_signature);
	mailer_buf_appends(&final, ",p=");
	mailer_sasl_base64(&final, (const char *)client_key, SHA256_LEN);
	mailer_sasl_base64(out, final.data, final.len);
done:
	mailer_secure_zero(salted, sizeof(salted));
	mailer_secure_zero(client_key, sizeof(client_key));
	mailer_secure_zero(stored_key, sizeof(stored_key));
	mailer_secure_zero(server_key, sizeof(server_key));
	mailer_buf_free(&server_first);
	mailer_buf_free(&salt);
	mailer_buf_free(&auth_message);
	mailer_buf_wipe(&final);
	mailer_buf_free(&final);
	return why;
}

mailer_status mailer_scram_verify_server(const mailer_scram *sc, const char *challenge, size_t len)
{
	mailer_buf server_final, expected;
	const char *v;
	size_t v_len = 0;
	mailer_status rc = MAILER_FAIL;

	mailer_buf_init(&server_final);
	mailer_buf_init(&expected);
	if (decode(challenge, len, &server_final) == MAILER_OK &&
		(v = attribute(server_final.data, 'v', &v_len)) != NULL) {
		mailer_sasl_base64(&expected, (const char *)sc->server_signature, SHA256_LEN);
		rc = (expected.len == v_len && CRYPTO_memcmp(expected.data, v, v_len) == 0) ? MAILER_OK
																					: MAILER_FAIL;
	}
	mailer_buf_free(&server_final);
	mailer_buf_free(&expected);
	return rc;
}
