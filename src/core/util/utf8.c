#include "core/util/utf8.h"

size_t mailer_utf8_char_len(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i;

	if (len == 0) {
		return 0;
	}
	if (p[0] < 0x80) {
		return 1;
	}
	if (p[0] < 0xC2) {
		return 0; /* continuation byte or overlong two-byte form */
	}
	n = p[0] < 0xE0 ? 2 : (p[0] < 0xF0 ? 3 : (p[0] < 0xF5 ? 4 : 0));
	if (n == 0 || len < n) {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			return 0;
		}
	}
	/* overlong forms, UTF-16 surrogates and code points past U+10FFFF */
	if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0) ||
		(p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)) {
		return 0;
	}
	return n;
}

int mailer_utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		if ((n = mailer_utf8_char_len(s + i, len - i)) == 0) {
			return 0;
		}
		i += n;
	}
	return 1;
}

int mailer_is_ascii(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80) {
			return 0;
		}
	}
	return 1;
}
