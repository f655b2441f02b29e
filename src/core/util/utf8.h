/* UTF-8 as the core accepts it (RFC 3629): well-formed sequences only. */
#ifndef MAILER_CORE_UTIL_UTF8_H
#define MAILER_CORE_UTIL_UTF8_H

#include <stddef.h>

int mailer_utf8_valid(const char *s, size_t len);
/* Length of the well-formed UTF-8 sequence at s (1 for ASCII, NUL included),
 * 0 when s starts with an invalid, overlong, surrogate or truncated one. */
size_t mailer_utf8_char_len(const char *s, size_t len);
/* 1 when s (NUL-terminated) is pure ASCII: an address that needs no SMTPUTF8. */
int mailer_is_ascii(const char *s);

#endif
