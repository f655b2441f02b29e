#include "core/mime/message.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"
#include "core/mime/header.h"
#include "core/mime/idna.h"
#include "core/util/portable.h"

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

/* ---- Date: RFC 5322 §3.3 date-time, with the obsolete forms of §4.3 ---- */

static const char *const day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
										  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* the field body must fit one 998-octet line after "Date: " */
#define DATE_MAX (998 - (sizeof("Date: ") - 1))

typedef struct date_tok {
	char kind; /* 'n' digits, 'a' letters, ',' ':' '+' '-', or 0 at the end */
	const char *p;
	size_t len;
	int ws;        /* whitespace outside comments came before it */
	int comment;   /* a comment came before it */
	int wsp_right; /* the byte right before it is a space or tab (FWS, not a comment) */
} date_tok;

typedef struct date_scan {
	const char *s;
	size_t len, pos;
	const char *why;
} date_scan;

typedef struct date_parts {
	int wday; /* -1 when not given */
	int day, month, year, hour, minute, second;
	char zone_sign;
	int zone; /* hhmm */
} date_parts;

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whitespace and comments (nested, with quoted pairs; printable ASCII only).
 * Counted with a depth, not by recursion, so no input can exhaust the stack. */
static int date_skip_cfws(date_scan *sc, date_tok *t)
{
	size_t depth = 0;

	for (; sc->pos < sc->len; sc->pos++) {
		unsigned char c = (unsigned char)sc->s[sc->pos];

		if (is_wsp((char)c)) {
			t->ws |= depth == 0;
		} else if (c == '(') {
			depth++;
			t->comment = 1;
		} else if (depth == 0) {
			break;
		} else if (c == ')') {
			depth--;
		} else if (c == '\\') {
			if (++sc->pos == sc->len || ((unsigned char)sc->s[sc->pos] < 32 && sc->s[sc->pos] != '\t') ||
				(unsigned char)sc->s[sc->pos] > 126) {
				sc->why = "a comment holds a character other than printable ASCII";
				return 0;
			}
		} else if (c < 33 || c > 126) {
			sc->why = "a comment holds a character other than printable ASCII";
			return 0;
		}
	}
	if (depth) {
		sc->why = "a comment is not closed";
		return 0;
	}
	return 1;
}

static int date_next(date_scan *sc, date_tok *t)
{
	size_t start;

	memset(t, 0, sizeof(*t));
	if (!date_skip_cfws(sc, t)) {
		return 0;
	}
	t->wsp_right = sc->pos > 0 && is_wsp(sc->s[sc->pos - 1]);
	t->p = sc->s + sc->pos;
	if (sc->pos == sc->len) {
		return 1;
	}
	start = sc->pos;
	if (is_digit(sc->s[sc->pos])) {
		t->kind = 'n';
		while (sc->pos < sc->len && is_digit(sc->s[sc->pos])) {
			sc->pos++;
		}
	} else if (is_alpha(sc->s[sc->pos])) {
		t->kind = 'a';
		while (sc->pos < sc->len && is_alpha(sc->s[sc->pos])) {
			sc->pos++;
		}
	} else if (strchr(",:+-", sc->s[sc->pos]) && sc->s[sc->pos]) {
		t->kind = sc->s[sc->pos++];
	} else {
		sc->why = "it holds a character that has no place in a date";
		return 0;
	}
	t->len = sc->pos - start;
	return 1;
}

/* The value of a run of at most 4 digits. */
static int date_number(const date_tok *t)
{
	int v = 0;
	size_t i;

	for (i = 0; i < t->len; i++) {
		v = v * 10 + (t->p[i] - '0');
	}
	return v;
}

/* The index of a three-letter name (any case, as ABNF strings are), or -1. */
static int date_name(const date_tok *t, const char *const *names, int count)
{
	int i;

	for (i = 0; t->len == 3 && i < count; i++) {
		if (mailer_ascii_ncasecmp(t->p, names[i], 3) == 0) {
			return i;
		}
	}
	return -1;
}

/* obs-zone names and their offsets (hhmm); the one-letter military zones are
 * refused: RFC 822 defined them backwards, RFC 5322 §4.3 reads them as -0000 */
static int date_zone_name(const date_tok *t, char *sign, int *zone)
{
	static const struct {
		const char *name;
		int offset;
	} zones[] = {{"UT", 0},     {"GMT", 0},    {"EST", -500}, {"EDT", -400}, {"CST", -600},
				 {"CDT", -500}, {"MST", -700}, {"MDT", -600}, {"PST", -800}, {"PDT", -700}};
	size_t i;

	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		if (t->len == strlen(zones[i].name) && mailer_ascii_ncasecmp(t->p, zones[i].name, t->len) == 0) {
			*sign = zones[i].offset < 0 ? '-' : '+';
			*zone = zones[i].offset < 0 ? -zones[i].offset : zones[i].offset;
			return 1;
		}
	}
	return 0;
}

static int leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 0 = Sunday, for the proleptic Gregorian calendar (Sakamoto's method); month 0-11 */
static int weekday(int y, int m, int d)
{
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};

	if (m < 2) {
		y--;
	}
	return (y + y / 4 - y / 100 + y / 400 + t[m] + d) % 7;
}

#define DATE_NEXT()                                                                                                    \
	do {                                                                                                               \
		if (!date_next(&sc, &t)) {                                                                                     \
			return sc.why;                                                                                             \
		}                                                                                                              \
	} while (0)

/* Parses s into d; sets *obsolete when it used a form of §4.3 (or comments
 * and spacing only the obsolete syntax allows). NULL, or why it is no date. */
static const char *date_parse(const char *s, size_t len, date_parts *d, int *obsolete)
{
	static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	date_scan sc = {s, len, 0, NULL};
	date_tok t;
	int obs = 0;

	d->wday = -1;
	DATE_NEXT();
	if (t.kind == 'a') {
		if ((d->wday = date_name(&t, day_names, 7)) < 0) {
			return "unknown day of the week (Mon to Sun)";
		}
		obs |= t.comment;
		DATE_NEXT();
		if (t.kind != ',') {
			return "no \",\" after the day of the week";
		}
		obs |= t.ws || t.comment;
		DATE_NEXT();
	}
	if (t.kind != 'n' || t.len > 2) {
		return "no day of the month (1 or 2 digits)";
	}
	obs |= t.comment;
	d->day = date_number(&t);
	DATE_NEXT();
	if (t.kind != 'a' || (d->month = date_name(&t, month_names, 12)) < 0) {
		return "no month (Jan to Dec) after the day";
	}
	obs |= !t.ws || t.comment;
	DATE_NEXT();
	if (t.kind != 'n' || t.len < 2) {
		return "no year after the month";
	}
	if (t.len > 4) {
		return "the year must be 1900 to 9999";
	}
	/* obs-year: 2 digits are 1950-2049, 3 digits count from 1900 */
	obs |= !t.ws || t.comment || t.len < 4;
	d->year = date_number(&t);
	d->year += t.len == 2 ? (d->year < 50 ? 2000 : 1900) : t.len == 3 ? 1900 : 0;
	DATE_NEXT();
	if (t.kind != 'n' || t.len != 2) {
		return "no time (HH:MM or HH:MM:SS) after the year";
	}
	obs |= !t.ws || t.comment;
	d->hour = date_number(&t);
	DATE_NEXT();
	if (t.kind != ':') {
		return "no time (HH:MM or HH:MM:SS) after the year";
	}
	obs |= t.ws || t.comment;
	DATE_NEXT();
	if (t.kind != 'n' || t.len != 2) {
		return "no time (HH:MM or HH:MM:SS) after the year";
	}
	obs |= t.ws || t.comment;
	d->minute = date_number(&t);
	d->second = 0;
	DATE_NEXT();
	if (t.kind == ':') {
		obs |= t.ws || t.comment;
		DATE_NEXT();
		if (t.kind != 'n' || t.len != 2) {
			return "no time (HH:MM or HH:MM:SS) after the year";
		}
		obs |= t.ws || t.comment;
		d->second = date_number(&t);
		DATE_NEXT();
	}
	if (t.kind == '+' || t.kind == '-') {
		/* zone = FWS ("+" / "-") 4DIGIT, in the obsolete syntax too */
		if (!t.wsp_right) {
			return "no space before the time zone";
		}
		obs |= t.comment;
		d->zone_sign = t.kind;
		DATE_NEXT();
		if (t.kind != 'n' || t.len != 4 || t.ws || t.comment) {
			return "the time zone must be +hhmm or -hhmm";
		}
		d->zone = date_number(&t);
	} else if (t.kind == 'a' && t.len == 1) {
		return "one-letter (military) time zones are ambiguous (RFC 5322 section 4.3): use +hhmm or -hhmm";
	} else if (t.kind == 'a') {
		if (!date_zone_name(&t, &d->zone_sign, &d->zone)) {
			return "unknown time zone: use +hhmm or -hhmm";
		}
		obs = 1;
	} else {
		return "no time zone (+hhmm or -hhmm) after the time";
	}
	DATE_NEXT();
	if (t.kind != 0) {
		return "text after the time zone";
	}
	if (d->year < 1900) {
		return "the year must be 1900 to 9999";
	}
	if (d->day < 1 || d->day > month_days[d->month] + (d->month == 1 && leap_year(d->year))) {
		return "no such day in that month";
	}
	if (d->hour > 23) {
		return "the hour must be 00 to 23";
	}
	if (d->minute > 59) {
		return "the minute must be 00 to 59";
	}
	if (d->second > 60) {
		return "the second must be 00 to 60 (60: a leap second)";
	}
	if (d->zone % 100 > 59) {
		return "the time zone's minutes must be 00 to 59";
	}
	if (d->wday >= 0 && d->wday != weekday(d->year, d->month, d->day)) {
		return "the day of the week is not that of the date";
	}
	*obsolete = obs;
	return NULL;
}

#undef DATE_NEXT

const char *mailer_date_check(const char *value, size_t len, mailer_buf *out)
{
	date_parts d;
	const char *why;
	int obsolete = 0;

	memset(&d, 0, sizeof(d));
	if (len > DATE_MAX) {
		return "too long for a header line";
	}
	/* surrounding whitespace means nothing, and relays may strip a trailing one */
	while (len && is_wsp(value[0])) {
		value++;
		len--;
	}
	while (len && is_wsp(value[len - 1])) {
		len--;
	}
	if ((why = date_parse(value, len, &d, &obsolete)) != NULL) {
		return why;
	}
	if (!obsolete) {
		mailer_buf_append(out, value, len);
		return NULL;
	}
	/* RFC 5322 §4.3: the obsolete syntax must not be generated; same instant, same offset */
	mailer_buf_appendf(out, "%s, %02d %s %04d %02d:%02d:%02d %c%04d", day_names[weekday(d.year, d.month, d.day)], d.day,
					   month_names[d.month], d.year, d.hour, d.minute, d.second, d.zone_sign, d.zone);
	return NULL;
}

int mailer_message_set_date(mailer_message *m, const char *value, size_t len, mailer_error *err)
{
	mailer_buf date;
	const char *why;

	if (check_value("header \"Date\"", value, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	mailer_buf_init(&date);
	if ((why = mailer_date_check(value, len, &date)) != NULL) {
		mailer_buf_free(&date);
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
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

int mailer_message_set_message_id(mailer_message *m, const char *value, size_t len, mailer_error *err)
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
		snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", day_names[tm.tm_wday % 7], tm.tm_mday,
				 month_names[tm.tm_mon % 12], year, tm.tm_hour, tm.tm_min, tm.tm_sec);
		return;
	}
	/* by hand: snprintf cost ~3,000 instructions, for every message */
	memcpy(o, day_names[tm.tm_wday % 7], 3);
	o += 3;
	*o++ = ',';
	*o++ = ' ';
	o = put_digits(o, tm.tm_mday, 2);
	*o++ = ' ';
	memcpy(o, month_names[tm.tm_mon % 12], 3);
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
