/* The MIME writer (mime.c, message.c) and the content-type table (mimetype.c):
 * structures, encodings, boundaries, sources read in chunks, failures. The
 * phpt tests check the same messages with Python's parser; these check the
 * bytes and the error paths that PHP cannot reach. */
#include "unit.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/util/buf.h"
#include "core/mime/message.h"
#include "core/mime/mimetype.h"

#include <stdint.h>
#include <stdlib.h>

/* ---- a source over memory that can be told to fail ---- */

typedef struct mem_source {
	const char *data;
	size_t len, pos;
	size_t step; /* bytes per read, to test partial reads */
	int fail_open;
	size_t fail_after; /* a read fails once pos reaches this; 0: never */
	int opened, closed, freed;
	size_t max_read; /* the largest len a read was asked for */
} mem_source;

static mailer_status mem_open(void *ctx, mailer_error *err)
{
	mem_source *s = ctx;

	if (s->fail_open) {
		return mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE, "cannot open");
	}
	s->pos = 0;
	s->opened++;
	return MAILER_OK;
}

static long mem_read(void *ctx, char *buf, size_t len, mailer_error *err)
{
	mem_source *s = ctx;
	size_t n = s->len - s->pos;

	if (len > s->max_read) {
		s->max_read = len;
	}
	if (s->fail_after && s->pos >= s->fail_after) {
		mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE, "disk on fire");
		return -1;
	}
	if (n > len) {
		n = len;
	}
	if (s->step && n > s->step) {
		n = s->step;
	}
	memcpy(buf, s->data + s->pos, n);
	s->pos += n;
	return (long)n;
}

static void mem_close(void *ctx)
{
	((mem_source *)ctx)->closed++;
}

static void mem_free(void *ctx)
{
	((mem_source *)ctx)->freed++;
}

static const mailer_source_ops mem_ops = {mem_open, mem_read, mem_close, mem_free, NULL};

/* A sink that fails after some bytes. */
typedef struct limit_sink {
	mailer_buf buf;
	size_t limit;
} limit_sink;

static mailer_status limit_write(void *ctx, const char *data, size_t len)
{
	limit_sink *l = ctx;

	if (l->buf.len + len > l->limit) {
		return MAILER_FAIL;
	}
	mailer_buf_append(&l->buf, data, len);
	return MAILER_OK;
}

static void released(void *owner)
{
	(*(int *)owner)++;
}

/* ---- helpers ---- */

static void message_init(mailer_message *m)
{
	mailer_error err;

	mailer_message_init(m);
	mailer_error_init(&err);
	CHECK(mailer_address_parse_one(&m->from, "a@example.org", 13, &err) == MAILER_OK);
	CHECK(mailer_address_parse_one(&m->to, "b@example.net", 13, &err) == MAILER_OK);
	CHECK(mailer_message_set_date(m, "Thu, 1 Jan 2026 00:00:00 +0000", 30, &err) == MAILER_OK);
	CHECK(mailer_message_set_message_id(m, "<id@example.org>", 16, &err) == MAILER_OK);
	mailer_error_clear(&err);
}

static void set_body(mailer_message *m, mailer_part_kind kind, const char *text)
{
	mailer_bytes b = {text, strlen(text), NULL, NULL};
	mailer_error err;

	mailer_error_init(&err);
	CHECK(mailer_mime_set_body(&m->mime, kind, &b, 1, &err) == MAILER_OK);
	mailer_error_clear(&err);
}

static int add_data(mailer_message *m, mailer_part_kind kind, const char *data, size_t len,
					const char *name, const char *type, const char *cid, mailer_error *err)
{
	mailer_file_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.kind = kind;
	spec.data.data = data;
	spec.data.len = len;
	spec.filename = name;
	spec.filename_len = strlen(name);
	spec.content_type = type;
	spec.content_type_len = type ? strlen(type) : 0;
	spec.cid = cid;
	spec.cid_len = cid ? strlen(cid) : 0;
	return mailer_mime_add_file(&m->mime, &spec, err);
}

/* Prepares and writes the message; returns the bytes (caller frees) or NULL. */
static char *render(mailer_message *m, size_t *len, mailer_error *err)
{
	mailer_buf out;
	mailer_sink sink = {mailer_sink_to_buf, NULL};

	mailer_buf_init(&out);
	sink.ctx = &out;
	if (mailer_message_prepare(m, err) != MAILER_OK ||
		mailer_message_write(m, &sink, err) != MAILER_OK) {
		mailer_buf_free(&out);
		return NULL;
	}
	return mailer_buf_detach(&out, len);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle)) {
		n++;
	}
	return n;
}

/* The text between "\r\n\r\n" after marker and the next "\r\n--". */
static char *body_after(const char *msg, const char *marker, size_t *len)
{
	const char *p = strstr(msg, marker), *end;

	if (!p || !(p = strstr(p, "\r\n\r\n")) || !(end = strstr(p + 4, "\r\n--"))) {
		*len = 0;
		return NULL;
	}
	*len = (size_t)(end - p - 4);
	return mailer_strndup(p + 4, *len);
}

/* Decodes base64 with line breaks. Caller frees. */
static unsigned char *unbase64(const char *in, size_t len, size_t *out_len)
{
	char *flat = mailer_malloc(len + 1);
	unsigned char *out;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (in[i] != '\r' && in[i] != '\n') {
			flat[n++] = in[i];
		}
	}
	out = mailer_malloc(n / 4 * 3 + 1);
	if (mailer_base64_decode(flat, n, out, out_len) != MAILER_OK) {
		mailer_free(out);
		out = NULL;
	}
	mailer_free(flat);
	return out;
}

/* ---- tests ---- */

/* The message read through its producer with reads of at most cap bytes. NULL on failure. */
static char *pull(const mailer_message *m, size_t cap, size_t *len, mailer_error *err)
{
	mailer_producer p;
	mailer_buf out;
	char *piece = mailer_malloc(cap);
	long n = 0;
	int pass, over = 0;

	mailer_message_producer(m, &p);
	mailer_buf_init(&out);
	/* twice: a rewound producer gives the same bytes again */
	for (pass = 0; pass < 2; pass++) {
		mailer_buf_reset(&out);
		if (mailer_producer_rewind(&p, err) != MAILER_OK) {
			n = -1;
			break;
		}
		while ((n = mailer_producer_read(&p, piece, cap, err)) > 0) {
			over |= (size_t)n > cap;
			mailer_buf_append(&out, piece, (size_t)n);
		}
		if (n < 0) {
			break;
		}
	}
	mailer_free(piece);
	mailer_producer_free(&p);
	CHECK(!over);
	if (n < 0) {
		mailer_buf_free(&out);
		return NULL;
	}
	return mailer_buf_detach(&out, len);
}

/* The fixtures of the pull writer's test: every structure, each encoding, memory
 * bodies longer than a piece, sources read in small steps, empty parts. */
static void pull_fixture(mailer_message *m, int which, mem_source *src, char *big, size_t big_len)
{
	mailer_error err;
	mailer_file_spec spec;

	message_init(m);
	mailer_error_init(&err);
	if (which & 1) {
		set_body(m, MAILER_PART_TEXT, which & 16 ? big : "text\n.dot\r\n");
	}
	if (which & 2) {
		/* a long line: quoted-printable */
		set_body(m, MAILER_PART_HTML,
				 "<p>long line long line long line long line long line long line long line long "
				 "line long line long line long line long line long line long line \xc3\xa9</p>");
	}
	if (which & 4) {
		CHECK(add_data(m, MAILER_PART_INLINE, big, big_len, "logo.png", NULL, "logo", &err) ==
			  MAILER_OK);
	}
	if (which & 8) {
		memset(&spec, 0, sizeof(spec));
		spec.kind = MAILER_PART_ATTACHMENT;
		spec.source.ops = &mem_ops;
		spec.source.ctx = src;
		spec.filename = "big.bin";
		spec.filename_len = 7;
		CHECK(mailer_mime_add_file(&m->mime, &spec, &err) == MAILER_OK);
		CHECK(add_data(m, MAILER_PART_ATTACHMENT, "", 0, "empty.txt", NULL, NULL, &err) ==
			  MAILER_OK);
	}
	mailer_error_clear(&err);
}

/* The pull writer gives the same bytes whatever the size of the reads: render()
 * drains it in 16 KB pieces, pull() reads 1, 7 or 64 KB at a time, twice (rewound).
 * (Before the push writer was deleted, render() ran it: the bytes were equal.) */
static void check_pull_writer(void)
{
	static const size_t caps[] = {1, 7, 64 * 1024};
	size_t big_len = 3 * 64 * 1024 + 5, i, c;
	char *big = mailer_malloc(big_len + 1);
	int which;

	for (i = 0; i < big_len; i++) {
		big[i] = (char)('a' + i % 26);
		if (i % 70 == 69) {
			big[i] = '\n';
		}
	}
	big[big_len] = '\0';
	for (which = 0; which < 32; which++) {
		mem_source src = {big, big_len, 0, 1000, 0, 0, 0, 0, 0, 0};
		mailer_message m;
		mailer_error err;
		size_t len, pulled_len;
		char *pushed, *pulled;

		pull_fixture(&m, which, &src, big, big_len);
		mailer_error_init(&err);
		pushed = render(&m, &len, &err);
		CHECK(pushed != NULL);
		for (c = 0; pushed && c < sizeof(caps) / sizeof(caps[0]); c++) {
			if (caps[c] == 1 && which >= 8) {
				continue; /* a 260 KB source byte by byte: slow under valgrind, and 7 shows it */
			}
			pulled = pull(&m, caps[c], &pulled_len, &err);
			CHECK(pulled != NULL && pulled_len == len && memcmp(pulled, pushed, len) == 0);
			if (!pulled || pulled_len != len || memcmp(pulled, pushed, len) != 0) {
				fprintf(stderr, "fixture %d, reads of %zu: %zu bytes pulled, %zu pushed\n", which,
						caps[c], pulled ? pulled_len : 0, len);
			}
			mailer_free(pulled);
		}
		CHECK(src.opened == src.closed);
		mailer_free(pushed);
		mailer_error_clear(&err);
		mailer_message_free(&m);
	}
	mailer_free(big);
}

static void check_types(void)
{
	CHECK_STR(mailer_mime_type_for_name("report.pdf", 10), "application/pdf");
	CHECK_STR(mailer_mime_type_for_name("PHOTO.JPG", 9), "image/jpeg");
	CHECK_STR(mailer_mime_type_for_name("a.jpeg", 6), "image/jpeg");
	CHECK_STR(mailer_mime_type_for_name("x.tar.gz", 8), "application/gzip");
	CHECK_STR(mailer_mime_type_for_name("sheet.xlsx", 10),
			  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	CHECK_STR(mailer_mime_type_for_name("invite.ics", 10), "text/calendar");
	CHECK_STR(mailer_mime_type_for_name("R\xc3\xa9sum\xc3\xa9.pdf", 12), "application/pdf");
	CHECK_STR(mailer_mime_type_for_name("noext", 5), "application/octet-stream");
	CHECK_STR(mailer_mime_type_for_name(".profile", 8), "application/octet-stream");
	CHECK_STR(mailer_mime_type_for_name("dir/.png", 8), "application/octet-stream");
	CHECK_STR(mailer_mime_type_for_name("a.", 2), "application/octet-stream");
	CHECK_STR(mailer_mime_type_for_name("a.verylongext", 13), "application/octet-stream");
	CHECK_STR(mailer_mime_type_for_name("x.unknown", 9), "application/octet-stream");
	CHECK_STR(mailer_mime_type_for_name("", 0), "application/octet-stream");

	CHECK(mailer_mime_type_valid("application/pdf", 15));
	CHECK(mailer_mime_type_valid("text/csv; charset=utf-8", 23));
	CHECK(mailer_mime_type_valid("image/svg+xml", 13));
	CHECK(!mailer_mime_type_valid("pdf", 3));
	CHECK(!mailer_mime_type_valid("text/", 5));
	CHECK(!mailer_mime_type_valid("/plain", 6));
	CHECK(!mailer_mime_type_valid("text/plain\r\nBcc: x@y", 20));
	CHECK(!mailer_mime_type_valid("text/plain x", 12));
	CHECK(!mailer_mime_type_valid("text/pl ain", 11));
	CHECK(!mailer_mime_type_valid("t\xc3\xa9xt/plain", 11));

	CHECK(mailer_mime_cid_valid("logo", 4));
	CHECK(mailer_mime_cid_valid("logo.png@example.org", 20));
	CHECK(mailer_mime_cid_valid("a+b=c", 5));
	CHECK(!mailer_mime_cid_valid("", 0));
	CHECK(!mailer_mime_cid_valid("<logo>", 6));
	CHECK(!mailer_mime_cid_valid("a@b@c", 5));
	CHECK(!mailer_mime_cid_valid("a b", 3));
	CHECK(!mailer_mime_cid_valid("a..b", 4));
	CHECK(!mailer_mime_cid_valid(".a", 2));
	CHECK(!mailer_mime_cid_valid("a.@b", 4));
	CHECK(!mailer_mime_cid_valid("cid:logo", 8));
	CHECK(!mailer_mime_cid_valid("a\r\nb", 4));
}

/* Text only: a single part, exactly as sendmail() always wrote it. */
static void check_text_only(void)
{
	mailer_message m;
	mailer_error err;
	char *out;
	size_t len;

	message_init(&m);
	mailer_error_init(&err);
	set_body(&m, MAILER_PART_TEXT, "Hello\r\n");
	out = render(&m, &len, &err);
	CHECK(out != NULL);
	if (out) {
		CHECK_STR(out, "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n"
					   "From: a@example.org\r\n"
					   "To: b@example.net\r\n"
					   "Message-ID: <id@example.org>\r\n"
					   "MIME-Version: 1.0\r\n"
					   "Content-Type: text/plain; charset=UTF-8\r\n"
					   "Content-Transfer-Encoding: 7bit\r\n"
					   "\r\n"
					   "Hello\r\n");
	}
	mailer_free(out);
	mailer_message_free(&m);

	/* nothing at all: an empty text/plain */
	message_init(&m);
	out = render(&m, &len, &err);
	CHECK(
		out &&
		strstr(
			out,
			"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n") &&
		len > 4 && memcmp(out + len - 4, "\r\n\r\n", 4) == 0);
	mailer_free(out);
	mailer_message_free(&m);
}

/* Every combination: the tree and the order of its parts. */
static void check_structures(void)
{
	static const struct {
		int text, html, inl, att;
		const char *types[8]; /* the Content-Type lines in order */
	} cases[] = {
		{0, 1, 0, 0, {"text/html"}},
		{1, 1, 0, 0, {"multipart/alternative", "text/plain", "text/html"}},
		{0, 1, 1, 0, {"multipart/related", "text/html", "image/png"}},
		{1,
		 1,
		 1,
		 0,
		 {"multipart/alternative", "text/plain", "multipart/related", "text/html", "image/png"}},
		{1, 0, 0, 1, {"multipart/mixed", "text/plain", "application/pdf"}},
		{0, 0, 0, 1, {"multipart/mixed", "application/pdf"}},
		{1,
		 1,
		 0,
		 1,
		 {"multipart/mixed", "multipart/alternative", "text/plain", "text/html",
		  "application/pdf"}},
		{1,
		 1,
		 1,
		 1,
		 {"multipart/mixed", "multipart/alternative", "text/plain", "multipart/related",
		  "text/html", "image/png", "application/pdf"}},
		/* inline parts without HTML have nothing to refer to them: mixed */
		{1, 0, 1, 0, {"multipart/mixed", "text/plain", "image/png"}},
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mailer_message m;
		mailer_error err;
		const char *p;
		char *out;
		size_t len, n = 0;

		message_init(&m);
		mailer_error_init(&err);
		if (cases[i].text) {
			set_body(&m, MAILER_PART_TEXT, "text\r\n");
		}
		if (cases[i].html) {
			set_body(&m, MAILER_PART_HTML, "<p>html</p>");
		}
		if (cases[i].inl) {
			CHECK(add_data(&m, MAILER_PART_INLINE, "PNG", 3, "logo.png", NULL, "logo", &err) ==
				  MAILER_OK);
		}
		if (cases[i].att) {
			CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "PDF", 3, "doc.pdf", NULL, NULL, &err) ==
				  MAILER_OK);
		}
		out = render(&m, &len, &err);
		CHECK(out != NULL);
		for (p = out; out && (p = strstr(p, "Content-Type: ")) != NULL; p++, n++) {
			const char *want = n < 8 ? cases[i].types[n] : NULL;

			CHECK(want && strncmp(p + 14, want, strlen(want)) == 0);
		}
		for (j = 0; j < 8 && cases[i].types[j]; j++) {
		}
		CHECK(n == j);
		/* every multipart is closed, each with its own boundary */
		CHECK(out && count(out, "_m--\r\n") == (strstr(out, "multipart/mixed") ? 1u : 0u));
		CHECK(out && count(out, "_a--\r\n") == (strstr(out, "multipart/alternative") ? 1u : 0u));
		CHECK(out && count(out, "_r--\r\n") == (strstr(out, "multipart/related") ? 1u : 0u));
		mailer_free(out);
		mailer_message_free(&m);
	}
}

/* Parts' headers: Content-ID and inline, attachment with filename, RFC 2231. */
static void check_part_headers(void)
{
	mailer_message m;
	mailer_error err;
	char *out;
	size_t len;

	message_init(&m);
	mailer_error_init(&err);
	set_body(&m, MAILER_PART_HTML, "<img src=\"cid:logo@x\">");
	CHECK(add_data(&m, MAILER_PART_INLINE, "GIF", 3, "logo.gif", NULL, "logo@x", &err) ==
		  MAILER_OK);
	CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "x", 1, "R\xc3\xa9sum\xc3\xa9.pdf", NULL, NULL,
				   &err) == MAILER_OK);
	CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "a,b\n", 4, "data", "text/csv; charset=utf-8", NULL,
				   &err) == MAILER_OK);
	out = render(&m, &len, &err);
	CHECK(out != NULL);
	if (out) {
		CHECK(
			strstr(
				out,
				"Content-Type: image/gif;\r\n\tname=logo.gif\r\nContent-Transfer-Encoding: base64\r\n"
				"Content-ID: <logo@x>\r\nContent-Disposition: inline;\r\n\tfilename=logo.gif\r\n\r\n"
				"R0lG\r\n--") != NULL);
		CHECK(
			strstr(out,
				   "Content-Type: application/pdf;\r\n\tname=\"=?UTF-8?B?UsOpc3Vtw6kucGRm?=\";\r\n"
				   "\tname*=utf-8''R%C3%A9sum%C3%A9.pdf\r\n") != NULL);
		CHECK(
			strstr(
				out,
				"Content-Disposition: attachment;\r\n\tfilename*=utf-8''R%C3%A9sum%C3%A9.pdf\r\n") !=
			NULL);
		CHECK(strstr(out, "Content-Type: text/csv; charset=utf-8;\r\n\tname=data\r\n") != NULL);
		/* base64 ends its own line: no blank line before the delimiter */
		CHECK(strstr(out, "YSxiCg==\r\n--=_") != NULL);
	}
	mailer_free(out);
	mailer_message_free(&m);
}

/* Bad files are refused, and nothing is taken from the caller then. */
static void check_refused(void)
{
	mailer_message m;
	mailer_error err;
	mailer_file_spec spec;
	mem_source src = {"x", 1, 0, 0, 0, 0, 0, 0, 0, 0};
	int rel = 0;

	message_init(&m);
	mailer_error_init(&err);
	CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "x", 1, "", NULL, NULL, &err) == MAILER_FAIL &&
		  err.kind == MAILER_ERR_INVALID);
	mailer_error_clear(&err);
	CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "x", 1, "a\r\nb.txt", NULL, NULL, &err) ==
			  MAILER_FAIL &&
		  strstr(err.message, "control character (CR)"));
	mailer_error_clear(&err);
	CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "x", 1, "\xff.txt", NULL, NULL, &err) ==
		  MAILER_FAIL);
	mailer_error_clear(&err);
	CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "x", 1, "a.txt", "text", NULL, &err) == MAILER_FAIL);
	mailer_error_clear(&err);
	CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "x", 1, "a.eml", "message/rfc822", NULL, &err) ==
		  MAILER_FAIL);
	mailer_error_clear(&err);
	CHECK(add_data(&m, MAILER_PART_ATTACHMENT, "x", 1, "a", "multipart/mixed; boundary=x", NULL,
				   &err) == MAILER_FAIL);
	mailer_error_clear(&err);
	CHECK(add_data(&m, MAILER_PART_INLINE, "x", 1, "a.png", NULL, "<a>", &err) == MAILER_FAIL);
	mailer_error_clear(&err);
	CHECK(add_data(&m, MAILER_PART_INLINE, "x", 1, "a.png", NULL, "a", &err) == MAILER_OK);
	CHECK(add_data(&m, MAILER_PART_INLINE, "x", 1, "b.png", NULL, "A", &err) == MAILER_FAIL &&
		  strstr(err.message, "already used"));
	mailer_error_clear(&err);
	CHECK(m.mime.file_count == 1);

	/* on failure the source and the data stay the caller's */
	memset(&spec, 0, sizeof(spec));
	spec.kind = MAILER_PART_ATTACHMENT;
	spec.source.ops = &mem_ops;
	spec.source.ctx = &src;
	spec.data.release = released;
	spec.data.owner = &rel;
	spec.filename = "";
	CHECK(mailer_mime_add_file(&m.mime, &spec, &err) == MAILER_FAIL);
	mailer_error_clear(&err);
	mailer_message_free(&m);
	CHECK(src.freed == 0 && rel == 0);

	/* bodies must be UTF-8 when asked */
	{
		mailer_bytes bad = {"caf\xe9", 4, released, &rel};

		message_init(&m);
		CHECK(mailer_mime_set_body(&m.mime, MAILER_PART_TEXT, &bad, 1, &err) == MAILER_FAIL &&
			  rel == 0);
		mailer_error_clear(&err);
		CHECK(mailer_mime_set_body(&m.mime, MAILER_PART_TEXT, &bad, 0, &err) == MAILER_OK);
		/* replacing releases the old data; freeing the message the new */
		CHECK(mailer_mime_set_body(&m.mime, MAILER_PART_TEXT, &bad, 0, &err) == MAILER_OK &&
			  rel == 1);
		mailer_message_free(&m);
		CHECK(rel == 2);
	}
}

/* A streamed source: read in chunks of at most MAILER_SOURCE_CHUNK, reopened on
 * every write, byte-identical after decoding; the same bytes each time. */
static void check_source(void)
{
	static const size_t sizes[] = {0, 1, 2, 3, 57, 100000, 3 * MAILER_SOURCE_CHUNK + 7};
	static const size_t steps[] = {0, 1000, 0, 7, 0, 4096, 0};
	size_t i, k;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *data = mailer_malloc(sizes[i] + 1), *first = NULL, *out, *b64;
		mem_source src;
		mailer_file_spec spec;
		mailer_message m;
		mailer_error err;
		unsigned char *dec;
		size_t len, first_len = 0, b64_len, dec_len = 0;

		for (k = 0; k < sizes[i]; k++) {
			data[k] = (char)(k * 131 + 7);
		}
		memset(&src, 0, sizeof(src));
		src.data = data;
		src.len = sizes[i];
		src.step = steps[i];
		message_init(&m);
		mailer_error_init(&err);
		set_body(&m, MAILER_PART_TEXT, "see attached");
		memset(&spec, 0, sizeof(spec));
		spec.kind = MAILER_PART_ATTACHMENT;
		spec.source.ops = &mem_ops;
		spec.source.ctx = &src;
		spec.filename = "blob.bin";
		spec.filename_len = 8;
		CHECK(mailer_mime_add_file(&m.mime, &spec, &err) == MAILER_OK);
		for (k = 0; k < 2; k++) {
			out = render(&m, &len, &err);
			CHECK(out != NULL);
			if (!out) {
				break;
			}
			if (k == 0) {
				first = out;
				first_len = len;
				continue;
			}
			CHECK(len == first_len && memcmp(out, first, len) == 0);
			mailer_free(out);
		}
		CHECK(src.opened == 2 && src.closed == 2 && src.max_read <= MAILER_SOURCE_CHUNK);
		b64 = first ? body_after(first, "Content-Type: application/octet-stream", &b64_len) : NULL;
		CHECK(b64 != NULL);
		if (b64) {
			dec = unbase64(b64, b64_len, &dec_len);
			CHECK(dec != NULL && dec_len == sizes[i] && memcmp(dec, data, sizes[i]) == 0);
			mailer_free(dec);
			for (k = 0; k + 78 <= b64_len; k += 78) {
				CHECK(b64[k + 76] == '\r' && b64[k + 77] == '\n');
			}
		}
		mailer_free(b64);
		mailer_free(first);
		mailer_message_free(&m);
		CHECK(src.freed == 1);
		mailer_free(data);
	}
}

/* A source that fails to open or mid-way, and a sink that fails: an error
 * of the right kind, the source closed, nothing leaked. */
static void check_failures(void)
{
	static char big[200000];
	size_t scenario;

	for (scenario = 0; scenario < 3; scenario++) {
		mem_source src;
		mailer_file_spec spec;
		mailer_message m;
		mailer_error err;
		limit_sink lim;
		mailer_sink sink = {limit_write, NULL};

		memset(&src, 0, sizeof(src));
		src.data = big;
		src.len = sizeof(big);
		src.fail_open = scenario == 0;
		src.fail_after = scenario == 1 ? MAILER_SOURCE_CHUNK : 0;
		message_init(&m);
		mailer_error_init(&err);
		memset(&spec, 0, sizeof(spec));
		spec.kind = MAILER_PART_ATTACHMENT;
		spec.source.ops = &mem_ops;
		spec.source.ctx = &src;
		spec.filename = "big.bin";
		spec.filename_len = 7;
		CHECK(mailer_mime_add_file(&m.mime, &spec, &err) == MAILER_OK);
		CHECK(mailer_message_prepare(&m, &err) == MAILER_OK);
		mailer_buf_init(&lim.buf);
		lim.limit = scenario == 2 ? 5000 : SIZE_MAX;
		sink.ctx = &lim;
		CHECK(mailer_message_write(&m, &sink, &err) == MAILER_FAIL);
		if (scenario == 0) {
			CHECK(err.kind == MAILER_ERR_SOURCE && strcmp(err.message, "cannot open") == 0 &&
				  src.closed == 0);
		} else if (scenario == 1) {
			CHECK(err.kind == MAILER_ERR_SOURCE && strcmp(err.message, "disk on fire") == 0 &&
				  src.closed == 1);
		} else {
			CHECK(err.kind == MAILER_ERR_CONNECTION && src.closed == 1 && lim.buf.len <= 5000);
		}
		mailer_error_clear(&err);
		mailer_buf_free(&lim.buf);
		mailer_message_free(&m);
	}
}

/* Boundaries: kept between writes, replaced when a 7bit body contains one. */
static void check_boundaries(void)
{
	mailer_message m;
	mailer_error err;
	char old[MAILER_BOUNDARY_LEN + 1], text[200];
	char *out;
	size_t len;

	message_init(&m);
	mailer_error_init(&err);
	set_body(&m, MAILER_PART_TEXT, "plain");
	set_body(&m, MAILER_PART_HTML, "<p>html</p>");
	CHECK(mailer_message_prepare(&m, &err) == MAILER_OK);
	memcpy(old, m.mime.boundary, sizeof(old));
	CHECK(strlen(old) == MAILER_BOUNDARY_LEN && old[0] == '=' && old[1] == '_');
	CHECK(mailer_message_prepare(&m, &err) == MAILER_OK && strcmp(old, m.mime.boundary) == 0);

	snprintf(text, sizeof(text), "a line\r\n--%s_a\r\nContent-Type: text/evil\r\n", old);
	set_body(&m, MAILER_PART_TEXT, text);
	out = render(&m, &len, &err);
	CHECK(out != NULL && m.mime.text.cte == MAILER_CTE_7BIT && strcmp(old, m.mime.boundary) != 0);
	/* the body's fake delimiter is not a delimiter of the message */
	CHECK(out && count(out, m.mime.boundary) == 4 && count(out, old) == 1);
	mailer_free(out);
	mailer_message_free(&m);
}

/* Quoted-printable for 8-bit text and long lines; 7bit stays 7bit. */
static void check_encodings(void)
{
	mailer_message m;
	mailer_error err;
	char *out, *longline = mailer_malloc(1200);
	size_t len;

	memset(longline, 'x', 1199);
	longline[1199] = '\0';
	message_init(&m);
	mailer_error_init(&err);
	set_body(&m, MAILER_PART_TEXT,
			 "Gr\xc3\xbc\xc3\x9f"
			 "e\r\n");
	set_body(&m, MAILER_PART_HTML, longline);
	out = render(&m, &len, &err);
	CHECK(out && m.mime.text.cte == MAILER_CTE_QP && m.mime.html.cte == MAILER_CTE_QP);
	CHECK(out &&
		  strstr(out,
				 "Content-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe\r\n\r\n--"));
	mailer_free(out);
	set_body(&m, MAILER_PART_HTML, "<p>short</p>\n");
	out = render(&m, &len, &err);
	CHECK(out && m.mime.html.cte == MAILER_CTE_7BIT);
	mailer_free(out);
	mailer_message_free(&m);
	mailer_free(longline);
}

/* A generated Message-ID is ASCII: an internationalised From domain as its A-labels. */
static void check_generated_message_id(void)
{
	static const char *const from[][2] = {
		{"ann@b\xc3\xbc"
		 "cher.example",
		 "@xn--bcher-kva.example>"},
		{"a@example.org", "@example.org>"},
	};
	mailer_message m;
	mailer_error err;
	size_t i;

	for (i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		mailer_message_init(&m);
		mailer_error_init(&err);
		CHECK(mailer_address_parse_one(&m.from, from[i][0], strlen(from[i][0]), &err) == MAILER_OK);
		set_body(&m, MAILER_PART_TEXT, "x");
		CHECK(mailer_message_prepare(&m, &err) == MAILER_OK);
		CHECK(m.message_id && strlen(m.message_id) == 1 + 32 + strlen(from[i][1]) &&
			  strcmp(m.message_id + 33, from[i][1]) == 0);
		mailer_error_clear(&err);
		mailer_message_free(&m);
	}
}

int main(void)
{
	RUN(check_pull_writer());
	RUN(check_types());
	RUN(check_text_only());
	RUN(check_structures());
	RUN(check_part_headers());
	RUN(check_refused());
	RUN(check_source());
	RUN(check_failures());
	RUN(check_boundaries());
	RUN(check_encodings());
	RUN(check_generated_message_id());
	UNIT_DONE();
}
