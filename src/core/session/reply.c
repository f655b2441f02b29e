#include "core/session/reply.h"

#include <string.h>

void mailer_reply_init(mailer_reply *r)
{
	r->code = 0;
	r->enhanced[0] = '\0';
	mailer_buf_init(&r->text);
	r->lines = 0;
}

void mailer_reply_reset(mailer_reply *r)
{
	r->code = 0;
	r->enhanced[0] = '\0';
	mailer_buf_reset(&r->text);
	r->lines = 0;
}

void mailer_reply_free(mailer_reply *r)
{
	mailer_buf_free(&r->text);
	mailer_reply_init(r);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t mailer_enhanced_status_parse(const char *text, size_t len, char out[16])
{
	size_t i = 0, part, digits;

	if (len < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') {
		return 0;
	}
	i = 2;
	/* subject and detail: 1..3 digits each (RFC 3463) */
	for (part = 0; part < 2; part++) {
		digits = 0;
		while (i < len && is_digit(text[i]) && digits < 4) {
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3) {
			return 0;
		}
		if (part == 0) {
			if (i >= len || text[i] != '.') {
				return 0;
			}
			i++;
		}
	}
	if (i < len && text[i] != ' ' && text[i] != '\t') {
		return 0;
	}
	memcpy(out, text, i);
	out[i] = '\0';
	return i;
}

mailer_reply_state mailer_reply_feed(mailer_reply *r, const char *line, size_t len,
									 const char **why)
{
	int code;
	int last;

	if (len < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) {
		*why = "reply does not start with a three-digit code";
		return MAILER_REPLY_BAD;
	}
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	/* RFC 5321 §4.2: first digit 2..5, second 0..5 */
	if (line[0] < '2' || line[0] > '5' || line[1] > '5') {
		*why = "reply code out of range";
		return MAILER_REPLY_BAD;
	}
	if (len > 3 && line[3] != ' ' && line[3] != '-') {
		*why = "reply code not followed by a space or hyphen";
		return MAILER_REPLY_BAD;
	}
	if (memchr(line, '\0', len)) {
		*why = "reply contains a NUL byte";
		return MAILER_REPLY_BAD;
	}
	if (r->lines > 0 && code != r->code) {
		*why = "reply lines carry different codes";
		return MAILER_REPLY_BAD;
	}
	if (r->lines >= MAILER_REPLY_LINES_MAX) {
		*why = "reply has too many lines";
		return MAILER_REPLY_BAD;
	}
	last = len == 3 || line[3] == ' ';
	if (r->lines == 0) {
		r->code = code;
		if (len > 4) {
			mailer_enhanced_status_parse(line + 4, len - 4, r->enhanced);
			/* RFC 2034: the class must match the reply's first digit */
			if (r->enhanced[0] && r->enhanced[0] != line[0]) {
				r->enhanced[0] = '\0';
			}
		}
	} else {
		mailer_buf_appendc(&r->text, '\n');
	}
	mailer_buf_append(&r->text, line, len);
	r->lines++;
	return last ? MAILER_REPLY_DONE : MAILER_REPLY_MORE;
}

int mailer_reply_line(const mailer_reply *r, size_t i, const char **text, size_t *len)
{
	const char *p = mailer_buf_cstr(&r->text);
	const char *end = p + r->text.len;
	const char *nl;

	if (i >= r->lines) {
		return 0;
	}
	while (i--) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl) {
		nl = end;
	}
	if (nl - p <= 4) {
		*text = nl;
		*len = 0;
	} else {
		*text = p + 4;
		*len = (size_t)(nl - p - 4);
	}
	return 1;
}
