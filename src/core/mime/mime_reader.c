#include "core/mime/mime_reader.h"
#include "core/mime/header.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/util/source.h"

#include <string.h>

/* Input a memory body is encoded in per step: the output held stays small. */
#define MEMORY_PIECE (16 * 1024)

/* One thing a pass hands out, in order: a header block (with its blank line), a
 * part's body, or a multipart delimiter, whose leading CRLF depends on how the
 * body before it ended (known only once it is encoded). */
typedef enum step_kind { STEP_TEXT, STEP_BODY, STEP_DELIMITER } step_kind;

typedef struct step {
	step_kind kind;
	size_t off, len;         /* STEP_TEXT: the bytes in r->text */
	const mailer_part *part; /* STEP_BODY */
	char level;              /* STEP_DELIMITER: the boundary's suffix */
	unsigned char first, close;
} step;

/* Where the body under way stands. */
typedef enum body_phase { BODY_START, BODY_DATA, BODY_FINISH, BODY_DONE } body_phase;

struct mailer_mime_reader {
	const mailer_mime *b;
	int measure;
	/* the plan of the pass */
	mailer_buf text; /* every header block, back to back */
	step *steps;
	size_t step_count, step_cap;
	size_t next; /* the step under way */
	/* the body under way */
	body_phase phase;
	size_t data_pos;  /* bytes of the part's memory data encoded so far */
	int source_open;  /* the part's source is open (closed at its end, on error, at free) */
	int crlf;         /* the last bytes produced were CRLF */
	int need_crlf;    /* the part just produced needs a CRLF before its delimiter */
	char *chunk;      /* MAILER_SOURCE_CHUNK bytes, allocated at the first source */
	mailer_buf out;   /* produced, not yet handed out */
	size_t out_pos;   /* bytes of out handed out */
	mailer_sink sink; /* {produce, this}: what the encoders write into */
	unsigned long long skipped;
	int unknown;
	union {
		mailer_base64_stream b64;
		mailer_qp_stream qp;
	} enc;
};

/* ---- producing ---- */

static mailer_status produce(void *ctx, const char *data, size_t len)
{
	mailer_mime_reader *r = ctx;

	mailer_buf_append(&r->out, data, len);
	if (len >= 2) {
		r->crlf = data[len - 2] == '\r' && data[len - 1] == '\n';
	} else if (len == 1) {
		r->crlf = 0;
	}
	return MAILER_OK;
}

/* ---- planning: the part tree as the steps of one pass ---- */

static step *add_step(mailer_mime_reader *r, step_kind kind)
{
	step *s;

	if (r->step_count == r->step_cap) {
		r->step_cap = r->step_cap ? 2 * r->step_cap : 16;
		r->steps = mailer_realloc(r->steps, r->step_cap * sizeof(*r->steps));
	}
	s = &r->steps[r->step_count++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

/* Ends a header block with the blank line. */
static void end_head(mailer_mime_reader *r, mailer_buf *h)
{
	step *s = add_step(r, STEP_TEXT);

	mailer_buf_append(h, "\r\n", 2);
	s->off = r->text.len;
	s->len = h->len;
	mailer_buf_append(&r->text, h->data, h->len);
	mailer_buf_reset(h);
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

static void plan_leaf(mailer_mime_reader *r, mailer_buf *h, const mailer_part *p)
{
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
	end_head(r, h);
	add_step(r, STEP_BODY)->part = p;
}

static void plan_multipart(mailer_mime_reader *r, mailer_buf *h, const char *subtype, char level)
{
	mailer_buf_appendf(h, "Content-Type: multipart/%s;\r\n\tboundary=\"%s_%c\"\r\n", subtype,
					   r->b->boundary, level);
	end_head(r, h);
}

/* "--boundary" before a part, or "--boundary--" after the last one. */
static void plan_delimiter(mailer_mime_reader *r, char level, int first, int close)
{
	step *s = add_step(r, STEP_DELIMITER);

	s->level = level;
	s->first = (unsigned char)first;
	s->close = (unsigned char)close;
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
static void plan_html(mailer_mime_reader *r, mailer_buf *h, mailer_buf *nested)
{
	const mailer_mime *b = r->b;
	size_t i;

	if (!has_inline(b)) {
		plan_leaf(r, h, &b->html);
		return;
	}
	plan_multipart(r, h, "related", 'r');
	plan_delimiter(r, 'r', 1, 0);
	plan_leaf(r, nested, &b->html);
	for (i = 0; i < b->file_count; i++) {
		if (b->files[i].kind == MAILER_PART_INLINE) {
			plan_delimiter(r, 'r', 0, 0);
			plan_leaf(r, nested, &b->files[i]);
		}
	}
	plan_delimiter(r, 'r', 0, 1);
}

/* What the reader reads: text, HTML, or both as alternatives (text first). */
static void plan_body(mailer_mime_reader *r, mailer_buf *h, mailer_buf *nested)
{
	const mailer_mime *b = r->b;

	if (b->text.set && b->html.set) {
		plan_multipart(r, h, "alternative", 'a');
		plan_delimiter(r, 'a', 1, 0);
		plan_leaf(r, nested, &b->text);
		plan_delimiter(r, 'a', 0, 0);
		plan_html(r, nested, nested);
		plan_delimiter(r, 'a', 0, 1);
	} else if (b->html.set) {
		plan_html(r, h, nested);
	} else {
		/* the text, or an empty one when the message has nothing else */
		plan_leaf(r, h, &b->text);
	}
}

static void plan(mailer_mime_reader *r, mailer_buf *h)
{
	const mailer_mime *b = r->b;
	mailer_buf nested; /* header lines of a nested part */
	int first = 1;
	size_t i, mixed = 0;

	mailer_buf_init(&nested);
	for (i = 0; i < b->file_count; i++) {
		mixed += (size_t)in_mixed(b, &b->files[i]);
	}
	if (mixed == 0) {
		plan_body(r, h, &nested);
		mailer_buf_free(&nested);
		return;
	}
	plan_multipart(r, h, "mixed", 'm');
	if (b->text.set || b->html.set) {
		plan_delimiter(r, 'm', 1, 0);
		plan_body(r, &nested, &nested);
		first = 0;
	}
	for (i = 0; i < b->file_count; i++) {
		if (in_mixed(b, &b->files[i])) {
			plan_delimiter(r, 'm', first, 0);
			plan_leaf(r, &nested, &b->files[i]);
			first = 0;
		}
	}
	plan_delimiter(r, 'm', 0, 1);
	mailer_buf_free(&nested);
}

/* ---- running the plan ---- */

static void close_source(mailer_mime_reader *r, const mailer_part *p)
{
	if (r->source_open) {
		r->source_open = 0;
		p->source.ops->close(p->source.ctx);
	}
}

static void run_delimiter(mailer_mime_reader *r, const step *s)
{
	char line[MAILER_BOUNDARY_LEN + 12];
	size_t n = 0;

	/* the CRLF before it belongs to the delimiter (RFC 2046 §5.1.1) */
	if (!s->first && r->need_crlf) {
		line[n++] = '\r';
		line[n++] = '\n';
	}
	line[n++] = '-';
	line[n++] = '-';
	memcpy(line + n, r->b->boundary, MAILER_BOUNDARY_LEN);
	n += MAILER_BOUNDARY_LEN;
	line[n++] = '_';
	line[n++] = s->level;
	if (s->close) {
		line[n++] = '-';
		line[n++] = '-';
	}
	line[n++] = '\r';
	line[n++] = '\n';
	r->need_crlf = 0;
	produce(r, line, n);
}

/* A file part's source: one chunk read and encoded, or its end. */
static mailer_status source_step(mailer_mime_reader *r, const mailer_part *p, mailer_error *err)
{
	const mailer_source *src = &p->source;
	long n;

	if (r->measure) {
		long long size = src->ops->size ? src->ops->size(src->ctx) : MAILER_SIZE_UNKNOWN;

		if (size < 0) {
			r->unknown = 1;
			return MAILER_FAIL; /* err untouched: the size is unknown, nothing failed */
		}
		/* base64 lines end with CRLF: what follows sees the state the real bytes leave */
		r->skipped += mailer_base64_stream_len((size_t)size);
		r->crlf = size > 0;
		r->phase = BODY_FINISH;
		return MAILER_OK;
	}
	if (!r->source_open) {
		if (!r->chunk) {
			r->chunk = mailer_malloc(MAILER_SOURCE_CHUNK);
		}
		if (src->ops->open(src->ctx, err) != MAILER_OK) {
			return MAILER_FAIL;
		}
		r->source_open = 1;
	}
	n = src->ops->read(src->ctx, r->chunk, MAILER_SOURCE_CHUNK, err);
	if (n > 0) {
		mailer_base64_stream_write(&r->enc.b64, r->chunk, (size_t)n);
		return MAILER_OK;
	}
	close_source(r, p);
	if (n < 0) {
		if (err->kind == MAILER_ERR_NONE) {
			mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE, "could not read \"%s\"",
							 p->filename);
		}
		return MAILER_FAIL;
	}
	r->phase = BODY_FINISH;
	return MAILER_OK;
}

/* A body: its next piece, encoded into r->out (which may stay empty while an
 * encoder gathers whole lines), or its end. */
static mailer_status body_step(mailer_mime_reader *r, const mailer_part *p, mailer_error *err)
{
	const char *data = p->data.data ? p->data.data : "";
	size_t piece;

	switch (r->phase) {
	case BODY_START:
		r->crlf = 0; /* the blank line is not the body's */
		/* a text's last line break is its own: the delimiter brings another */
		r->need_crlf = 1;
		r->data_pos = 0;
		if (p->cte == MAILER_CTE_QP) {
			mailer_qp_stream_init(&r->enc.qp, &r->sink);
		} else if (p->cte == MAILER_CTE_BASE64) {
			mailer_base64_stream_init(&r->enc.b64, &r->sink);
		}
		r->phase = BODY_DATA;
		return MAILER_OK;
	case BODY_DATA:
		if (p->cte == MAILER_CTE_BASE64 && p->source.ops) {
			return source_step(r, p, err);
		}
		piece = p->data.len - r->data_pos;
		if (piece > MEMORY_PIECE) {
			piece = MEMORY_PIECE;
		}
		if (p->cte == MAILER_CTE_7BIT) {
			produce(r, data + r->data_pos, piece);
		} else if (p->cte == MAILER_CTE_QP) {
			mailer_qp_stream_write(&r->enc.qp, data + r->data_pos, piece);
		} else {
			mailer_base64_stream_write(&r->enc.b64, data + r->data_pos, piece);
		}
		r->data_pos += piece;
		if (r->data_pos == p->data.len) {
			r->phase = BODY_FINISH;
		}
		return MAILER_OK;
	case BODY_FINISH:
		if (p->cte == MAILER_CTE_QP) {
			mailer_qp_stream_finish(&r->enc.qp);
		} else if (p->cte == MAILER_CTE_BASE64) {
			mailer_base64_stream_finish(&r->enc.b64);
			/* base64 ends its lines itself; only empty data needs the CRLF */
			r->need_crlf = !r->crlf;
		}
		r->phase = BODY_DONE;
		return MAILER_OK;
	default:
		return MAILER_OK;
	}
}

/* Runs the plan until something was produced or the pass is over. */
static mailer_status advance(mailer_mime_reader *r, mailer_error *err)
{
	while (r->out.len == 0 && r->next < r->step_count) {
		const step *s = &r->steps[r->next];

		if (s->kind == STEP_TEXT) {
			produce(r, r->text.data + s->off, s->len);
		} else if (s->kind == STEP_DELIMITER) {
			run_delimiter(r, s);
		} else {
			if (body_step(r, s->part, err) != MAILER_OK) {
				return MAILER_FAIL;
			}
			if (r->phase != BODY_DONE) {
				continue;
			}
			r->phase = BODY_START;
		}
		r->next++;
	}
	return MAILER_OK;
}

/* ---- the API ---- */

mailer_mime_reader *mailer_mime_reader_new(const mailer_mime *b, int measure)
{
	mailer_mime_reader *r = mailer_calloc(1, sizeof(*r));

	r->b = b;
	r->measure = measure;
	mailer_buf_init(&r->text);
	mailer_buf_init(&r->out);
	r->sink.write = produce;
	r->sink.ctx = r;
	return r;
}

static void end_pass(mailer_mime_reader *r)
{
	if (r->source_open && r->next < r->step_count) {
		close_source(r, r->steps[r->next].part);
	}
	r->step_count = 0;
	r->next = 0;
	r->phase = BODY_START;
	mailer_buf_reset(&r->text);
	mailer_buf_reset(&r->out);
	r->out_pos = 0;
}

void mailer_mime_reader_start(mailer_mime_reader *r, const char *head, size_t head_len)
{
	mailer_buf h;

	end_pass(r);
	r->crlf = r->need_crlf = 0;
	r->skipped = 0;
	r->unknown = 0;
	mailer_buf_init(&h);
	mailer_buf_append(&h, head, head_len);
	plan(r, &h);
	mailer_buf_free(&h);
}

long mailer_mime_reader_read(mailer_mime_reader *r, char *buf, size_t cap, mailer_error *err)
{
	size_t n;

	if (r->out_pos == r->out.len) {
		mailer_buf_reset(&r->out);
		r->out_pos = 0;
		if (advance(r, err) != MAILER_OK) {
			return -1;
		}
		if (r->out.len == 0) {
			return 0; /* the plan has run */
		}
	}
	n = r->out.len - r->out_pos;
	if (n > cap) {
		n = cap;
	}
	memcpy(buf, r->out.data + r->out_pos, n);
	r->out_pos += n;
	return (long)n;
}

unsigned long long mailer_mime_reader_skipped(const mailer_mime_reader *r)
{
	return r->skipped;
}

int mailer_mime_reader_unknown(const mailer_mime_reader *r)
{
	return r->unknown;
}

void mailer_mime_reader_free(mailer_mime_reader *r)
{
	if (!r) {
		return;
	}
	end_pass(r);
	mailer_buf_free(&r->text);
	mailer_buf_free(&r->out);
	mailer_free(r->steps);
	mailer_free(r->chunk);
	mailer_free(r);
}
