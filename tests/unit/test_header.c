/* Header validation and writing. Besides exact outputs and line-length rules
 * checked here, every written field is decoded by an independent parser:
 * the test writes them to a temporary file and runs check_headers.py (Python's
 * email package) on it, counting each field it checks as one test. */
#include "unit.h"
#include "core/mime/header.h"
#include "core/mime/address.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"
#include "core/util/utf8.h"

#include <stdlib.h>
#include <unistd.h>

#define S(lit) (lit), (sizeof(lit) - 1)
#define PYTHON "/usr/bin/python3"

typedef struct str_case {
	const char *s;
	size_t len;
	int ok;
} str_case;

static void check_validators(void)
{
	static const str_case names[] = {
		{S("Subject"), 1},  {S("X-Mailer"), 1}, {S("X-!#$%&'*+-.^_`|~"), 1}, {S("a"), 1},
		{S(""), 0},         {S("Sub ject"), 0}, {S("Subject:"), 0},          {S("X\tY"), 0},
		{S("X\r\nBcc"), 0}, {S("X\0Y"), 0},     {S("Caf\xc3\xa9"), 0},       {S("X\x7f"), 0},
	};
	static const str_case values[] = {
		{S(""), 1},
		{S("plain"), 1},
		{S("tab\there"), 1},
		{S("caf\xc3\xa9"), 1},
		{S("\xf0\x9f\x8e\x89"), 1},
		{S("\xf4\x8f\xbf\xbf"), 1},
		{S("\xef\xbf\xbf"), 1},
		{S("\x01\x7f"), 1},
		{S("a\r\nBcc: x@y"), 0},
		{S("a\rb"), 0},
		{S("a\nb"), 0},
		{S("a\0b"), 0},
		{S("\xff"), 0},
		{S("\xc3"), 0},
		{S("\xc3\x28"), 0},
		{S("\x80"), 0},
		{S("\xc0\xaf"), 0},
		{S("\xc1\xbf"), 0},
		{S("\xe0\x80\xaf"), 0},
		{S("\xed\xa0\x80"), 0},
		{S("\xed\xbf\xbf"), 0},
		{S("\xf0\x80\x80\xaf"), 0},
		{S("\xf4\x90\x80\x80"), 0},
		{S("\xf5\x80\x80\x80"), 0},
		{S("\xf0\x9f\x8e"), 0},
		{S("\xe4\xbd"), 0},
	};
	size_t i;

	char longest[80];

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		CHECK(mailer_header_name_valid(names[i].s, names[i].len) == names[i].ok);
	}
	memset(longest, 'X', sizeof(longest));
	CHECK(mailer_header_name_valid(longest, 76));
	CHECK(!mailer_header_name_valid(longest, 77));
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int ok = mailer_header_value_valid(values[i].s, values[i].len);

		CHECK(ok == values[i].ok);
		if (ok != values[i].ok) {
			fprintf(stderr, "  value case %zu\n", i);
		}
	}
	CHECK(mailer_utf8_valid(S("a\0b")));
	CHECK(mailer_utf8_char_len(S("\xe4\xbd\xa0")) == 3);
	CHECK(mailer_utf8_char_len(S("\xf0\x9f\x8e\x89")) == 4);
	CHECK(mailer_utf8_char_len(S("\xc3\xa9")) == 2);
	CHECK(mailer_utf8_char_len(S("a")) == 1);
	CHECK(mailer_utf8_char_len("\xc3\xa9", 1) == 0);
	CHECK(mailer_utf8_char_len(S("")) == 0);
}

/* Why a written field is malformed, or NULL. soft: lines must also keep to
 * 78 characters, and lines holding an encoded word to 76. */
static const char *field_problem(const char *s, size_t len, int soft)
{
	size_t start = 0, i, j;

	if (len < 2 || s[len - 2] != '\r' || s[len - 1] != '\n') {
		return "no CRLF at the end";
	}
	while (start < len) {
		const char *eol = strstr(s + start, "\r\n");
		size_t n = (size_t)(eol - (s + start));
		int ew = 0, content = 0;

		for (i = start; i < start + n; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c == '\r' || c == '\n' || c == 0 || c >= 0x80) {
				return "bare CR, LF, NUL or 8-bit byte";
			}
			content |= c != ' ' && c != '\t';
			if (c == '=' && strncmp(s + i, "=?UTF-8?", 8) == 0) {
				const char *end = strstr(s + i + 10, "?=");

				if (!end || end > eol || (s[i + 8] != 'B' && s[i + 8] != 'Q') || s[i + 9] != '?') {
					return "malformed encoded word";
				}
				if ((size_t)(end + 2 - (s + i)) > 75) {
					return "encoded word longer than 75";
				}
				for (j = i + 10; s + j < end; j++) {
					if (s[j] == ' ' || s[j] == '\t' || s[j] == '?') {
						return "space or '?' inside an encoded word";
					}
				}
				ew = 1;
			}
		}
		if (n > 998) {
			return "line longer than 998";
		}
		if (soft && n > (ew ? 76u : 78u)) {
			return ew ? "line with an encoded word longer than 76" : "line longer than 78";
		}
		if (start && s[start] != ' ' && s[start] != '\t') {
			return "continuation line without leading whitespace";
		}
		if (!content) {
			return "line of only whitespace";
		}
		if (n && (s[start + n - 1] == ' ' || s[start + n - 1] == '\t')) {
			return "trailing whitespace";
		}
		start += n + 2;
	}
	return NULL;
}

static void check_field(const mailer_buf *b, int soft)
{
	const char *problem = field_problem(b->data, b->len, soft);

	CHECK(problem == NULL);
	if (problem) {
		fprintf(stderr, "  %s in:\n%s\n", problem, b->data);
	}
}

static void expect_unstructured(const char *name, const char *value, const char *expected)
{
	mailer_buf b;

	mailer_buf_init(&b);
	mailer_header_write_unstructured(&b, name, value, strlen(value));
	CHECK_MEM(b.data, b.len, expected);
	mailer_buf_free(&b);
}

static void expect_addresses(const char *list, const char *expected)
{
	mailer_address_list l;
	mailer_error err;
	mailer_buf b;

	mailer_address_list_init(&l);
	mailer_error_init(&err);
	mailer_buf_init(&b);
	CHECK(mailer_address_parse_list(&l, list, strlen(list), &err) == MAILER_OK);
	mailer_header_write_addresses(&b, "To", l.items, l.count);
	CHECK_MEM(b.data, b.len, expected);
	mailer_buf_free(&b);
	mailer_address_list_free(&l);
	mailer_error_clear(&err);
}

static void expect_param(const char *param, const char *value, int legacy, const char *expected)
{
	mailer_buf b;

	mailer_buf_init(&b);
	mailer_header_write_param(&b, param, value, strlen(value), legacy);
	CHECK_MEM(b.data, b.len, expected);
	mailer_buf_free(&b);
}

static void check_exact(void)
{
	mailer_address none = {NULL, NULL};
	mailer_address named[2] = {{(char *)"Jos\xc3\xa9", (char *)"j@x.org"},
							   {(char *)"", (char *)"e@x.org"}};
	mailer_buf b;

	expect_unstructured("Subject", "Hello world", "Subject: Hello world\r\n");
	expect_unstructured("Subject", "", "Subject:\r\n");
	expect_unstructured("Subject", "a\tb  c", "Subject: a\tb  c\r\n");
	expect_unstructured("Subject", "  lead", "Subject: =?UTF-8?Q?__lead?=\r\n");
	expect_unstructured("Subject", "trail ", "Subject: =?UTF-8?Q?trail_?=\r\n");
	expect_unstructured("Subject", " ", "Subject: =?UTF-8?Q?_?=\r\n");
	expect_unstructured("Subject", "caf\xc3\xa9", "Subject: =?UTF-8?B?Y2Fmw6k=?=\r\n");
	expect_unstructured("Subject", "Re: caf\xc3\xa9 au lait",
						"Subject: Re: =?UTF-8?B?Y2Fmw6k=?= au lait\r\n");
	expect_unstructured("Subject", "\xc3\xa9t\xc3\xa9 \xc3\xa0 Paris (r\xc3\xa9sum\xc3\xa9)",
						"Subject: =?UTF-8?B?w6l0w6kgw6A=?= Paris =?UTF-8?B?KHLDqXN1bcOpKQ==?=\r\n");
	/* Q when shorter; in unstructured text it may keep specials such as '(' */
	expect_unstructured("Subject", "Encyclop\303\251die (\303\251dition 2)",
						"Subject: =?UTF-8?Q?Encyclop=C3=A9die_(=C3=A9dition?= 2)\r\n");
	expect_unstructured("Subject",
						"x=?y =?UTF-8?Q?a?=", "Subject: =?UTF-8?B?eD0/eSA9P1VURi04P1E/YT89?=\r\n");
	expect_unstructured("Subject", "a\x01 b", "Subject: =?UTF-8?Q?a=01?= b\r\n");
	/* the caller validates, but unchecked CR/LF still cannot start a new field */
	expect_unstructured("Subject", "a\r\nBcc: x", "Subject: =?UTF-8?Q?a=0D=0ABcc:?= x\r\n");
	expect_unstructured(
		"Subject",
		"a very long subject line that goes on and on and on and on beyond the "
		"seventy-eight character limit for sure",
		"Subject: a very long subject line that goes on and on and on and on beyond the\r\n"
		" seventy-eight character limit for sure\r\n");
	expect_unstructured(
		"Subject",
		"\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5\xa5\xbd"
		"\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5\xa5\xbd"
		"\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5\xa5\xbd", /* 你好 x 9 */
		"Subject: =?UTF-8?B?5L2g5aW95L2g5aW95L2g5aW95L2g5aW95L2g5aW95L2g5aW95L2g?=\r\n"
		" =?UTF-8?B?5aW95L2g5aW95L2g5aW9?=\r\n");

	expect_addresses("a@x.org, John Doe <j@x.org>, \"Doe, John\" <d@x.org>",
					 "To: a@x.org, John Doe <j@x.org>, \"Doe, John\" <d@x.org>\r\n");
	expect_addresses(
		"\"a\\\"b\\\\c\" <x@y.org>, \"  two  spaces\" <t@y.org>, Dr. J <dr@x.org>",
		"To: \"a\\\"b\\\\c\" <x@y.org>, \"  two  spaces\" <t@y.org>, \"Dr. J\" <dr@x.org>\r\n");
	expect_addresses("=?UTF-8?B?Sm9zw6k=?= <jm@x.org>", "To: =?UTF-8?B?Sm9zw6k=?= <jm@x.org>\r\n");
	expect_addresses("user1@example.com, user2@example.com, user3@example.com, user4@example.com, "
					 "Some Body <somebody@example.com>",
					 "To: user1@example.com, user2@example.com, user3@example.com,\r\n"
					 " user4@example.com, Some Body <somebody@example.com>\r\n");
	mailer_buf_init(&b);
	mailer_header_write_addresses(&b, "To", &none, 0);
	CHECK_STR(b.data, "To: undisclosed-recipients:;\r\n");
	mailer_buf_reset(&b);
	mailer_header_write_addresses(&b, "Cc", named, 2);
	CHECK_STR(b.data, "Cc: =?UTF-8?B?Sm9zw6k=?= <j@x.org>, e@x.org\r\n");
	mailer_buf_reset(&b);
	named[0].name = (char *)"Jos\xc3\xa9 M\xc3\xbcller, Jr.";
	mailer_header_write_addresses(&b, "From", named, 1);
	CHECK_STR(b.data, "From: =?UTF-8?B?Sm9zw6kgTcO8bGxlciwgSnIu?= <j@x.org>\r\n");
	mailer_buf_reset(&b);
	named[0].name = (char *)"Jean-Fran\xc3\xa7ois Dupont"; /* Q restricted to phrase characters */
	mailer_header_write_addresses(&b, "From", named, 1);
	CHECK_STR(b.data, "From: =?UTF-8?Q?Jean-Fran=C3=A7ois_Dupont?= <j@x.org>\r\n");
	mailer_buf_free(&b);

	expect_param("filename", "report.pdf", 0, ";\r\n\tfilename=report.pdf");
	expect_param("filename", "my report.pdf", 1, ";\r\n\tfilename=\"my report.pdf\"");
	expect_param("filename", "a\"b\\c", 0, ";\r\n\tfilename=\"a\\\"b\\\\c\"");
	expect_param("filename", "", 0, ";\r\n\tfilename=\"\"");
	expect_param("filename", "Gr\xc3\xbc\303\237e 100%.pdf", 0,
				 ";\r\n\tfilename*=utf-8''Gr%C3%BC%C3%9Fe%20100%25.pdf");
	expect_param("filename", "Gr\xc3\xbc\303\237e.pdf", 1,
				 ";\r\n\tfilename=\"=?UTF-8?B?R3LDvMOfZS5wZGY=?=\";\r\n\tfilename*=utf-8''Gr%C3%BC%"
				 "C3%9Fe.pdf");
	expect_param("name", "tab\there", 0, ";\r\n\tname*=utf-8''tab%09here");
	expect_param(
		"filename",
		"a very long ascii file name that certainly does not fit in one line of seventy-eight.txt",
		0,
		";\r\n\tfilename*0=\"a very long ascii file name that certainly does not fit in one \";\r\n"
		"\tfilename*1=\"line of seventy-eight.txt\"");
	expect_param(
		"filename",
		"a very long ascii file name that certainly does not fit in one line of seventy-eight.txt",
		1,
		";\r\n\tfilename=\"a very long ascii file name that certainly does not fit in one line of "
		"seventy-eight.txt\"");
	expect_param(
		"filename",
		"\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xbd\xa0\xe5"
		"\xa5\xbd"
		"\xe4\xbd\xa0\xe5\xa5\xbd.txt",
		0,
		";\r\n\tfilename*0*=utf-8''%E4%BD%A0%E5%A5%BD%E4%BD%A0%E5%A5%BD%E4%BD%A0%E5%A5%BD;\r\n"
		"\tfilename*1*=%E4%BD%A0%E5%A5%BD%E4%BD%A0%E5%A5%BD.txt");
}

/* ---- generated values ---- */

static unsigned long rng_state = 20240611;

static size_t rnd(size_t n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (size_t)((rng_state >> 33) % n);
}

/* Appends a random mix of ASCII, whitespace, specials and multi-byte characters. */
static void random_text(mailer_buf *b, size_t pieces, int long_runs, int controls)
{
	static const char *const parts[] = {
		"a",
		"Hello",
		"world",
		"Re:",
		"x",
		"1234",
		" ",
		" ",
		"  ",
		"\t",
		"\xc3\xa9",
		"\xc3\xbc",
		"\xc3\x9f",
		"\xe4\xbd\xa0",
		"\xe5\xa5\xbd",
		"\xf0\x9f\x8e\x89",
		"\xf0\x9f\x98\x80",
		"=",
		"?",
		"_",
		"=?",
		"?=",
		"\"",
		"\\",
		",",
		";",
		":",
		"(",
		")",
		"<",
		">",
		"@",
		".",
		"'",
		"%",
		"*",
		"~",
		"\x01",
		"\x7f",
		"\t", /* controls last */
	};
	size_t i, j, count = sizeof(parts) / sizeof(parts[0]) - (controls ? 0 : 3);

	for (i = 0; i < pieces; i++) {
		if (long_runs && rnd(40) == 0) {
			const char *p = parts[rnd(count)];
			size_t n = 100 + rnd(1200);

			for (j = 0; j < n; j++) {
				mailer_buf_appends(b, p);
			}
		} else {
			mailer_buf_appends(b, parts[rnd(count)]);
		}
	}
}

/* Values whose longest whitespace-free run and whitespace run are short can
 * always be folded within 78 columns. */
static int foldable(const char *s, size_t len)
{
	size_t i, word = 0, space = 0;

	for (i = 0; i < len; i++) {
		int ws = s[i] == ' ' || s[i] == '\t';

		word = ws ? 0 : word + 1;
		space = ws ? space + 1 : 0;
		if (word > 40 || space > 20) {
			return 0;
		}
	}
	return 1;
}

static void hex_write(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		fprintf(f, "%02x", (unsigned char)s[i]);
	}
}

static void record(FILE *f, char kind, const char *name, const char *expected, size_t elen,
				   const mailer_buf *raw)
{
	fprintf(f, "%c\t%s\t", kind, name);
	hex_write(f, expected, elen);
	fputc('\t', f);
	hex_write(f, raw->data, raw->len);
	fputc('\n', f);
}

static void gen_unstructured(FILE *f, const char *name, const char *value, size_t len)
{
	mailer_buf b;

	mailer_buf_init(&b);
	mailer_header_write_unstructured(&b, name, value, len);
	check_field(&b, foldable(value, len) && strlen(name) < 30);
	record(f, 'u', name, value, len, &b);
	mailer_buf_free(&b);
}

static void gen_addresses(FILE *f, const mailer_address *items, size_t count, int soft)
{
	mailer_buf b, expected;
	size_t i;

	mailer_buf_init(&b);
	mailer_buf_init(&expected);
	mailer_header_write_addresses(&b, "To", items, count);
	check_field(&b, soft);
	for (i = 0; i < count; i++) {
		mailer_buf_appendf(&expected, "%s%s\x1f%s", i ? "\x1e" : "",
						   items[i].name ? items[i].name : "", items[i].addr);
	}
	record(f, 'a', "To", mailer_buf_cstr(&expected), expected.len, &b);
	mailer_buf_free(&b);
	mailer_buf_free(&expected);
}

static void gen_param(FILE *f, const char *param, const char *value, size_t len, int legacy)
{
	mailer_buf b;

	mailer_buf_init(&b);
	mailer_buf_appends(&b, "Content-Disposition: attachment");
	mailer_header_write_param(&b, param, value, len, legacy);
	mailer_buf_append(&b, "\r\n", 2);
	check_field(&b, !legacy || len < 400);
	mailer_buf_free(&b);
	/* the record holds what write_param appended; the checker adds the field name */
	mailer_buf_init(&b);
	mailer_header_write_param(&b, param, value, len, legacy);
	mailer_buf_append(&b, "\r\n", 2);
	record(f, legacy ? 'P' : 'p', param, value, len, &b);
	mailer_buf_free(&b);
}

static void repeat(mailer_buf *b, const char *s, size_t times)
{
	while (times--) {
		mailer_buf_appends(b, s);
	}
}

static void generate(FILE *f)
{
	static const char *const subjects[] = {
		"Hello world",
		"",
		" ",
		"   ",
		"\t",
		"  lead",
		"trail  ",
		"  both  ",
		"a  b   c",
		"a\tb",
		"\ta\t",
		"Gr\xc3\xbc\303\237e aus M\xc3\xbcnchen, sch\xc3\xb6ne Tage!",
		"\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xb8\x96\xe7\x95\x8c",
		"\xf0\x9f\x8e\x89\xf0\x9f\x8e\x89 \xf0\x9f\x8e\x89",
		"Re: caf\xc3\xa9 au lait",
		"mixed ASCII \xe4\xb8\xad\xe6\x96\x87 and  more   ASCII",
		"=?UTF-8?B?abc?=",
		"x=?y",
		"?= =? =?=",
		"_under_score_ =20 =C3=A9",
		"question? equals= (comment) \"quoted\"",
		"\xc3\xa9  \xc3\xa9",
		"\xc3\xa9 a \xc3\xa9",
		" \xc3\xa9 ",
		"\x01\x7f",
		"a \x01 b",
	};
	static const char *const addrs[] = {
		"a@x.org",       "john.doe@example.com", "x+tag@sub.example.co.uk", "\"john doe\"@x.org",
		"z@[192.0.2.1]",
	};
	static const char *const params[] = {
		"report.pdf",
		"my report.pdf",
		"a\"b\\c",
		"",
		"Gr\xc3\xbc\303\237e 100%.pdf",
		"\xe6\x8a\xa5\xe5\x91\x8a.pdf",
		"tab\there",
		"it's (1) ; a=b.txt",
		"\xf0\x9f\x8e\x89.png",
	};
	mailer_address items[6];
	mailer_buf v, names[6];
	size_t i, j, n;

	mailer_buf_init(&v);
	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		gen_unstructured(f, "Subject", subjects[i], strlen(subjects[i]));
	}
	/* 300-character subjects of each kind, and overlong runs */
	for (i = 0; i < 30; i++) {
		mailer_buf_appends(&v, "Subject ");
		mailer_buf_appendf(&v, "%zu ", i);
	}
	gen_unstructured(f, "Subject", v.data, v.len);
	mailer_buf_reset(&v);
	repeat(&v, "\xe4\xb8\xad", 300);
	gen_unstructured(f, "Subject", v.data, v.len);
	mailer_buf_reset(&v);
	repeat(&v, "\xf0\x9f\x98\x80 ", 100);
	gen_unstructured(f, "Subject", v.data, v.len);
	mailer_buf_reset(&v);
	repeat(&v, "Caf\xc3\xa9 cr\xc3\xa8me br\303\273l\303\251e, ", 20);
	gen_unstructured(f, "Subject", v.data, v.len);
	mailer_buf_reset(&v);
	repeat(&v, "x", 1200);
	gen_unstructured(f, "Subject", v.data, v.len);
	mailer_buf_reset(&v);
	mailer_buf_appends(&v, "a");
	repeat(&v, " ", 1000);
	mailer_buf_appends(&v, "b");
	gen_unstructured(f, "Subject", v.data, v.len);
	mailer_buf_reset(&v);
	repeat(&v, " ", 2000);
	gen_unstructured(f, "Subject", v.data, v.len);
	mailer_buf_reset(&v);
	repeat(&v, "word ", 400);
	repeat(&v, "y", 995);
	gen_unstructured(f, "Subject", v.data, v.len);
	gen_unstructured(f,
					 "X-45678901234567890123456789012345678901234567890123456789012345678901234567",
					 S("\xe4\xb8\xad\xe6\x96\x87 text")); /* longest name: 76 */
	for (i = 0; i < 500; i++) {
		mailer_buf_reset(&v);
		random_text(&v, 1 + rnd(i < 400 ? 40 : 200), i >= 400, 1);
		gen_unstructured(f, i % 2 ? "Subject" : "X-Custom-Header", v.data, v.len);
	}

	/* address fields: named and bare, every display-name form, long lists */
	for (i = 0; i < 6; i++) {
		mailer_buf_init(&names[i]);
	}
	gen_addresses(f, NULL, 0, 1);
	for (i = 0; i < 400; i++) {
		n = 1 + rnd(i < 300 ? 4 : 6);
		for (j = 0; j < n; j++) {
			mailer_buf_reset(&names[j]);
			random_text(&names[j], rnd(3) ? rnd(i < 300 ? 8 : 60) : 0, 0, 0);
			items[j].name = names[j].len ? names[j].data : NULL;
			items[j].addr = (char *)addrs[rnd(sizeof(addrs) / sizeof(addrs[0]))];
		}
		gen_addresses(f, items, n, i < 300 && n < 5);
	}
	for (i = 0; i < 6; i++) {
		mailer_buf_free(&names[i]);
	}

	/* MIME parameters, with and without the legacy form */
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		gen_param(f, "filename", params[i], strlen(params[i]), 0);
		gen_param(f, "filename", params[i], strlen(params[i]), 1);
	}
	for (i = 0; i < 300; i++) {
		mailer_buf_reset(&v);
		random_text(&v, 1 + rnd(i < 200 ? 20 : 150), 0, 1);
		gen_param(f, i % 3 ? "filename" : "name", v.data, v.len, (int)(i % 2));
	}
	mailer_buf_reset(&v);
	repeat(&v, "\xe6\x96\x87", 400);
	gen_param(f, "filename", v.data, v.len, 0);
	gen_param(f, "filename", v.data, v.len, 1);
	mailer_buf_free(&v);
}

/* Runs check_headers.py on the generated file and counts its verdicts. */
static void run_python(const char *path)
{
	char cmd[512], line[256];
	int checked = -1, failed = -1;
	FILE *p;

	if (access(PYTHON, X_OK) != 0 || access("check_headers.py", R_OK) != 0) {
		unit_skip("the Python round trip needs " PYTHON " and check_headers.py");
		return;
	}
	snprintf(cmd, sizeof(cmd), PYTHON " check_headers.py %s", path);
	p = popen(cmd, "r");
	CHECK(p != NULL);
	if (!p) {
		return;
	}
	while (fgets(line, sizeof(line), p)) {
		sscanf(line, "checked %d, failed %d", &checked, &failed);
	}
	pclose(p);
	CHECK(checked > 0 && failed >= 0);
	/* each header Python read back is a check of this case */
	if (checked > 0 && failed >= 0 && !unit_count(checked, failed, __FILE__, __LINE__)) {
		fprintf(stderr, "Python read %d of %d headers back differently (see above)\n", failed,
				checked);
	}
}

/* Headers of every kind, generated, then read back by Python's email package. */
static void check_python_reads_back(void)
{
	char path[] = "/tmp/mailer-headers-XXXXXX";
	int fd;
	FILE *f;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f) {
		generate(f);
		fclose(f);
		run_python(path);
	}
	if (fd >= 0) {
		unlink(path);
	}
}

int main(void)
{
	RUN(check_validators());
	RUN(check_exact());
	RUN(check_python_reads_back());
	UNIT_DONE();
}
