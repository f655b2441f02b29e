/* The S/MIME stage, signing: the input is a message (after a "From:" field
 * naming the certificate's address), written in random pieces (the first
 * byte seeds their sizes). The stage either refuses it with a message, or its
 * output verifies with OpenSSL's CMS_verify over exactly the entity an
 * independent split gives (the Content-* fields, the blank line, the body,
 * line ends made CRLF), is 7-bit, names MIME-Version once, keeps every other
 * field outside, and nothing of the shim's memory leaks. Inputs with a line
 * over 998 octets (which RFC 5322 forbids and OpenSSL's MIME reader splits)
 * or a NUL byte (refused before the stage) are left out. */
#include "core/smime/smime.h"
#include "core/util/buf.h"
#include "fuzz.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static mailer_smime_config config;
static X509 *cert;

static void setup(void)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	mailer_error err;
	char *cp, *kp;
	long cn, kn;
	BIO *cb = BIO_new(BIO_s_mem()), *kb = BIO_new(BIO_s_mem());

	cert = X509_new();
	X509_set_version(cert, 2);
	X509_gmtime_adj(X509_getm_notBefore(cert), -60);
	X509_gmtime_adj(X509_getm_notAfter(cert), 86400 * 30);
	X509_set_pubkey(cert, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC,
							   (const unsigned char *)"fuzz", -1, -1, 0);
	X509_set_issuer_name(cert, X509_get_subject_name(cert));
	X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "email:fuzz@example.org");
	X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(cert, key, EVP_sha256());
	PEM_write_bio_X509(cb, cert);
	PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL);
	cn = BIO_get_mem_data(cb, &cp);
	kn = BIO_get_mem_data(kb, &kp);
	mailer_smime_config_init(&config);
	mailer_error_init(&err);
	FUZZ_CHECK(mailer_smime_set_signer(&config, cp, (size_t)cn, kp, (size_t)kn, NULL, 0,
									   (long long)time(NULL), &err) == MAILER_OK);
	BIO_free(cb);
	BIO_free(kb);
	EVP_PKEY_free(key);
}

typedef struct input {
	const char *data;
	size_t len;
	uint8_t seed;
} input;

static mailer_status emit_pieces(void *ctx, const mailer_sink *sink, mailer_error *err)
{
	const input *in = ctx;
	fuzz_rng rng;
	size_t pos = 0, n;

	(void)err;
	fuzz_rng_init(&rng, in->seed);
	if (mailer_sink_write(sink, "From: fuzz@example.org\r\n", 24) != MAILER_OK) {
		return MAILER_FAIL;
	}
	while (pos < in->len) {
		n = fuzz_rng_chunk(&rng, in->len - pos);
		if (mailer_sink_write(sink, in->data + pos, n) != MAILER_OK) {
			return MAILER_FAIL;
		}
		pos += n;
	}
	return MAILER_OK;
}

static mailer_status to_buf(void *ctx, const char *data, size_t len)
{
	mailer_buf_append(ctx, data, len);
	return MAILER_OK;
}

/* CR, LF and CRLF made CRLF, the last line ended: what the stage reads. */
static void normalise(mailer_buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' || s[i] == '\n') {
			mailer_buf_append(out, "\r\n", 2);
			if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
				i++;
			}
		} else {
			mailer_buf_appendc(out, s[i]);
		}
	}
	if (out->len && out->data[out->len - 1] != '\n') {
		mailer_buf_append(out, "\r\n", 2);
	}
}

/* The entity, split independently: the fields up to the first empty line
 * (folded lines belong to their field), those named Content-*, CRLF, the rest. */
static void reference_entity(const mailer_buf *msg, mailer_buf *out)
{
	const char *s = msg->data, *end = msg->data + msg->len, *line = s, *eol;
	int content = 0;

	while (line < end) {
		eol = (const char *)memchr(line, '\n', (size_t)(end - line)) + 1;
		if (eol - line == 2) {
			break; /* the blank line */
		}
		if (*line != ' ' && *line != '\t') {
			content = eol - line > 8 && strncasecmp(line, "Content-", 8) == 0;
		}
		if (content) {
			mailer_buf_append(out, line, (size_t)(eol - line));
		}
		line = eol;
	}
	mailer_buf_append(out, "\r\n", 2);
	if (line < end) {
		line += 2;
		mailer_buf_append(out, line, (size_t)(end - line));
	}
}

static int long_line(const mailer_buf *msg)
{
	const char *s = msg->data, *end = s + msg->len, *eol;

	for (; s < end; s = eol + 1) {
		eol = memchr(s, '\n', (size_t)(end - s));
		if ((size_t)(eol - s) > 999) {
			return 1;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = fuzz_alloc_live();
	mailer_buf whole, out, want;
	mailer_sink sink = {to_buf, &out};
	mailer_smime_ctx *ctx;
	mailer_error err;
	input in;

	if (!cert) {
		setup();
	}
	/* NUL bytes never reach the stage: sendRaw() and sign() refuse them, the writer makes none */
	if (size < 1 || size > 200000 || memchr(data, 0, size)) {
		return 0;
	}
	in.seed = data[0];
	in.data = (const char *)data + 1;
	in.len = size - 1;
	mailer_buf_init(&whole);
	mailer_buf_appends(&whole, "From: fuzz@example.org\r\n");
	normalise(&whole, in.data, in.len);
	if (long_line(&whole)) {
		mailer_buf_free(&whole);
		return 0;
	}
	mailer_buf_init(&out);
	mailer_buf_init(&want);
	mailer_error_init(&err);
	ctx = mailer_smime_prepare(&config, emit_pieces, &in, &err);
	if (!ctx) {
		FUZZ_CHECK(err.kind != MAILER_ERR_NONE && err.message != NULL);
	} else {
		BIO *bio, *cont = NULL, *content = BIO_new(BIO_s_mem());
		X509_STORE *store = X509_STORE_new();
		CMS_ContentInfo *cms;
		const char *head_end, *p;
		char *got;
		long got_len;

		FUZZ_CHECK(mailer_smime_emit(ctx, &sink, &err) == MAILER_OK);
		FUZZ_CHECK(mailer_smime_size(ctx) == out.len);
		head_end = strstr(mailer_buf_cstr(&out), "\r\n\r\n");
		FUZZ_CHECK(head_end != NULL);
		/* one MIME-Version, and the only Content-* field outside is the S/MIME type */
		p = strstr(out.data, "\r\nMIME-Version: 1.0\r\n");
		FUZZ_CHECK(p != NULL && p < head_end);
		FUZZ_CHECK(!strstr(p + 1, "\r\nMIME-Version:") ||
				   strstr(p + 1, "\r\nMIME-Version:") > head_end);
		FUZZ_CHECK(strncmp(p + 19, "\r\nContent-Type: multipart/signed; ", 34) == 0);
		for (p = out.data; p < head_end; p = strstr(p, "\r\n") + 2) {
			FUZZ_CHECK(strncasecmp(p, "Content-", 8) != 0 ||
					   strncmp(p, "Content-Type: multipart/signed; ", 32) == 0);
		}
		for (p = out.data; p < out.data + out.len; p++) {
			FUZZ_CHECK((unsigned char)*p < 0x80 || p < head_end);
		}
		reference_entity(&whole, &want);
		X509_STORE_add_cert(store, cert);
		bio = BIO_new_mem_buf(out.data, (int)out.len);
		cms = SMIME_read_CMS(bio, &cont);
		FUZZ_CHECK(cms != NULL && CMS_verify(cms, NULL, store, cont, content, 0) == 1);
		got_len = BIO_get_mem_data(content, &got);
		FUZZ_CHECK((size_t)got_len == want.len && memcmp(got, want.data, want.len) == 0);
		CMS_ContentInfo_free(cms);
		BIO_free(cont);
		BIO_free(bio);
		BIO_free(content);
		X509_STORE_free(store);
		mailer_smime_free(ctx);
	}
	mailer_error_clear(&err);
	mailer_buf_free(&whole);
	mailer_buf_free(&out);
	mailer_buf_free(&want);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
