/* The quoted-printable encoder, fed in pieces of every size. The output must
 * decode back to the input (line breaks as CRLF), keep lines within 76
 * chars, never end a line in whitespace nor start one with a dot, and be
 * 7-bit; the CTE choice must match what it claims. */
#include "core/util/buf.h"
#include "fuzz.h"
#include "core/mime/qp.h"

#include <string.h>

static mailer_status fail_write(void *ctx, const char *data, size_t len)
{
	size_t *calls = ctx;

	(void)data;
	(void)len;
	return ++*calls > 1 ? MAILER_FAIL : MAILER_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1; /* our encoder writes upper case only */
}

/* RFC 2045 §6.7 decoding, strict about what the encoder must produce. */
static void qp_decode(mailer_buf *out, const char *s, size_t len)
{
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r') {
			FUZZ_CHECK(i + 1 < len && s[i + 1] == '\n');
			/* no whitespace at the end of a line */
			FUZZ_CHECK(col == 0 || (s[i - 1] != ' ' && s[i - 1] != '\t'));
			mailer_buf_append(out, "\r\n", 2);
			i++;
			col = 0;
			continue;
		}
		FUZZ_CHECK(c != '\n');
		FUZZ_CHECK(c == '\t' || (c >= 0x20 && c < 0x7f));
		FUZZ_CHECK(col != 0 || c != '.');
		if (c == '=') {
			if (i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n') {
				FUZZ_CHECK(col + 1 <= 76);
				i += 2;
				col = 0;
				continue;
			}
			FUZZ_CHECK(i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0);
			mailer_buf_appendc(out, (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2])));
			i += 2;
			col += 3;
		} else {
			mailer_buf_appendc(out, (char)c);
			col++;
		}
		FUZZ_CHECK(col <= 76);
	}
	FUZZ_CHECK(col == 0 || (s[len - 1] != ' ' && s[len - 1] != '\t'));
}

/* What decoding must give back: LF and CRLF as CRLF, everything else as is. */
static void normalise(mailer_buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			mailer_buf_append(out, "\r\n", 2);
		} else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			mailer_buf_append(out, "\r\n", 2);
			i++;
		} else {
			mailer_buf_appendc(out, s[i]);
		}
	}
}

static void check_cte(const char *s, size_t len, size_t max_line)
{
	size_t i, line = 0;
	int ok = 1;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n') {
			line = 0;
		} else if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
			line = 0;
			i++;
		} else if (c == '\r' || c == 0 || c >= 0x80 || ++line > max_line) {
			ok = 0;
		}
	}
	FUZZ_CHECK(mailer_text_choose_cte(s, len, max_line) == (ok ? MAILER_CTE_7BIT : MAILER_CTE_QP));
}

/* Kept off the stack: ~8 KB each. */
static mailer_qp_stream qp, qp_failing;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t live = fuzz_alloc_live(), pos = 0, calls = 0;
	mailer_buf out, decoded, want;
	mailer_sink sink = {mailer_sink_to_buf, &out}, failing = {fail_write, &calls};
	fuzz_rng rng;
	mailer_status rc = MAILER_OK;

	if (size < 1) {
		return 0;
	}
	fuzz_rng_init(&rng, data[0]);
	in++;
	size--;
	mailer_buf_init(&out);
	mailer_buf_init(&decoded);
	mailer_buf_init(&want);
	mailer_qp_stream_init(&qp, &sink);
	while (pos < size) {
		size_t n = fuzz_rng_chunk(&rng, size - pos);

		FUZZ_CHECK(mailer_qp_stream_write(&qp, in + pos, n) == MAILER_OK);
		pos += n;
	}
	FUZZ_CHECK(mailer_qp_stream_finish(&qp) == MAILER_OK);
	qp_decode(&decoded, mailer_buf_cstr(&out), out.len);
	normalise(&want, in, size);
	FUZZ_CHECK(decoded.len == want.len &&
			   memcmp(mailer_buf_cstr(&decoded), mailer_buf_cstr(&want), want.len) == 0);
	/* a line break at the end only when the input had one */
	FUZZ_CHECK((out.len && out.data[out.len - 1] == '\n') == (size && in[size - 1] == '\n'));
	check_cte(in, size, data[0] % 2 ? 76 : 998);

	/* a sink that fails: the error sticks and nothing crashes */
	mailer_qp_stream_init(&qp_failing, &failing);
	for (pos = 0; pos < size && rc == MAILER_OK; pos += 97) {
		rc = mailer_qp_stream_write(&qp_failing, in + pos, size - pos < 97 ? size - pos : 97);
	}
	if (mailer_qp_stream_finish(&qp_failing) != MAILER_OK || rc != MAILER_OK) {
		FUZZ_CHECK(mailer_qp_stream_write(&qp_failing, "x", 1) == MAILER_FAIL);
		FUZZ_CHECK(mailer_qp_stream_finish(&qp_failing) == MAILER_FAIL);
	}
	mailer_buf_free(&out);
	mailer_buf_free(&decoded);
	mailer_buf_free(&want);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
