/* S/MIME configuration: the signer's certificate and key, the chain, the
 * recipients' certificates, each checked when loaded so that a send never
 * fails for its configuration. */
#include "core/smime/smime.h"
#include "core/crypto/pem.h"
#include "core/util/alloc.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void mailer_smime_config_init(mailer_smime_config *c)
{
	memset(c, 0, sizeof(*c));
}

void mailer_smime_config_free(mailer_smime_config *c)
{
	X509_free(c->sign_cert);
	EVP_PKEY_free(c->sign_key); /* OpenSSL wipes the key material */
	sk_X509_pop_free(c->sign_chain, X509_free);
	sk_X509_pop_free(c->recipients, X509_free);
	mailer_smime_config_init(c);
}

mailer_status mailer_smime_cipher_parse(const char *name, mailer_smime_cipher *cipher)
{
	if (strcmp(name, "aes-256-gcm") == 0) {
		*cipher = MAILER_SMIME_AES256_GCM;
	} else if (strcmp(name, "aes-256-cbc") == 0) {
		*cipher = MAILER_SMIME_AES256_CBC;
	} else {
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

const char *mailer_smime_cipher_name(mailer_smime_cipher cipher)
{
	return cipher == MAILER_SMIME_AES256_CBC ? "aes-256-cbc" : "aes-256-gcm";
}

/* Every certificate of a PEM text; at least one, or NULL with err set. */
static STACK_OF(X509) * read_certs(const char *pem, size_t len, const char *what, mailer_error *err)
{
	STACK_OF(X509) * certs;
	char reason[256];
	X509 *x;
	BIO *bio;

	if (!(bio = mailer_pem_bio(pem, len, what, err))) {
		return NULL;
	}
	certs = sk_X509_new_null();
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		sk_X509_push(certs, x);
	}
	BIO_free(bio);
	if (sk_X509_num(certs) == 0) {
		mailer_pem_openssl_reason(reason, sizeof(reason));
		sk_X509_free(certs);
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
						 "cannot load the %s as a PEM certificate: %s", what, reason);
		return NULL;
	}
	/* the end of the text reads as "no start line": not an error once one was read */
	ERR_clear_error();
	return certs;
}

static void subject_name(const X509 *x, char *out, size_t size)
{
	X509_NAME_oneline(X509_get_subject_name(x), out, (int)size);
}

static mailer_status check_validity(const X509 *x, const char *what, long long now,
									mailer_error *err)
{
	time_t t = (time_t)now;
	char subject[256];

	subject_name(x, subject, sizeof(subject));
	if (X509_cmp_time(X509_get0_notAfter(x), &t) <= 0) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the %s (%s) has expired (certificate has expired)", what, subject);
	}
	if (X509_cmp_time(X509_get0_notBefore(x), &t) > 0) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the %s (%s) is not yet valid (certificate is not yet valid)", what,
								subject);
	}
	return MAILER_OK;
}

/* Extended key usage, when present, must allow e-mail protection (RFC 8550 section 4.4.4). */
static int allows_email(X509 *x)
{
	if (!(X509_get_extension_flags(x) & EXFLAG_XKUSAGE)) {
		return 1;
	}
	return (X509_get_extended_key_usage(x) & (XKU_SMIME | XKU_ANYEKU)) != 0;
}

/* Moves the certificates to the end of the signer's chain; certs is consumed. */
static void append_chain(mailer_smime_config *c, STACK_OF(X509) * certs)
{
	if (!c->sign_chain) {
		c->sign_chain = certs;
		return;
	}
	while (sk_X509_num(certs) > 0) {
		sk_X509_push(c->sign_chain, sk_X509_shift(certs));
	}
	sk_X509_free(certs);
}

mailer_status mailer_smime_set_signer(mailer_smime_config *c, const char *cert_pem, size_t cert_len,
									  const char *key_pem, size_t key_len, const char *pass,
									  size_t pass_len, long long now, mailer_error *err)
{
	STACK_OF(X509) * certs;
	char reason[256], subject[256];
	EVP_PKEY *key;
	X509 *cert;
	int id;

	if (!(certs = read_certs(cert_pem, cert_len, "signing certificate", err))) {
		return MAILER_FAIL;
	}
	/* the first is the signer's; any others are its chain */
	cert = sk_X509_shift(certs);
	if (mailer_pem_private_key(key_pem, key_len, pass, pass_len, "signing key", &key, err) !=
		MAILER_OK) {
		X509_free(cert);
		sk_X509_pop_free(certs, X509_free);
		return MAILER_FAIL;
	}
	subject_name(cert, subject, sizeof(subject));
	id = EVP_PKEY_base_id(key);
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC) {
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
						 "the signing key is %s; S/MIME signs with an RSA or EC key",
						 OBJ_nid2sn(id) ? OBJ_nid2sn(id) : "of an unknown type");
	} else if (X509_check_private_key(cert, key) != 1) {
		mailer_pem_openssl_reason(reason, sizeof(reason));
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
						 "the signing key does not match the signing certificate (%s): %s", subject,
						 reason);
	} else if (check_validity(cert, "signing certificate", now, err) != MAILER_OK) {
		/* err is set */
	} else if (!(X509_get_key_usage(cert) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) ||
			   !allows_email(cert)) {
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
						 "the signing certificate (%s) may not sign e-mail (its key usage lacks "
						 "digitalSignature, or its extended key usage emailProtection)",
						 subject);
	}
	if (err->kind != MAILER_ERR_NONE) {
		EVP_PKEY_free(key);
		X509_free(cert);
		sk_X509_pop_free(certs, X509_free);
		return MAILER_FAIL;
	}
	X509_free(c->sign_cert);
	EVP_PKEY_free(c->sign_key);
	c->sign_cert = cert;
	c->sign_key = key;
	if (sk_X509_num(certs) == 0) {
		sk_X509_free(certs);
		return MAILER_OK;
	}
	append_chain(c, certs);
	return MAILER_OK;
}

mailer_status mailer_smime_add_chain(mailer_smime_config *c, const char *pem, size_t len,
									 mailer_error *err)
{
	STACK_OF(X509) *certs = read_certs(pem, len, "extra certificate", err);

	if (!certs) {
		return MAILER_FAIL;
	}
	append_chain(c, certs);
	return MAILER_OK;
}

mailer_status mailer_smime_add_recipient(mailer_smime_config *c, const char *pem, size_t len,
										 long long now, mailer_error *err)
{
	STACK_OF(X509) *certs = read_certs(pem, len, "recipient certificate", err);
	char subject[256];
	uint32_t usage;
	EVP_PKEY *key;
	X509 *cert;
	int id;

	if (!certs) {
		return MAILER_FAIL;
	}
	if (sk_X509_num(certs) != 1) {
		/* a chain here would make its CA certificates recipients too */
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
						 "a recipient certificate must be one certificate, %d found",
						 sk_X509_num(certs));
		sk_X509_pop_free(certs, X509_free);
		return MAILER_FAIL;
	}
	cert = sk_X509_value(certs, 0);
	subject_name(cert, subject, sizeof(subject));
	key = X509_get0_pubkey(cert);
	id = key ? EVP_PKEY_base_id(key) : NID_undef;
	usage = X509_get_key_usage(cert);
	/* RSA transports the content key (keyEncipherment), EC agrees on one (keyAgreement) */
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC) {
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
						 "the recipient certificate (%s) cannot encrypt: its key is %s, S/MIME "
						 "encrypts to RSA or EC keys",
						 subject, id != NID_undef && OBJ_nid2sn(id) ? OBJ_nid2sn(id) : "unusable");
	} else if (!(usage & (id == EVP_PKEY_RSA ? KU_KEY_ENCIPHERMENT : KU_KEY_AGREEMENT)) ||
			   !allows_email(cert)) {
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
						 "the recipient certificate (%s) cannot encrypt: its key usage lacks %s, "
						 "or its extended key usage emailProtection",
						 subject, id == EVP_PKEY_RSA ? "keyEncipherment" : "keyAgreement");
	} else {
		check_validity(cert, "recipient certificate", now, err);
	}
	if (err->kind != MAILER_ERR_NONE) {
		sk_X509_pop_free(certs, X509_free);
		return MAILER_FAIL;
	}
	if (!c->recipients) {
		c->recipients = certs;
		return MAILER_OK;
	}
	sk_X509_push(c->recipients, sk_X509_shift(certs));
	sk_X509_free(certs);
	return MAILER_OK;
}

void mailer_smime_cert_emails(const struct x509_st *cert, char *out, size_t size)
{
	STACK_OF(OPENSSL_STRING) *emails = X509_get1_email((X509 *)cert);
	size_t used = 0;
	int i;

	if (size) {
		out[0] = '\0';
	}
	for (i = 0; emails && i < sk_OPENSSL_STRING_num(emails); i++) {
		int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "",
						 sk_OPENSSL_STRING_value(emails, i));
		if (n < 0 || (size_t)n >= size - used) {
			break;
		}
		used += (size_t)n;
	}
	X509_email_free(emails);
}
