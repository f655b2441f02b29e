#include "core/mime/mime.h"
#include "core/util/alloc.h"
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
