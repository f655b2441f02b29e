#include "core/mime/qp.h"

#include <stdint.h>
#include <string.h>

#define QP_LINE 76

/* How a byte is written when it is data on a line. */
enum qp_class {
	QP_LIT, /* as itself */
	QP_ESC, /* always =XX */
	QP_WS,  /* =XX only when it ends a line */
	QP_DOT  /* =XX only when it starts a line */
};

#define L QP_LIT
#define E QP_ESC
#define W QP_WS
#define D QP_DOT
static const unsigned char qp_classes[256] = {
	E, E, E, E, E, E, E, E, E, W, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	W, L, L, L, L, L, L, L, L, L, L, L, L, L, D, L, L, L, L, L, L, L, L, L, L, L, L, L, L, E, L, L,
	L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
	E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E, E,
};
#undef L
#undef E
#undef W
#undef D

static const char qp_hex[] = "0123456789ABCDEF"; /* [17]: see b64_alphabet */

/* 1 when none of the n bytes is NUL, CR or 8-bit. Eight bytes at a time:
 * every body sent goes through here, and a byte loop cost ~11 instructions a
 * byte. (v - 0x01..) & ~v & 0x80.. is non-zero exactly when v has a zero byte. */
static int plain_7bit(const unsigned char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL, crs = ones * '\r';
	uint64_t v, x;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&v, p, 8);
		x = v ^ crs;
		if ((v | ((v - ones) & ~v) | ((x - ones) & ~x)) & highs) {
			return 0;
		}
	}
	for (; n; n--, p++) {
		if (*p == 0 || *p == '\r' || *p >= 128) {
			return 0;
		}
	}
	return 1;
}

mailer_cte mailer_text_choose_cte(const char *data, size_t len, size_t max_line)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len, *nl;
	size_t n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl ? nl : end) - p);
		if (nl && n && nl[-1] == '\r') {
			n--; /* CRLF: the CR ends the line; any other CR is a bare one */
		}
		if (n > max_line || !plain_7bit(p, n)) {
			return MAILER_CTE_QP;
		}
		p = nl ? nl + 1 : end;
	}
	return MAILER_CTE_7BIT;
}

const char *mailer_cte_name(mailer_cte cte)
{
	switch (cte) {
	case MAILER_CTE_7BIT:
		return "7bit";
	case MAILER_CTE_8BIT:
		return "8bit";
	case MAILER_CTE_QP:
		return "quoted-printable";
	case MAILER_CTE_BASE64:
		return "base64";
	}
	return "7bit";
}

void mailer_qp_stream_init(mailer_qp_stream *s, const mailer_sink *out)
{
	s->out = *out;
	s->col = 0;
	s->len = 0;
	s->pend = -1;
	s->cr = 0;
	s->failed = 0;
}

static mailer_status qp_flush(mailer_qp_stream *s)
{
	return mailer_sink_flush(&s->out, s->buf, &s->len, &s->failed);
}

static inline int qp_escaped(unsigned char c, int last, size_t col)
{
	unsigned char k = qp_classes[c];

	return k == QP_ESC || (k == QP_WS && last) || (k == QP_DOT && col == 0);
}

/* Writes one data byte at o, soft-breaking first if it does not fit; last says
 * whether it ends its line (then it may take column 76, else column 76 is kept
 * for a soft break's '='). Works on the caller's copies of the position, which
 * stay in registers (stores through char pointers would force reloads). */
static inline char *qp_token(char *o, size_t *col, unsigned char c, int last)
{
	size_t limit = last ? QP_LINE : QP_LINE - 1;
	size_t n = qp_escaped(c, last, *col) ? 3 : 1;

	if (*col + n > limit) {
		*o++ = '=';
		*o++ = '\r';
		*o++ = '\n';
		*col = 0;
		n = qp_escaped(c, last, 0) ? 3 : 1;
	}
	if (n == 1) {
		*o++ = (char)c;
	} else {
		*o++ = '=';
		*o++ = qp_hex[c >> 4];
		*o++ = qp_hex[c & 0x0f];
	}
	*col += n;
	return o;
}

/* Worst case for one token: a soft break and an escape. */
#define QP_TOKEN_MAX 6

static mailer_status qp_put(mailer_qp_stream *s, unsigned char c, int last)
{
	size_t col = s->col;
	char *o;

	if (sizeof(s->buf) - s->len < QP_TOKEN_MAX && qp_flush(s) != MAILER_OK) {
		return MAILER_FAIL;
	}
	o = qp_token(s->buf + s->len, &col, c, last);
	s->col = col;
	s->len = (size_t)(o - s->buf);
	return MAILER_OK;
}

/* The common case in a tight loop: while the next byte continues the line,
 * the held-back byte is mid-line and can be written at once. Stops at a CR or
 * LF, a pending CR, or a full buffer; returns the bytes consumed. */
static size_t qp_run(mailer_qp_stream *s, const unsigned char *p, size_t len)
{
	char *o = s->buf + s->len;
	char *stop = s->buf + sizeof(s->buf) - QP_TOKEN_MAX;
	size_t col = s->col;
	int pend = s->pend;
	size_t i;

	if (s->cr || pend < 0) {
		return 0;
	}
	for (i = 0; i < len && o <= stop && p[i] != '\r' && p[i] != '\n'; i++) {
		o = qp_token(o, &col, (unsigned char)pend, 0);
		pend = p[i];
	}
	s->len = (size_t)(o - s->buf);
	s->col = col;
	s->pend = pend;
	return i;
}

/* Ends the line: the held-back byte is its last. */
static mailer_status qp_hard_break(mailer_qp_stream *s)
{
	if (s->pend >= 0 && qp_put(s, (unsigned char)s->pend, 1) != MAILER_OK) {
		return MAILER_FAIL;
	}
	s->pend = -1;
	if (sizeof(s->buf) - s->len < 2 && qp_flush(s) != MAILER_OK) {
		return MAILER_FAIL;
	}
	s->buf[s->len++] = '\r';
	s->buf[s->len++] = '\n';
	s->col = 0;
	return MAILER_OK;
}

/* c follows the held-back byte on the same line: write that one, hold c. */
static inline mailer_status qp_hold(mailer_qp_stream *s, unsigned char c)
{
	if (s->pend >= 0 && qp_put(s, (unsigned char)s->pend, 0) != MAILER_OK) {
		return MAILER_FAIL;
	}
	s->pend = c;
	return MAILER_OK;
}

mailer_status mailer_qp_stream_write(mailer_qp_stream *s, const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i;

	if (s->failed) {
		return MAILER_FAIL;
	}
	for (i = 0; i < len; i++) {
		unsigned char c;

		i += qp_run(s, p + i, len - i);
		if (i == len) {
			break;
		}
		c = p[i];
		if (s->cr) {
			s->cr = 0;
			if (c == '\n') {
				if (qp_hard_break(s) != MAILER_OK) {
					return MAILER_FAIL;
				}
				continue;
			}
			/* A bare CR is data (=0D), and may itself end a line. */
			if (qp_hold(s, '\r') != MAILER_OK) {
				return MAILER_FAIL;
			}
		}
		if (c == '\r') {
			s->cr = 1;
		} else if (c == '\n') {
			if (qp_hard_break(s) != MAILER_OK) {
				return MAILER_FAIL;
			}
		} else if (qp_hold(s, c) != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	return MAILER_OK;
}

mailer_status mailer_qp_stream_sink(void *ctx, const char *data, size_t len)
{
	return mailer_qp_stream_write(ctx, data, len);
}

mailer_status mailer_qp_stream_finish(mailer_qp_stream *s)
{
	if (s->failed) {
		return MAILER_FAIL;
	}
	if (s->cr) {
		s->cr = 0;
		if (qp_hold(s, '\r') != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	if (s->pend >= 0) {
		if (qp_put(s, (unsigned char)s->pend, 1) != MAILER_OK) {
			return MAILER_FAIL;
		}
		s->pend = -1;
	}
	return qp_flush(s);
}
