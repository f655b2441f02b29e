#include "core/mime/mime.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/mime/header.h"
#include "core/util/utf8.h"
#include "core/mime/mimetype.h"
#include "core/util/portable.h"

#include <openssl/rand.h>
#include <string.h>

/* Lines of a 7bit body may be this long (RFC 5322 §2.1.1: 998 octets). */
#define MAILER_7BIT_LINE_MAX 998
/* Limits that keep every header line of a part well under 998 octets. */
#define MAILER_CONTENT_TYPE_MAX 200
#define MAILER_CID_MAX 200

/* ---- the model ---- */

static void part_init(mailer_part *p, mailer_part_kind kind)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->cte = MAILER_CTE_7BIT;
}

static void release_data(mailer_bytes *d)
{
	if (d->release) {
		d->release(d->owner);
	}
	memset(d, 0, sizeof(*d));
}

static void part_free(mailer_part *p)
{
	mailer_free(p->content_type);
	mailer_free(p->filename);
	mailer_free(p->cid);
	release_data(&p->data);
	if (p->source.ops && p->source.ops->free) {
		p->source.ops->free(p->source.ctx);
	}
	part_init(p, p->kind);
}

void mailer_mime_init(mailer_mime *b)
{
	memset(b, 0, sizeof(*b));
	part_init(&b->text, MAILER_PART_TEXT);
	part_init(&b->html, MAILER_PART_HTML);
}

void mailer_mime_free(mailer_mime *b)
{
	size_t i;

	part_free(&b->text);
	part_free(&b->html);
	for (i = 0; i < b->file_count; i++) {
		part_free(&b->files[i]);
	}
	mailer_free(b->files);
	mailer_mime_init(b);
}

mailer_status mailer_mime_set_body(mailer_mime *b, mailer_part_kind kind, const mailer_bytes *data,
								   int require_utf8, mailer_error *err)
{
	mailer_part *p = kind == MAILER_PART_TEXT ? &b->text : &b->html;

	if (require_utf8 && !mailer_utf8_valid(data->data, data->len)) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the %s body is not valid UTF-8 (it is sent as charset=UTF-8)",
								kind == MAILER_PART_TEXT ? "text" : "HTML");
	}
	release_data(&p->data);
	p->data = *data;
	p->set = 1;
	return MAILER_OK;
}

void mailer_mime_set_body_type(mailer_mime *b, const char *content_type, size_t len)
{
	mailer_free(b->html.content_type);
	b->html.content_type = mailer_strndup(content_type, len);
}

static int is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		   (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

int mailer_mime_cid_valid(const char *cid, size_t len)
{
	size_t i, at = 0;

	if (len == 0 || len > MAILER_CID_MAX || cid[0] == '.' || cid[len - 1] == '.' || cid[0] == '@' ||
		cid[len - 1] == '@') {
		return 0;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)cid[i];

		if (c == '@') {
			at++;
		} else if (c == '.') {
			if (cid[i + 1] == '.' || cid[i + 1] == '@' || cid[i - 1] == '@') {
				return 0;
			}
		} else if (!is_atext(c)) {
			return 0;
		}
	}
	return at <= 1;
}

/* The caller's input in an error message: cut, with control and non-ASCII
 * bytes escaped so the message stays one readable line. */
static const char *quoted(char out[80], const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, n = 0;

	for (i = 0; i < len && n < 70; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			out[n++] = (char)c;
		} else if (c == '\r' || c == '\n') {
			out[n++] = '\\';
			out[n++] = c == '\r' ? 'r' : 'n';
		} else {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	if (i < len) {
		out[n++] = '.';
		out[n++] = '.';
		out[n++] = '.';
	}
	out[n] = '\0';
	return out;
}

static mailer_status check_filename(const char *name, size_t len, mailer_error *err)
{
	size_t i;

	if (len == 0) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the file name must not be empty");
	}
	if (!mailer_utf8_valid(name, len)) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the file name is not valid UTF-8");
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f) {
			return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
									"the file name contains a control character (%s)",
									c == '\r'   ? "CR"
									: c == '\n' ? "LF"
									: c == '\0' ? "NUL"
												: "0x00-0x1F or 0x7F");
		}
	}
	return MAILER_OK;
}

static mailer_status check_type(const char *type, size_t len, mailer_error *err)
{
	char q[80];

	if (len > MAILER_CONTENT_TYPE_MAX || !mailer_mime_type_valid(type, len)) {
		return mailer_error_set(
			err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
			"the content type \"%s\" is not a MIME type such as \"application/pdf\"",
			quoted(q, type, len));
	}
	/* a multipart would need boundaries, and message types may not be base64 (RFC 2046 §5.2.1) */
	if ((len >= 10 && mailer_ascii_ncasecmp(type, "multipart/", 10) == 0) ||
		(len >= 8 && mailer_ascii_ncasecmp(type, "message/", 8) == 0)) {
		return mailer_error_set(
			err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
			"the content type \"%s\" cannot be used for an attachment (it is sent as "
			"base64); use application/octet-stream",
			quoted(q, type, len));
	}
	return MAILER_OK;
}

static mailer_status check_cid(const mailer_mime *b, const char *cid, size_t len, mailer_error *err)
{
	char q[80];
	size_t i;

	if (!mailer_mime_cid_valid(cid, len)) {
		return mailer_error_set(
			err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
			"the Content-ID \"%s\" is not usable: give letters, digits and "
			"!#$%%&'*+-/=?^_`{|}~. with at most one '@', without <> or \"cid:\"",
			quoted(q, cid, len));
	}
	for (i = 0; i < b->file_count; i++) {
		const mailer_part *p = &b->files[i];

		if (p->cid && strlen(p->cid) == len && mailer_ascii_ncasecmp(p->cid, cid, len) == 0) {
			return mailer_error_set(
				err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
				"the Content-ID \"%s\" is already used by another embedded file",
				quoted(q, cid, len));
		}
	}
	return MAILER_OK;
}

mailer_status mailer_mime_add_file(mailer_mime *b, const mailer_file_spec *spec, mailer_error *err)
{
	mailer_part *p;

	if (check_filename(spec->filename, spec->filename_len, err) != MAILER_OK ||
		(spec->content_type &&
		 check_type(spec->content_type, spec->content_type_len, err) != MAILER_OK) ||
		(spec->kind == MAILER_PART_INLINE &&
		 check_cid(b, spec->cid, spec->cid_len, err) != MAILER_OK)) {
		return MAILER_FAIL;
	}
	b->files = mailer_realloc(b->files, (b->file_count + 1) * sizeof(*b->files));
	p = &b->files[b->file_count++];
	part_init(p, spec->kind == MAILER_PART_INLINE ? MAILER_PART_INLINE : MAILER_PART_ATTACHMENT);
	p->set = 1;
	p->filename = mailer_strndup(spec->filename, spec->filename_len);
	p->filename_len = spec->filename_len;
	if (spec->content_type) {
		p->content_type = mailer_strndup(spec->content_type, spec->content_type_len);
	} else {
		p->content_type =
			mailer_strdup(mailer_mime_type_for_name(spec->filename, spec->filename_len));
	}
	if (p->kind == MAILER_PART_INLINE) {
		p->cid = mailer_strndup(spec->cid, spec->cid_len);
	}
	p->data = spec->data;
	p->source = spec->source;
	p->cte = MAILER_CTE_BASE64;
	return MAILER_OK;
}

/* ---- preparing ---- */

static int contains(const char *hay, size_t len, const char *needle, size_t n)
{
	const char *p = hay, *end = hay + len;

	while ((size_t)(end - p) >= n &&
		   (p = memchr(p, needle[0], (size_t)(end - p) - n + 1)) != NULL) {
		if (memcmp(p, needle, n) == 0) {
			return 1;
		}
		p++;
	}
	return 0;
}

/* The structure mailer_mime_write gives: only a multipart has boundaries. */
static int is_multipart(const mailer_mime *b)
{
	return b->file_count > 0 || (b->text.set && b->html.set);
}

static int boundary_safe(const mailer_mime *b)
{
	const mailer_part *bodies[2] = {&b->text, &b->html};
	size_t i;

	if (!is_multipart(b)) {
		return 1; /* none needed, and RAND_bytes costs ~7,000 instructions a call */
	}
	if (!b->boundary[0]) {
		return 0;
	}
	/* only 7bit bodies can hold arbitrary text; QP and base64 never write "=_" */
	for (i = 0; i < 2; i++) {
		if (bodies[i]->set && bodies[i]->cte == MAILER_CTE_7BIT &&
			contains(bodies[i]->data.data, bodies[i]->data.len, b->boundary, MAILER_BOUNDARY_LEN)) {
			return 0;
		}
	}
	return 1;
}

mailer_status mailer_mime_prepare(mailer_mime *b, mailer_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char random[16];
	mailer_part *bodies[2] = {&b->text, &b->html};
	size_t i, attempt;

	for (i = 0; i < 2; i++) {
		if (bodies[i]->set) {
			bodies[i]->cte =
				mailer_text_choose_cte(bodies[i]->data.data ? bodies[i]->data.data : "",
									   bodies[i]->data.len, MAILER_7BIT_LINE_MAX);
		}
	}
	for (attempt = 0; !boundary_safe(b); attempt++) {
		if (attempt == 8 || RAND_bytes(random, sizeof(random)) != 1) {
			return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
									"could not make a MIME boundary (no random bytes)");
		}
		b->boundary[0] = '=';
		b->boundary[1] = '_';
		for (i = 0; i < sizeof(random); i++) {
			b->boundary[2 + 2 * i] = hex[random[i] >> 4];
			b->boundary[3 + 2 * i] = hex[random[i] & 15];
		}
		b->boundary[MAILER_BOUNDARY_LEN] = '\0';
	}
	return MAILER_OK;
}

/* ---- writing ---- */

typedef struct writer {
	const mailer_mime *b;
	const mailer_sink *out;
	mailer_error *err;
	mailer_sink to_out; /* {writer_sink, this}: what the encoders write into */
	int crlf;           /* the last bytes written were CRLF */
	int need_crlf;      /* the part just written needs a CRLF before its delimiter */
	char *chunk;        /* MAILER_SOURCE_CHUNK bytes, allocated at the first source */
	mailer_buf head;    /* header lines of a nested part */
	/* measuring (mailer_mime_measure): sources are not read, their base64 size is
	 * added here instead; unknown is set when a source cannot say its size */
	unsigned long long *skipped;
	int unknown;
	union {
		mailer_base64_stream b64;
		mailer_qp_stream qp;
	} enc;
} writer;

static mailer_status writer_sink(void *ctx, const char *data, size_t len)
{
	writer *w = ctx;

	if (mailer_sink_write(w->out, data, len) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (len >= 2) {
		w->crlf = data[len - 2] == '\r' && data[len - 1] == '\n';
	} else if (len == 1) {
		w->crlf = 0;
	}
	return MAILER_OK;
}

/* The sink failed: the connection is gone (its owner knows the details). */
static mailer_status sink_failed(writer *w)
{
	if (w->err->kind == MAILER_ERR_NONE) {
		mailer_error_set(w->err, MAILER_ERR_CONNECTION, MAILER_STAGE_DATA,
						 "could not write the message");
	}
	return MAILER_FAIL;
}

static mailer_status put(writer *w, const char *data, size_t len)
{
	return writer_sink(w, data, len) == MAILER_OK ? MAILER_OK : sink_failed(w);
}

/* Ends a header block with the blank line and writes it. */
static mailer_status end_head(writer *w, mailer_buf *h)
{
	mailer_status rc;

	mailer_buf_append(h, "\r\n", 2);
	rc = put(w, h->data, h->len);
	mailer_buf_reset(h);
	return rc;
}

static mailer_status write_source(writer *w, const mailer_part *p)
{
	const mailer_source *src = &p->source;
	long n;

	if (!w->chunk) {
		w->chunk = mailer_malloc(MAILER_SOURCE_CHUNK);
	}
	if (src->ops->open(src->ctx, w->err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	while ((n = src->ops->read(src->ctx, w->chunk, MAILER_SOURCE_CHUNK, w->err)) > 0) {
		if (mailer_base64_stream_write(&w->enc.b64, w->chunk, (size_t)n) != MAILER_OK) {
			src->ops->close(src->ctx);
			return sink_failed(w);
		}
	}
	src->ops->close(src->ctx);
	if (n < 0) {
		if (w->err->kind == MAILER_ERR_NONE) {
			mailer_error_set(w->err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE, "could not read \"%s\"",
							 p->filename);
		}
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

static void file_headers(mailer_buf *h, const mailer_part *p)
{
	mailer_buf_appendf(h, "Content-Type: %s", p->content_type);
	/* name= for clients that ignore Content-Disposition, with the encoded-word
	 * form old ones read; filename= in standard RFC 2231 form only */
	mailer_header_write_param(h, "name", p->filename, p->filename_len, 1);
	mailer_buf_appends(h, "\r\nContent-Transfer-Encoding: base64\r\n");
	if (p->kind == MAILER_PART_INLINE) {
		mailer_buf_appendf(h, "Content-ID: <%s>\r\n", p->cid);
	}
	mailer_buf_appends(h, p->kind == MAILER_PART_INLINE ? "Content-Disposition: inline"
														: "Content-Disposition: attachment");
	mailer_header_write_param(h, "filename", p->filename, p->filename_len, 0);
	mailer_buf_appends(h, "\r\n");
}

static mailer_status write_leaf(writer *w, mailer_buf *h, const mailer_part *p)
{
	const char *data = p->data.data ? p->data.data : "";

	if (p->kind == MAILER_PART_TEXT || p->kind == MAILER_PART_HTML) {
		/* appends, not appendf: this runs for every message, and vsnprintf costs ~1k instructions a call */
		mailer_buf_appends(h, "Content-Type: ");
		mailer_buf_appends(h, p->content_type               ? p->content_type
							  : p->kind == MAILER_PART_TEXT ? "text/plain; charset=UTF-8"
															: "text/html; charset=UTF-8");
		mailer_buf_appends(h, "\r\nContent-Transfer-Encoding: ");
		mailer_buf_appends(h, mailer_cte_name(p->cte));
		mailer_buf_appends(h, "\r\n");
	} else {
		file_headers(h, p);
	}
	if (end_head(w, h) != MAILER_OK) {
		return MAILER_FAIL;
	}
	w->crlf = 0; /* the blank line is not the body's */
	/* a text's last line break is its own: the delimiter brings another */
	w->need_crlf = 1;
	if (p->cte == MAILER_CTE_7BIT) {
		return put(w, data, p->data.len);
	}
	if (p->cte == MAILER_CTE_QP) {
		mailer_qp_stream_init(&w->enc.qp, &w->to_out);
		if (mailer_qp_stream_write(&w->enc.qp, data, p->data.len) != MAILER_OK ||
			mailer_qp_stream_finish(&w->enc.qp) != MAILER_OK) {
			return sink_failed(w);
		}
		return MAILER_OK;
	}
	mailer_base64_stream_init(&w->enc.b64, &w->to_out);
	if (p->source.ops && w->skipped) {
		long long n =
			p->source.ops->size ? p->source.ops->size(p->source.ctx) : MAILER_SIZE_UNKNOWN;

		if (n < 0) {
			w->unknown = 1;
			return MAILER_FAIL; /* err untouched: the size is unknown, nothing failed */
		}
		/* base64 lines end with CRLF: what follows sees the state the real bytes leave */
		*w->skipped += mailer_base64_stream_len((size_t)n);
		w->crlf = n > 0;
	} else if (p->source.ops) {
		if (write_source(w, p) != MAILER_OK) {
			return MAILER_FAIL;
		}
	} else if (mailer_base64_stream_write(&w->enc.b64, data, p->data.len) != MAILER_OK) {
		return sink_failed(w);
	}
	if (mailer_base64_stream_finish(&w->enc.b64) != MAILER_OK) {
		return sink_failed(w);
	}
	/* base64 ends its lines itself; only empty data needs the CRLF */
	w->need_crlf = !w->crlf;
	return MAILER_OK;
}

static mailer_status open_multipart(writer *w, mailer_buf *h, const char *subtype, char level)
{
	mailer_buf_appendf(h, "Content-Type: multipart/%s;\r\n\tboundary=\"%s_%c\"\r\n", subtype,
					   w->b->boundary, level);
	return end_head(w, h);
}

/* "--boundary" before a part, or "--boundary--" after the last one. The CRLF
 * before it belongs to the delimiter (RFC 2046 §5.1.1). */
static mailer_status delimiter(writer *w, char level, int first, int close)
{
	char line[MAILER_BOUNDARY_LEN + 12];
	size_t n = 0;

	if (!first && w->need_crlf) {
		line[n++] = '\r';
		line[n++] = '\n';
	}
	line[n++] = '-';
	line[n++] = '-';
	memcpy(line + n, w->b->boundary, MAILER_BOUNDARY_LEN);
	n += MAILER_BOUNDARY_LEN;
	line[n++] = '_';
	line[n++] = level;
	if (close) {
		line[n++] = '-';
		line[n++] = '-';
	}
	line[n++] = '\r';
	line[n++] = '\n';
	w->need_crlf = 0;
	return put(w, line, n);
}

static int has_inline(const mailer_mime *b)
{
	size_t i;

	for (i = 0; i < b->file_count; i++) {
		if (b->files[i].kind == MAILER_PART_INLINE) {
			return 1;
		}
	}
	return 0;
}

/* Parts of the multipart/mixed besides the body: attachments, and inline
 * parts when there is no HTML to refer to them. */
static int in_mixed(const mailer_mime *b, const mailer_part *p)
{
	return p->kind == MAILER_PART_ATTACHMENT || !b->html.set;
}

/* The HTML body, inside a multipart/related with its inline parts if any. */
static mailer_status write_html(writer *w, mailer_buf *h)
{
	const mailer_mime *b = w->b;
	size_t i;

	if (!has_inline(b)) {
		return write_leaf(w, h, &b->html);
	}
	if (open_multipart(w, h, "related", 'r') != MAILER_OK || delimiter(w, 'r', 1, 0) != MAILER_OK ||
		write_leaf(w, &w->head, &b->html) != MAILER_OK) {
		return MAILER_FAIL;
	}
	for (i = 0; i < b->file_count; i++) {
		if (b->files[i].kind == MAILER_PART_INLINE &&
			(delimiter(w, 'r', 0, 0) != MAILER_OK ||
			 write_leaf(w, &w->head, &b->files[i]) != MAILER_OK)) {
			return MAILER_FAIL;
		}
	}
	return delimiter(w, 'r', 0, 1);
}

/* What the reader reads: text, HTML, or both as alternatives (text first). */
static mailer_status write_body(writer *w, mailer_buf *h)
{
	const mailer_mime *b = w->b;

	if (b->text.set && b->html.set) {
		if (open_multipart(w, h, "alternative", 'a') != MAILER_OK ||
			delimiter(w, 'a', 1, 0) != MAILER_OK ||
			write_leaf(w, &w->head, &b->text) != MAILER_OK ||
			delimiter(w, 'a', 0, 0) != MAILER_OK || write_html(w, &w->head) != MAILER_OK) {
			return MAILER_FAIL;
		}
		return delimiter(w, 'a', 0, 1);
	}
	if (b->html.set) {
		return write_html(w, h);
	}
	/* the text, or an empty one when the message has nothing else */
	return write_leaf(w, h, &b->text);
}

static mailer_status write_top(writer *w, mailer_buf *h)
{
	const mailer_mime *b = w->b;
	int first = 1;
	size_t i, mixed = 0;

	for (i = 0; i < b->file_count; i++) {
		mixed += (size_t)in_mixed(b, &b->files[i]);
	}
	if (mixed == 0) {
		return write_body(w, h);
	}
	if (open_multipart(w, h, "mixed", 'm') != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (b->text.set || b->html.set) {
		if (delimiter(w, 'm', 1, 0) != MAILER_OK || write_body(w, &w->head) != MAILER_OK) {
			return MAILER_FAIL;
		}
		first = 0;
	}
	for (i = 0; i < b->file_count; i++) {
		if (!in_mixed(b, &b->files[i])) {
			continue;
		}
		if (delimiter(w, 'm', first, 0) != MAILER_OK ||
			write_leaf(w, &w->head, &b->files[i]) != MAILER_OK) {
			return MAILER_FAIL;
		}
		first = 0;
	}
	return delimiter(w, 'm', 0, 1);
}

static mailer_status write_mime(const mailer_mime *b, mailer_buf *head, const mailer_sink *out,
								unsigned long long *skipped, int *unknown, mailer_error *err)
{
	writer *w = mailer_malloc(sizeof(*w));
	mailer_status rc;

	w->skipped = skipped;
	w->unknown = 0;
	w->b = b;
	w->out = out;
	w->err = err;
	w->to_out.write = writer_sink;
	w->to_out.ctx = w;
	w->crlf = 0;
	w->need_crlf = 0;
	w->chunk = NULL;
	mailer_buf_init(&w->head);
	rc = write_top(w, head);
	if (unknown) {
		*unknown = w->unknown;
	}
	mailer_buf_free(&w->head);
	mailer_free(w->chunk);
	mailer_free(w);
	return rc;
}

mailer_status mailer_mime_write(const mailer_mime *b, mailer_buf *head, const mailer_sink *out,
								mailer_error *err)
{
	return write_mime(b, head, out, NULL, NULL, err);
}

mailer_status mailer_mime_measure(const mailer_mime *b, mailer_buf *head, const mailer_sink *out,
								  unsigned long long *skipped, int *unknown, mailer_error *err)
{
	*skipped = 0;
	return write_mime(b, head, out, skipped, unknown, err);
}
