/* DKIM configuration: signers, their names, algorithms and private keys. */
#include "core/dkim/dkim.h"
#include "core/crypto/pem.h"
#include "core/util/alloc.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <string.h>

void mailer_dkim_signer_init(mailer_dkim_signer *s)
{
	memset(s, 0, sizeof(*s));
	s->header_canon = MAILER_DKIM_RELAXED;
	s->body_canon = MAILER_DKIM_RELAXED;
}

void mailer_dkim_signer_free(mailer_dkim_signer *s)
{
	size_t i;

	mailer_free(s->domain);
	mailer_free(s->selector);
	for (i = 0; i < s->header_count; i++) {
		mailer_free(s->headers[i]);
	}
	mailer_free(s->headers);
	EVP_PKEY_free(s->key); /* OpenSSL wipes the key material */
	mailer_dkim_signer_init(s);
}

const char *mailer_dkim_alg_name(mailer_dkim_alg alg)
{
	return alg == MAILER_DKIM_ED25519_SHA256 ? "ed25519-sha256" : "rsa-sha256";
}

mailer_status mailer_dkim_alg_parse(const char *name, mailer_dkim_alg *alg)
{
	if (strcmp(name, "rsa-sha256") == 0) {
		*alg = MAILER_DKIM_RSA_SHA256;
	} else if (strcmp(name, "ed25519-sha256") == 0) {
		*alg = MAILER_DKIM_ED25519_SHA256;
	} else {
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

mailer_status mailer_dkim_canon_parse(const char *name, mailer_dkim_canon *header,
									  mailer_dkim_canon *body)
{
	static const struct {
		const char *name;
		mailer_dkim_canon header, body;
	} forms[] = {
		{"relaxed/relaxed", MAILER_DKIM_RELAXED, MAILER_DKIM_RELAXED},
		{"simple/simple", MAILER_DKIM_SIMPLE, MAILER_DKIM_SIMPLE},
		{"relaxed/simple", MAILER_DKIM_RELAXED, MAILER_DKIM_SIMPLE},
		{"simple/relaxed", MAILER_DKIM_SIMPLE, MAILER_DKIM_RELAXED},
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (strcmp(name, forms[i].name) == 0) {
			*header = forms[i].header;
			*body = forms[i].body;
			return MAILER_OK;
		}
	}
	return MAILER_FAIL;
}

int mailer_dkim_name_valid(const char *name, size_t len)
{
	size_t i, label = 0;

	if (len == 0 || len > 253) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c == '.') {
			if (label == 0) {
				return 0; /* empty label, or a leading dot */
			}
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_') ||
			++label > 63) {
			return 0;
		}
	}
	return label > 0;
}

static const char *key_type_name(int id)
{
	switch (id) {
	case EVP_PKEY_RSA:
		return "RSA";
	case EVP_PKEY_RSA_PSS:
		return "RSA-PSS";
	case EVP_PKEY_EC:
		return "EC";
	case EVP_PKEY_DSA:
		return "DSA";
	case EVP_PKEY_ED25519:
		return "Ed25519";
	case EVP_PKEY_ED448:
		return "Ed448";
	case EVP_PKEY_X25519:
		return "X25519";
	default:
		return OBJ_nid2sn(id) ? OBJ_nid2sn(id) : "unknown";
	}
}

static mailer_status check_key(EVP_PKEY *key, mailer_dkim_alg *alg, mailer_error *err)
{
	int id = EVP_PKEY_base_id(key), bits = EVP_PKEY_bits(key);
	mailer_dkim_alg type;

	if (id == EVP_PKEY_RSA) {
		type = MAILER_DKIM_RSA_SHA256;
	} else if (id == EVP_PKEY_ED25519) {
		type = MAILER_DKIM_ED25519_SHA256;
	} else {
		return mailer_error_set(
			err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
			"the key is a%s %s key; DKIM signs with an RSA key (rsa-sha256) or an Ed25519 key "
			"(ed25519-sha256)",
			id == EVP_PKEY_EC ? "n" : "", key_type_name(id));
	}
	if (*alg != MAILER_DKIM_ALG_NONE && *alg != type) {
		if (type == MAILER_DKIM_RSA_SHA256) {
			return mailer_error_set(
				err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
				"algorithm \"%s\" needs an Ed25519 key, the key is RSA (%d bits)",
				mailer_dkim_alg_name(*alg), bits);
		}
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"algorithm \"%s\" needs an RSA key, the key is Ed25519",
								mailer_dkim_alg_name(*alg));
	}
	if (type == MAILER_DKIM_RSA_SHA256 &&
		(bits < MAILER_DKIM_RSA_MIN_BITS || bits > MAILER_DKIM_RSA_MAX_BITS)) {
		/* RFC 8301 §3.2: verifiers refuse less than 1024 bits; most cap at 4096 */
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the RSA key has %d bits; DKIM needs %d to %d (2048 recommended)",
								bits, MAILER_DKIM_RSA_MIN_BITS, MAILER_DKIM_RSA_MAX_BITS);
	}
	*alg = type;
	return MAILER_OK;
}

mailer_status mailer_dkim_key_load(const char *pem, size_t len, const char *pass, size_t pass_len,
								   mailer_dkim_alg *alg, struct evp_pkey_st **key,
								   mailer_error *err)
{
	EVP_PKEY *k;

	*key = NULL;
	if (mailer_pem_private_key(pem, len, pass, pass_len, "key", &k, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (check_key(k, alg, err) != MAILER_OK) {
		EVP_PKEY_free(k);
		return MAILER_FAIL;
	}
	*key = k;
	return MAILER_OK;
}
