#include "core/mime/message.h"
#include "core/mime/mime_reader.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"
#include "core/mime/header.h"
#include "core/util/idna.h"
#include "core/mime/date.h"
#include "core/util/portable.h"
#include "core/util/utf8.h"
#include "core/util/dotstuff.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void mailer_message_init(mailer_message *m)
{
	memset(m, 0, sizeof(*m));
	mailer_address_list_init(&m->from);
	mailer_address_list_init(&m->to);
	mailer_address_list_init(&m->cc);
	mailer_address_list_init(&m->bcc);
	mailer_address_list_init(&m->reply_to);
	mailer_mime_init(&m->mime);
}

void mailer_message_free(mailer_message *m)
{
	size_t i;

	mailer_address_list_free(&m->from);
	mailer_address_list_free(&m->to);
	mailer_address_list_free(&m->cc);
	mailer_address_list_free(&m->bcc);
	mailer_address_list_free(&m->reply_to);
	for (i = 0; i < m->header_count; i++) {
		mailer_free(m->headers[i].name);
		mailer_free(m->headers[i].value);
	}
	mailer_free(m->headers);
	mailer_free(m->subject);
	mailer_mime_free(&m->mime);
	mailer_free(m->date);
	mailer_free(m->message_id);
	mailer_message_init(m);
}

static mailer_status check_value(const char *what, const char *value, size_t len, mailer_error *err)
{
	const char *bad = NULL;

	if (memchr(value, '\r', len) || memchr(value, '\n', len)) {
		bad = "contains a line break (CR or LF)";
	} else if (memchr(value, '\0', len)) {
		bad = "contains a NUL byte";
	} else if (!mailer_header_value_valid(value, len)) {
		bad = "is not valid UTF-8";
	}
	if (bad) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "%s %s", what, bad);
	}
	return MAILER_OK;
}

mailer_status mailer_message_add_header(mailer_message *m, const char *name, size_t name_len,
										const char *value, size_t value_len, mailer_error *err)
{
	mailer_header_field *f;
	char what[128];

	if (mailer_header_name_check(name, name_len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	snprintf(what, sizeof(what), "header \"%.*s\"", (int)name_len, name);
	if (check_value(what, value, value_len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	m->headers = mailer_realloc(m->headers, (m->header_count + 1) * sizeof(*m->headers));
	f = &m->headers[m->header_count++];
	f->name = mailer_strndup(name, name_len);
	f->value = mailer_strndup(value, value_len);
	f->value_len = value_len;
	return MAILER_OK;
}

static mailer_status set_field(char **field, const char *what, const char *value, size_t len,
							   mailer_error *err)
{
	if (check_value(what, value, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	mailer_free(*field);
	*field = mailer_strndup(value, len);
	return MAILER_OK;
}

mailer_status mailer_message_set_subject(mailer_message *m, const char *subject, size_t len,
										 mailer_error *err)
{
	if (set_field(&m->subject, "subject", subject, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	m->subject_len = len;
	return MAILER_OK;
}

mailer_status mailer_message_set_content_type(mailer_message *m, const char *value, size_t len,
											  mailer_error *err)
{
	size_t i;

	if (check_value("header \"Content-Type\"", value, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)value[i] >= 0x80) {
			return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
									"header \"Content-Type\" must be ASCII");
		}
	}
	if (!memchr(value, '/', len)) {
		return mailer_error_set(
			err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
			"header \"Content-Type\" must be a MIME type such as \"text/plain; charset=UTF-8\"");
	}
	mailer_mime_set_body_type(&m->mime, value, len);
	return MAILER_OK;
}

mailer_status mailer_message_set_date(mailer_message *m, const char *value, size_t len,
									  mailer_error *err)
{
	mailer_buf date;
	const char *why;

	if (check_value("header \"Date\"", value, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	mailer_buf_init(&date);
	if ((why = mailer_date_check(value, len, &date)) != NULL) {
		mailer_buf_free(&date);
		return mailer_error_set(
			err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
			"header \"Date\" is not an RFC 5322 date-time like \"Fri, 13 Mar 2026 10:00:00 "
			"+0100\": %s",
			why);
	}
	mailer_free(m->date);
	m->date = mailer_buf_detach(&date, NULL);
	return MAILER_OK;
}

static int is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		   (c && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* RFC 5322 dot-atom-text: runs of atext joined by single dots. */
static int dot_atom_text(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || s[0] == '.' || s[len - 1] == '.') {
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !is_atext((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* RFC 5322 §3.6.4 msg-id as it must be generated (no obsolete forms, no CFWS):
 * "<" dot-atom-text "@" (dot-atom-text / "[" *dtext "]") ">", short enough that
 * "Message-ID: " and it fit one 998-octet line. 7-bit by construction. */
static int msg_id_valid(const char *s, size_t len)
{
	const char *at, *right;
	size_t rlen, i;

	if (len < 5 || len > 998 - (sizeof("Message-ID: ") - 1) || s[0] != '<' || s[len - 1] != '>') {
		return 0;
	}
	s++;
	len -= 2;
	if (!(at = memchr(s, '@', len)) || !dot_atom_text(s, (size_t)(at - s))) {
		return 0;
	}
	right = at + 1;
	rlen = len - (size_t)(right - s);
	if (rlen >= 2 && right[0] == '[' && right[rlen - 1] == ']') {
		for (i = 1; i + 1 < rlen; i++) {
			unsigned char c = (unsigned char)right[i];

			/* dtext: printable ASCII except "[", "]" and the backslash */
			if (c < 33 || c > 126 || (c >= 91 && c <= 93)) {
				return 0;
			}
		}
		return 1;
	}
	return dot_atom_text(right, rlen);
}

mailer_status mailer_message_set_message_id(mailer_message *m, const char *value, size_t len,
											mailer_error *err)
{
	/* checked before it replaces anything: a refused value leaves the message as it was */
	if (check_value("header \"Message-ID\"", value, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (!msg_id_valid(value, len)) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"header \"Message-ID\" must look like <id@domain>");
	}
	return set_field(&m->message_id, "header \"Message-ID\"", value, len, err);
}

mailer_status mailer_message_prepare(mailer_message *m, mailer_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char random[16];
	char id[33], date[40];
	const char *domain;
	mailer_buf b, host;
	size_t i;

	if (m->from.count == 0) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the message has no From address");
	}
	if (!m->date) {
		mailer_format_date((long long)time(NULL), date);
		m->date = mailer_strdup(date);
	}
	if (!m->message_id) {
		if (RAND_bytes(random, sizeof(random)) != 1) {
			return mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE,
									"could not get random bytes for the Message-ID");
		}
		for (i = 0; i < sizeof(random); i++) {
			id[2 * i] = hex[random[i] >> 4];
			id[2 * i + 1] = hex[random[i] & 15];
		}
		id[32] = '\0';
		domain = mailer_address_domain(m->from.items[0].addr);
		/* a header field: ASCII whatever the server offers, so the domain as its A-labels */
		mailer_buf_init(&host);
		if (!domain || !*domain ||
			mailer_idna_to_ascii(domain, strlen(domain), &host) != MAILER_OK) {
			mailer_buf_reset(&host);
			mailer_buf_appends(&host, "localhost");
		}
		mailer_buf_init(&b);
		mailer_buf_appendc(&b, '<');
		mailer_buf_append(&b, id, 32);
		mailer_buf_appendc(&b, '@');
		mailer_buf_append(&b, host.data, host.len);
		mailer_buf_appendc(&b, '>');
		mailer_buf_free(&host);
		m->message_id = mailer_buf_detach(&b, NULL);
	}
	return mailer_mime_prepare(&m->mime, err);
}

int mailer_message_is_8bit(const mailer_message *m)
{
	/* the body is made 7bit or quoted-printable, headers are encoded: never 8-bit */
	(void)m;
	return 0;
}

/* Address fields name internationalised domains by their A-labels, so the
 * header stays ASCII unless a local part itself is UTF-8 (which needs SMTPUTF8). */
static void write_address_field(mailer_buf *h, const char *name, const mailer_address_list *list)
{
	mailer_address_list ascii;

	mailer_address_list_copy_alabels(list, &ascii);
	mailer_header_write_addresses(h, name, ascii.items, ascii.count);
	mailer_address_list_free(&ascii);
}

int mailer_address_field_utf8(const mailer_address_list *list)
{
	mailer_address_list written;
	int utf8 = 0;
	size_t i;

	mailer_address_list_copy_alabels(list, &written);
	for (i = 0; i < written.count && !utf8; i++) {
		utf8 = !mailer_is_ascii(written.items[i].addr);
	}
	mailer_address_list_free(&written);
	return utf8;
}

int mailer_message_header_utf8(const mailer_message *m)
{
	/* the address fields write_headers() writes; Bcc is never written, and every
	 * other field is ASCII or RFC 2047 encoded words */
	return mailer_address_field_utf8(&m->from) || mailer_address_field_utf8(&m->to) ||
		   mailer_address_field_utf8(&m->cc) || mailer_address_field_utf8(&m->reply_to);
}

static void write_headers(const mailer_message *m, mailer_buf *h)
{
	size_t i;

	/* appends, not appendf: vsnprintf costs ~1k instructions a call, for every message */
	mailer_buf_appends(h, "Date: ");
	mailer_buf_appends(h, m->date);
	mailer_buf_appends(h, "\r\n");
	write_address_field(h, "From", &m->from);
	if (m->reply_to.count) {
		write_address_field(h, "Reply-To", &m->reply_to);
	}
	if (m->to.count || !m->cc.count) {
		/* only Bcc recipients: "undisclosed-recipients:;" (RFC 5322 §3.6.3) */
		write_address_field(h, "To", &m->to);
	}
	if (m->cc.count) {
		write_address_field(h, "Cc", &m->cc);
	}
	if (m->subject) {
		mailer_header_write_unstructured(h, "Subject", m->subject, m->subject_len);
	}
	mailer_buf_appends(h, "Message-ID: ");
	mailer_buf_appends(h, m->message_id);
	mailer_buf_appends(h, "\r\n");
	mailer_buf_appends(h, "MIME-Version: 1.0\r\n");
	for (i = 0; i < m->header_count; i++) {
		mailer_header_write_unstructured(h, m->headers[i].name, m->headers[i].value,
										 m->headers[i].value_len);
	}
}

mailer_status mailer_message_measure(const mailer_message *m, long long *size, mailer_error *err)
{
	size_t counted = 0;
	mailer_sink counter = {mailer_sink_count, &counted};
	mailer_dotstuff *norm = mailer_malloc(sizeof(*norm));
	mailer_mime_reader *body = mailer_mime_reader_new(&m->mime, 1);
	char piece[4096];
	mailer_buf h;
	long n;

	/* the octets counted after the same CRLF normalisation the send applies; a
	 * source is not read, its base64 size follows from its size */
	mailer_dotstuff_init(norm, &counter, 0);
	mailer_buf_init(&h);
	write_headers(m, &h);
	mailer_mime_reader_start(body, h.data, h.len);
	mailer_buf_free(&h);
	while ((n = mailer_mime_reader_read(body, piece, sizeof(piece), err)) > 0) {
		mailer_dotstuff_write(norm, piece, (size_t)n);
	}
	if (n == 0) {
		mailer_dotstuff_finish(norm);
	}
	*size = mailer_mime_reader_unknown(body)
				? MAILER_SIZE_UNKNOWN
				: (long long)(counted + mailer_mime_reader_skipped(body));
	mailer_mime_reader_free(body);
	mailer_free(norm);
	if (n < 0 && *size != MAILER_SIZE_UNKNOWN) {
		if (err->kind == MAILER_ERR_NONE) {
			mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE,
							 "the message could not be measured");
		}
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

mailer_status mailer_message_write(void *ctx, const mailer_sink *out, mailer_error *err)
{
	mailer_producer p;
	mailer_status rc;

	mailer_message_producer(ctx, &p);
	rc = mailer_producer_drain(&p, out, err);
	mailer_producer_free(&p);
	return rc;
}

/* ---- the message as a producer ---- */

typedef struct message_producer {
	const mailer_message *m;
	mailer_mime_reader *body;
} message_producer;

static mailer_status producer_rewind(void *ctx, mailer_error *err)
{
	message_producer *mp = ctx;
	mailer_buf h;

	(void)err;
	mailer_buf_init(&h);
	write_headers(mp->m, &h);
	/* the body's Content-* fields end the header; then the body streams */
	mailer_mime_reader_start(mp->body, h.data, h.len);
	mailer_buf_free(&h);
	return MAILER_OK;
}

static long producer_read(void *ctx, char *buf, size_t cap, mailer_error *err)
{
	return mailer_mime_reader_read(((message_producer *)ctx)->body, buf, cap, err);
}

static long long producer_size(void *ctx)
{
	long long size = MAILER_SIZE_UNKNOWN;
	mailer_error err;

	mailer_error_init(&err);
	if (mailer_message_measure(((message_producer *)ctx)->m, &size, &err) != MAILER_OK) {
		size = MAILER_SIZE_UNKNOWN;
	}
	mailer_error_clear(&err);
	return size;
}

static void producer_free(void *ctx)
{
	message_producer *mp = ctx;

	mailer_mime_reader_free(mp->body);
	mailer_free(mp);
}

static const mailer_producer_ops message_ops = {producer_rewind, producer_read, producer_size,
												producer_free};

void mailer_message_producer(const mailer_message *m, mailer_producer *out)
{
	message_producer *mp = mailer_malloc(sizeof(*mp));

	mp->m = m;
	mp->body = mailer_mime_reader_new(&m->mime, 0);
	out->ops = &message_ops;
	out->ctx = mp;
}
