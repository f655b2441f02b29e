/* Base64: the streaming MIME encoder fed in pieces of every size, checked
 * against an independent decoder and the line rules (76 chars + CRLF); the
 * one-shot encoder must agree with it; the strict decoder (SASL challenges
 * come from the server) must accept exactly the canonical encodings. */
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/util/buf.h"
#include "fuzz.h"

#include <string.h>

static int value(char c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	return c == '+' ? 62 : (c == '/' ? 63 : -1);
}

/* Decodes MIME base64 (lines of 76 + CRLF, the last shorter), checking the layout. */
static void decode_mime(mailer_buf *out, mailer_buf *flat, const char *s, size_t len)
{
	size_t i, col = 0, bits = 0, pad = 0;
	unsigned long acc = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			FUZZ_CHECK(i + 1 < len && s[i + 1] == '\n' && col > 0);
			FUZZ_CHECK(col == 76 || i + 2 == len); /* only the last line is short */
			i++;
			col = 0;
			continue;
		}
		FUZZ_CHECK(++col <= 76);
		mailer_buf_appendc(flat, s[i]);
		if (s[i] == '=') {
			pad++;
			continue;
		}
		FUZZ_CHECK(pad == 0 && value(s[i]) >= 0);
		acc = acc << 6 | (unsigned long)value(s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			mailer_buf_appendc(out, (char)(acc >> bits & 0xff));
		}
	}
	FUZZ_CHECK(col == 0 && pad <= 2 && flat->len % 4 == 0);
}

static mailer_base64_stream b64;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t live = fuzz_alloc_live(), pos = 0, n, dlen = 0;
	mailer_buf out, decoded, flat;
	mailer_sink sink = {mailer_sink_to_buf, &out};
	unsigned char *raw;
	char *one;
	fuzz_rng rng;

	if (size < 1) {
		return 0;
	}
	fuzz_rng_init(&rng, data[0]);
	in++;
	size--;
	mailer_buf_init(&out);
	mailer_buf_init(&decoded);
	mailer_buf_init(&flat);
	mailer_base64_stream_init(&b64, &sink);
	while (pos < size) {
		n = fuzz_rng_chunk(&rng, size - pos);
		FUZZ_CHECK(mailer_base64_stream_write(&b64, in + pos, n) == MAILER_OK);
		pos += n;
	}
	FUZZ_CHECK(mailer_base64_stream_finish(&b64) == MAILER_OK);
	FUZZ_CHECK(out.len == mailer_base64_stream_len(size));
	decode_mime(&decoded, &flat, mailer_buf_cstr(&out), out.len);
	FUZZ_CHECK(decoded.len == size && memcmp(mailer_buf_cstr(&decoded), in, size) == 0);

	/* the one-shot encoder writes the same characters, and the strict decoder reverses them */
	n = mailer_base64_encoded_len(size);
	one = mailer_malloc(n + 1);
	FUZZ_CHECK(mailer_base64_encode(data + 1, size, one) == n);
	FUZZ_CHECK(n == flat.len && memcmp(one, mailer_buf_cstr(&flat), n) == 0);
	raw = mailer_malloc(n / 4 * 3 + 1);
	FUZZ_CHECK(mailer_base64_decode(one, n, raw, &dlen) == MAILER_OK);
	FUZZ_CHECK(dlen == size && memcmp(raw, in, size) == 0);
	mailer_free(raw);
	mailer_free(one);

	/* the input as a server's challenge: accepted only when canonical */
	raw = mailer_malloc(size / 4 * 3 + 1);
	if (mailer_base64_decode(in, size, raw, &dlen) == MAILER_OK) {
		FUZZ_CHECK(dlen <= size / 4 * 3 && mailer_base64_encoded_len(dlen) == size);
		one = mailer_malloc(size + 1);
		FUZZ_CHECK(mailer_base64_encode(raw, dlen, one) == size && memcmp(one, in, size) == 0);
		mailer_free(one);
	}
	mailer_free(raw);
	mailer_buf_free(&out);
	mailer_buf_free(&decoded);
	mailer_buf_free(&flat);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
