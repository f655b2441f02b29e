#include "unit.h"
#include "record_sink.h"
#include "core/util/dotstuff.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"

#include <stdint.h>

/* The rules, byte by byte, as plainly as possible: the reference. */
static void reference(const char *in, size_t len, int stuff_dots, mailer_buf *out)
{
	int bol = 1;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\r' || in[i] == '\n') {
			if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n') {
				i++;
			}
			mailer_buf_append(out, "\r\n", 2);
			bol = 1;
			continue;
		}
		if (bol && stuff_dots && in[i] == '.') {
			mailer_buf_appendc(out, '.');
		}
		mailer_buf_appendc(out, in[i]);
		bol = 0;
	}
	if (!bol) {
		mailer_buf_append(out, "\r\n", 2);
	}
	if (stuff_dots) {
		mailer_buf_append(out, ".\r\n", 3);
	}
}

/* Writes the pieces given, in order, then finishes. */
static mailer_status run(const char *const *pieces, size_t count, int stuff_dots, rec_sink *r,
						 uint64_t *written)
{
	mailer_dotstuff *d = mailer_malloc(sizeof(*d));
	mailer_sink sink;
	mailer_status rc = MAILER_OK;

	rec_init(r, &sink, 0);
	mailer_dotstuff_init(d, &sink, stuff_dots);
	for (size_t i = 0; i < count && rc == MAILER_OK; i++) {
		rc = mailer_dotstuff_write(d, pieces[i], strlen(pieces[i]));
	}
	if (rc == MAILER_OK) {
		rc = mailer_dotstuff_finish(d);
	}
	*written = d->written;
	mailer_free(d);
	return rc;
}

static void check_pieces(const char *const *pieces, size_t count, int stuff_dots,
						 const char *expected, int line)
{
	rec_sink r;
	uint64_t written;
	mailer_status rc = run(pieces, count, stuff_dots, &r, &written);

	if (!unit_check(rc == MAILER_OK && written == r.data.len &&
						strcmp(mailer_buf_cstr(&r.data), expected) == 0,
					__FILE__, line)) {
		fprintf(stderr, "rc %d, written %llu, got [%s]\n", rc, (unsigned long long)written,
				mailer_buf_cstr(&r.data));
	}
	mailer_buf_free(&r.data);
}

#define CHECK_DATA(in, expected)                                                                   \
	do {                                                                                           \
		const char *pieces_[] = {in};                                                              \
		check_pieces(pieces_, 1, 1, (expected), __LINE__);                                         \
	} while (0)
#define CHECK_BDAT(in, expected)                                                                   \
	do {                                                                                           \
		const char *pieces_[] = {in};                                                              \
		check_pieces(pieces_, 1, 0, (expected), __LINE__);                                         \
	} while (0)
#define CHECK_CHUNKS(stuff, expected, ...)                                                         \
	do {                                                                                           \
		const char *pieces_[] = {__VA_ARGS__};                                                     \
		check_pieces(pieces_, sizeof(pieces_) / sizeof(pieces_[0]), (stuff), (expected),           \
					 __LINE__);                                                                    \
	} while (0)

static void test_exact(void)
{
	CHECK_DATA("", ".\r\n");
	CHECK_DATA(".", "..\r\n.\r\n");
	CHECK_DATA("..", "...\r\n.\r\n");
	CHECK_DATA("abc", "abc\r\n.\r\n");
	CHECK_DATA("abc\r\n", "abc\r\n.\r\n");
	CHECK_DATA("a.b\r\n", "a.b\r\n.\r\n");
	CHECK_DATA("a\r\n.\r\n", "a\r\n..\r\n.\r\n");
	CHECK_DATA(".\r\n..\n...\r", "..\r\n...\r\n....\r\n.\r\n");
	/* Bare LF and bare CR become CRLF, and a dot after them is a line start. */
	CHECK_DATA("a\n.b\n", "a\r\n..b\r\n.\r\n");
	CHECK_DATA("a\r.b", "a\r\n..b\r\n.\r\n");
	CHECK_DATA("\n", "\r\n.\r\n");
	CHECK_DATA("\r", "\r\n.\r\n");
	CHECK_DATA("\r\r\n", "\r\n\r\n.\r\n");
	CHECK_DATA("\n\r", "\r\n\r\n.\r\n");
	CHECK_DATA("\n\n.", "\r\n\r\n..\r\n.\r\n");
	CHECK_DATA("a\r\rb\n\r\n", "a\r\n\r\nb\r\n\r\n.\r\n");
	CHECK_DATA(" .", " .\r\n.\r\n");
	CHECK_DATA("\t.", "\t.\r\n.\r\n");

	CHECK_BDAT("", "");
	CHECK_BDAT(".", ".\r\n");
	CHECK_BDAT("..\n.", "..\r\n.\r\n");
	CHECK_BDAT("a\nb", "a\r\nb\r\n");
	CHECK_BDAT("a\r\n", "a\r\n");
	CHECK_BDAT("a\rb\r", "a\r\nb\r\n");
}

static void test_chunk_boundaries(void)
{
	/* A CR ending one write and an LF starting the next are one CRLF. */
	CHECK_CHUNKS(1, "a\r\nb\r\n.\r\n", "a\r", "\nb");
	CHECK_CHUNKS(1, "a\r\nb\r\n.\r\n", "a\r", "", "\nb");
	CHECK_CHUNKS(1, "a\r\n..\r\n.\r\n", "a\r", ".");
	CHECK_CHUNKS(1, "a\r\n..\r\n.\r\n", "a\r", "\n", ".");
	CHECK_CHUNKS(1, "a\r\n\r\n.\r\n", "a\r", "\r\n");
	CHECK_CHUNKS(1, "a\r\n\r\n..\r\n.\r\n", "a\r", "\r", ".");
	CHECK_CHUNKS(1, "a\r\n.\r\n", "a\r");
	CHECK_CHUNKS(1, "a\r\n..\r\n.\r\n", "a\n", ".");
	CHECK_CHUNKS(1, "a\r\n..\r\n.\r\n", "a\r\n", ".");
	CHECK_CHUNKS(1, "a.\r\n.\r\n", "a", ".");
	CHECK_CHUNKS(1, "..\r\n.\r\n", "", ".", "");
	CHECK_CHUNKS(0, "a\r\n\r\n", "a\r", "\r");
	CHECK_CHUNKS(0, "a\r\n", "a\r", "\n");
}

/* Text rich in CR, LF and dots, compared with the reference under any cutting. */
static void test_random(void)
{
	static const char alphabet[] = "\r\n..ab";
	char in[600];
	int ok = 1;

	for (int round = 0; round < 4000 && ok; round++) {
		size_t len = (size_t)(rng() % sizeof(in));
		int stuff = round % 2;
		mailer_dotstuff *d = mailer_malloc(sizeof(*d));
		mailer_buf expect;
		mailer_sink sink;
		rec_sink r;
		size_t off = 0;

		for (size_t i = 0; i < len; i++) {
			in[i] = alphabet[rng() % (sizeof(alphabet) - 1)];
		}
		mailer_buf_init(&expect);
		mailer_buf_append(&expect, "", 0);
		reference(in, len, stuff, &expect);
		rec_init(&r, &sink, 0);
		mailer_dotstuff_init(d, &sink, stuff);
		while (off < len) {
			size_t n = round % 3 == 0 ? 1 : (size_t)(rng() % 40);

			if (n > len - off) {
				n = len - off;
			}
			ok = ok && mailer_dotstuff_write(d, in + off, n) == MAILER_OK;
			off += n;
		}
		ok = ok && mailer_dotstuff_finish(d) == MAILER_OK;
		ok = ok && r.data.len == expect.len && d->written == expect.len &&
			 memcmp(r.data.data, expect.data, expect.len) == 0;
		if (!ok) {
			fprintf(stderr, "  round %d differs from the reference\n", round);
		}
		mailer_buf_free(&expect);
		mailer_buf_free(&r.data);
		mailer_free(d);
	}
	CHECK(ok);
}

/* Few, large sink calls: clean CRLF text passes through, big spans bypass the buffer. */
static void test_batching(void)
{
	size_t len = 1 << 20;
	char *in = mailer_malloc(len);
	mailer_dotstuff *d = mailer_malloc(sizeof(*d));
	mailer_buf expect;
	mailer_sink sink;
	rec_sink r;

	for (size_t i = 0; i < len; i++) {
		in[i] = i % 80 == 78 ? '\r' : i % 80 == 79 ? '\n' : 'x';
	}
	rec_init(&r, &sink, 0);
	mailer_dotstuff_init(d, &sink, 1);
	CHECK(mailer_dotstuff_write(d, in, len) == MAILER_OK);
	CHECK(r.calls == 1); /* one span, straight through */
	CHECK(mailer_dotstuff_finish(d) == MAILER_OK);
	CHECK(r.calls == 2 && d->written == len + 5); /* the last line is unterminated */
	mailer_buf_free(&r.data);

	/* Bare LFs everywhere: the pieces are gathered into full buffers. */
	for (size_t i = 0; i < len; i++) {
		in[i] = i % 40 == 39 ? '\n' : i % 40 == 0 ? '.' : 'x';
	}
	rec_init(&r, &sink, 0);
	mailer_dotstuff_init(d, &sink, 1);
	CHECK(mailer_dotstuff_write(d, in, len) == MAILER_OK && mailer_dotstuff_finish(d) == MAILER_OK);
	CHECK(r.calls <= d->written / MAILER_DOTSTUFF_BUFSIZE + 2);
	mailer_buf_init(&expect);
	reference(in, len, 1, &expect);
	CHECK(r.data.len == expect.len && d->written == expect.len &&
		  memcmp(r.data.data, expect.data, expect.len) == 0);
	mailer_buf_free(&expect);
	mailer_buf_free(&r.data);

	/* Small writes are gathered too. */
	rec_init(&r, &sink, 0);
	mailer_dotstuff_init(d, &sink, 0);
	for (size_t off = 0; off < len; off += 7) {
		mailer_dotstuff_write(d, in + off, len - off < 7 ? len - off : 7);
	}
	CHECK(mailer_dotstuff_finish(d) == MAILER_OK);
	CHECK(r.calls <= d->written / MAILER_DOTSTUFF_BUFSIZE + 2);
	mailer_buf_free(&r.data);
	mailer_free(d);
	mailer_free(in);
}

static void test_sink_failure(void)
{
	mailer_dotstuff *d = mailer_malloc(sizeof(*d));
	char big[40000];
	mailer_sink sink;
	rec_sink r;

	memset(big, 'x', sizeof(big));
	rec_init(&r, &sink, 1);
	mailer_dotstuff_init(d, &sink, 1);
	CHECK(mailer_dotstuff_write(d, "abc\n", 4) == MAILER_OK);
	CHECK(mailer_dotstuff_finish(d) == MAILER_FAIL);
	CHECK(mailer_dotstuff_write(d, "abc", 3) == MAILER_FAIL);
	CHECK(mailer_dotstuff_finish(d) == MAILER_FAIL);
	CHECK(r.calls == 1 && d->written == 0);
	mailer_buf_free(&r.data);

	rec_init(&r, &sink, 1);
	mailer_dotstuff_init(d, &sink, 1);
	CHECK(mailer_dotstuff_write(d, big, sizeof(big)) == MAILER_FAIL);
	CHECK(mailer_dotstuff_write(d, "", 0) == MAILER_FAIL);
	CHECK(r.calls == 1);
	mailer_buf_free(&r.data);

	/* The second flush fails; written counts what the sink took. */
	rec_init(&r, &sink, 2);
	mailer_dotstuff_init(d, &sink, 0);
	CHECK(mailer_dotstuff_write(d, big, 10000) == MAILER_OK);
	CHECK(mailer_dotstuff_write(d, "\n", 1) == MAILER_OK);
	CHECK(mailer_dotstuff_write(d, big, 10000) == MAILER_OK); /* flushes the first 10002 */
	CHECK(r.calls == 1 && d->written == 10002);
	CHECK(mailer_dotstuff_write(d, "\n", 1) == MAILER_OK);
	CHECK(mailer_dotstuff_finish(d) == MAILER_FAIL);
	CHECK(r.calls == 2 && d->written == 10002);
	mailer_buf_free(&r.data);
	mailer_free(d);
}

/* The sink adapter chains a writer into the stuffer without a cast. */
static void test_sink_adapter(void)
{
	mailer_dotstuff *d = mailer_malloc(sizeof(*d));
	mailer_sink sink, chained;
	rec_sink r;

	rec_init(&r, &sink, 0);
	mailer_dotstuff_init(d, &sink, 1);
	chained.write = mailer_dotstuff_sink;
	chained.ctx = d;
	CHECK(mailer_sink_write(&chained, ".a\n", 3) == MAILER_OK &&
		  mailer_sink_write(&chained, ".", 1) == MAILER_OK);
	CHECK(mailer_dotstuff_finish(d) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&r.data), "..a\r\n..\r\n.\r\n");
	mailer_buf_free(&r.data);
	mailer_free(d);
}

int main(void)
{
	RUN(test_sink_adapter());
	RUN(test_exact());
	RUN(test_chunk_boundaries());
	RUN(test_random());
	RUN(test_batching());
	RUN(test_sink_failure());
	UNIT_DONE();
}
