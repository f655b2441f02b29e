#include "core/util/base64.h"

#include <string.h>

/* Sized by the literal (65 with its NUL): GCC 15+ warns when a fixed [64] drops the NUL. */
static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* ASCII only: bytes >= 128 are rejected before the lookup. */
static const signed char b64_values[128] = {
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62,
	-1, -1, -1, 63, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1, -1, 0,
	1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
	23, 24, 25, -1, -1, -1, -1, -1, -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38,
	39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
};

#define B64_LINE 76

static inline void b64_group(const unsigned char *in, char *out)
{
	out[0] = b64_alphabet[in[0] >> 2];
	out[1] = b64_alphabet[((in[0] & 0x03) << 4) | (in[1] >> 4)];
	out[2] = b64_alphabet[((in[1] & 0x0f) << 2) | (in[2] >> 6)];
	out[3] = b64_alphabet[in[2] & 0x3f];
}

/* The last 1 or 2 bytes, padded with '='. */
static void b64_tail(const unsigned char *in, size_t len, char *out)
{
	out[0] = b64_alphabet[in[0] >> 2];
	if (len == 1) {
		out[1] = b64_alphabet[(in[0] & 0x03) << 4];
		out[2] = '=';
	} else {
		out[1] = b64_alphabet[((in[0] & 0x03) << 4) | (in[1] >> 4)];
		out[2] = b64_alphabet[(in[1] & 0x0f) << 2];
	}
	out[3] = '=';
}

size_t mailer_base64_encoded_len(size_t len)
{
	/* Not (len + 2) / 3: that overflows near SIZE_MAX. */
	return (len / 3 + (len % 3 != 0)) * 4;
}

size_t mailer_base64_stream_len(size_t len)
{
	size_t n = mailer_base64_encoded_len(len);

	return n + (n / B64_LINE + (n % B64_LINE != 0)) * 2;
}

size_t mailer_base64_encode(const unsigned char *in, size_t len, char *out)
{
	char *o = out;

	for (; len >= 3; len -= 3, in += 3, o += 4) {
		b64_group(in, o);
	}
	if (len) {
		b64_tail(in, len, o);
		o += 4;
	}
	return (size_t)(o - out);
}

static inline int b64_value(char c)
{
	unsigned char u = (unsigned char)c;

	return u < 128 ? b64_values[u] : -1;
}

mailer_status mailer_base64_decode(const char *in, size_t len, unsigned char *out, size_t *out_len)
{
	unsigned char *o = out;
	int a, b, c, d;
	size_t i;

	if (len % 4) {
		return MAILER_FAIL;
	}
	for (i = 0; i < len; i += 4) {
		a = b64_value(in[i]);
		b = b64_value(in[i + 1]);
		c = b64_value(in[i + 2]);
		d = b64_value(in[i + 3]);
		if ((a | b | c | d) >= 0) {
			*o++ = (unsigned char)(a << 2 | b >> 4);
			*o++ = (unsigned char)(b << 4 | c >> 2);
			*o++ = (unsigned char)(c << 6 | d);
			continue;
		}
		/* Padding is only allowed in the last group, as "xx==" or "xxx=",
		 * and the bits it leaves unused must be zero. */
		if (i + 4 != len || a < 0 || b < 0 || in[i + 3] != '=') {
			return MAILER_FAIL;
		}
		if (in[i + 2] == '=') {
			if (b & 0x0f) {
				return MAILER_FAIL;
			}
			*o++ = (unsigned char)(a << 2 | b >> 4);
		} else {
			if (c < 0 || (c & 0x03)) {
				return MAILER_FAIL;
			}
			*o++ = (unsigned char)(a << 2 | b >> 4);
			*o++ = (unsigned char)(b << 4 | c >> 2);
		}
	}
	*out_len = (size_t)(o - out);
	return MAILER_OK;
}

void mailer_base64_stream_init(mailer_base64_stream *s, const mailer_sink *out)
{
	s->out = *out;
	s->pend_len = 0;
	s->col = 0;
	s->len = 0;
	s->failed = 0;
}

static mailer_status b64_flush(mailer_base64_stream *s)
{
	return mailer_sink_flush(&s->out, s->buf, &s->len, &s->failed);
}

/* Encodes every whole group of *in, a line piece at a time, and advances it. */
static mailer_status b64_groups(mailer_base64_stream *s, const unsigned char **in, size_t *len)
{
	const unsigned char *p = *in;
	size_t n = *len;

	while (n >= 3) {
		size_t groups = (B64_LINE - s->col) / 4;
		char *o;

		/* Room for a whole line piece and its CRLF, so the loop below needs no check. */
		if (sizeof(s->buf) - s->len < B64_LINE + 2 && b64_flush(s) != MAILER_OK) {
			return MAILER_FAIL;
		}
		if (groups > n / 3) {
			groups = n / 3;
		}
		o = s->buf + s->len;
		n -= groups * 3;
		s->col += groups * 4;
		for (; groups; groups--, p += 3, o += 4) {
			b64_group(p, o);
		}
		if (s->col == B64_LINE) {
			*o++ = '\r';
			*o++ = '\n';
			s->col = 0;
		}
		s->len = (size_t)(o - s->buf);
	}
	*in = p;
	*len = n;
	return MAILER_OK;
}

mailer_status mailer_base64_stream_write(mailer_base64_stream *s, const char *data, size_t len)
{
	const unsigned char *in = (const unsigned char *)data;

	if (s->failed) {
		return MAILER_FAIL;
	}
	if (s->pend_len) {
		const unsigned char *p = s->pend;
		size_t n = 3;

		while (s->pend_len < 3 && len) {
			s->pend[s->pend_len++] = *in++;
			len--;
		}
		if (s->pend_len < 3) {
			return MAILER_OK;
		}
		s->pend_len = 0;
		if (b64_groups(s, &p, &n) != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	if (b64_groups(s, &in, &len) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (len) {
		memcpy(s->pend, in, len);
	}
	s->pend_len = len;
	return MAILER_OK;
}

mailer_status mailer_base64_stream_sink(void *ctx, const char *data, size_t len)
{
	return mailer_base64_stream_write(ctx, data, len);
}

mailer_status mailer_base64_stream_finish(mailer_base64_stream *s)
{
	if (s->failed) {
		return MAILER_FAIL;
	}
	if (sizeof(s->buf) - s->len < 6 && b64_flush(s) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (s->pend_len) {
		b64_tail(s->pend, s->pend_len, s->buf + s->len);
		s->len += 4;
		s->col += 4;
		s->pend_len = 0;
	}
	if (s->col) {
		s->buf[s->len++] = '\r';
		s->buf[s->len++] = '\n';
		s->col = 0;
	}
	return b64_flush(s);
}
