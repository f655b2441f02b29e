/* PEM texts read with OpenSSL: the private key loader DKIM and S/MIME share. */
#include "core/crypto/pem.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

void mailer_pem_openssl_reason(char *out, size_t size)
{
	unsigned long e = ERR_peek_last_error();

	if (e) {
		ERR_error_string_n(e, out, size);
	} else {
		snprintf(out, size, "no reason given by OpenSSL");
	}
	ERR_clear_error();
}

BIO *mailer_pem_bio(const char *pem, size_t len, const char *what, mailer_error *err)
{
	char reason[256];
	BIO *bio;

	if (len == 0 || len > INT_MAX) {
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "the %s is empty or too large",
						 what);
		return NULL;
	}
	ERR_clear_error();
	if (!(bio = BIO_new_mem_buf(pem, (int)len))) {
		mailer_pem_openssl_reason(reason, sizeof(reason));
		mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "cannot read the %s: %s", what,
						 reason);
	}
	return bio;
}

/* The passphrase callback: never prompts (OpenSSL's default would read the
 * terminal); records that the key asked for one. */
typedef struct pass_info {
	const char *pass;
	size_t len;
	int asked;
} pass_info;

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	pass_info *p = u;

	(void)rwflag;
	p->asked = 1;
	if (!p->pass || size < 0 || p->len > (size_t)size) {
		return -1;
	}
	memcpy(buf, p->pass, p->len);
	return (int)p->len;
}

mailer_status mailer_pem_private_key(const char *pem, size_t len, const char *pass, size_t pass_len,
									 const char *what, EVP_PKEY **key, mailer_error *err)
{
	pass_info info = {pass, pass_len, 0};
	char reason[256];
	BIO *bio;

	*key = NULL;
	if (!(bio = mailer_pem_bio(pem, len, what, err))) {
		return MAILER_FAIL;
	}
	*key = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &info);
	BIO_free(bio);
	if (*key) {
		ERR_clear_error();
		return MAILER_OK;
	}
	mailer_pem_openssl_reason(reason, sizeof(reason));
	if (info.asked && !pass) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the %s is encrypted and no \"passphrase\" was given (%s)", what,
								reason);
	}
	if (info.asked) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"cannot decrypt the %s (wrong passphrase?): %s", what, reason);
	}
	return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
							"cannot load the %s as a PEM private key: %s", what, reason);
}
