/* S/MIME (src/core/smime): the spool, the split of a message into its
 * top-level fields and its entity, signing and encryption checked by
 * OpenSSL's own CMS verification and decryption, the refusals. */
#include "unit.h"
#include "record_sink.h"

#include "core/smime/smime.h"
#include "core/smime/spool.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <time.h>

/* A self-signed certificate for email, usable to sign and encrypt; PEM texts out. */
static void make_cert(const char *email, char **cert_pem, char **key_pem, X509 **cert_out)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	X509 *x = X509_new();
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	char san[128];
	BIO *b;
	long n;
	char *p;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
							   (const unsigned char *)email, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	snprintf(san, sizeof(san), "email:%s", email);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	X509_sign(x, key, EVP_sha256());
	b = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(b, x);
	n = BIO_get_mem_data(b, &p);
	*cert_pem = mailer_strndup(p, (size_t)n);
	BIO_free(b);
	b = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL);
	n = BIO_get_mem_data(b, &p);
	*key_pem = mailer_strndup(p, (size_t)n);
	BIO_free(b);
	EVP_PKEY_free(key);
	if (cert_out) {
		*cert_out = x;
	} else {
		X509_free(x);
	}
}

static char *alice_cert, *alice_key;
static X509 *alice_x509;

static mailer_status emit_text(void *ctx, const mailer_sink *sink, mailer_error *err)
{
	(void)err;
	return mailer_sink_write(sink, ctx, strlen(ctx));
}

/* Writes the text in 1-byte pieces: the split must not depend on where writes end. */
static mailer_status emit_bytewise(void *ctx, const mailer_sink *sink, mailer_error *err)
{
	const char *s = ctx;

	(void)err;
	for (; *s; s++) {
		if (mailer_sink_write(sink, s, 1) != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	return MAILER_OK;
}

static mailer_status emit_failing(void *ctx, const mailer_sink *sink, mailer_error *err)
{
	(void)ctx;
	mailer_sink_write(sink, "From: alice@example.org\r\n\r\nx", 28);
	return mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE, "the file went away");
}

static void signer_config(mailer_smime_config *c)
{
	mailer_error err;

	mailer_smime_config_init(c);
	mailer_error_init(&err);
	CHECK(mailer_smime_set_signer(c, alice_cert, strlen(alice_cert), alice_key, strlen(alice_key),
								  NULL, 0, (long long)time(NULL), &err) == MAILER_OK);
	mailer_error_clear(&err);
}

/* The prepared message, emitted once. */
static void run(const mailer_smime_config *c, mailer_emit_fn emit, const char *text,
				mailer_buf *out)
{
	rec_sink r;
	mailer_sink sink = {rec_write, &r};
	mailer_smime_ctx *ctx;
	mailer_error err;

	memset(&r, 0, sizeof(r));
	mailer_buf_init(&r.data);
	mailer_error_init(&err);
	ctx = mailer_smime_prepare(c, emit, (void *)text, &err);
	CHECK(ctx != NULL);
	if (!ctx) {
		fprintf(stderr, "prepare: %s\n", err.message ? err.message : "?");
		mailer_error_clear(&err);
		*out = r.data;
		return;
	}
	CHECK(mailer_smime_emit(ctx, &sink, &err) == MAILER_OK);
	CHECK(mailer_smime_size(ctx) == r.data.len);
	mailer_smime_free(ctx);
	*out = r.data;
}

static const char *const raw = "From: Alice <alice@example.org>\n"
							   "To: bob@example.net\n"
							   "Subject: a\n folded subject\n"
							   "MIME-Version: 1.0\n"
							   "Content-Type: text/plain;\n charset=us-ascii\n"
							   "X-Other: kept outside\n"
							   "\n"
							   "line 1\n.line 2\n";
static const char *const entity = "Content-Type: text/plain;\r\n charset=us-ascii\r\n"
								  "\r\n"
								  "line 1\r\n.line 2\r\n";

/* What OpenSSL verifies, and the content it verified. */
static int verify(const mailer_buf *msg, mailer_buf *content)
{
	BIO *in = BIO_new_mem_buf(msg->data, (int)msg->len), *cont = NULL, *out = BIO_new(BIO_s_mem());
	X509_STORE *store = X509_STORE_new();
	CMS_ContentInfo *cms = SMIME_read_CMS(in, &cont);
	int ok = 0;
	char *p;
	long n;

	X509_STORE_add_cert(store, alice_x509);
	if (cms) {
		ok = CMS_verify(cms, NULL, store, cont, out, 0) == 1;
	}
	n = BIO_get_mem_data(out, &p);
	mailer_buf_init(content);
	mailer_buf_append(content, p, (size_t)n);
	CMS_ContentInfo_free(cms);
	BIO_free(cont);
	BIO_free(in);
	BIO_free(out);
	X509_STORE_free(store);
	return ok;
}

static void test_sign_split(mailer_emit_fn emit)
{
	static const char top[] =
		"From: Alice <alice@example.org>\r\nTo: bob@example.net\r\n"
		"Subject: a\r\n folded subject\r\nX-Other: kept outside\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
		"\tmicalg=sha-256; boundary=\"=_smime";
	mailer_smime_config c;
	mailer_buf out, content;
	const char *body;

	signer_config(&c);
	run(&c, emit, raw, &out);
	body = strstr(mailer_buf_cstr(&out), "\r\n\r\n");
	CHECK(body != NULL);
	/* the top-level fields outside, in their order, MIME-Version once, then the S/MIME type */
	CHECK(strncmp(mailer_buf_cstr(&out), top, strlen(top)) == 0);
	CHECK(strstr(mailer_buf_cstr(&out), "MIME-Version: 1.0\r\nMIME") == NULL);
	CHECK(verify(&out, &content));
	CHECK_MEM(content.data, content.len, entity);
	mailer_buf_free(&content);
	/* one byte changed: OpenSSL refuses it */
	out.data[strstr(out.data, "line 1") - out.data] = 'L';
	CHECK(!verify(&out, &content));
	mailer_buf_free(&content);
	mailer_buf_free(&out);
	mailer_smime_config_free(&c);
}

/* One large write: a header longer than the splitter's pieces, a body of many pieces. */
static void test_large_write(void)
{
	mailer_smime_config c;
	mailer_buf msg, expect, out, content;
	int i;

	signer_config(&c);
	mailer_buf_init(&msg);
	mailer_buf_init(&expect);
	mailer_buf_appends(&msg, "From: alice@example.org\r\n");
	for (i = 0; i < 60; i++) {
		mailer_buf_appendf(&msg, "X-Field-%d: %0100d\r\n", i, i);
	}
	mailer_buf_appends(&msg, "Content-Type: text/plain\r\n\r\n");
	mailer_buf_appends(&expect, "Content-Type: text/plain\r\n\r\n");
	for (i = 0; i < 500; i++) {
		mailer_buf_appendf(&msg, "body line %05d\r\n", i);
		mailer_buf_appendf(&expect, "body line %05d\r\n", i);
	}
	CHECK(msg.len > 2 * 4096);
	run(&c, emit_text, mailer_buf_cstr(&msg), &out);
	CHECK(strstr(mailer_buf_cstr(&out), "X-Field-59: ") != NULL);
	CHECK(verify(&out, &content));
	CHECK(content.len == expect.len && memcmp(content.data, expect.data, expect.len) == 0);
	mailer_buf_free(&content);
	mailer_buf_free(&out);
	mailer_buf_free(&msg);
	mailer_buf_free(&expect);
	mailer_smime_config_free(&c);
}

static void test_encrypt_roundtrip(int cipher)
{
	mailer_smime_config c;
	mailer_error err;
	mailer_buf out;
	EVP_PKEY *key;
	BIO *in, *dec, *kb;
	CMS_ContentInfo *cms;
	char *p;
	long n;

	mailer_smime_config_init(&c);
	mailer_error_init(&err);
	c.cipher = (mailer_smime_cipher)cipher;
	CHECK(mailer_smime_add_recipient(&c, alice_cert, strlen(alice_cert), (long long)time(NULL),
									 &err) == MAILER_OK);
	run(&c, emit_text, raw, &out);
	CHECK(strstr(mailer_buf_cstr(&out), cipher == MAILER_SMIME_AES256_GCM
											? "smime-type=authEnveloped-data;"
											: "smime-type=enveloped-data;") != NULL);
	CHECK(strstr(mailer_buf_cstr(&out), "line 1") == NULL);
	kb = BIO_new_mem_buf(alice_key, -1);
	key = PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL);
	in = BIO_new_mem_buf(out.data, (int)out.len);
	dec = BIO_new(BIO_s_mem());
	cms = SMIME_read_CMS(in, NULL);
	CHECK(cms != NULL && CMS_decrypt(cms, key, alice_x509, NULL, dec, CMS_BINARY) == 1);
	n = BIO_get_mem_data(dec, &p);
	CHECK_MEM(p, n, entity);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(dec);
	BIO_free(kb);
	EVP_PKEY_free(key);
	mailer_buf_free(&out);
	mailer_smime_config_free(&c);
}

static void expect_refusal(const mailer_smime_config *c, mailer_emit_fn emit, const char *text,
						   mailer_error_kind kind, const char *needle)
{
	mailer_error err;
	mailer_smime_ctx *ctx;

	mailer_error_init(&err);
	ctx = mailer_smime_prepare(c, emit, (void *)text, &err);
	CHECK(ctx == NULL);
	CHECK(err.kind == kind);
	CHECK(err.message && strstr(err.message, needle) != NULL);
	if (err.message && !strstr(err.message, needle)) {
		fprintf(stderr, "    got: %s\n", err.message);
	}
	mailer_smime_free(ctx);
	mailer_error_clear(&err);
}

static void test_refusals(void)
{
	mailer_smime_config c;

	signer_config(&c);
	expect_refusal(&c, emit_text, "From: mallory@example.org\r\n\r\nx\r\n", MAILER_ERR_INVALID,
				   "does not name the From address <mallory@example.org>");
	expect_refusal(&c, emit_text, "Subject: x\r\n\r\nx\r\n", MAILER_ERR_INVALID, "no From field");
	expect_refusal(&c, emit_text, "From: alice@example.org\r\n\r\ncaf\xc3\xa9\r\n",
				   MAILER_ERR_INVALID, "the body holds 8-bit");
	expect_refusal(&c, emit_text, "From: alice@example.org\r\nno colon here\r\n\r\nx\r\n",
				   MAILER_ERR_INVALID, "not a field");
	/* the writer's own failure stands */
	expect_refusal(&c, emit_failing, "", MAILER_ERR_SOURCE, "the file went away");
	mailer_smime_config_free(&c);
}

/* Every emit gives the same bytes, and a message without a body is all header. */
static void test_repeatable(void)
{
	mailer_smime_config c;
	rec_sink a, b;
	mailer_sink sa = {rec_write, &a}, sb = {rec_write, &b};
	mailer_smime_ctx *ctx;
	mailer_error err;
	mailer_buf content, out;

	signer_config(&c);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	mailer_error_init(&err);
	ctx = mailer_smime_prepare(&c, emit_text, (void *)"From: alice@example.org", &err);
	CHECK(ctx != NULL);
	CHECK(mailer_smime_emit(ctx, &sa, &err) == MAILER_OK);
	CHECK(mailer_smime_emit(ctx, &sb, &err) == MAILER_OK);
	CHECK(a.data.len > 0 && a.data.len == b.data.len &&
		  memcmp(a.data.data, b.data.data, a.data.len) == 0);
	out = a.data;
	CHECK(verify(&out, &content));
	CHECK_MEM(content.data, content.len, "\r\n");
	mailer_buf_free(&content);
	mailer_smime_free(ctx);
	mailer_buf_free(&a.data);
	mailer_buf_free(&b.data);
	mailer_smime_config_free(&c);
}

/* Past its memory limit the spool moves to a file; a replay gives everything, twice. */
static void test_spool(void)
{
	mailer_spool s;
	rec_sink r;
	mailer_sink sink = {rec_write, &r};
	mailer_error err;
	char chunk[1000];
	int i, pass;

	mailer_spool_init(&s, 2500);
	mailer_error_init(&err);
	for (i = 0; i < 10; i++) {
		memset(chunk, 'a' + i, sizeof(chunk));
		CHECK(mailer_spool_write(&s, chunk, sizeof(chunk)) == MAILER_OK);
		CHECK((s.file != NULL) == (i >= 2));
	}
	CHECK(s.size == 10000);
	for (pass = 0; pass < 2; pass++) {
		memset(&r, 0, sizeof(r));
		CHECK(mailer_spool_replay(&s, &sink, &err) == MAILER_OK);
		CHECK(r.data.len == 10000);
		CHECK(r.data.len == 10000 && r.data.data[0] == 'a' && r.data.data[2999] == 'c' &&
			  r.data.data[9999] == 'j');
		mailer_buf_free(&r.data);
	}
	/* a sink that fails: the replay says so */
	memset(&r, 0, sizeof(r));
	r.fail_at = 1;
	CHECK(mailer_spool_replay(&s, &sink, &err) == MAILER_FAIL && err.kind == MAILER_ERR_CONNECTION);
	mailer_error_clear(&err);
	mailer_buf_free(&r.data);
	mailer_spool_free(&s);
}

static void test_keys(void)
{
	mailer_smime_config c;
	mailer_error err;
	mailer_smime_cipher cipher;
	char names[128];

	mailer_smime_config_init(&c);
	mailer_error_init(&err);
	/* a key that does not match */
	{
		char *other_cert, *other_key;
		make_cert("other@example.org", &other_cert, &other_key, NULL);
		CHECK(mailer_smime_set_signer(&c, alice_cert, strlen(alice_cert), other_key,
									  strlen(other_key), NULL, 0, (long long)time(NULL),
									  &err) == MAILER_FAIL);
		CHECK(err.message && strstr(err.message, "does not match") != NULL);
		mailer_error_clear(&err);
		mailer_free(other_cert);
		mailer_free(other_key);
	}
	/* expired an hour from now */
	CHECK(mailer_smime_set_signer(&c, alice_cert, strlen(alice_cert), alice_key, strlen(alice_key),
								  NULL, 0, (long long)time(NULL) + 7200, &err) == MAILER_FAIL);
	CHECK(err.message && strstr(err.message, "has expired") != NULL);
	mailer_error_clear(&err);
	/* not yet valid two hours ago */
	CHECK(mailer_smime_add_recipient(&c, alice_cert, strlen(alice_cert),
									 (long long)time(NULL) - 7200, &err) == MAILER_FAIL);
	CHECK(err.message && strstr(err.message, "is not yet valid") != NULL);
	mailer_error_clear(&err);
	CHECK(mailer_smime_add_recipient(&c, "garbage", 7, (long long)time(NULL), &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_INVALID);
	mailer_error_clear(&err);
	CHECK(c.sign_cert == NULL && c.recipients == NULL);
	CHECK(mailer_smime_cipher_parse("aes-256-cbc", &cipher) == MAILER_OK &&
		  cipher == MAILER_SMIME_AES256_CBC);
	CHECK(mailer_smime_cipher_parse("aes-128-cbc", &cipher) == MAILER_FAIL);
	mailer_smime_cert_emails(alice_x509, names, sizeof(names));
	CHECK_STR(names, "alice@example.org");
	mailer_smime_config_free(&c);
}

int main(void)
{
	make_cert("alice@example.org", &alice_cert, &alice_key, &alice_x509);
	RUN(test_sign_split(emit_text));
	RUN(test_sign_split(emit_bytewise));
	RUN(test_large_write());
	RUN(test_encrypt_roundtrip(MAILER_SMIME_AES256_GCM));
	RUN(test_encrypt_roundtrip(MAILER_SMIME_AES256_CBC));
	RUN(test_refusals());
	RUN(test_repeatable());
	RUN(test_spool());
	RUN(test_keys());
	mailer_free(alice_cert);
	mailer_free(alice_key);
	X509_free(alice_x509);
	UNIT_DONE();
}
