#include "core/util/buf.h"
#include "core/util/alloc.h"

#include <stdio.h>
#include <string.h>

void mailer_buf_init(mailer_buf *buf)
{
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
}

void mailer_buf_reserve(mailer_buf *buf, size_t extra)
{
	size_t need = buf->len + extra + 1;
	size_t cap;

	if (need <= buf->cap) {
		return;
	}
	cap = buf->cap ? buf->cap : 64;
	while (cap < need) {
		cap *= 2;
	}
	buf->data = mailer_realloc(buf->data, cap);
	buf->cap = cap;
}

void mailer_buf_append(mailer_buf *buf, const char *data, size_t len)
{
	mailer_buf_reserve(buf, len);
	if (len) {
		memcpy(buf->data + buf->len, data, len);
	}
	buf->len += len;
	buf->data[buf->len] = '\0';
}

void mailer_buf_appends(mailer_buf *buf, const char *str)
{
	mailer_buf_append(buf, str, strlen(str));
}

void mailer_buf_appendc(mailer_buf *buf, char c)
{
	mailer_buf_reserve(buf, 1);
	buf->data[buf->len++] = c;
	buf->data[buf->len] = '\0';
}

void mailer_buf_appendf(mailer_buf *buf, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	/* Format straight into the free space, and again only when it did not
	 * fit: vsnprintf is most of the cost of a short line, so not twice. */
	mailer_buf_reserve(buf, 128);
	room = buf->cap - buf->len;
	va_start(ap, fmt);
	n = vsnprintf(buf->data + buf->len, room, fmt, ap);
	va_end(ap);
	if (n <= 0) {
		buf->data[buf->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		mailer_buf_reserve(buf, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	buf->len += (size_t)n;
}

void mailer_buf_reset(mailer_buf *buf)
{
	buf->len = 0;
	if (buf->data) {
		buf->data[0] = '\0';
	}
}

void mailer_buf_free(mailer_buf *buf)
{
	mailer_free(buf->data);
	mailer_buf_init(buf);
}

char *mailer_buf_detach(mailer_buf *buf, size_t *len)
{
	char *data = buf->data;

	if (!data) {
		data = mailer_malloc(1);
		data[0] = '\0';
	}
	if (len) {
		*len = buf->len;
	}
	mailer_buf_init(buf);
	return data;
}

const char *mailer_buf_cstr(const mailer_buf *buf)
{
	return buf->data ? buf->data : "";
}
