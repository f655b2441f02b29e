/* RFC 5322 §3.3 dates: the checker of a caller's Date field (with the obsolete
 * forms of §4.3) and the formatter of the one the writer adds. */
#include "core/mime/date.h"
#include "core/util/portable.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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
			if (++sc->pos == sc->len ||
				((unsigned char)sc->s[sc->pos] < 32 && sc->s[sc->pos] != '\t') ||
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
		if (t->len == strlen(zones[i].name) &&
			mailer_ascii_ncasecmp(t->p, zones[i].name, t->len) == 0) {
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

#define DATE_NEXT()                                                                                \
	do {                                                                                           \
		if (!date_next(&sc, &t)) {                                                                 \
			return sc.why;                                                                         \
		}                                                                                          \
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
	mailer_buf_appendf(out, "%s, %02d %s %04d %02d:%02d:%02d %c%04d",
					   day_names[weekday(d.year, d.month, d.day)], d.day, month_names[d.month],
					   d.year, d.hour, d.minute, d.second, d.zone_sign, d.zone);
	return NULL;
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
		snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", day_names[tm.tm_wday % 7],
				 tm.tm_mday, month_names[tm.tm_mon % 12], year, tm.tm_hour, tm.tm_min, tm.tm_sec);
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
