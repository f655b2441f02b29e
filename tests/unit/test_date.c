/* The Date and Message-ID checks of message.c: mailer_date_check() against
 * good dates (kept as given, or rewritten when in an obsolete form) and bad
 * ones (refused with the reason), a sweep of every day 1900-2100 as the
 * mailer writes it, and the setters leaving the message unchanged when they
 * refuse a value. */
#include "unit.h"
#include "core/mime/date.h"
#include "core/mime/message.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"

#define S(lit) (lit), (sizeof(lit) - 1)

typedef struct date_case {
	const char *in;
	size_t len;
	const char *out; /* what is written, or the reason it is refused */
} date_case;

/* One case: accepted with out as the result, or refused with out as the reason. */
static void check_case(const date_case *c, int ok)
{
	mailer_buf out;
	const char *why;

	mailer_buf_init(&out);
	why = mailer_date_check(c->in, c->len, &out);
	if (ok) {
		CHECK(why == NULL);
		if (why) {
			fprintf(stderr, "  refused [%.*s]: %s\n", (int)c->len, c->in, why);
		}
		CHECK_MEM(out.data ? out.data : "", out.len, c->out);
	} else {
		CHECK(why != NULL && strcmp(why, c->out) == 0 && out.len == 0);
		if (!why || strcmp(why, c->out) != 0) {
			fprintf(stderr, "  [%.*s]: expected \"%s\", got \"%s\"\n", (int)c->len, c->in, c->out,
					why ? why : "(accepted)");
		}
	}
	mailer_buf_free(&out);
}

/* The current syntax (RFC 5322 §3.3) is written as given, trimmed. */
static void test_current_syntax(void)
{
	static const date_case cases[] = {
		{S("Fri, 13 Mar 2026 10:00:00 +0100"), "Fri, 13 Mar 2026 10:00:00 +0100"},
		{S("13 Mar 2026 10:00:00 +0100"), "13 Mar 2026 10:00:00 +0100"},
		{S("Thu, 1 Jan 2026 00:00:00 +0000"), "Thu, 1 Jan 2026 00:00:00 +0000"},
		{S("Fri,13 Mar 2026 10:00:00 +0100"), "Fri,13 Mar 2026 10:00:00 +0100"},
		{S("fri, 13 MAR 2026 10:00 -0000"), "fri, 13 MAR 2026 10:00 -0000"},
		{S("Fri, 13 Mar 2026 10:00:00 +0100 (CET)"), "Fri, 13 Mar 2026 10:00:00 +0100 (CET)"},
		{S("Fri, 13 Mar 2026 10:00:00 +0100 (CET (Central \\(European\\) Time))"),
		 "Fri, 13 Mar 2026 10:00:00 +0100 (CET (Central \\(European\\) Time))"},
		{S("  Fri, 13 Mar 2026 10:00:00 +0100 \t "), "Fri, 13 Mar 2026 10:00:00 +0100"},
		{S("Fri,  13   Mar\t2026  10:00:00   +0100"), "Fri,  13   Mar\t2026  10:00:00   +0100"},
		{S("Tue, 29 Feb 2028 23:59:60 +1400"), "Tue, 29 Feb 2028 23:59:60 +1400"},
		{S("Tue, 29 Feb 2000 12:00:00 +0000"), "Tue, 29 Feb 2000 12:00:00 +0000"},
		{S("Sat, 01 Jan 2000 00:00:00 -9959"), "Sat, 01 Jan 2000 00:00:00 -9959"},
		{S("Mon, 01 Jan 1900 00:00:00 +0000"), "Mon, 01 Jan 1900 00:00:00 +0000"},
		{S("Fri, 31 Dec 9999 23:59:59 +0000"), "Fri, 31 Dec 9999 23:59:59 +0000"},
		{S("Fri, 13 Mar 2026 10:00:00 +0100 ()"), "Fri, 13 Mar 2026 10:00:00 +0100 ()"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_case(&cases[i], 1);
	}
}

/* Obsolete forms (RFC 5322 §4.3) are accepted and written in the current syntax. */
static void test_obsolete_rewritten(void)
{
	static const date_case cases[] = {
		{S("Fri, 13 Mar 26 10:00:00 +0100"), "Fri, 13 Mar 2026 10:00:00 +0100"},
		{S("13 Mar 99 10:00 GMT"), "Sat, 13 Mar 1999 10:00:00 +0000"},
		{S("1 Jan 49 00:00 +0000"), "Fri, 01 Jan 2049 00:00:00 +0000"},
		{S("1 Jan 50 00:00 +0000"), "Sun, 01 Jan 1950 00:00:00 +0000"},
		{S("Fri, 13 Mar 126 10:00:00 EST"), "Fri, 13 Mar 2026 10:00:00 -0500"},
		{S("13 Mar 2026 10:00:00 UT"), "Fri, 13 Mar 2026 10:00:00 +0000"},
		{S("13 Mar 2026 10:00:00 edt"), "Fri, 13 Mar 2026 10:00:00 -0400"},
		{S("13 Mar 2026 10:00:00 CST"), "Fri, 13 Mar 2026 10:00:00 -0600"},
		{S("13 Mar 2026 10:00:00 CDT"), "Fri, 13 Mar 2026 10:00:00 -0500"},
		{S("13 Mar 2026 10:00:00 MST"), "Fri, 13 Mar 2026 10:00:00 -0700"},
		{S("13 Mar 2026 10:00:00 MDT"), "Fri, 13 Mar 2026 10:00:00 -0600"},
		{S("13 Mar 2026 10:00:00 PST"), "Fri, 13 Mar 2026 10:00:00 -0800"},
		{S("13 Mar 2026 10:00:00 pdt"), "Fri, 13 Mar 2026 10:00:00 -0700"},
		{S("Fri , 13 Mar 2026 10 : 00 : 00 +0100"), "Fri, 13 Mar 2026 10:00:00 +0100"},
		{S("13Mar2026 10:00:00 +0100"), "Fri, 13 Mar 2026 10:00:00 +0100"},
		{S("(sent) Fri, 13 Mar 2026 10:00:00 +0100"), "Fri, 13 Mar 2026 10:00:00 +0100"},
		{S("Fri, 13 (the 13th) Mar 2026 10:00:00 +0100"), "Fri, 13 Mar 2026 10:00:00 +0100"},
		{S("Fri, 13 Mar 2026 10:00:00 (local) +0100"), "Fri, 13 Mar 2026 10:00:00 +0100"},
		{S("Fri, 13 Mar 2026 10:00:00GMT"), "Fri, 13 Mar 2026 10:00:00 +0000"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_case(&cases[i], 1);
	}
}

static void test_refused(void)
{
	static const date_case cases[] = {
		{S(""), "no day of the month (1 or 2 digits)"},
		{S("   "), "no day of the month (1 or 2 digits)"},
		{S("tomorrow"), "unknown day of the week (Mon to Sun)"},
		{S("Friday, 13 Mar 2026 10:00:00 +0100"), "unknown day of the week (Mon to Sun)"},
		{S("Fri 13 Mar 2026 10:00:00 +0100"), "no \",\" after the day of the week"},
		{S("2026-03-13T10:00:00Z"), "no day of the month (1 or 2 digits)"},
		{S("013 Mar 2026 10:00:00 +0100"), "no day of the month (1 or 2 digits)"},
		{S("13 March 2026 10:00:00 +0100"), "no month (Jan to Dec) after the day"},
		{S("13 Mar 2026"), "no time (HH:MM or HH:MM:SS) after the year"},
		{S("13 Mar 10:00:00 +0100"), "no time (HH:MM or HH:MM:SS) after the year"},
		{S("13 Mar 2026 9:00:00 +0100"), "no time (HH:MM or HH:MM:SS) after the year"},
		{S("13 Mar 2026 10:0 +0100"), "no time (HH:MM or HH:MM:SS) after the year"},
		{S("13 Mar 2026 10:00:0 +0100"), "no time (HH:MM or HH:MM:SS) after the year"},
		{S("13 Mar 2 10:00:00 +0100"), "no year after the month"},
		{S("13 Mar 10000 10:00:00 +0100"), "the year must be 1900 to 9999"},
		{S("13 Mar 1899 10:00:00 +0100"), "the year must be 1900 to 9999"},
		{S("Thu, 13 Mar 2026 10:00:00 +0100"), "the day of the week is not that of the date"},
		{S("30 Feb 2026 10:00:00 +0000"), "no such day in that month"},
		{S("29 Feb 2026 10:00:00 +0000"), "no such day in that month"},
		{S("29 Feb 1900 10:00:00 +0000"), "no such day in that month"},
		{S("31 Apr 2026 10:00:00 +0000"), "no such day in that month"},
		{S("0 Apr 2026 10:00:00 +0000"), "no such day in that month"},
		{S("13 Mar 2026 24:00:00 +0000"), "the hour must be 00 to 23"},
		{S("13 Mar 2026 10:60:00 +0000"), "the minute must be 00 to 59"},
		{S("13 Mar 2026 10:00:61 +0000"), "the second must be 00 to 60 (60: a leap second)"},
		{S("13 Mar 2026 10:00:00 +0160"), "the time zone's minutes must be 00 to 59"},
		{S("13 Mar 2026 10:00:00"), "no time zone (+hhmm or -hhmm) after the time"},
		{S("13 Mar 2026 10:00:00 Z"),
		 "one-letter (military) time zones are ambiguous (RFC 5322 section 4.3): use "
		 "+hhmm or -hhmm"},
		{S("13 Mar 2026 10:00:00 CET"), "unknown time zone: use +hhmm or -hhmm"},
		{S("13 Mar 2026 10:00:00 +01:00"), "the time zone must be +hhmm or -hhmm"},
		{S("13 Mar 2026 10:00:00 +100"), "the time zone must be +hhmm or -hhmm"},
		{S("13 Mar 2026 10:00:00 + 0100"), "the time zone must be +hhmm or -hhmm"},
		{S("13 Mar 2026 10:00:00+0100"), "no space before the time zone"},
		{S("13 Mar 2026 10:00:00 (x)+0100"), "no space before the time zone"},
		{S("13 Mar 2026 10:00:00 +0100 +0100"), "text after the time zone"},
		{S("13 Mar 2026 10:00:00 +0100 CET"), "text after the time zone"},
		{S("13 Mar 2026 10:00:00 +0100 (CET"), "a comment is not closed"},
		{S("13 Mar 2026 10:00:00 +0100 ((CET)"), "a comment is not closed"},
		{S("13 Mar 2026 10:00:00 +0100 (caf\xc3\xa9)"),
		 "a comment holds a character other than printable ASCII"},
		{S("13 Mar 2026 10:00:00 +0100 (a\x01)"),
		 "a comment holds a character other than printable ASCII"},
		{S("13 Mar 2026 10:00:00 +0100 (a\\"),
		 "a comment holds a character other than printable ASCII"},
		{S("13 Mar 2026 10:00:00 +0100 \xc3\xa9"),
		 "it holds a character that has no place in a date"},
		{S("13 Mar 2026 10:00:00 +0100 )"), "it holds a character that has no place in a date"},
		{S("13 Mar 2026 10:00:00 +0100\0"), "it holds a character that has no place in a date"},
		{S("13.Mar.2026 10:00:00 +0100"), "it holds a character that has no place in a date"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_case(&cases[i], 0);
	}
}

/* A comment may be long and deeply nested, but the field must fit one line. */
static void test_length_and_nesting(void)
{
	static const char date[] = "Fri, 13 Mar 2026 10:00:00 +0100 (";
	char in[1200];
	mailer_buf out;
	size_t n;

	/* "Date: " + 992 octets = 998 */
	n = sizeof(date) - 1;
	memcpy(in, date, n);
	memset(in + n, 'x', 992 - n - 1);
	in[991] = ')';
	mailer_buf_init(&out);
	CHECK(mailer_date_check(in, 992, &out) == NULL && out.len == 992);
	mailer_buf_reset(&out);
	in[991] = 'x';
	in[992] = ')';
	CHECK(mailer_date_check(in, 993, &out) != NULL && out.len == 0);
	CHECK(strcmp(mailer_date_check(in, 993, &out), "too long for a header line") == 0);

	/* 400 levels of comments: counted, no recursion */
	n = sizeof(date) - 2;
	memcpy(in, date, n);
	memset(in + n, '(', 400);
	memset(in + n + 400, ')', 400);
	mailer_buf_reset(&out);
	CHECK(mailer_date_check(in, n + 800, &out) == NULL && out.len == n + 800);
	mailer_buf_reset(&out);
	CHECK(mailer_date_check(in, n + 799, &out) != NULL);
	mailer_buf_free(&out);
}

/* Every day from 1900 to 2100, as mailer_format_date() writes it (the Date the
 * mailer generates): accepted and kept as is, so the weekday check agrees with
 * the C library's calendar. One check for the sweep. */
static void test_generated_dates(void)
{
	long long t, first = -2208988800LL, last = 4133980799LL; /* 1900-01-01 .. 2100-12-31 */
	char date[40];
	mailer_buf out;
	long bad = 0;

	mailer_buf_init(&out);
	for (t = first; t <= last; t += 86400 + 3607) {
		mailer_format_date(t, date);
		mailer_buf_reset(&out);
		if (mailer_date_check(date, strlen(date), &out) != NULL || out.len != strlen(date) ||
			memcmp(out.data, date, out.len) != 0) {
			if (bad++ < 5) {
				fprintf(stderr, "  generated date refused or changed: %s\n", date);
			}
		}
	}
	mailer_buf_free(&out);
	CHECK(bad == 0);
}

/* The setters check first: a refused value leaves the message as it was. */
static void test_setters_keep_on_failure(void)
{
	mailer_message m;
	mailer_error err;

	mailer_message_init(&m);
	mailer_error_init(&err);
	CHECK(mailer_message_set_date(&m, S("13 Mar 26 10:00 EST"), &err) == MAILER_OK);
	CHECK_STR(m.date, "Fri, 13 Mar 2026 10:00:00 -0500");
	CHECK(mailer_message_set_date(&m, S("Thu, 13 Mar 2026 10:00:00 +0100"), &err) == MAILER_FAIL);
	CHECK_STR(
		err.message ? err.message : "",
		"header \"Date\" is not an RFC 5322 date-time like \"Fri, 13 Mar 2026 10:00:00 +0100\": the day of the "
		"week is not that of the date");
	mailer_error_clear(&err);
	CHECK(mailer_message_set_date(&m, S("Fri, 13 Mar 2026\r\nBcc: x@example.org"), &err) ==
		  MAILER_FAIL);
	CHECK_STR(err.message ? err.message : "", "header \"Date\" contains a line break (CR or LF)");
	mailer_error_clear(&err);
	CHECK_STR(m.date, "Fri, 13 Mar 2026 10:00:00 -0500");

	CHECK(mailer_message_set_message_id(&m, S("<kept@example.org>"), &err) == MAILER_OK);
	CHECK(mailer_message_set_message_id(&m, S("<a..b@example.org>"), &err) == MAILER_FAIL);
	CHECK_STR(err.message ? err.message : "", "header \"Message-ID\" must look like <id@domain>");
	mailer_error_clear(&err);
	CHECK(mailer_message_set_message_id(&m, S("no-brackets@example.org"), &err) == MAILER_FAIL);
	mailer_error_clear(&err);
	CHECK(mailer_message_set_message_id(&m, S("<\xc3\xa9@example.org>"), &err) == MAILER_FAIL);
	mailer_error_clear(&err);
	CHECK_STR(m.message_id, "<kept@example.org>");
	mailer_message_free(&m);
}

int main(void)
{
	RUN(test_current_syntax());
	RUN(test_obsolete_rewritten());
	RUN(test_refused());
	RUN(test_length_and_nesting());
	RUN(test_generated_dates());
	RUN(test_setters_keep_on_failure());
	UNIT_DONE();
}
