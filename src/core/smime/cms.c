/* The signer and the encrypter on OpenSSL's streaming CMS BIOs: neither holds
 * the entity; the signer hashes it as it passes, the encrypter encrypts and
 * base64-encodes it in pieces (see cms.h). */
#include "core/smime/cms.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static mailer_status openssl_failed(mailer_error *err, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char reason[256];

	if (e) {
		ERR_error_string_n(e, reason, sizeof(reason));
	} else {
		snprintf(reason, sizeof(reason), "no reason given by OpenSSL");
	}
	ERR_clear_error();
	return mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE, "S/MIME: %s: %s", what,
							reason);
}

/* Writes everything to a BIO (a filter may take less than asked). */
static int bio_write_all(BIO *b, const char *data, size_t len)
{
	while (len > 0) {
		int n = BIO_write(b, data, len > INT_MAX ? INT_MAX : (int)len);
		if (n <= 0) {
			return 0;
		}
		data += n;
		len -= (size_t)n;
	}
	return 1;
}

/* ---- the signer ---- */

/* "=_" cannot occur in base64 or quoted-printable, and the writer's own
 * boundaries are "=_" + hex: this one adds "smime" so it differs from those. */
#define SIGNED_BOUNDARY_LEN (2 + 5 + 32)

struct mailer_smime_signer {
	mailer_sink out;
	CMS_ContentInfo *cms;
	BIO *digest; /* CMS_dataInit()'s chain: hashes the entity, keeps nothing (detached) */
	char boundary[SIGNED_BOUNDARY_LEN + 1];
	int failed;
	mailer_base64_stream b64;
};

static mailer_status random_boundary(char *out, const char *prefix, mailer_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char random[16];
	size_t i, n = strlen(prefix);

	if (RAND_bytes(random, sizeof(random)) != 1) {
		return openssl_failed(err, "no random bytes for a boundary");
	}
	memcpy(out, prefix, n);
	for (i = 0; i < sizeof(random); i++) {
		out[n + 2 * i] = hex[random[i] >> 4];
		out[n + 2 * i + 1] = hex[random[i] & 15];
	}
	out[n + 32] = '\0';
	return MAILER_OK;
}

static mailer_status write_str(const mailer_sink *out, const char *s)
{
	return mailer_sink_write(out, s, strlen(s));
}

mailer_smime_signer *mailer_smime_signer_start(const mailer_smime_config *c, const mailer_sink *out,
											   mailer_error *err)
{
	mailer_smime_signer *s = mailer_calloc(1, sizeof(*s));
	int i;

	s->out = *out;
	ERR_clear_error();
	if (random_boundary(s->boundary, "=_smime", err) != MAILER_OK) {
		mailer_free(s);
		return NULL;
	}
	/* detached (the entity travels beside the signature), streamed (the
	 * content is given later through the BIO), binary (it is canonical
	 * already: CRLF, 7-bit) */
	s->cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_DETACHED | CMS_PARTIAL | CMS_STREAM | CMS_BINARY);
	if (!s->cms || !CMS_add1_signer(s->cms, c->sign_cert, c->sign_key, EVP_sha256(), CMS_BINARY)) {
		openssl_failed(err, "cannot set up the signature");
		mailer_smime_signer_free(s);
		return NULL;
	}
	for (i = 0; c->sign_chain && i < sk_X509_num(c->sign_chain); i++) {
		if (!CMS_add1_cert(s->cms, sk_X509_value(c->sign_chain, i))) {
			openssl_failed(err, "cannot add an extra certificate");
			mailer_smime_signer_free(s);
			return NULL;
		}
	}
	if (!(s->digest = CMS_dataInit(s->cms, NULL))) {
		openssl_failed(err, "cannot start the signature");
		mailer_smime_signer_free(s);
		return NULL;
	}
	if (write_str(out,
				  "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
				  "\tmicalg=sha-256; boundary=\"") != MAILER_OK ||
		write_str(out, s->boundary) != MAILER_OK ||
		write_str(out, "\"\r\n\r\nThis is an S/MIME signed message.\r\n\r\n--") != MAILER_OK ||
		write_str(out, s->boundary) != MAILER_OK || write_str(out, "\r\n") != MAILER_OK) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE,
						 "the message could not be written");
		mailer_smime_signer_free(s);
		return NULL;
	}
	return s;
}

mailer_status mailer_smime_signer_write(void *ctx, const char *data, size_t len)
{
	mailer_smime_signer *s = ctx;

	if (s->failed) {
		return MAILER_FAIL;
	}
	if (!bio_write_all(s->digest, data, len) ||
		mailer_sink_write(&s->out, data, len) != MAILER_OK) {
		s->failed = 1;
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

mailer_status mailer_smime_signer_finish(mailer_smime_signer *s, mailer_error *err)
{
	unsigned char *der = NULL, *p;
	mailer_status rc;
	int len;

	if (s->failed) {
		return MAILER_FAIL;
	}
	/* signs: the digest of what went through, with the signing time */
	if (!CMS_dataFinal(s->cms, s->digest) || (len = i2d_CMS_ContentInfo(s->cms, NULL)) <= 0) {
		return openssl_failed(err, "cannot sign the message");
	}
	p = der = mailer_malloc((size_t)len);
	if (i2d_CMS_ContentInfo(s->cms, &p) != len) {
		mailer_free(der);
		return openssl_failed(err, "cannot encode the signature");
	}
	/* the CRLF before a boundary belongs to the boundary, not to the entity */
	rc = write_str(&s->out, "\r\n--");
	rc = rc == MAILER_OK ? write_str(&s->out, s->boundary) : rc;
	rc = rc == MAILER_OK
			 ? write_str(&s->out, "\r\nContent-Type: application/pkcs7-signature; "
								  "name=\"smime.p7s\"\r\n"
								  "Content-Transfer-Encoding: base64\r\n"
								  "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
								  "\r\n")
			 : rc;
	if (rc == MAILER_OK) {
		mailer_base64_stream_init(&s->b64, &s->out);
		rc = mailer_base64_stream_write(&s->b64, (const char *)der, (size_t)len);
		rc = rc == MAILER_OK ? mailer_base64_stream_finish(&s->b64) : rc;
	}
	mailer_free(der);
	rc = rc == MAILER_OK ? write_str(&s->out, "\r\n--") : rc;
	rc = rc == MAILER_OK ? write_str(&s->out, s->boundary) : rc;
	rc = rc == MAILER_OK ? write_str(&s->out, "--\r\n") : rc;
	if (rc != MAILER_OK) {
		s->failed = 1;
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE,
								"the message could not be written");
	}
	return MAILER_OK;
}

void mailer_smime_signer_free(mailer_smime_signer *s)
{
	if (!s) {
		return;
	}
	BIO_free_all(s->digest);
	CMS_ContentInfo_free(s->cms);
	mailer_free(s);
}

/* ---- the encrypter ---- */

struct mailer_smime_encrypter {
	CMS_ContentInfo *cms;
	BIO_METHOD *method; /* the sink BIO's, freed with the encrypter */
	BIO *chain;         /* BIO_new_CMS(): write the entity, the BER comes out of the sink BIO */
	int failed;
	mailer_base64_stream b64; /* the BER, base64 in 76-column lines, to out */
};

/* A BIO that hands what OpenSSL writes to the base64 encoder. */
static int sink_bio_write(BIO *b, const char *data, int len)
{
	mailer_smime_encrypter *e = BIO_get_data(b);

	if (len <= 0) {
		return 0;
	}
	if (mailer_base64_stream_write(&e->b64, data, (size_t)len) != MAILER_OK) {
		return -1;
	}
	return len;
}

static long sink_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int sink_bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

mailer_smime_encrypter *mailer_smime_encrypter_start(const mailer_smime_config *c,
													 const mailer_sink *out, mailer_error *err)
{
	mailer_smime_encrypter *e = mailer_calloc(1, sizeof(*e));
	int gcm = c->cipher == MAILER_SMIME_AES256_GCM;
	BIO *sink;

	ERR_clear_error();
	mailer_base64_stream_init(&e->b64, out);
	/* AES-GCM makes AuthEnvelopedData (RFC 5083), AES-CBC EnvelopedData */
	e->cms = CMS_encrypt(c->recipients, NULL, gcm ? EVP_aes_256_gcm() : EVP_aes_256_cbc(),
						 CMS_BINARY | CMS_STREAM | CMS_PARTIAL);
	if (!e->cms) {
		openssl_failed(err, "cannot set up the encryption");
		mailer_smime_encrypter_free(e);
		return NULL;
	}
	e->method = BIO_meth_new(BIO_TYPE_SOURCE_SINK, "mailer S/MIME sink");
	if (!e->method || !BIO_meth_set_write(e->method, sink_bio_write) ||
		!BIO_meth_set_ctrl(e->method, sink_bio_ctrl) ||
		!BIO_meth_set_create(e->method, sink_bio_create) || !(sink = BIO_new(e->method))) {
		openssl_failed(err, "cannot set up the encryption's output");
		mailer_smime_encrypter_free(e);
		return NULL;
	}
	BIO_set_data(sink, e);
	/* the BER header goes out now; the content key is made and encrypted for each recipient */
	if (!(e->chain = BIO_new_CMS(sink, e->cms))) {
		BIO_free(sink);
		openssl_failed(err, "cannot start the encryption");
		mailer_smime_encrypter_free(e);
		return NULL;
	}
	if (write_str(out, gcm ? "Content-Type: application/pkcs7-mime; "
							 "smime-type=authEnveloped-data;\r\n\tname=\"smime.p7m\"\r\n"
						   : "Content-Type: application/pkcs7-mime; "
							 "smime-type=enveloped-data;\r\n\tname=\"smime.p7m\"\r\n") !=
			MAILER_OK ||
		write_str(out,
				  "Content-Transfer-Encoding: base64\r\n"
				  "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n") != MAILER_OK) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE,
						 "the message could not be written");
		mailer_smime_encrypter_free(e);
		return NULL;
	}
	return e;
}

mailer_status mailer_smime_encrypter_write(void *ctx, const char *data, size_t len)
{
	mailer_smime_encrypter *e = ctx;

	if (e->failed) {
		return MAILER_FAIL;
	}
	if (!bio_write_all(e->chain, data, len)) {
		e->failed = 1;
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

mailer_status mailer_smime_encrypter_finish(mailer_smime_encrypter *e, mailer_error *err)
{
	if (e->failed) {
		return MAILER_FAIL;
	}
	/* the flush finalises: the last block, the tag (GCM), the BER end */
	if (BIO_flush(e->chain) != 1) {
		if (e->b64.failed) {
			return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE,
									"the message could not be written");
		}
		return openssl_failed(err, "cannot finish the encryption");
	}
	if (mailer_base64_stream_finish(&e->b64) != MAILER_OK) {
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE,
								"the message could not be written");
	}
	return MAILER_OK;
}

void mailer_smime_encrypter_free(mailer_smime_encrypter *e)
{
	if (!e) {
		return;
	}
	BIO_free_all(e->chain);
	CMS_ContentInfo_free(e->cms);
	BIO_meth_free(e->method);
	mailer_free(e);
}
