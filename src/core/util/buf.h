/* A growable byte buffer, always NUL-terminated so it can be used as a C string. */
#ifndef MAILER_CORE_UTIL_BUF_H
#define MAILER_CORE_UTIL_BUF_H

#include <stddef.h>
#include <stdarg.h>

#include "core/util/portable.h"

typedef struct mailer_buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap;
} mailer_buf;

void mailer_buf_init(mailer_buf *buf);
void mailer_buf_reserve(mailer_buf *buf, size_t extra);
void mailer_buf_append(mailer_buf *buf, const char *data, size_t len);
void mailer_buf_appends(mailer_buf *buf, const char *str);
void mailer_buf_appendc(mailer_buf *buf, char c);
void mailer_buf_appendf(mailer_buf *buf, const char *fmt, ...) MAILER_PRINTF_FORMAT(2, 3);
void mailer_buf_reset(mailer_buf *buf); /* length 0, memory kept */
void mailer_buf_free(mailer_buf *buf);
/* Hands the data to the caller (caller frees with mailer_free) and empties the buffer. */
char *mailer_buf_detach(mailer_buf *buf, size_t *len);
/* The content, "" when empty (never NULL). */
const char *mailer_buf_cstr(const mailer_buf *buf);

#endif
