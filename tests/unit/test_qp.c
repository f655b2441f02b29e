#include "unit.h"
#include "record_sink.h"
#include "core/mime/qp.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"

#include <stdint.h>

enum { ONE_SHOT, BYTE_BY_BYTE, RANDOM_CHUNKS };

/* Streams in through the given chunking (with empty writes mixed in). */
static mailer_status qp_encode(const char *in, size_t len, int mode, rec_sink *r)
{
	mailer_qp_stream *s = mailer_malloc(sizeof(*s));
	mailer_sink sink;
	size_t off = 0;
	mailer_status rc = MAILER_OK;

	rec_init(r, &sink, 0);
	mailer_qp_stream_init(s, &sink);
	while (off < len && rc == MAILER_OK) {
		size_t n = mode == ONE_SHOT ? len : mode == BYTE_BY_BYTE ? 1 : (size_t)(rng() % 100);

		if (n > len - off) {
			n = len - off;
		}
		rc = mailer_qp_stream_write(s, in + off, n);
		off += n;
	}
	if (rc == MAILER_OK) {
		rc = mailer_qp_stream_finish(s);
	}
	mailer_free(s);
	return rc;
}

/* One-shot encoding as a C string, for the exact cases (caller frees). */
static char *qp_str(const char *in, size_t len)
{
	rec_sink r;

	qp_encode(in, len, RANDOM_CHUNKS, &r);
	mailer_buf_append(&r.data, "", 0); /* NUL-terminated even when empty */
	return mailer_buf_detach(&r.data, &len);
}

#define CHECK_QP(in, expected)                                                                     \
	do {                                                                                           \
		char *got_ = qp_str((in), sizeof(in) - 1);                                                 \
		CHECK_STR(got_, (expected));                                                               \
		mailer_free(got_);                                                                         \
	} while (0)

static int hex_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; /* we emit uppercase only */
}

/* An independent decoder that also checks what a strict reader expects:
 * returns -1 on anything RFC 2045 §6.7 does not allow in our output. */
static int qp_decode(const char *in, size_t len, mailer_buf *out)
{
	size_t col = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c == '\r') {
			/* Hard break: the line must not end in white space or start with '.'. */
			if (i + 1 == len || in[i + 1] != '\n' ||
				(i > 0 && (in[i - 1] == ' ' || in[i - 1] == '\t'))) {
				return -1;
			}
			mailer_buf_append(out, "\r\n", 2);
			i++;
			col = 0;
			continue;
		}
		if (col == 0 && c == '.') {
			return -1;
		}
		if (c == '=' && i + 2 < len && in[i + 1] == '\r' && in[i + 2] == '\n') {
			if (col + 1 > 76) {
				return -1;
			}
			i += 2;
			col = 0;
			continue;
		}
		if (c == '=') {
			if (i + 2 >= len || hex_value(in[i + 1]) < 0 || hex_value(in[i + 2]) < 0) {
				return -1;
			}
			mailer_buf_appendc(out, (char)(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
			i += 2;
			col += 3;
		} else if ((c >= 33 && c <= 126) || c == ' ' || c == '\t') {
			mailer_buf_appendc(out, (char)c);
			col++;
		} else {
			return -1;
		}
		if (col > 76) {
			return -1;
		}
	}
	/* White space may not end the output either. */
	return len && (in[len - 1] == ' ' || in[len - 1] == '\t') ? -1 : 0;
}

/* What decoding must give back: bare LF becomes CRLF, all else unchanged. */
static void normalise(const char *in, size_t len, mailer_buf *out)
{
	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
			mailer_buf_appendc(out, '\r');
		}
		mailer_buf_appendc(out, in[i]);
	}
}

static void test_choose_cte(void)
{
	char line[1001];

	CHECK(mailer_text_choose_cte("", 0, 998) == MAILER_CTE_7BIT);
	CHECK(mailer_text_choose_cte("hello\r\nworld\n", 13, 998) == MAILER_CTE_7BIT);
	CHECK(mailer_text_choose_cte("del \x7f\n", 6, 998) == MAILER_CTE_7BIT);
	CHECK(mailer_text_choose_cte("nul \0", 5, 998) == MAILER_CTE_QP);
	CHECK(mailer_text_choose_cte("caf\xc3\xa9", 5, 998) == MAILER_CTE_QP);
	CHECK(mailer_text_choose_cte("a\rb", 3, 998) == MAILER_CTE_QP);
	CHECK(mailer_text_choose_cte("a\r", 2, 998) == MAILER_CTE_QP);
	CHECK(mailer_text_choose_cte("a\r\r\n", 4, 998) == MAILER_CTE_QP);
	memset(line, 'x', sizeof(line));
	CHECK(mailer_text_choose_cte(line, 998, 998) == MAILER_CTE_7BIT);
	CHECK(mailer_text_choose_cte(line, 999, 998) == MAILER_CTE_QP); /* unterminated last line */
	memcpy(line + 998, "\r\n", 2);
	CHECK(mailer_text_choose_cte(line, 1000, 998) == MAILER_CTE_7BIT);
	memcpy(line + 1000, "x", 1); /* 998 + CRLF + 1 */
	CHECK(mailer_text_choose_cte(line, 1001, 998) == MAILER_CTE_7BIT);
	memcpy(line + 997, "\n", 1); /* 997 + LF + CR LF + 1 */
	CHECK(mailer_text_choose_cte(line, 1001, 998) == MAILER_CTE_7BIT);
	line[999] = 'x'; /* 997 + LF + bare CR */
	CHECK(mailer_text_choose_cte(line, 1001, 998) == MAILER_CTE_QP);
	CHECK(mailer_text_choose_cte("abc\nabcd\n", 9, 3) == MAILER_CTE_QP);
	CHECK(mailer_text_choose_cte("abc\nabc\n", 8, 3) == MAILER_CTE_7BIT);
	CHECK_STR(mailer_cte_name(MAILER_CTE_7BIT), "7bit");
	CHECK_STR(mailer_cte_name(MAILER_CTE_8BIT), "8bit");
	CHECK_STR(mailer_cte_name(MAILER_CTE_QP), "quoted-printable");
	CHECK_STR(mailer_cte_name(MAILER_CTE_BASE64), "base64");
}

#define A10 "aaaaaaaaaa"
#define A70 A10 A10 A10 A10 A10 A10 A10
#define A72 A70 "aa"
#define A73 A70 "aaa"
#define A74 A70 "aaaa"
#define A75 A70 "aaaaa"
#define A76 A70 "aaaaaa"

static void test_exact(void)
{
	CHECK_QP("", "");
	CHECK_QP("hello", "hello");
	CHECK_QP("a=b", "a=3Db");
	CHECK_QP("caf\xc3\xa9 \xff\x01\x7f", "caf=C3=A9 =FF=01=7F");
	CHECK_QP("nul\0", "nul=00");
	CHECK_QP("a b\tc", "a b\tc");
	/* Space and tab ending a line or the input. */
	CHECK_QP("a \r\nb\t\nc ", "a=20\r\nb=09\r\nc=20");
	CHECK_QP("a  \n", "a =20\r\n");
	CHECK_QP(" \t", " =09");
	/* Line breaks: LF and CRLF are hard breaks, a bare CR is data. */
	CHECK_QP("a\nb\r\nc\n\n", "a\r\nb\r\nc\r\n\r\n");
	CHECK_QP("a\rb", "a=0Db");
	CHECK_QP("a\r", "a=0D");
	CHECK_QP("a\r\r\n", "a=0D\r\n");
	CHECK_QP("\r\r\r\n\r", "=0D=0D\r\n=0D");
	CHECK_QP("\n\r", "\r\n=0D");
	/* A dot starting a line. */
	CHECK_QP(".", "=2E");
	CHECK_QP(".\n.a\n..\r\n", "=2E\r\n=2Ea\r\n=2E.\r\n");
	CHECK_QP("a.b\r.", "a.b=0D.");
	/* 76 chars fit on a line that ends there; the 77th needs a soft break. */
	CHECK_QP(A76, A76);
	CHECK_QP(A76 "\n" A76, A76 "\r\n" A76);
	CHECK_QP(A76 "a", A75 "=\r\naa");
	CHECK_QP(A75 "=", A75 "=\r\n=3D");
	CHECK_QP(A73 "\xff", A73 "=FF");
	CHECK_QP(A73 "\xff\n", A73 "=FF\r\n");
	CHECK_QP(A74 "\xff", A74 "=\r\n=FF");
	CHECK_QP(A72 "\xff"
				 "b",
			 A72 "=FFb");
	CHECK_QP(A72 "\xff"
				 "bc",
			 A72 "=FF=\r\nbc");
	/* An escape is never split: it moves whole to the next line. */
	CHECK_QP(A73 "\xc3\xa9", A73 "=\r\n=C3=A9");
	CHECK_QP(A74 "\xc3\xa9", A74 "=\r\n=C3=A9");
	CHECK_QP(A75 ".b", A75 "=\r\n=2Eb");
	CHECK_QP(A75 " ", A75 "=\r\n=20");
	CHECK_QP(A74 " b", A74 " b");
	CHECK_QP(A74 " bc", A74 " =\r\nbc");
	CHECK_QP(A76 " ", A75 "=\r\na=20");
	CHECK_QP(A75 "\r", A75 "=\r\n=0D");
	CHECK_QP(A73 "\r", A73 "=0D");
}

/* Random text rich in what QP treats specially, with long lines now and then. */
static size_t random_text(char *buf, size_t max)
{
	static const char special[] = " \t\r\n.=\x00\xc3\xa9\x7f\xff";
	size_t len = (size_t)(rng() % max);
	int dense = rng() % 2;

	for (size_t i = 0; i < len; i++) {
		uint64_t r = rng() % 64;

		if (r < (dense ? 32u : 4u)) {
			buf[i] = special[r % (sizeof(special) - 1)];
		} else {
			buf[i] = (char)('a' + r % 26);
		}
	}
	return len;
}

static void test_random(void)
{
	char *in = mailer_malloc(4000);
	int same = 1, valid = 1;

	for (int round = 0; round < 3000; round++) {
		size_t len = random_text(in, round < 2500 ? 300 : 4000);
		rec_sink one, bytes, chunks;
		mailer_buf dec, norm;

		qp_encode(in, len, ONE_SHOT, &one);
		qp_encode(in, len, BYTE_BY_BYTE, &bytes);
		qp_encode(in, len, RANDOM_CHUNKS, &chunks);
		if (one.data.len != bytes.data.len || one.data.len != chunks.data.len ||
			memcmp(mailer_buf_cstr(&one.data), mailer_buf_cstr(&bytes.data), one.data.len) != 0 ||
			memcmp(mailer_buf_cstr(&one.data), mailer_buf_cstr(&chunks.data), one.data.len) != 0) {
			same = 0;
		}
		mailer_buf_init(&dec);
		mailer_buf_init(&norm);
		normalise(in, len, &norm);
		if (qp_decode(mailer_buf_cstr(&one.data), one.data.len, &dec) != 0 || dec.len != norm.len ||
			memcmp(mailer_buf_cstr(&dec), mailer_buf_cstr(&norm), dec.len) != 0) {
			if (valid) {
				fprintf(stderr, "  round %d: bad encoding [%s]\n", round,
						mailer_buf_cstr(&one.data));
			}
			valid = 0;
		}
		mailer_buf_free(&dec);
		mailer_buf_free(&norm);
		mailer_buf_free(&one.data);
		mailer_buf_free(&bytes.data);
		mailer_buf_free(&chunks.data);
	}
	CHECK(same);
	CHECK(valid);
	mailer_free(in);
}

static void test_batching(void)
{
	size_t len = 1 << 20;
	char *in = mailer_malloc(len);
	rec_sink r;

	for (size_t i = 0; i < len; i++) {
		in[i] = i % 61 == 60 ? '\n' : (char)(i % 7 ? 'a' + i % 26 : 0xe9);
	}
	CHECK(qp_encode(in, len, BYTE_BY_BYTE, &r) == MAILER_OK);
	CHECK(r.calls > 1 && r.min_but_last >= MAILER_QP_STREAM_BUFSIZE - 6);
	mailer_buf_free(&r.data);
	mailer_free(in);
}

static void test_sink_failure(void)
{
	mailer_qp_stream *s = mailer_malloc(sizeof(*s));
	char big[10000];
	mailer_sink sink;
	rec_sink r;

	memset(big, '=', sizeof(big));
	rec_init(&r, &sink, 1);
	mailer_qp_stream_init(s, &sink);
	CHECK(mailer_qp_stream_write(s, "abc", 3) == MAILER_OK);
	CHECK(mailer_qp_stream_finish(s) == MAILER_FAIL);
	CHECK(mailer_qp_stream_write(s, "abc", 3) == MAILER_FAIL);
	CHECK(mailer_qp_stream_finish(s) == MAILER_FAIL);
	CHECK(r.calls == 1);
	mailer_buf_free(&r.data);

	rec_init(&r, &sink, 1);
	mailer_qp_stream_init(s, &sink);
	CHECK(mailer_qp_stream_write(s, big, sizeof(big)) == MAILER_FAIL);
	CHECK(mailer_qp_stream_write(s, "", 0) == MAILER_FAIL);
	CHECK(r.calls == 1);
	mailer_buf_free(&r.data);

	rec_init(&r, &sink, 2);
	mailer_qp_stream_init(s, &sink);
	CHECK(mailer_qp_stream_write(s, big, 2000) == MAILER_OK);
	CHECK(mailer_qp_stream_write(s, big, 2000) == MAILER_OK); /* 12000 bytes out: one flush */
	CHECK(r.calls == 1);
	CHECK(mailer_qp_stream_write(s, big, 2000) == MAILER_FAIL);
	mailer_buf_free(&r.data);

	rec_init(&r, &sink, 0);
	mailer_qp_stream_init(s, &sink);
	CHECK(mailer_qp_stream_write(s, "x ", 2) == MAILER_OK &&
		  mailer_qp_stream_finish(s) == MAILER_OK);
	CHECK_MEM(r.data.data, r.data.len, "x=20");
	mailer_buf_free(&r.data);
	mailer_free(s);
}

/* Chained through the sink adapter: a writer feeding the encoder. */
static void test_sink_adapter(void)
{
	mailer_qp_stream *s = mailer_malloc(sizeof(*s));
	mailer_sink sink, chained;
	rec_sink r;

	rec_init(&r, &sink, 0);
	mailer_qp_stream_init(s, &sink);
	chained.write = mailer_qp_stream_sink;
	chained.ctx = s;
	CHECK(mailer_sink_write(&chained, "a \r", 3) == MAILER_OK &&
		  mailer_sink_write(&chained, "\n.", 2) == MAILER_OK);
	CHECK(mailer_qp_stream_finish(s) == MAILER_OK);
	CHECK_MEM(r.data.data, r.data.len, "a=20\r\n=2E");
	mailer_buf_free(&r.data);
	mailer_free(s);
}

int main(void)
{
	RUN(test_sink_adapter());
	RUN(test_choose_cte());
	RUN(test_exact());
	RUN(test_random());
	RUN(test_batching());
	RUN(test_sink_failure());
	UNIT_DONE();
}
