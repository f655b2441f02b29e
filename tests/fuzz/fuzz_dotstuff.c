/* The DATA writer, fed in pieces of every size, for DATA (dot-stuffing) and
 * BDAT. The output has no bare CR or LF; for DATA it ends with CRLF.CRLF and
 * no other line is a lone dot; unstuffed, it is the input with every line
 * ending made CRLF (and the last line ended). */
#include "core/util/buf.h"
#include "core/util/dotstuff.h"
#include "fuzz.h"

#include <string.h>

/* A sink that keeps what it gets and fails from call fail_at on (0: never). */
typedef struct rec_sink {
	mailer_buf data;
	size_t calls, fail_at;
} rec_sink;

static mailer_status rec_write(void *ctx, const char *data, size_t len)
{
	rec_sink *r = ctx;

	if (r->fail_at && ++r->calls >= r->fail_at) {
		return MAILER_FAIL;
	}
	mailer_buf_append(&r->data, data, len);
	return MAILER_OK;
}

/* The input as the server must store it: CR, LF and CRLF all become CRLF,
 * and an unterminated last line is ended. */
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

/* The server's side of RFC 5321 §4.5.2: the data ends at CRLF.CRLF, and a
 * leading dot is dropped from every other line. */
static void unstuff(mailer_buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *eol = memchr(s + i, '\n', len - i);
		size_t n;

		FUZZ_CHECK(eol != NULL && eol > s + i && eol[-1] == '\r');
		n = (size_t)(eol - (s + i)) + 1;
		if (n == 3 && s[i] == '.') {
			FUZZ_CHECK(i + 3 == len); /* the terminator, and only at the end */
			return;
		}
		if (s[i] == '.') {
			mailer_buf_append(out, s + i + 1, n - 1);
		} else {
			mailer_buf_append(out, s + i, n);
		}
		i += n;
	}
	FUZZ_CHECK(!"no terminating dot line");
}

static void check_no_bare(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			FUZZ_CHECK(i + 1 < len && s[i + 1] == '\n');
			i++;
		} else {
			FUZZ_CHECK(s[i] != '\n');
		}
	}
}

static mailer_dotstuff ds;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t live = fuzz_alloc_live(), pos = 0;
	mailer_buf want, got;
	rec_sink rec;
	mailer_sink sink = {rec_write, &rec};
	fuzz_rng rng;
	int stuff, rc = 0;

	if (size < 1) {
		return 0;
	}
	stuff = !(data[0] & 1);
	fuzz_rng_init(&rng, data[0] >> 1);
	in++;
	size--;
	mailer_buf_init(&want);
	mailer_buf_init(&got);
	mailer_buf_init(&rec.data);
	rec.calls = rec.fail_at = 0;
	mailer_dotstuff_init(&ds, &sink, stuff);
	while (pos < size) {
		size_t n = fuzz_rng_chunk(&rng, size - pos);

		FUZZ_CHECK(mailer_dotstuff_write(&ds, in + pos, n) == MAILER_OK);
		pos += n;
	}
	FUZZ_CHECK(mailer_dotstuff_finish(&ds) == MAILER_OK);
	FUZZ_CHECK(ds.written == rec.data.len);
	check_no_bare(mailer_buf_cstr(&rec.data), rec.data.len);
	normalise(&want, in, size);
	if (stuff) {
		FUZZ_CHECK(rec.data.len >= 3 && memcmp(rec.data.data + rec.data.len - 3, ".\r\n", 3) == 0);
		FUZZ_CHECK(rec.data.len == 3 ||
				   memcmp(rec.data.data + rec.data.len - 5, "\r\n.\r\n", 5) == 0);
		unstuff(&got, rec.data.data, rec.data.len);
	} else {
		mailer_buf_append(&got, mailer_buf_cstr(&rec.data), rec.data.len);
	}
	FUZZ_CHECK(got.len == want.len &&
			   memcmp(mailer_buf_cstr(&got), mailer_buf_cstr(&want), want.len) == 0);

	/* a sink that fails at some call: the failure sticks, nothing more is written */
	mailer_buf_reset(&rec.data);
	rec.calls = 0;
	rec.fail_at = 1 + fuzz_rng_next(&rng) % 4;
	mailer_dotstuff_init(&ds, &sink, stuff);
	for (pos = 0; pos < size && rc == 0; pos += 5000) {
		rc = mailer_dotstuff_write(&ds, in + pos, size - pos < 5000 ? size - pos : 5000);
	}
	if (rc != 0 || mailer_dotstuff_finish(&ds) != MAILER_OK) {
		size_t before = rec.data.len;

		FUZZ_CHECK(mailer_dotstuff_write(&ds, "x\n", 2) == MAILER_FAIL &&
				   mailer_dotstuff_finish(&ds) == MAILER_FAIL);
		FUZZ_CHECK(rec.data.len == before && ds.written == before);
	}
	mailer_buf_free(&rec.data);
	mailer_buf_free(&want);
	mailer_buf_free(&got);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
