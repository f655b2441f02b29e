/* DKIM: canonicalisation against RFC 6376 §3.4.5 and a plain reference,
 * key loading and its refusals, signing, and the emit wrapper's checks.
 * The signatures themselves are verified independently (dkimpy) by the
 * phpt tests in tests/dkim/. */
#include "unit.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/util/buf.h"
#include "core/dkim/dkim.h"
#include "core/dkim/canon.h"
#include "record_sink.h" /* rng() */

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdlib.h>

/* ---- canonicalisation ---- */

static void canon_body(mailer_dkim_canon c, const char *in, size_t len, size_t piece,
					   mailer_buf *out)
{
	mailer_dkim_body *b = mailer_malloc(sizeof(*b));
	mailer_sink sink = {mailer_sink_to_buf, out};
	size_t off, n;
	int rc = 0;

	mailer_buf_reset(out);
	mailer_dkim_body_init(b, c, &sink);
	for (off = 0; off < len; off += n) {
		n = piece && len - off > piece ? piece : len - off;
		rc |= mailer_dkim_body_write(b, in + off, n);
	}
	rc |= mailer_dkim_body_finish(b);
	if (rc) {
		mailer_buf_reset(out);
		mailer_buf_appends(out, "(failed)");
	}
	mailer_free(b);
}

static void check_body(mailer_dkim_canon c, const char *in, const char *expected)
{
	mailer_buf out;
	size_t piece;

	mailer_buf_init(&out);
	for (piece = 0; piece < 4; piece++) {
		canon_body(c, in, strlen(in), piece, &out);
		CHECK_MEM(out.data ? out.data : "", out.len, expected);
	}
	mailer_buf_free(&out);
}

static void check_header(mailer_dkim_canon c, const char *field, const char *expected)
{
	mailer_buf out;

	mailer_buf_init(&out);
	mailer_dkim_canon_header(&out, c, field, strlen(field));
	CHECK_STR(mailer_buf_cstr(&out), expected);
	mailer_buf_free(&out);
}

/* RFC 6376 §3.4.5, the example message. */
static void test_rfc_example(void)
{
	const char *body = " C \r\nD \t E\r\n\r\n\r\n";

	check_header(MAILER_DKIM_RELAXED, "A: X", "a:X\r\n");
	check_header(MAILER_DKIM_RELAXED, "B : Y\t\r\n\tZ  ", "b:Y Z\r\n");
	check_header(MAILER_DKIM_SIMPLE, "A: X", "A: X\r\n");
	check_header(MAILER_DKIM_SIMPLE, "B : Y\t\r\n\tZ  ", "B : Y\t\r\n\tZ  \r\n");
	check_body(MAILER_DKIM_RELAXED, body, " C\r\nD E\r\n");
	check_body(MAILER_DKIM_SIMPLE, body, " C \r\nD \t E\r\n");
}

static void test_body_edges(void)
{
	/* §3.4.3: an empty body is one CRLF in simple; §3.4.4: nothing in relaxed */
	check_body(MAILER_DKIM_SIMPLE, "", "\r\n");
	check_body(MAILER_DKIM_RELAXED, "", "");
	check_body(MAILER_DKIM_SIMPLE, "\r\n\r\n\r\n", "\r\n");
	check_body(MAILER_DKIM_RELAXED, "\r\n \r\n\t\r\n", "");
	/* whitespace-only lines are content in simple, empty in relaxed */
	check_body(MAILER_DKIM_SIMPLE, "a\r\n \r\n", "a\r\n \r\n");
	check_body(MAILER_DKIM_RELAXED, "a\r\n \r\n", "a\r\n");
	/* a missing final CRLF is added */
	check_body(MAILER_DKIM_SIMPLE, "a\r\nb", "a\r\nb\r\n");
	check_body(MAILER_DKIM_RELAXED, "a  \t b  ", "a b\r\n");
	/* inner empty lines stay, trailing ones go */
	check_body(MAILER_DKIM_RELAXED, "a\r\n\r\n\r\nb\r\n\r\n", "a\r\n\r\n\r\nb\r\n");
	check_body(MAILER_DKIM_SIMPLE, "\r\n\r\nb\r\n\r\n", "\r\n\r\nb\r\n");
	/* leading whitespace becomes one SP */
	check_body(MAILER_DKIM_RELAXED, "\t\t x\r\n", " x\r\n");
	/* a bare CR is content */
	check_body(MAILER_DKIM_RELAXED, "a\rb\r\n", "a\rb\r\n");
}

static void test_header_edges(void)
{
	check_header(MAILER_DKIM_RELAXED, "SUBJECT:no space", "subject:no space\r\n");
	check_header(MAILER_DKIM_RELAXED, "Subject: \t ", "subject:\r\n");
	check_header(MAILER_DKIM_RELAXED, "To: a@b,\r\n c@d,\r\n\t e@f", "to:a@b, c@d, e@f\r\n");
	check_header(MAILER_DKIM_RELAXED, "X-Tab:\tvalue\t", "x-tab:value\r\n");
}

/* The plain definition, line by line, for comparison with the streaming one. */
static void reference_body(mailer_dkim_canon c, const char *in, size_t len, mailer_buf *out)
{
	mailer_buf line, all;
	size_t i = 0, keep = 0;

	mailer_buf_init(&line);
	mailer_buf_init(&all);
	while (i < len) {
		const char *crlf = NULL;
		size_t j;

		for (j = i; j + 1 < len; j++) {
			if (in[j] == '\r' && in[j + 1] == '\n') {
				crlf = in + j;
				break;
			}
		}
		j = crlf ? (size_t)(crlf - in) : len;
		mailer_buf_reset(&line);
		if (c == MAILER_DKIM_SIMPLE) {
			mailer_buf_append(&line, in + i, j - i);
		} else {
			size_t k;
			int ws = 0;
			for (k = i; k < j; k++) {
				if (in[k] == ' ' || in[k] == '\t') {
					ws = 1;
					continue;
				}
				if (ws) {
					mailer_buf_appendc(&line, ' ');
				}
				ws = 0;
				mailer_buf_appendc(&line, in[k]);
			}
		}
		mailer_buf_append(&all, mailer_buf_cstr(&line), line.len);
		mailer_buf_append(&all, "\r\n", 2);
		if (line.len) {
			keep = all.len;
		}
		i = crlf ? j + 2 : len;
	}
	mailer_buf_reset(out);
	mailer_buf_append(out, mailer_buf_cstr(&all), keep);
	if (!keep && c == MAILER_DKIM_SIMPLE) {
		mailer_buf_append(out, "\r\n", 2);
	}
	mailer_buf_free(&line);
	mailer_buf_free(&all);
}

static void test_random_bodies(void)
{
	static const char *const tokens[] = {"a", "bc", " ", "\t", "\r\n", "\r\n", "  x", "\r\n\r\n"};
	mailer_buf in, got, want;
	int round, bad = 0;

	mailer_buf_init(&in);
	mailer_buf_init(&got);
	mailer_buf_init(&want);
	for (round = 0; round < 3000; round++) {
		size_t n = rng() % 40, k;
		mailer_dkim_canon c = (mailer_dkim_canon)(round & 1);

		mailer_buf_reset(&in);
		for (k = 0; k < n; k++) {
			mailer_buf_appends(&in, tokens[rng() % 8]);
		}
		reference_body(c, mailer_buf_cstr(&in), in.len, &want);
		canon_body(c, mailer_buf_cstr(&in), in.len, 1 + rng() % 7, &got);
		if (got.len != want.len ||
			memcmp(mailer_buf_cstr(&got), mailer_buf_cstr(&want), got.len) != 0) {
			if (!bad++) {
				fprintf(stderr, "random body %d differs: [%s] -> [%s], want [%s]\n", round,
						mailer_buf_cstr(&in), mailer_buf_cstr(&got), mailer_buf_cstr(&want));
			}
		}
	}
	CHECK(bad == 0);
	mailer_buf_free(&in);
	mailer_buf_free(&got);
	mailer_buf_free(&want);
}

/* ---- keys ---- */

static EVP_PKEY *generate(int id, int bits)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(id, NULL);
	EVP_PKEY *key = NULL;

	if (!pc || EVP_PKEY_keygen_init(pc) != 1) {
		abort();
	}
	if (id == EVP_PKEY_RSA) {
		EVP_PKEY_CTX_set_rsa_keygen_bits(pc, bits);
	} else if (id == EVP_PKEY_EC) {
		EVP_PKEY_CTX_set_ec_paramgen_curve_nid(pc, NID_X9_62_prime256v1);
	}
	if (EVP_PKEY_keygen(pc, &key) != 1) {
		abort();
	}
	EVP_PKEY_CTX_free(pc);
	return key;
}

/* The key as PEM text (encrypted with AES-256-CBC when pass is given); caller frees. */
static char *to_pem(EVP_PKEY *key, const char *pass, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *copy;
	long n;

	PEM_write_bio_PrivateKey(bio, key, pass ? EVP_aes_256_cbc() : NULL,
							 (unsigned char *)(uintptr_t)pass, pass ? (int)strlen(pass) : 0, NULL,
							 NULL);
	n = BIO_get_mem_data(bio, &data);
	copy = mailer_strndup(data, (size_t)n);
	*len = (size_t)n;
	BIO_free(bio);
	return copy;
}

static mailer_status load(EVP_PKEY *key, const char *enc_pass, const char *pass,
						  mailer_dkim_alg *alg, EVP_PKEY **out, mailer_error *err)
{
	size_t len;
	char *pem = to_pem(key, enc_pass, &len);
	mailer_status rc = mailer_dkim_key_load(pem, len, pass, pass ? strlen(pass) : 0, alg, out, err);

	mailer_free(pem);
	return rc;
}

static void test_keys(void)
{
	EVP_PKEY *rsa = generate(EVP_PKEY_RSA, 1024), *small = generate(EVP_PKEY_RSA, 512);
	EVP_PKEY *ed = generate(EVP_PKEY_ED25519, 0), *ec = generate(EVP_PKEY_EC, 0), *got = NULL;
	mailer_dkim_alg alg;
	mailer_error err;

	mailer_error_init(&err);
	alg = MAILER_DKIM_ALG_NONE;
	CHECK(load(rsa, NULL, NULL, &alg, &got, &err) == MAILER_OK && alg == MAILER_DKIM_RSA_SHA256 &&
		  got);
	EVP_PKEY_free(got);
	alg = MAILER_DKIM_ALG_NONE;
	CHECK(load(ed, NULL, NULL, &alg, &got, &err) == MAILER_OK &&
		  alg == MAILER_DKIM_ED25519_SHA256 && got);
	EVP_PKEY_free(got);
	/* encrypted: the right passphrase, none, a wrong one */
	alg = MAILER_DKIM_RSA_SHA256;
	CHECK(load(rsa, "s3cret", "s3cret", &alg, &got, &err) == MAILER_OK && got);
	EVP_PKEY_free(got);
	CHECK(load(rsa, "s3cret", NULL, &alg, &got, &err) == MAILER_FAIL && !got &&
		  err.kind == MAILER_ERR_INVALID);
	CHECK(err.message && strstr(err.message, "encrypted and no \"passphrase\""));
	mailer_error_clear(&err);
	CHECK(load(rsa, "s3cret", "wrong", &alg, &got, &err) == MAILER_FAIL && !got);
	CHECK(err.message && strstr(err.message, "wrong passphrase") && strstr(err.message, "error:"));
	mailer_error_clear(&err);
	/* wrong types and sizes */
	alg = MAILER_DKIM_ALG_NONE;
	CHECK(load(ec, NULL, NULL, &alg, &got, &err) == MAILER_FAIL && !got);
	CHECK_STR(err.message,
			  "the key is an EC key; DKIM signs with an RSA key (rsa-sha256) or an Ed25519 key "
			  "(ed25519-sha256)");
	mailer_error_clear(&err);
	alg = MAILER_DKIM_ED25519_SHA256;
	CHECK(load(rsa, NULL, NULL, &alg, &got, &err) == MAILER_FAIL);
	CHECK_STR(err.message,
			  "algorithm \"ed25519-sha256\" needs an Ed25519 key, the key is RSA (1024 bits)");
	mailer_error_clear(&err);
	alg = MAILER_DKIM_RSA_SHA256;
	CHECK(load(ed, NULL, NULL, &alg, &got, &err) == MAILER_FAIL);
	CHECK_STR(err.message, "algorithm \"rsa-sha256\" needs an RSA key, the key is Ed25519");
	mailer_error_clear(&err);
	alg = MAILER_DKIM_ALG_NONE;
	CHECK(load(small, NULL, NULL, &alg, &got, &err) == MAILER_FAIL);
	CHECK_STR(err.message, "the RSA key has 512 bits; DKIM needs 1024 to 4096 (2048 recommended)");
	mailer_error_clear(&err);
	/* not a key: OpenSSL's reason is passed on */
	CHECK(mailer_dkim_key_load("hello", 5, NULL, 0, &alg, &got, &err) == MAILER_FAIL);
	CHECK(err.message && strstr(err.message, "cannot load the key as a PEM private key: error:"));
	mailer_error_clear(&err);
	CHECK(ERR_peek_error() == 0); /* the queue is left clean */
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(small);
	EVP_PKEY_free(ed);
	EVP_PKEY_free(ec);
}

static void test_names(void)
{
	mailer_dkim_canon h, b;
	mailer_dkim_alg a;

	CHECK(mailer_dkim_name_valid("example.org", 11));
	CHECK(mailer_dkim_name_valid("s1_2024-a", 9));
	CHECK(!mailer_dkim_name_valid("", 0));
	CHECK(!mailer_dkim_name_valid("a..b", 4));
	CHECK(!mailer_dkim_name_valid(".a", 2));
	CHECK(!mailer_dkim_name_valid("a.", 2));
	CHECK(!mailer_dkim_name_valid("a b", 3));
	CHECK(!mailer_dkim_name_valid("a;b", 3));
	CHECK(mailer_dkim_canon_parse("simple/relaxed", &h, &b) == MAILER_OK &&
		  h == MAILER_DKIM_SIMPLE && b == MAILER_DKIM_RELAXED);
	CHECK(mailer_dkim_canon_parse("relaxed", &h, &b) == MAILER_FAIL);
	CHECK(mailer_dkim_alg_parse("ed25519-sha256", &a) == MAILER_OK &&
		  a == MAILER_DKIM_ED25519_SHA256);
	CHECK(mailer_dkim_alg_parse("rsa-sha1", &a) == MAILER_FAIL);
}

/* ---- signing ---- */

typedef struct raw_msg {
	const char *data;
	size_t len;
	size_t piece; /* write in pieces of this size (0: whole) */
	int passes;
	int change_at; /* on this pass, the last body byte differs */
	char *copy;    /* the bytes of this pass */
	size_t pos;
} raw_msg;

static mailer_status raw_rewind(void *ctx, mailer_error *err)
{
	raw_msg *m = ctx;

	(void)err;
	mailer_free(m->copy);
	m->copy = mailer_strndup(m->data, m->len);
	m->pos = 0;
	if (++m->passes == m->change_at) {
		m->copy[m->len - 3] ^= 1;
	}
	return MAILER_OK;
}

/* Reads in pieces of m->piece (0: as much as asked). */
static long raw_read(void *ctx, char *buf, size_t cap, mailer_error *err)
{
	raw_msg *m = ctx;
	size_t n = m->len - m->pos;

	(void)err;
	n = n < cap ? n : cap;
	n = m->piece && n > m->piece ? m->piece : n;
	memcpy(buf, m->copy + m->pos, n);
	m->pos += n;
	return (long)n;
}

static void raw_free(void *ctx)
{
	raw_msg *m = ctx;

	mailer_free(m->copy);
	m->copy = NULL;
}

static const mailer_producer_ops raw_ops = {raw_rewind, raw_read, NULL, raw_free};

/* The producer of m (borrowed); free it with mailer_producer_free(). */
static mailer_producer raw_producer(raw_msg *m)
{
	mailer_producer p = {&raw_ops, m};

	return p;
}

/* A pass of the signed message into out. */
static mailer_status emit_signed(mailer_dkim_ctx *ctx, const mailer_sink *out, mailer_error *err)
{
	mailer_producer p;

	mailer_dkim_producer(ctx, &p);
	return mailer_producer_drain(&p, out, err);
}

/* A pass of the signed message read cap bytes at a time. */
static void read_signed(mailer_dkim_ctx *ctx, size_t cap, mailer_buf *out)
{
	mailer_producer p;
	mailer_error err;
	char piece[16];
	long n;

	mailer_error_init(&err);
	mailer_dkim_producer(ctx, &p);
	CHECK(mailer_producer_rewind(&p, &err) == MAILER_OK);
	while ((n = mailer_producer_read(&p, piece, cap, &err)) > 0) {
		mailer_buf_append(out, piece, (size_t)n);
	}
	CHECK(n == 0);
	mailer_error_clear(&err);
}

/* Checks one DKIM-Signature field: its lines, bh=, and b= over headers (the
 * canonical signed fields) plus the field itself, with the public half of key. */
static int verify_field(const char *field, size_t len, EVP_PKEY *key, mailer_dkim_canon hc,
						const char *headers, const char *body_canon)
{
	unsigned char digest[SHA256_DIGEST_LENGTH], sig[1024];
	char bh[64], expect_bh[80];
	const char *b = NULL, *p, *line = field;
	mailer_buf data, b64;
	size_t sig_len = 0, i;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = 1;

	for (p = field; p < field + len; p++) {
		if (*p == '\n') {
			ok = ok && (size_t)(p - line) <= 79; /* 78 + the CR */
			line = p + 1;
		}
		if (p > field && p[-1] != 'b' && p + 2 < field + len && memcmp(p, "b=", 2) == 0 &&
			(p[-1] == ' ' || p[-1] == '\t')) {
			b = p + 2;
		}
	}
	SHA256((const unsigned char *)body_canon, strlen(body_canon), digest);
	bh[mailer_base64_encode(digest, sizeof(digest), bh)] = '\0';
	snprintf(expect_bh, sizeof(expect_bh), "bh=%s;", bh);
	ok = ok && b && strstr(field, expect_bh);
	if (!ok) {
		EVP_MD_CTX_free(md);
		return 0;
	}
	mailer_buf_init(&data);
	mailer_buf_init(&b64);
	mailer_buf_appends(&data, headers);
	mailer_dkim_canon_header(&data, hc, field, (size_t)(b - field));
	data.len -= 2;
	for (i = (size_t)(b - field); i < len; i++) {
		if (field[i] != ' ' && field[i] != '\t' && field[i] != '\r' && field[i] != '\n') {
			mailer_buf_appendc(&b64, field[i]);
		}
	}
	ok = mailer_base64_decode(b64.data, b64.len, sig, &sig_len) == MAILER_OK;
	if (EVP_PKEY_base_id(key) == EVP_PKEY_ED25519) {
		SHA256((const unsigned char *)data.data, data.len, digest);
		ok = ok && EVP_DigestVerifyInit(md, NULL, NULL, NULL, key) == 1 &&
			 EVP_DigestVerify(md, sig, sig_len, digest, sizeof(digest)) == 1;
	} else {
		ok = ok && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
			 EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)data.data, data.len) == 1;
	}
	EVP_MD_CTX_free(md);
	mailer_buf_free(&data);
	mailer_buf_free(&b64);
	return ok;
}

static void signer(mailer_dkim_signer *s, EVP_PKEY *key, mailer_dkim_alg alg, mailer_dkim_canon hc,
				   mailer_dkim_canon bc)
{
	mailer_dkim_signer_init(s);
	s->domain = mailer_strdup("example.org");
	s->selector = mailer_strdup("sel");
	s->alg = alg;
	s->header_canon = hc;
	s->body_canon = bc;
	EVP_PKEY_up_ref(key);
	s->key = key;
}

static const char msg_crlf[] =
	"From: A <a@example.org>\r\nTo: b@example.net\r\nSubject:  Hello\r\n  world\r\n"
	"X-Other: no\r\n\r\nHi  there \r\n\r\n\r\n";
static const char msg_lf[] =
	"From: A <a@example.org>\nTo: b@example.net\nSubject:  Hello\n  world\n"
	"X-Other: no\n\nHi  there \n\n\n";

static void test_sign(void)
{
	EVP_PKEY *rsa = generate(EVP_PKEY_RSA, 2048), *ed = generate(EVP_PKEY_ED25519, 0);
	mailer_dkim_signer s[2];
	raw_msg m = {msg_crlf, sizeof(msg_crlf) - 1, 0, 0, 0, NULL, 0};
	raw_msg lf = {msg_lf, sizeof(msg_lf) - 1, 5, 0, 0, NULL, 0};
	mailer_producer mp = raw_producer(&m), lfp = raw_producer(&lf);
	mailer_dkim_ctx *ctx, *ctx2;
	const char *head =
		"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=sel;\r\n"
		"\tt=1700000000; h=From:To:Subject;\r\n\tbh=";
	const char *fields, *second;
	size_t len, len2;
	mailer_buf out;
	mailer_sink to_out = {mailer_sink_to_buf, &out};
	mailer_error err;

	mailer_error_init(&err);
	mailer_buf_init(&out);
	signer(&s[0], rsa, MAILER_DKIM_RSA_SHA256, MAILER_DKIM_RELAXED, MAILER_DKIM_RELAXED);
	signer(&s[1], ed, MAILER_DKIM_ED25519_SHA256, MAILER_DKIM_SIMPLE, MAILER_DKIM_SIMPLE);
	ctx = mailer_dkim_prepare(s, 2, &mp, 1700000000, &err);
	CHECK(ctx != NULL && m.passes == 1);
	fields = mailer_dkim_fields(ctx, &len);
	second = strstr(fields + 1, "DKIM-Signature:");
	CHECK(second != NULL);
	CHECK(strncmp(fields, head, strlen(head)) == 0);
	CHECK(strstr(fields, "=;\r\n\tb=") != NULL);
	CHECK(verify_field(fields, (size_t)(second - fields), rsa, MAILER_DKIM_RELAXED,
					   "from:A <a@example.org>\r\nto:b@example.net\r\nsubject:Hello world\r\n",
					   "Hi there\r\n"));
	CHECK(verify_field(
		second, len - (size_t)(second - fields), ed, MAILER_DKIM_SIMPLE,
		"From: A <a@example.org>\r\nTo: b@example.net\r\nSubject:  Hello\r\n  world\r\n",
		"Hi  there \r\n"));
	/* a bare-LF message is signed as the CRLF message it becomes on the wire */
	ctx2 = mailer_dkim_prepare(s, 2, &lfp, 1700000000, &err);
	CHECK(ctx2 != NULL);
	fields = mailer_dkim_fields(ctx, &len);
	second = mailer_dkim_fields(ctx2, &len2);
	CHECK(len == len2 && memcmp(fields, second, len) == 0);
	mailer_dkim_free(ctx2);

	/* every pass writes the fields, then the same message */
	CHECK(emit_signed(ctx, &to_out, &err) == MAILER_OK);
	CHECK(out.len == len + m.len && memcmp(out.data, fields, len) == 0 &&
		  memcmp(out.data + len, msg_crlf, m.len) == 0);
	mailer_buf_reset(&out);
	m.piece = 7;
	CHECK(emit_signed(ctx, &to_out, &err) == MAILER_OK && out.len == len + m.len);
	/* read in small pieces: the same bytes (one byte at a time, the held-back one too) */
	{
		mailer_buf small;
		size_t cap;

		for (cap = 1; cap <= 7; cap += 6) {
			mailer_buf_init(&small);
			read_signed(ctx, cap, &small);
			CHECK(small.len == out.len && memcmp(small.data, out.data, out.len) == 0);
			mailer_buf_free(&small);
		}
	}
	/* a message that changed since it was signed is refused before its last byte */
	mailer_buf_reset(&out);
	m.change_at = m.passes + 1;
	CHECK(emit_signed(ctx, &to_out, &err) == MAILER_FAIL && out.len == len + m.len - 1);
	CHECK(err.kind == MAILER_ERR_PROTOCOL && err.stage == MAILER_STAGE_DATA &&
		  strstr(err.message, "changed after it was DKIM-signed"));
	mailer_error_clear(&err);
	mailer_dkim_free(ctx);
	mailer_producer_free(&mp);
	mailer_producer_free(&lfp);

	mailer_dkim_signer_free(&s[0]);
	mailer_dkim_signer_free(&s[1]);
	mailer_buf_free(&out);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ed);
}

static void test_sign_refusals(void)
{
	EVP_PKEY *ed = generate(EVP_PKEY_ED25519, 0);
	mailer_dkim_signer s;
	raw_msg m = {"To: b@example.net\r\n\r\nno From\r\n", 31, 0, 0, 0, NULL, 0};
	mailer_producer mp = raw_producer(&m);
	mailer_buf big;
	mailer_error err;
	mailer_dkim_ctx *ctx;
	char *names[2];

	mailer_error_init(&err);
	signer(&s, ed, MAILER_DKIM_ED25519_SHA256, MAILER_DKIM_RELAXED, MAILER_DKIM_RELAXED);
	CHECK(mailer_dkim_prepare(&s, 1, &mp, 0, &err) == NULL);
	CHECK(err.kind == MAILER_ERR_INVALID && strstr(err.message, "no From field"));
	mailer_error_clear(&err);
	/* a header section over 1 MB */
	mailer_buf_init(&big);
	mailer_buf_appends(&big, "From: a@example.org\r\n");
	while (big.len <= MAILER_DKIM_HEADER_MAX) {
		mailer_buf_appends(
			&big, "X-Filler: 0123456789012345678901234567890123456789012345678901234567890\r\n");
	}
	mailer_buf_appends(&big, "\r\nbody\r\n");
	m.data = big.data;
	m.len = big.len;
	CHECK(mailer_dkim_prepare(&s, 1, &mp, 0, &err) == NULL);
	CHECK(err.kind == MAILER_ERR_INVALID && strstr(err.message, "larger than 1 MB"));
	mailer_error_clear(&err);
	mailer_buf_free(&big);
	/* configured names: an absent one is still listed (it signs the absence) */
	names[0] = mailer_strdup("from");
	names[1] = mailer_strdup("List-Id");
	s.headers = mailer_malloc(sizeof(names));
	memcpy(s.headers, names, sizeof(names));
	s.header_count = 2;
	m.data = "From: a@example.org\r\n";
	m.len = strlen(m.data);
	ctx = mailer_dkim_prepare(&s, 1, &mp, 0, &err);
	CHECK(ctx != NULL);
	if (ctx) {
		size_t len;
		const char *f = mailer_dkim_fields(ctx, &len);
		CHECK(strstr(f, " h=from:List-Id;") != NULL);
		/* no body at all: relaxed hashes nothing */
		CHECK(strstr(f, "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;") != NULL);
		mailer_dkim_free(ctx);
	}
	mailer_dkim_signer_free(&s);
	mailer_producer_free(&mp);
	EVP_PKEY_free(ed);
}

int main(void)
{
	RUN(test_rfc_example());
	RUN(test_body_edges());
	RUN(test_header_edges());
	RUN(test_random_bodies());
	RUN(test_names());
	RUN(test_keys());
	RUN(test_sign());
	RUN(test_sign_refusals());
	UNIT_DONE();
}
