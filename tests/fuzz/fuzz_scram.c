/* SCRAM-SHA-256: the server-first and server-final messages come from the
 * server, so they are hostile input. The input is server-first, then a NUL,
 * then server-final, both base64-encoded by the harness (bit 0 of the first
 * byte: passed as they are instead, to reach the base64 checks). The
 * client's random nonce is replaced by a fixed one so the fuzzer can match it. */
#define _GNU_SOURCE /* memmem */
#include "core/util/base64.h"
#include "fuzz.h"
#include "core/auth/sasl.h"
#include "core/auth/scram.h"

#include <string.h>

#define NONCE "0123456789abcdef0123456789abcdef"

static void encode(mailer_buf *out, const char *s, size_t len, int raw)
{
	mailer_buf_reset(out);
	if (raw) {
		mailer_buf_append(out, s, len);
	} else {
		mailer_sasl_base64(out, s, len);
	}
}

/* The iteration count as the client reads it; PBKDF2 at the allowed maximum
 * takes a second, too slow to fuzz, so large counts are skipped. */
static long iterations(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		if (end - p > 2 && p[0] == 'i' && p[1] == '=') {
			long n = 0;

			/* as strtol would read it, but within the input */
			for (p += 2; p < end && (*p == ' ' || *p == '\t' || *p == '+'); p++) {
			}
			for (; p < end && *p >= '0' && *p <= '9' && n < 1000000000; p++) {
				n = n * 10 + (*p - '0');
			}
			return n;
		}
		p = memchr(p, ',', (size_t)(end - p));
		p = p ? p + 1 : end;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data + 1, *nul, *why;
	size_t live = fuzz_alloc_live(), first_len, len = size ? size - 1 : 0;
	mailer_buf resp, challenge, decoded, expected;
	mailer_scram sc;
	int raw;

	if (size < 1) {
		return 0;
	}
	raw = data[0] & 1;
	nul = memchr(in, '\0', len);
	first_len = nul ? (size_t)(nul - in) : len;
	if (!raw && iterations(in, first_len) > 4096) {
		return 0;
	}
	mailer_buf_init(&resp);
	mailer_buf_init(&challenge);
	mailer_buf_init(&decoded);
	mailer_buf_init(&expected);
	mailer_scram_init(&sc);
	FUZZ_CHECK(mailer_scram_client_first(&sc, (data[0] & 2) ? "us,er=x" : "user", &resp) ==
			   MAILER_OK);
	memcpy(sc.nonce, NONCE, 32);
	/* before any exchange, no server-final may pass */
	encode(&challenge, in, len, raw);
	FUZZ_CHECK(mailer_scram_verify_server(&sc, mailer_buf_cstr(&challenge), challenge.len) !=
				   MAILER_OK ||
			   raw);

	encode(&challenge, in, first_len, raw);
	mailer_buf_reset(&resp);
	why =
		mailer_scram_client_final(&sc, "pencil", mailer_buf_cstr(&challenge), challenge.len, &resp);
	if (why) {
		FUZZ_CHECK(why[0] != '\0');
	} else {
		/* client-final is "c=biws,r=<our nonce...>,p=<44 chars of proof>" */
		FUZZ_CHECK(resp.len % 4 == 0);
		mailer_buf_reserve(&decoded, resp.len / 4 * 3 + 1);
		FUZZ_CHECK(mailer_base64_decode(resp.data, resp.len, (unsigned char *)decoded.data,
										&decoded.len) == MAILER_OK);
		FUZZ_CHECK(decoded.len > 9 + 32 + 3 + 44 &&
				   memcmp(decoded.data, "c=biws,r=" NONCE, 41) == 0);
		FUZZ_CHECK(memcmp(decoded.data + decoded.len - 47, ",p=", 3) == 0);

		/* the right signature passes, and the fuzzer's only when it is the right one */
		mailer_buf_appends(&expected, "v=");
		mailer_sasl_base64(&expected, (const char *)sc.server_signature,
						   sizeof(sc.server_signature));
		encode(&challenge, expected.data, expected.len, 0);
		FUZZ_CHECK(mailer_scram_verify_server(&sc, challenge.data, challenge.len) == MAILER_OK);
		if (nul) {
			encode(&challenge, nul + 1, len - first_len - 1, raw);
			if (mailer_scram_verify_server(&sc, mailer_buf_cstr(&challenge), challenge.len) ==
				MAILER_OK) {
				FUZZ_CHECK(raw || memmem(nul + 1, len - first_len - 1, expected.data + 2,
										 expected.len - 2));
			}
		}
	}
	mailer_scram_free(&sc);
	mailer_buf_free(&resp);
	mailer_buf_free(&challenge);
	mailer_buf_free(&decoded);
	mailer_buf_free(&expected);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
