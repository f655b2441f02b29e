#include "core/util/idna.h"
#include "core/util/utf8.h"

#include <string.h>

/* RFC 3492 §5 parameters */
enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700, INITIAL_BIAS = 72, INITIAL_N = 128 };

static char digit(unsigned int d)
{
	return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

static unsigned int adapt(unsigned int delta, unsigned int points, int first)
{
	unsigned int k = 0;

	delta = first ? delta / DAMP : delta / 2;
	delta += delta / points;
	while (delta > ((BASE - TMIN) * TMAX) / 2) {
		delta /= BASE - TMIN;
		k += BASE;
	}
	return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
}

mailer_status mailer_punycode_encode(const unsigned int *cps, size_t n, mailer_buf *out)
{
	unsigned int cp_n = INITIAL_N, delta = 0, bias = INITIAL_BIAS, h, b = 0, m, q, k, t;
	size_t i;

	for (i = 0; i < n; i++) {
		if (cps[i] < 0x80) {
			mailer_buf_appendc(out, (char)cps[i]);
			b++;
		}
	}
	h = b;
	if (b > 0) {
		mailer_buf_appendc(out, '-');
	}
	while (h < n) {
		m = 0xFFFFFFFFu;
		for (i = 0; i < n; i++) {
			if (cps[i] >= cp_n && cps[i] < m) {
				m = cps[i];
			}
		}
		if ((m - cp_n) > (0xFFFFFFFFu - delta) / (h + 1)) {
			return MAILER_FAIL; /* overflow: cannot happen for valid Unicode in a 63-octet label */
		}
		delta += (m - cp_n) * (h + 1);
		cp_n = m;
		for (i = 0; i < n; i++) {
			if (cps[i] < cp_n && ++delta == 0) {
				return MAILER_FAIL;
			}
			if (cps[i] == cp_n) {
				for (q = delta, k = BASE;; k += BASE) {
					t = k <= bias ? TMIN : (k >= bias + TMAX ? TMAX : k - bias);
					if (q < t) {
						break;
					}
					mailer_buf_appendc(out, digit(t + (q - t) % (BASE - t)));
					q = (q - t) / (BASE - t);
				}
				mailer_buf_appendc(out, digit(q));
				bias = adapt(delta, h + 1, h == b);
				delta = 0;
				h++;
			}
		}
		delta++;
		cp_n++;
	}
	return MAILER_OK;
}

static unsigned int decode_utf8(const unsigned char *p, size_t n)
{
	switch (n) {
	case 1:
		return p[0];
	case 2:
		return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
	case 3:
		return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
	default:
		return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
			   (p[3] & 0x3Fu);
	}
}

static mailer_status label_to_ascii(const char *label, size_t len, mailer_buf *out)
{
	unsigned int cps[256];
	size_t n = 0, i = 0, clen, start = out->len;
	int ascii = 1;

	while (i < len) {
		clen = mailer_utf8_char_len(label + i, len - i);
		if (clen == 0 || n == sizeof(cps) / sizeof(cps[0])) {
			return MAILER_FAIL;
		}
		cps[n] = decode_utf8((const unsigned char *)label + i, clen);
		if (cps[n] >= 'A' && cps[n] <= 'Z') {
			cps[n] += 'a' - 'A';
		}
		ascii &= cps[n] < 0x80;
		n++;
		i += clen;
	}
	if (ascii) {
		mailer_buf_append(out, label, len);
		return MAILER_OK;
	}
	mailer_buf_appends(out, "xn--");
	if (mailer_punycode_encode(cps, n, out) != MAILER_OK || out->len - start > 63) {
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

mailer_status mailer_idna_to_ascii(const char *domain, size_t len, mailer_buf *out)
{
	const char *p = domain, *end = domain + len, *dot;

	while (p <= end) {
		dot = memchr(p, '.', (size_t)(end - p));
		if (!dot) {
			dot = end;
		}
		if (label_to_ascii(p, (size_t)(dot - p), out) != MAILER_OK) {
			return MAILER_FAIL;
		}
		if (dot == end) {
			break;
		}
		mailer_buf_appendc(out, '.');
		p = dot + 1;
	}
	return MAILER_OK;
}
