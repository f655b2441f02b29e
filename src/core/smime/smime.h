/* S/MIME (RFC 8551): signing (multipart/signed with a detached CMS signature)
 * and encryption (application/pkcs7-mime, enveloped or auth-enveloped data),
 * or both (signed, then encrypted), through OpenSSL's CMS API.
 *
 * The stage wraps a message writer (a mailer_emit_fn), as DKIM does:
 * mailer_smime_prepare() runs the writer once. Its top-level header fields
 * (From, To, Subject, Date, Message-ID and every other field that is not
 * Content-*) stay outside; the entity (the Content-* fields and the body)
 * streams through OpenSSL's CMS BIOs in pieces, and the result goes to a
 * spool: memory up to MAILER_SMIME_SPOOL_MEMORY, a temporary file beyond. The
 * spool is what mailer_smime_emit() writes, as often as it is asked, so every
 * pass (DKIM's, the data, a retry) gives the same bytes, and its size is known,
 * although encryption (a fresh key each time) and ECDSA are randomised. */
#ifndef MAILER_CORE_SMIME_SMIME_H
#define MAILER_CORE_SMIME_SMIME_H

#include <stddef.h>

#include "core/util/error.h"
#include "core/util/producer.h"
#include "core/util/sink.h"

struct x509_st;
struct evp_pkey_st;
struct stack_st_X509;

/* Output kept in memory up to this; beyond, it moves to a temporary file. */
#define MAILER_SMIME_SPOOL_MEMORY (256 * 1024)
/* The header section is held while it is split; refused beyond this. */
#define MAILER_SMIME_HEADER_MAX (1024 * 1024)

typedef enum mailer_smime_cipher {
	MAILER_SMIME_AES256_GCM = 0, /* AuthEnvelopedData (RFC 5083, 5084), RFC 8551's choice */
	MAILER_SMIME_AES256_CBC      /* EnvelopedData, for clients without AES-GCM */
} mailer_smime_cipher;

typedef struct mailer_smime_config {
	struct x509_st *sign_cert;        /* NULL: no signing */
	struct evp_pkey_st *sign_key;     /* matches sign_cert */
	struct stack_st_X509 *sign_chain; /* more certificates sent with the signature, or NULL */
	struct stack_st_X509 *recipients; /* NULL: no encryption */
	mailer_smime_cipher cipher;
} mailer_smime_config;

void mailer_smime_config_init(mailer_smime_config *c);
void mailer_smime_config_free(mailer_smime_config *c);

/* "aes-256-gcm" or "aes-256-cbc": MAILER_OK, or MAILER_FAIL for anything else. */
mailer_status mailer_smime_cipher_parse(const char *name, mailer_smime_cipher *cipher);
const char *mailer_smime_cipher_name(mailer_smime_cipher cipher);

/* Each of these checks what it loads at Unix time now and fails with
 * MAILER_ERR_INVALID and OpenSSL's reason: bad PEM, wrong or missing
 * passphrase, a key that does not match the certificate, a certificate
 * expired or not yet valid, or one whose key or key usage cannot sign
 * (digitalSignature, emailProtection) or encrypt (keyEncipherment or
 * keyAgreement, emailProtection). */
mailer_status mailer_smime_set_signer(mailer_smime_config *c, const char *cert_pem, size_t cert_len,
									  const char *key_pem, size_t key_len, const char *pass,
									  size_t pass_len, long long now, mailer_error *err);
/* Certificates (one or more in the PEM text) sent with the signature: the chain. */
mailer_status mailer_smime_add_chain(mailer_smime_config *c, const char *pem, size_t len,
									 mailer_error *err);
/* One recipient's certificate (exactly one in the PEM text). */
mailer_status mailer_smime_add_recipient(mailer_smime_config *c, const char *pem, size_t len,
										 long long now, mailer_error *err);

/* The e-mail addresses a certificate names (subjectAltName rfc822Name and the
 * subject's emailAddress), comma-separated, into out (truncated to size). */
void mailer_smime_cert_emails(const struct x509_st *cert, char *out, size_t size);

typedef struct mailer_smime_ctx mailer_smime_ctx;

/* Runs emit once and signs and/or encrypts what it writes (line ends are
 * normalised to CRLF first). c is borrowed for the call only. NULL on
 * failure, with err set: MAILER_ERR_INVALID for a message that cannot be
 * signed as it is (no From field, a From address the signing certificate
 * does not name, 8-bit data in the entity to sign), else the writer's own
 * error or the spool's. */
mailer_smime_ctx *mailer_smime_prepare(const mailer_smime_config *c, mailer_emit_fn emit,
									   void *emit_ctx, mailer_error *err);
/* A mailer_emit_fn (ctx is the mailer_smime_ctx): the message as prepared. */
mailer_status mailer_smime_emit(void *ctx, const mailer_sink *sink, mailer_error *err);
/* The prepared message as a producer, read from the spool (ctx borrowed: it must
 * outlive the producer, whose free() frees nothing); its size is mailer_smime_size(). */
void mailer_smime_producer(mailer_smime_ctx *ctx, mailer_producer *out);
/* Octets of the prepared message. */
unsigned long long mailer_smime_size(const mailer_smime_ctx *ctx);
void mailer_smime_free(mailer_smime_ctx *ctx);

#endif
