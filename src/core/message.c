#include "message.h"
#include "alloc.h"
#include "buf.h"
#include "header.h"
#include "idna.h"
#include "portable.h"

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

static int check_value(const char *what, const char *value, size_t len, mailer_error *err)
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

int mailer_message_add_header(mailer_message *m, const char *name, size_t name_len, const char *value,
							  size_t value_len, mailer_error *err)
{
	mailer_header_field *f;
	char what[128];

	if (!mailer_header_name_valid(name, name_len)) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"header name \"%.*s\" is not a valid RFC 5322 field name (printable ASCII "
								"without spaces or colons, at most 76 characters)",
								(int)(name_len > 60 ? 60 : name_len), name);
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

static int set_field(char **field, const char *what, const char *value, size_t len, mailer_error *err)
{
	if (check_value(what, value, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	mailer_free(*field);
	*field = mailer_strndup(value, len);
	return MAILER_OK;
}

int mailer_message_set_subject(mailer_message *m, const char *subject, size_t len, mailer_error *err)
{
	if (set_field(&m->subject, "subject", subject, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	m->subject_len = len;
	return MAILER_OK;
}

int mailer_message_set_content_type(mailer_message *m, const char *value, size_t len, mailer_error *err)
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
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"header \"Content-Type\" must be a MIME type such as \"text/plain; charset=UTF-8\"");
	}
	mailer_mime_set_body_type(&m->mime, value, len);
	return MAILER_OK;
}

int mailer_message_set_date(mailer_message *m, const char *value, size_t len, mailer_error *err)
{
	return set_field(&m->date, "header \"Date\"", value, len, err);
}

int mailer_message_set_message_id(mailer_message *m, const char *value, size_t len, mailer_error *err)
{
	if (set_field(&m->message_id, "header \"Message-ID\"", value, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (len < 5 || value[0] != '<' || value[len - 1] != '>' || !memchr(value, '@', len) || memchr(value, ' ', len)) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"header \"Message-ID\" must look like <id@domain>");
	}
	return MAILER_OK;
}

/* width decimal digits of a non-negative v, zero-padded */
static char *put_digits(char *o, int v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + width;
}

void mailer_format_date(long long unix_time, char out[40])
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
										 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)unix_time;
	struct tm tm;

	int year;
	char *o = out;

	/* UTC with +0000, and English names whatever the locale */
	if (!mailer_gmtime(t, &tm)) {
		t = 0; /* not representable here: the epoch rather than garbage */
		mailer_gmtime(t, &tm);
	}
	year = tm.tm_year + 1900;
	if (year < 0 || year > 9999) {
		snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
				 months[tm.tm_mon % 12], year, tm.tm_hour, tm.tm_min, tm.tm_sec);
		return;
	}
	/* by hand: snprintf cost ~3,000 instructions, for every message */
	memcpy(o, days[tm.tm_wday % 7], 3);
	o += 3;
	*o++ = ',';
	*o++ = ' ';
	o = put_digits(o, tm.tm_mday, 2);
	*o++ = ' ';
	memcpy(o, months[tm.tm_mon % 12], 3);
	o += 3;
	*o++ = ' ';
	o = put_digits(o, year, 4);
	*o++ = ' ';
	o = put_digits(o, tm.tm_hour, 2);
	*o++ = ':';
	o = put_digits(o, tm.tm_min, 2);
	*o++ = ':';
	o = put_digits(o, tm.tm_sec, 2);
	memcpy(o, " +0000", 7); /* with its NUL */
}

int mailer_message_prepare(mailer_message *m, mailer_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char random[16];
	char id[33], date[40];
	const char *domain;
	mailer_buf b, host;
	size_t i;

	if (m->from.count == 0) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "the message has no From address");
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
		if (!domain || !*domain || mailer_idna_to_ascii(domain, strlen(domain), &host) != 0) {
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
		mailer_header_write_unstructured(h, m->headers[i].name, m->headers[i].value, m->headers[i].value_len);
	}
}

int mailer_message_write(void *ctx, const mailer_sink *out, mailer_error *err)
{
	const mailer_message *m = ctx;
	mailer_buf h;
	int rc;

	mailer_buf_init(&h);
	write_headers(m, &h);
	/* the body's Content-* fields end the header; then the body streams */
	rc = mailer_mime_write(&m->mime, &h, out, err);
	mailer_buf_free(&h);
	return rc;
}
