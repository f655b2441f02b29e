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
	char nonce[2 * sizeof(random) + 1];
	size_t i;

	if (RAND_bytes(random, sizeof(random)) != 1) {
		return MAILER_FAIL;
	}
	for (i = 0; i < sizeof(random); i++) {
		nonce[2 * i] = hex[random[i] >> 4];
		nonce[2 * i + 1] = hex[random[i] & 15];
	}
	nonce[2 * sizeof(random)] = '\0';
	mailer_scram_client_first_nonce(sc, user, nonce, out);
	return MAILER_OK;
}

void mailer_scram_client_first_nonce(mailer_scram *sc, const char *user, const char *nonce,
									 mailer_buf *out)
{
	mailer_buf msg;

	sc->nonce_len = strlen(nonce);
	if (sc->nonce_len > MAILER_SCRAM_NONCE_MAX) {
		sc->nonce_len = MAILER_SCRAM_NONCE_MAX;
	}
	memcpy(sc->nonce, nonce, sc->nonce_len);
	sc->nonce[sc->nonce_len] = '\0';
	mailer_buf_reset(&sc->client_first_bare);
	mailer_buf_appends(&sc->client_first_bare, "n=");
	mailer_sasl_append_saslname(&sc->client_first_bare, user);
	mailer_buf_appendf(&sc->client_first_bare, ",r=%s", sc->nonce);
	mailer_buf_init(&msg);
	mailer_buf_appends(&msg, "n,,");
	mailer_buf_append(&msg, sc->client_first_bare.data, sc->client_first_bare.len);
	mailer_sasl_base64(out, msg.data, msg.len);
	mailer_buf_free(&msg);
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
	if (nonce_len <= sc->nonce_len || memcmp(nonce, sc->nonce, sc->nonce_len) != 0) {
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

/* ---- the mechanism: client-first, client-final, then the server's proof, which must
 * verify before a 235 is believed ---- */

typedef struct scram_state {
	mailer_scram sc; /* first: tests reach it through the state (scram.h) */
	int answered;    /* challenges answered: 1 after server-first, 2 after server-final */
	int verified;    /* the server proved it knows the password */
} scram_state;

static mailer_status scram_start(void *state, const mailer_sasl_creds *creds, mailer_buf *out,
								 const char **why)
{
	scram_state *st = state;

	mailer_scram_init(&st->sc);
	if (mailer_scram_client_first(&st->sc, creds->user, out) != MAILER_OK) {
		*why = "no random bytes for the SCRAM nonce";
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

static mailer_status scram_step(void *state, const mailer_sasl_creds *creds, const char *challenge,
								size_t len, mailer_buf *out, const char **why)
{
	scram_state *st = state;

	switch (st->answered++) {
	case 0:
		*why = mailer_scram_client_final(&st->sc, creds->secret, challenge, len, out);
		return *why ? MAILER_FAIL : MAILER_OK;
	case 1:
		if (mailer_scram_verify_server(&st->sc, challenge, len) != MAILER_OK) {
			*why = "the server's SCRAM signature is wrong: it does not know the password (not the "
				   "server it claims to be?)";
			return MAILER_FAIL;
		}
		st->verified = 1;
		return MAILER_OK; /* an empty response: the exchange is over on our side */
	default:
		return MAILER_FAIL;
	}
}

/* RFC 4954 carries the server's proof in a 334; a 235 without it means the server never
 * showed that it knows the password. */
static mailer_status scram_accept(void *state, const char **why)
{
	if (!((scram_state *)state)->verified) {
		*why = "the server accepted SCRAM without proving it knows the password";
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

static void scram_free(void *state)
{
	mailer_scram_free(&((scram_state *)state)->sc);
}

const mailer_sasl_mech mailer_sasl_scram_sha256_mech = {
	"SCRAM-SHA-256", 0, sizeof(scram_state), scram_start, scram_step, scram_accept, scram_free};
