/* DKIM signing (RFC 6376) with rsa-sha256 and ed25519-sha256 (RFC 8463),
 * through OpenSSL's EVP API.
 *
 * Signing wraps a message producer. mailer_dkim_prepare() drains it once into a
 * hashing sink: the header section is kept (bounded), the body is canonicalised
 * and hashed as it streams, and the DKIM-Signature fields are computed. The
 * signed producer (mailer_dkim_producer()) then hands out those fields followed
 * by the message, pulled from the inner producer, as often as it is rewound;
 * each pass hashes the body again and fails, before the message can be
 * complete (its last byte is held back), if it no longer matches what was
 * signed (a file changed in between). So a 100 MB attachment is read once more
 * than without DKIM, never held. */
#ifndef MAILER_CORE_DKIM_DKIM_H
#define MAILER_CORE_DKIM_DKIM_H

#include <stddef.h>

#include "core/util/buf.h"
#include "core/dkim/canon.h"
#include "core/util/error.h"
#include "core/util/producer.h"
#include "core/util/sink.h"

struct evp_pkey_st;

typedef enum mailer_dkim_alg {
	MAILER_DKIM_ALG_NONE = 0, /* not chosen: from the key's type */
	MAILER_DKIM_RSA_SHA256,
	MAILER_DKIM_ED25519_SHA256
} mailer_dkim_alg;

/* The header section is refused beyond this: it is held while signing. */
#define MAILER_DKIM_HEADER_MAX (1024 * 1024)
#define MAILER_DKIM_RSA_MIN_BITS 1024
#define MAILER_DKIM_RSA_MAX_BITS 4096

typedef struct mailer_dkim_signer {
	char *domain;   /* d=, ASCII (A-labels) */
	char *selector; /* s= */
	mailer_dkim_alg alg;
	mailer_dkim_canon header_canon;
	mailer_dkim_canon body_canon;
	char **headers; /* h= as configured, NULL: the default fields present in the message */
	size_t header_count;
	struct evp_pkey_st *key; /* owned */
} mailer_dkim_signer;

void mailer_dkim_signer_init(mailer_dkim_signer *s);
void mailer_dkim_signer_free(mailer_dkim_signer *s);

const char *mailer_dkim_alg_name(mailer_dkim_alg alg);
/* "rsa-sha256" or "ed25519-sha256": MAILER_OK, or MAILER_FAIL for anything else. */
mailer_status mailer_dkim_alg_parse(const char *name, mailer_dkim_alg *alg);
/* "relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed": MAILER_OK or MAILER_FAIL. */
mailer_status mailer_dkim_canon_parse(const char *name, mailer_dkim_canon *header,
									  mailer_dkim_canon *body);
/* A domain or selector: dot-separated labels of letters, digits, '-' and '_'
 * (1..63 each), at most 253 octets. */
int mailer_dkim_name_valid(const char *name, size_t len);

/* Loads a PEM private key (PKCS#8, traditional RSA, or encrypted with pass;
 * pass NULL: none given). Checks it against *alg, or sets *alg from the key's
 * type when it is MAILER_DKIM_ALG_NONE: RSA of 1024 to 4096 bits, or Ed25519.
 * On failure err (MAILER_ERR_INVALID) carries OpenSSL's reason. */
mailer_status mailer_dkim_key_load(const char *pem, size_t len, const char *pass, size_t pass_len,
								   mailer_dkim_alg *alg, struct evp_pkey_st **key,
								   mailer_error *err);

typedef struct mailer_dkim_ctx mailer_dkim_ctx;

/* Signs the message that inner produces (as it will be transmitted: line ends
 * are normalised to CRLF first) with every signer, at Unix time now. The
 * signers and inner are borrowed and must outlive the context. NULL on failure, with
 * err set (MAILER_ERR_INVALID for a message that cannot be signed, such as
 * one without a From field, else the writer's own error). */
mailer_dkim_ctx *mailer_dkim_prepare(const mailer_dkim_signer *signers, size_t count,
									 const mailer_producer *inner, long long now,
									 mailer_error *err);
/* The DKIM-Signature fields, CRLF-terminated, in the order of the signers. */
const char *mailer_dkim_fields(const mailer_dkim_ctx *ctx, size_t *len);
/* The octets the signed producer gives after CRLF normalisation (the fields, then
 * the message): counted by the signing pass, so no other pass measures them. */
long long mailer_dkim_size(const mailer_dkim_ctx *ctx);
/* The fields, then the message pulled from inner (ctx borrowed: it must outlive the
 * producer, whose free() frees nothing). A pass that does not give the bytes signed
 * fails (MAILER_ERR_PROTOCOL, stage DATA) before handing out the last one. */
void mailer_dkim_producer(mailer_dkim_ctx *ctx, mailer_producer *out);
void mailer_dkim_free(mailer_dkim_ctx *ctx);

#endif
