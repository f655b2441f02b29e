#include "core/util/dotstuff.h"

#include <string.h>

void mailer_dotstuff_init(mailer_dotstuff *d, const mailer_sink *out, int stuff_dots)
{
	d->out = *out;
	d->written = 0;
	d->len = 0;
	d->stuff_dots = stuff_dots;
	d->bol = 1;
	d->cr = 0;
	d->failed = 0;
}

static void ds_sink(mailer_dotstuff *d, const char *data, size_t len)
{
	if (d->failed) {
		return;
	}
	if (mailer_sink_write(&d->out, data, len) != MAILER_OK) {
		d->failed = 1;
		return;
	}
	d->written += len;
}

static void ds_flush(mailer_dotstuff *d)
{
	ds_sink(d, d->buf, d->len);
	d->len = 0;
}

/* Failures are sticky in d->failed and reported once the write is done, which
 * keeps the scanning loop free of error paths. */
static void ds_emit(mailer_dotstuff *d, const char *data, size_t len)
{
	if (len <= sizeof(d->buf) - d->len) {
		memcpy(d->buf + d->len, data, len);
		d->len += len;
		return;
	}
	ds_flush(d);
	if (len >= sizeof(d->buf)) {
		ds_sink(d, data, len); /* no point copying what fills the buffer anyway */
	} else {
		memcpy(d->buf, data, len);
		d->len = len;
	}
}

/* Like memchr, but end when absent: easier to take the nearer of two. */
static const char *ds_find(const char *p, const char *end, char c)
{
	const char *q = memchr(p, c, (size_t)(end - p));

	return q ? q : end;
}

mailer_status mailer_dotstuff_write(mailer_dotstuff *d, const char *data, size_t len)
{
	const char *p, *end, *span;
	const char *cr = NULL, *lf = NULL; /* next CR and LF, kept across lines */

	if (d->failed) {
		return MAILER_FAIL;
	}
	if (len == 0) {
		return MAILER_OK; /* data may be NULL */
	}
	p = span = data; /* span: start of the input not yet emitted */
	end = data + len;
	if (d->cr) {
		/* The CR that ended the last write. */
		d->cr = 0;
		d->bol = 1;
		if (*p == '\n') {
			ds_emit(d, "\r", 1);
			p++; /* the LF stays in the span */
		} else {
			ds_emit(d, "\r\n", 2);
		}
	}
	while (p < end) {
		const char *q;

		if (d->bol) {
			d->bol = 0;
			if (*p == '.' && d->stuff_dots) {
				ds_emit(d, span, (size_t)(p - span));
				ds_emit(d, ".", 1);
				span = p; /* the original dot follows the added one */
			}
		}
		if (!lf || lf < p) {
			lf = ds_find(p, end, '\n');
		}
		if (!cr || cr < p) {
			cr = ds_find(p, end, '\r');
		}
		q = lf < cr ? lf : cr;
		if (q == end) {
			break;
		}
		d->bol = 1;
		if (*q == '\n') {
			/* Bare LF: add the CR, the LF starts the next span. */
			ds_emit(d, span, (size_t)(q - span));
			ds_emit(d, "\r", 1);
			span = q;
			p = q + 1;
		} else if (q + 1 == end) {
			/* A CR ends the input: the next write says whether an LF follows. */
			ds_emit(d, span, (size_t)(q - span));
			span = end;
			d->cr = 1;
			d->bol = 0;
			p = end;
		} else if (q[1] == '\n') {
			p = q + 2;
		} else {
			/* Bare CR: add the LF. */
			ds_emit(d, span, (size_t)(q + 1 - span));
			ds_emit(d, "\n", 1);
			span = p = q + 1;
		}
	}
	ds_emit(d, span, (size_t)(end - span));
	return d->failed ? MAILER_FAIL : MAILER_OK;
}

mailer_status mailer_dotstuff_sink(void *ctx, const char *data, size_t len)
{
	return mailer_dotstuff_write(ctx, data, len);
}

mailer_status mailer_dotstuff_finish(mailer_dotstuff *d)
{
	if (d->failed) {
		return MAILER_FAIL;
	}
	if (d->cr || !d->bol) {
		ds_emit(d, "\r\n", 2);
		d->cr = 0;
		d->bol = 1;
	}
	if (d->stuff_dots) {
		ds_emit(d, ".\r\n", 3);
	}
	ds_flush(d);
	return d->failed ? MAILER_FAIL : MAILER_OK;
}
