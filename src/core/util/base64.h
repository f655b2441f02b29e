/* Base64 (RFC 4648 §4): one-shot encode/decode without line breaks for SASL,
 * and a streaming MIME encoder (RFC 2045 §6.8) that breaks lines at 76 chars. */
#ifndef MAILER_CORE_UTIL_BASE64_H
#define MAILER_CORE_UTIL_BASE64_H

#include <stddef.h>

#include "core/util/sink.h"

/* Output size of the streaming encoder's internal buffer: 105 whole lines of
 * 76 chars + CRLF, so each sink call carries complete lines. */
#define MAILER_BASE64_STREAM_BUFSIZE (105 * 78)

/* Encoded length of len bytes, without line breaks. */
size_t mailer_base64_encoded_len(size_t len);
/* Encodes without line breaks or NUL terminator; out must hold
 * mailer_base64_encoded_len(len) bytes. Returns the bytes written. */
size_t mailer_base64_encode(const unsigned char *in, size_t len, char *out);
/* Strict decode: length a multiple of 4, padding required, no whitespace, pad
 * bits must be zero (RFC 4648 §3.5 canonical form). out must hold len / 4 * 3
 * bytes. MAILER_OK and sets *out_len, or MAILER_FAIL on malformed input. */
mailer_status mailer_base64_decode(const char *in, size_t len, unsigned char *out, size_t *out_len);

/* Size of the streaming encoder's output for len input bytes, line breaks
 * included (for RFC 1870 SIZE estimates and BDAT chunk sizes). */
size_t mailer_base64_stream_len(size_t len);

/* Streaming MIME encoder: CRLF after every 76 output chars and at the end.
 * Self-contained (no heap), so it needs no destructor; it is ~8 KB, so embed
 * it in a longer-lived struct rather than on a deep stack. */
typedef struct mailer_base64_stream {
	mailer_sink out;       /* copied at init */
	unsigned char pend[3]; /* input bytes waiting for a whole group */
	size_t pend_len;
	size_t col; /* chars on the current output line */
	size_t len; /* bytes in buf */
	int failed; /* the sink failed: every later call fails too */
	char buf[MAILER_BASE64_STREAM_BUFSIZE];
} mailer_base64_stream;

void mailer_base64_stream_init(mailer_base64_stream *s, const mailer_sink *out);
/* MAILER_OK, or MAILER_FAIL once the sink has failed. */
mailer_status mailer_base64_stream_write(mailer_base64_stream *s, const char *data, size_t len);
/* Encodes what is pending, ends the last line with CRLF (unless there was no
 * input at all) and flushes. MAILER_OK or MAILER_FAIL. */
mailer_status mailer_base64_stream_finish(mailer_base64_stream *s);
/* mailer_base64_stream_write as a mailer_sink_fn (ctx is the mailer_base64_stream *). */
mailer_status mailer_base64_stream_sink(void *ctx, const char *data, size_t len);

#endif
