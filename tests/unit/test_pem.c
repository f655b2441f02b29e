/* core/crypto/pem.c: the PEM private key loader DKIM and S/MIME share. Each failure names what
 * was read (the caller's word: "key", "signing key") and carries OpenSSL's reason, and
 * OpenSSL's error queue is left empty either way. */
#include "core/crypto/pem.h"
#include "unit.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>

/* A throw-away Ed25519 key, plain and encrypted with "s3cret" (AES-256-CBC, PBKDF2). */
static const char plain[] = "-----BEGIN PRIVATE KEY-----\n"
							"MC4CAQAwBQYDK2VwBCIEIHF8QYjzPsSIjuM/k/eoydd2weoCIJ32BUGZE63X0rEg\n"
							"-----END PRIVATE KEY-----\n";
static const char encrypted[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
								"MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAic6n8xetMVhQICCAAw\n"
								"DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEEHoRL9xZol0XXeXy2tmMVsEQBTU\n"
								"udbg1kuMOiDs8/QmE9KpU+Agda1QIdjk0tuScpNOeRblud0yNOOjh3UYhNvkdFX2\n"
								"9tVg8y3WOA/M2VcTU2M=\n"
								"-----END ENCRYPTED PRIVATE KEY-----\n";

/* Loads pem as "what" with pass; on failure checks that the message starts with want_prefix
 * and that OpenSSL's reason follows it when reason is set. */
static void expect(const char *pem, size_t len, const char *pass, const char *what,
				   const char *want_prefix, int reason)
{
	EVP_PKEY *key = (EVP_PKEY *)(uintptr_t)1;
	mailer_error err;
	mailer_status rc;

	mailer_error_init(&err);
	rc = mailer_pem_private_key(pem, len, pass, pass ? strlen(pass) : 0, what, &key, &err);
	if (!want_prefix) {
		CHECK(rc == MAILER_OK && key != NULL && err.kind == MAILER_ERR_NONE);
		EVP_PKEY_free(key);
	} else {
		int prefixed = err.message && strncmp(err.message, want_prefix, strlen(want_prefix)) == 0;

		CHECK(rc == MAILER_FAIL && key == NULL && err.kind == MAILER_ERR_INVALID);
		CHECK(prefixed);
		if (reason) {
			/* behind the prefix, looked for only when the prefix is there */
			CHECK(prefixed && strstr(err.message + strlen(want_prefix), "error:"));
		} else {
			CHECK_STR(err.message ? err.message : "", want_prefix);
		}
	}
	CHECK(ERR_peek_error() == 0);
	mailer_error_clear(&err);
}

static void test_private_key(void)
{
	static const char cert[] = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
	size_t plain_len = sizeof(plain) - 1, enc_len = sizeof(encrypted) - 1;

	expect(plain, plain_len, NULL, "key", NULL, 0);
	/* a passphrase given for a key that needs none is not asked for */
	expect(plain, plain_len, "unused", "key", NULL, 0);
	expect(encrypted, enc_len, "s3cret", "signing key", NULL, 0);
	expect(encrypted, enc_len, NULL, "signing key",
		   "the signing key is encrypted and no \"passphrase\" was given (", 1);
	expect(encrypted, enc_len, "wrong", "key", "cannot decrypt the key (wrong passphrase?): ", 1);
	expect("hello", 5, NULL, "signing key",
		   "cannot load the signing key as a PEM private key: ", 1);
	/* a certificate is not a private key */
	expect(cert, sizeof(cert) - 1, NULL, "key", "cannot load the key as a PEM private key: ", 1);
	expect(plain, 0, NULL, "signing key", "the signing key is empty or too large", 0);
}

static void test_bio(void)
{
	mailer_error err;
	char buf[8];
	BIO *bio;

	mailer_error_init(&err);
	bio = mailer_pem_bio("abc", 3, "certificate", &err);
	CHECK(bio && BIO_read(bio, buf, sizeof(buf)) == 3 && memcmp(buf, "abc", 3) == 0);
	BIO_free(bio);
	CHECK(mailer_pem_bio("", 0, "extra certificate", &err) == NULL);
	CHECK_STR(err.message ? err.message : "", "the extra certificate is empty or too large");
	mailer_error_clear(&err);
}

static void test_reason(void)
{
	char reason[256];

	ERR_clear_error();
	mailer_pem_openssl_reason(reason, sizeof(reason));
	CHECK_STR(reason, "no reason given by OpenSSL");
	ERR_put_error(ERR_LIB_PEM, 0, PEM_R_NO_START_LINE, __FILE__, __LINE__);
	mailer_pem_openssl_reason(reason, sizeof(reason));
	CHECK(strncmp(reason, "error:", 6) == 0 && strstr(reason, "no start line"));
	CHECK(ERR_peek_error() == 0);
}

int main(void)
{
	RUN(test_private_key());
	RUN(test_bio());
	RUN(test_reason());
	UNIT_DONE();
}
