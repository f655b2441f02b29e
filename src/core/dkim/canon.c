#include "core/dkim/canon.h"

#include <string.h>

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

void mailer_dkim_canon_header(mailer_buf *out, mailer_dkim_canon canon, const char *field,
							  size_t len)
{
	const char *colon, *end = field + len, *p, *name_end;
	int space = 0, started = 0;

	if (canon == MAILER_DKIM_SIMPLE) {
		mailer_buf_append(out, field, len);
		mailer_buf_append(out, "\r\n", 2);
		return;
	}
	/* relaxed (§3.4.2): lower-case name, no WSP around the colon, unfolded
	 * value with WSP runs as one SP and none at either end */
	colon = memchr(field, ':', len);
	name_end = colon ? colon : end;
	while (name_end > field && is_wsp(name_end[-1])) {
		name_end--;
	}
	mailer_buf_reserve(out, len + 3);
	for (p = field; p < name_end; p++) {
		char c = *p;
		mailer_buf_appendc(out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
	}
	mailer_buf_appendc(out, ':');
	for (p = colon ? colon + 1 : end; p < end; p++) {
		if (*p == '\r' || *p == '\n') {
			continue; /* unfolding: the WSP after the break remains */
		}
		if (is_wsp(*p)) {
			space = started;
			continue;
		}
		if (space) {
			mailer_buf_appendc(out, ' ');
			space = 0;
		}
		mailer_buf_appendc(out, *p);
		started = 1;
	}
	mailer_buf_append(out, "\r\n", 2);
}

void mailer_dkim_body_init(mailer_dkim_body *b, mailer_dkim_canon canon, const mailer_sink *out)
{
	b->out = *out;
	b->canon = canon;
	b->empty_lines = 0;
	b->wsp = 0;
	b->content = 0;
	b->cr = 0;
	b->written = 0;
	b->failed = 0;
	b->len = 0;
}

static mailer_status flush(mailer_dkim_body *b)
{
	return mailer_sink_flush(&b->out, b->buf, &b->len, &b->failed);
}

static mailer_status put(mailer_dkim_body *b, const char *data, size_t len)
{
	b->written = 1;
	if (len > sizeof(b->buf) - b->len && flush(b) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (len >= sizeof(b->buf)) {
		if (mailer_sink_write(&b->out, data, len) != MAILER_OK) {
			b->failed = 1;
			return MAILER_FAIL;
		}
		return MAILER_OK;
	}
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	return MAILER_OK;
}

/* Content in the current line: first the empty lines it proves are not
 * trailing, then the pending whitespace as one SP (relaxed). */
static mailer_status content(mailer_dkim_body *b, const char *data, size_t len)
{
	for (; b->empty_lines; b->empty_lines--) {
		if (put(b, "\r\n", 2) != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	if (b->wsp) {
		b->wsp = 0;
		if (put(b, " ", 1) != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	b->content = 1;
	return put(b, data, len);
}

static mailer_status end_line(mailer_dkim_body *b)
{
	mailer_status rc = MAILER_OK;

	if (b->content) {
		rc = put(b, "\r\n", 2);
	} else {
		b->empty_lines++;
	}
	b->content = 0;
	b->wsp = 0; /* relaxed: whitespace at the end of a line goes */
	return rc;
}

/* Bytes that end a run of content: CR and LF (1), and in relaxed SP and HTAB (2). */
static const unsigned char stop[256] = {['\r'] = 3, ['\n'] = 3, [' '] = 2, ['\t'] = 2};

mailer_status mailer_dkim_body_write(mailer_dkim_body *b, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *run;
	int relaxed = b->canon == MAILER_DKIM_RELAXED;
	unsigned char mask = relaxed ? 2 : 1;

	if (b->failed) {
		return MAILER_FAIL;
	}
	while (p < end) {
		if (b->cr) {
			b->cr = 0;
			if (*p == '\n') {
				p++;
				if (end_line(b) != MAILER_OK) {
					return MAILER_FAIL;
				}
				continue;
			}
			/* a CR alone is content (never seen after the CRLF normaliser) */
			if (content(b, "\r", 1) != MAILER_OK) {
				return MAILER_FAIL;
			}
		}
		if (*p == '\r') {
			b->cr = 1;
			p++;
			continue;
		}
		if (*p == '\n') {
			p++;
			if (end_line(b) != MAILER_OK) {
				return MAILER_FAIL;
			}
			continue;
		}
		if (relaxed && is_wsp(*p)) {
			b->wsp = 1;
			p++;
			continue;
		}
		/* a run of ordinary bytes goes out in one piece */
		for (run = p + 1; run < end && !(stop[(unsigned char)*run] & mask); run++) {
		}
		if (content(b, p, (size_t)(run - p)) != MAILER_OK) {
			return MAILER_FAIL;
		}
		p = run;
	}
	return MAILER_OK;
}

mailer_status mailer_dkim_body_finish(mailer_dkim_body *b)
{
	if (b->failed) {
		return MAILER_FAIL;
	}
	if (b->cr) {
		b->cr = 0;
		if (content(b, "\r", 1) != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	if (b->content && put(b, "\r\n", 2) != MAILER_OK) {
		return MAILER_FAIL;
	}
	b->content = 0;
	b->wsp = 0;
	b->empty_lines = 0;
	/* simple (§3.4.3): an empty body is one CRLF; relaxed (§3.4.4): nothing */
	if (!b->written && b->canon == MAILER_DKIM_SIMPLE && put(b, "\r\n", 2) != MAILER_OK) {
		return MAILER_FAIL;
	}
	return flush(b);
}
