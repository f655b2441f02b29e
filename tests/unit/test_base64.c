#include "unit.h"
#include "record_sink.h"
#include "core/util/base64.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"

#include <stdint.h>

static void fill_random(unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		p[i] = (unsigned char)rng();
	}
}

enum { ONE_SHOT, BYTE_BY_BYTE, RANDOM_CHUNKS };

/* Streams in through the given chunking; returns the write/finish status. */
static mailer_status stream_encode(const unsigned char *in, size_t len, int mode, rec_sink *r)
{
	mailer_base64_stream *s = mailer_malloc(sizeof(*s));
	mailer_sink sink;
	size_t off = 0;
	mailer_status rc = MAILER_OK;

	rec_init(r, &sink, 0);
	mailer_base64_stream_init(s, &sink);
	while (off < len && rc == MAILER_OK) {
		size_t n = mode == ONE_SHOT ? len : mode == BYTE_BY_BYTE ? 1 : (size_t)(rng() % 200);

		if (mode == RANDOM_CHUNKS && rng() % 16 == 0) {
			n = (size_t)(rng() % 20000); /* sometimes more than the buffer */
		}
		if (n > len - off) {
			n = len - off;
		}
		rc = mailer_base64_stream_write(s, (const char *)in + off, n);
		off += n;
	}
	if (rc == MAILER_OK) {
		rc = mailer_base64_stream_finish(s);
	}
	mailer_free(s);
	return rc;
}

static void test_vectors(void)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const coded[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
										"Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	char out[16];
	unsigned char dec[16];
	size_t n;

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		n = mailer_base64_encode((const unsigned char *)plain[i], strlen(plain[i]), out);
		CHECK_MEM(out, n, coded[i]);
		CHECK(mailer_base64_encoded_len(strlen(plain[i])) == strlen(coded[i]));
		n = 99;
		CHECK(mailer_base64_decode(coded[i], strlen(coded[i]), dec, &n) == MAILER_OK);
		CHECK_MEM(dec, n, plain[i]);
	}
	/* Both extra characters of the alphabet. */
	n = mailer_base64_encode((const unsigned char *)"\xfb\xff\xbf", 3, out);
	CHECK_MEM(out, n, "+/+/");
	CHECK(mailer_base64_decode("+/+/", 4, dec, &n) == MAILER_OK && n == 3 &&
		  memcmp(dec, "\xfb\xff\xbf", 3) == 0);
	CHECK(mailer_base64_encoded_len(SIZE_MAX - 1) == (SIZE_MAX / 3) * 4);
	CHECK(mailer_base64_decode(NULL, 0, NULL, &n) == MAILER_OK && n == 0);
}

static void test_decode_errors(void)
{
	static const char *const bad[] = {
		"Zg",                           /* no padding */
		"Zg=",                          /* short */
		"Zm9vY",                        /* not a multiple of 4 */
		"Zm9v!A==",                     /* outside the alphabet */
		"Zm 9v",                        /* whitespace */
		"Zm9v\r\n",                     /* line break */
		"Zg==Zm9v",                     /* padding before the end */
		"Zm9vZg==Zg==", "Z===",         /* too much padding */
		"====",         "=Zg=", "Zg=a", /* '=' then data */
		"Zh==",                         /* non-zero pad bits */
		"Zm9=",         "Zm-_",         /* base64url is another alphabet */
		"Zm9\xc3",                      /* 8-bit */
	};
	unsigned char dec[16];
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mailer_status rc = mailer_base64_decode(bad[i], strlen(bad[i]), dec, &n);

		CHECK(rc == MAILER_FAIL);
		if (rc != MAILER_FAIL) {
			fprintf(stderr, "  accepted [%s]\n", bad[i]);
		}
	}
	CHECK(mailer_base64_decode("Zm9v\0Zg=", 8, dec, &n) == MAILER_FAIL); /* embedded NUL */
}

static void test_round_trip(void)
{
	unsigned char all[256], dec[256];
	char enc[344];
	size_t n, m;
	int ok = 1;

	for (size_t i = 0; i < 256; i++) {
		all[i] = (unsigned char)i;
	}
	for (size_t len = 0; len <= 256; len++) {
		n = mailer_base64_encode(all + 256 - len, len, enc);
		if (n != mailer_base64_encoded_len(len) ||
			mailer_base64_decode(enc, n, dec, &m) != MAILER_OK || m != len ||
			memcmp(dec, all + 256 - len, len) != 0) {
			ok = 0;
			fprintf(stderr, "  round trip failed for length %zu\n", len);
		}
	}
	CHECK(ok);
}

/* Checks the MIME layout and that the lines join into the plain encoding. */
static void check_layout(const unsigned char *in, size_t len, const mailer_buf *out)
{
	size_t enc_len = mailer_base64_encoded_len(len);
	char *flat = mailer_malloc(enc_len + 1);
	const char *p = mailer_buf_cstr(out), *end = p + out->len;
	size_t joined = 0;
	int ok = 1;

	mailer_base64_encode(in, len, flat);
	while (p < end && ok) {
		const char *eol = memchr(p, '\r', (size_t)(end - p));
		size_t line;

		if (!eol || eol + 1 == end || eol[1] != '\n') {
			ok = 0;
			break;
		}
		line = (size_t)(eol - p);
		/* Every line is 76 chars but the last, which is not empty. */
		ok = line > 0 && (line == 76 || eol + 2 == end) && line <= 76 && joined + line <= enc_len &&
			 memcmp(flat + joined, p, line) == 0;
		joined += line;
		p = eol + 2;
	}
	ok = ok && joined == enc_len && out->len == mailer_base64_stream_len(len);
	CHECK(ok);
	if (!ok) {
		fprintf(stderr, "  layout wrong for input length %zu\n", len);
	}
	mailer_free(flat);
}

static void test_stream_exact(void)
{
	unsigned char in[58];
	rec_sink r;
	char expect[200];

	CHECK(stream_encode(NULL, 0, ONE_SHOT, &r) == MAILER_OK);
	CHECK(r.data.len == 0 && r.calls == 0);
	mailer_buf_free(&r.data);

	stream_encode((const unsigned char *)"foobar", 6, BYTE_BY_BYTE, &r);
	CHECK_MEM(r.data.data, r.data.len, "Zm9vYmFy\r\n");
	mailer_buf_free(&r.data);
	stream_encode((const unsigned char *)"f", 1, ONE_SHOT, &r);
	CHECK_MEM(r.data.data, r.data.len, "Zg==\r\n");
	mailer_buf_free(&r.data);

	/* 57 bytes make exactly one 76-char line, 58 start a second one. */
	memset(in, 0, sizeof(in));
	memset(expect, 'A', 76);
	strcpy(expect + 76, "\r\n");
	stream_encode(in, 57, ONE_SHOT, &r);
	CHECK_MEM(r.data.data, r.data.len, expect);
	mailer_buf_free(&r.data);
	strcpy(expect + 78, "AA==\r\n");
	stream_encode(in, 58, RANDOM_CHUNKS, &r);
	CHECK_MEM(r.data.data, r.data.len, expect);
	mailer_buf_free(&r.data);
	/* 76 chars with the padding. */
	memcpy(expect + 72, "AAA=\r\n", 7);
	stream_encode(in, 56, BYTE_BY_BYTE, &r);
	CHECK_MEM(r.data.data, r.data.len, expect);
	mailer_buf_free(&r.data);
	memcpy(expect + 72, "AA==\r\n", 7);
	stream_encode(in, 55, RANDOM_CHUNKS, &r);
	CHECK_MEM(r.data.data, r.data.len, expect);
	mailer_buf_free(&r.data);

	CHECK(mailer_base64_stream_len(0) == 0);
	CHECK(mailer_base64_stream_len(1) == 6);
	CHECK(mailer_base64_stream_len(57) == 78);
	CHECK(mailer_base64_stream_len(58) == 84);
}

/* The output must not depend on how the input was cut. */
static void test_stream_chunking(void)
{
	static const size_t sizes[] = {1,   2,   3,   4,    55,   56,   57,   58,   59,    113,
								   114, 115, 171, 8189, 8190, 8191, 6156, 6157, 100000};
	unsigned char *in = mailer_malloc(100000);
	int all_same = 1;

	fill_random(in, 100000);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) + 60; i++) {
		size_t len = i < sizeof(sizes) / sizeof(sizes[0]) ? sizes[i] : (size_t)(rng() % 3000);
		rec_sink one, bytes, chunks;

		stream_encode(in, len, ONE_SHOT, &one);
		stream_encode(in, len, BYTE_BY_BYTE, &bytes);
		stream_encode(in, len, RANDOM_CHUNKS, &chunks);
		check_layout(in, len, &one.data);
		if (one.data.len != bytes.data.len || one.data.len != chunks.data.len ||
			memcmp(one.data.data, bytes.data.data, one.data.len) != 0 ||
			memcmp(one.data.data, chunks.data.data, one.data.len) != 0) {
			all_same = 0;
			fprintf(stderr, "  chunking changed the output for length %zu\n", len);
		}
		mailer_buf_free(&one.data);
		mailer_buf_free(&bytes.data);
		mailer_buf_free(&chunks.data);
	}
	CHECK(all_same);
	mailer_free(in);
}

/* Output reaches the sink in full buffers, however small the writes. */
static void test_stream_batching(void)
{
	size_t len = 1 << 20;
	unsigned char *in = mailer_malloc(len);
	size_t out_len = mailer_base64_stream_len(len);
	rec_sink r;

	fill_random(in, len);
	CHECK(stream_encode(in, len, BYTE_BY_BYTE, &r) == 0);
	CHECK(r.data.len == out_len);
	CHECK(r.min_but_last >= MAILER_BASE64_STREAM_BUFSIZE - 78);
	CHECK(r.calls <= out_len / (MAILER_BASE64_STREAM_BUFSIZE - 78) + 1);
	mailer_buf_free(&r.data);
	CHECK(stream_encode(in, len, ONE_SHOT, &r) == 0);
	CHECK(r.min_but_last >= MAILER_BASE64_STREAM_BUFSIZE - 78);
	mailer_buf_free(&r.data);
	mailer_free(in);
}

static void test_stream_sink_failure(void)
{
	mailer_base64_stream *s = mailer_malloc(sizeof(*s));
	char big[20000];
	mailer_sink sink;
	rec_sink r;

	memset(big, 'x', sizeof(big));
	/* Buffered output fails when finish flushes it. */
	rec_init(&r, &sink, 1);
	mailer_base64_stream_init(s, &sink);
	CHECK(mailer_base64_stream_write(s, "abc", 3) == MAILER_OK);
	CHECK(mailer_base64_stream_finish(s) == MAILER_FAIL);
	CHECK(mailer_base64_stream_write(s, "abc", 3) == MAILER_FAIL);
	CHECK(mailer_base64_stream_finish(s) == MAILER_FAIL);
	CHECK(r.calls == 1); /* the sink is not called again */
	mailer_buf_free(&r.data);

	/* A write larger than the buffer fails at once. */
	rec_init(&r, &sink, 1);
	mailer_base64_stream_init(s, &sink);
	CHECK(mailer_base64_stream_write(s, big, sizeof(big)) == MAILER_FAIL);
	CHECK(mailer_base64_stream_write(s, "", 0) == MAILER_FAIL);
	mailer_buf_free(&r.data);

	/* A later flush fails. */
	rec_init(&r, &sink, 2);
	mailer_base64_stream_init(s, &sink);
	CHECK(mailer_base64_stream_write(s, big, 3000) == MAILER_OK);
	CHECK(r.calls == 0);
	CHECK(mailer_base64_stream_write(s, big, 4000) == MAILER_OK);
	CHECK(r.calls == 1);
	CHECK(mailer_base64_stream_write(s, big, 7000) == MAILER_FAIL);
	CHECK(r.calls == 2 && r.data.len == MAILER_BASE64_STREAM_BUFSIZE);
	mailer_buf_free(&r.data);

	/* Reusable after init. */
	rec_init(&r, &sink, 0);
	mailer_base64_stream_init(s, &sink);
	CHECK(mailer_base64_stream_write(s, "foob", 4) == MAILER_OK &&
		  mailer_base64_stream_finish(s) == MAILER_OK);
	CHECK_MEM(r.data.data, r.data.len, "Zm9vYg==\r\n");
	mailer_buf_free(&r.data);
	mailer_free(s);
}

/* Chained through the sink adapter: a writer feeding the encoder. */
static void test_sink_adapter(void)
{
	mailer_base64_stream *s = mailer_malloc(sizeof(*s));
	mailer_sink sink, chained;
	rec_sink r;

	rec_init(&r, &sink, 0);
	mailer_base64_stream_init(s, &sink);
	chained.write = mailer_base64_stream_sink;
	chained.ctx = s;
	CHECK(mailer_sink_write(&chained, "foo", 3) == MAILER_OK &&
		  mailer_sink_write(&chained, "ba", 2) == MAILER_OK);
	CHECK(mailer_base64_stream_finish(s) == MAILER_OK);
	CHECK_MEM(r.data.data, r.data.len, "Zm9vYmE=\r\n");
	mailer_buf_free(&r.data);
	mailer_free(s);
}

int main(void)
{
	RUN(test_sink_adapter());
	RUN(test_vectors());
	RUN(test_decode_errors());
	RUN(test_round_trip());
	RUN(test_stream_exact());
	RUN(test_stream_chunking());
	RUN(test_stream_batching());
	RUN(test_stream_sink_failure());
	UNIT_DONE();
}
