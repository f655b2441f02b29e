/* PEM texts read with OpenSSL, for DKIM's key and S/MIME's certificates and key:
 * a private key (decrypted with a passphrase, never prompting) and the memory
 * BIO under it. Failures name what was read ("key", "signing key", ...) and
 * carry OpenSSL's reason, so each caller's messages stay its own. */
#ifndef MAILER_CORE_CRYPTO_PEM_H
#define MAILER_CORE_CRYPTO_PEM_H

#include <stddef.h>

#include "core/util/error.h"

struct bio_st;
struct evp_pkey_st;

/* OpenSSL's reason for its latest failure, e.g. "error:1C800064:Provider
 * routines::bad decrypt" (or "no reason given by OpenSSL"); empties the queue. */
void mailer_pem_openssl_reason(char *out, size_t size);

/* A read-only memory BIO over the text (not copied: it must outlive the BIO).
 * NULL with err set: "the WHAT is empty or too large", "cannot read the WHAT: ...". */
struct bio_st *mailer_pem_bio(const char *pem, size_t len, const char *what, mailer_error *err);

/* The private key of a PEM text (PKCS#8, traditional, or encrypted with pass;
 * pass NULL: none given), of any type: the caller checks the type. On failure
 * err (MAILER_ERR_INVALID) says which: "the WHAT is encrypted and no
 * \"passphrase\" was given (...)", "cannot decrypt the WHAT (wrong
 * passphrase?): ...", "cannot load the WHAT as a PEM private key: ...". */
mailer_status mailer_pem_private_key(const char *pem, size_t len, const char *pass, size_t pass_len,
									 const char *what, struct evp_pkey_st **key, mailer_error *err);

#endif
