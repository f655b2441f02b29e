#include "unit.h"
#include "core/mime/address.h"
#include "core/mime/header.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"
#include "core/util/utf8.h"

#define S(lit) (lit), (sizeof(lit) - 1) /* a literal with its length, NULs included */

typedef struct spec_case {
	const char *s;
	size_t len;
} spec_case;

static const spec_case valid_specs[] = {
	{S("a@x.org")},
	{S("john.doe@example.com")},
	{S("a+tag@x.org")},
	{S("A@X.ORG")},
	{S("a.b.c@x.org")},
	{S("_a@x.org")},
	{S("a=b@x.org")},
	{S("!#$%&'*+-/=?^_`{|}~@x.org")},
	{S("\"john doe\"@x.org")},
	{S("\"a\\\"b\"@x.org")},
	{S("\"a@b\"@x.org")},
	{S("\" \"@x.org")},
	{S("\"a..b\"@x.org")},
	{S("\"very.(),:;<>[]\\\".VERY.\\\"very@\\\\ "
	   "\\\"very\\\".unusual\"@strange.example.com")},
	{S("a@localhost")},
	{S("a@x.o")},
	{S("1@2")},
	{S("a@x-y.org")},
	{S("a@x--y.org")},
	{S("a@1.2.3.4")},
	{S("a@sub.domain.example.co.uk")},
	{S("a@b.c.d.e.f.g.h")},
	{S("a@xn--bcher-kva.example")},
	{S("a@[192.168.0.1]")},
	{S("a@[0.0.0.0]")},
	{S("a@[255.255.255.255]")},
	{S("a@[IPv6:::1]")},
	{S("a@[IPv6:::]")},
	{S("a@[ipv6:2001:db8::1]")},
	{S("a@[IPv6:2001:db8:0:0:0:0:0:1]")},
	{S("a@[IPv6:1:2:3:4:5:6:7:8]")},
	{S("a@[IPv6:1::]")},
	{S("a@[IPv6:1:2:3:4:5:6::8]")},
	{S("a@[IPv6:::ffff:192.0.2.1]")},
	{S("a@[IPv6:fe80::1:2.3.4.5]")},
	{S("a@[IPv6:1:2:3:4:5:6:1.2.3.4]")},
	{S("\xc3\xbcser@ex\xc3\xa4mple.org")}, /* üser@exämple.org */
	{S("\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90."
	   "\xe5\xb9\xbf\xe5\x91\x8a")}, /* 用户@例子.广告
													 */
	{S("d\xc3\xa9j\xc3\xa0@x.org")},
	{S("\"\xc3\xa9 \xc3\xa9\"@x.org")},
	{S("\xf0\x9f\x8e\x89@x.org")}, /* emoji local part */
};

static const spec_case invalid_specs[] = {
	{S("")},
	{S("a")},
	{S("a@")},
	{S("@x.org")},
	{S("@")},
	{S("a@@x.org")},
	{S("a@b@c")},
	{S(".a@x.org")},
	{S("a.@x.org")},
	{S("a..b@x.org")},
	{S("a@.x.org")},
	{S("a@x.org.")},
	{S("a@x..org")},
	{S("a b@x.org")},
	{S(" a@x.org")},
	{S("a@x.org ")},
	{S("a@x .org")},
	{S("a@x\t.org")},
	{S("a@-x.org")},
	{S("a@x-.org")},
	{S("a@x_y.org")},
	{S("a@x!.org")},
	{S("a\r\n@x.org")},
	{S("a@x.org\r\n")},
	{S("a@x.org\n")},
	{S("a\0@x.org")},
	{S("a@x.org\0")},
	{S("\"a@x.org")},
	{S("\"\"@x.org")},
	{S("\"a\"b@x.org")},
	{S("\"a\\\"@x.org")},
	{S("\"a\x01\"@x.org")},
	{S("a\"b@x.org")},
	{S("a\\b@x.org")},
	{S("a,b@x.org")},
	{S("a@x,org")},
	{S("a(b)@x.org")},
	{S("<a@x.org>")},
	{S("a@x.org>")},
	{S("a@x.org:25")},
	{S("a@[1.2.3]")},
	{S("a@[1.2.3.4.5]")},
	{S("a@[1.2.3.256]")},
	{S("a@[1.2.3.1234]")},
	{S("a@[1.2.3.4")},
	{S("a@[1.2.3.4]x")},
	{S("a@[foo]")},
	{S("a@[]")},
	{S("a@[IPv6:1:2:3:4:5:6:7]")},
	{S("a@[IPv6:1:2:3:4:5:6:7:8:9]")},
	{S("a@[IPv6:1::2::3]")},
	{S("a@[IPv6:12345::]")},
	{S("a@[IPv6:gg::]")},
	{S("a@[IPv6::1]")},
	{S("a@[IPv6:1:]")},
	{S("a@[IPv6:1:::2]")},
	{S("a@[IPv6:1:2:3:4:5:6:7:1.2.3.4]")},
	{S("a@[IPv6:1.2.3.4::]")},
	{S("a@[IPv7:::1]")},
	{S("\xff@x.org")},             /* not UTF-8 */
	{S("\xc0\xaf@x.org")},         /* overlong '/' */
	{S("\xed\xa0\x80@x.org")},     /* UTF-16 surrogate */
	{S("a@x.\xe4\xbd")},           /* truncated character */
	{S("\xf4\x90\x80\x80@x.org")}, /* past U+10FFFF */
	{S("a@x.org\x7f")},
};

static void check_specs(void)
{
	size_t i;
	char local[80], label[80], spec[300];

	for (i = 0; i < sizeof(valid_specs) / sizeof(valid_specs[0]); i++) {
		int ok = mailer_addr_spec_valid(valid_specs[i].s, valid_specs[i].len);

		CHECK(ok);
		if (!ok) {
			fprintf(stderr, "  should be valid: [%s]\n", valid_specs[i].s);
		}
	}
	for (i = 0; i < sizeof(invalid_specs) / sizeof(invalid_specs[0]); i++) {
		int ok = mailer_addr_spec_valid(invalid_specs[i].s, invalid_specs[i].len);

		CHECK(!ok);
		if (ok) {
			fprintf(stderr, "  should be invalid: [%.*s]\n", (int)invalid_specs[i].len,
					invalid_specs[i].s);
		}
	}

	/* length limits: 64-octet local part, 63-octet labels, 254 in all */
	memset(local, 'l', 64);
	snprintf(spec, sizeof(spec), "%.64s@x.org", local);
	CHECK(mailer_addr_spec_valid(spec, strlen(spec)));
	snprintf(spec, sizeof(spec), "%.64sl@x.org", local);
	CHECK(!mailer_addr_spec_valid(spec, strlen(spec)));
	memset(label, 'd', 64);
	snprintf(spec, sizeof(spec), "a@%.63s.org", label);
	CHECK(mailer_addr_spec_valid(spec, strlen(spec)));
	snprintf(spec, sizeof(spec), "a@%.64s.org", label);
	CHECK(!mailer_addr_spec_valid(spec, strlen(spec)));
	/* 64 + 1 + 63 * 3 = 254 with the dots: "l*64@d*63.d*63.d*61" */
	snprintf(spec, sizeof(spec), "%.64s@%.63s.%.63s.%.61s", local, label, label, label);
	CHECK(strlen(spec) == 254 && mailer_addr_spec_valid(spec, strlen(spec)));
	snprintf(spec, sizeof(spec), "%.64s@%.63s.%.63s.%.62s", local, label, label, label);
	CHECK(strlen(spec) == 255 && !mailer_addr_spec_valid(spec, strlen(spec)));
	/* a UTF-8 label counts octets: 21 three-byte characters are 63 octets */
	spec[0] = 'a';
	spec[1] = '@';
	for (i = 0; i < 22; i++) {
		memcpy(spec + 2 + 3 * i, "\xe4\xbe\x8b", 3);
	}
	CHECK(mailer_addr_spec_valid(spec, 2 + 63));
	CHECK(!mailer_addr_spec_valid(spec, 2 + 66));

	CHECK(mailer_is_ascii("a@x.org"));
	CHECK(mailer_is_ascii(""));
	CHECK(!mailer_is_ascii("\xc3\xbcser@x.org"));
	CHECK(!mailer_is_ascii("a@ex\xc3\xa4mple.org"));
	CHECK_STR(mailer_address_domain("a@x.org"), "x.org");
	CHECK_STR(mailer_address_domain("\"a@b\"@x.org"), "x.org");
	CHECK_STR(mailer_address_domain("a@"), "");
	CHECK(mailer_address_domain("ax.org") == NULL);
}

typedef struct parse_case {
	const char *in;
	size_t len;
	const char *name; /* NULL: no display name */
	const char *addr; /* NULL: must fail with message */
	const char *message;
} parse_case;

static const parse_case parse_cases[] = {
	{S("a@x.org"), NULL, "a@x.org", NULL},
	{S("  a@x.org  "), NULL, "a@x.org", NULL},
	{S("John Doe <j@x.org>"), "John Doe", "j@x.org", NULL},
	{S("\"Doe, John\" <d@x.org>"), "Doe, John", "d@x.org", NULL},
	{S("<a@x.org>"), NULL, "a@x.org", NULL},
	{S("  John   Doe   <j@x.org>  "), "John Doe", "j@x.org", NULL},
	{S("John\tDoe <j@x.org>"), "John Doe", "j@x.org", NULL},
	{S("Name<a@x.org>"), "Name", "a@x.org", NULL},
	{S("John < j@x.org >"), "John", "j@x.org", NULL},
	{S("\"John \\\"JJ\\\" Doe\" <j@x.org>"), "John \"JJ\" Doe", "j@x.org", NULL},
	{S("\"a\\\\b\" <j@x.org>"), "a\\b", "j@x.org", NULL},
	{S("\"  spaced  \" <j@x.org>"), "  spaced  ", "j@x.org", NULL},
	{S("\"Quoted\"Atom <a@x.org>"), "Quoted Atom", "a@x.org", NULL},
	{S("\"\" <a@x.org>"), NULL, "a@x.org", NULL},
	{S("Dr. J. Doe <j@x.org>"), "Dr. J. Doe", "j@x.org", NULL},
	{S("Jos\xc3\xa9 M\xc3\xbcller <jm@x.org>"), "Jos\xc3\xa9 M\xc3\xbcller", "jm@x.org", NULL},
	{S("=?UTF-8?B?Sm9zw6k=?= <jm@x.org>"), "=?UTF-8?B?Sm9zw6k=?=", "jm@x.org", NULL},
	{S("a@x.org (Comment)"), NULL, "a@x.org", NULL},
	{S("(Comment) a@x.org"), NULL, "a@x.org", NULL},
	{S("John (the man) Doe <j@x.org>"), "John Doe", "j@x.org", NULL},
	{S("(c (nested \\) paren)) John <j@x.org>"), "John", "j@x.org", NULL},
	{S("John <j@x.org> (trailing, comment)"), "John", "j@x.org", NULL},
	{S("John <(inside)j@x.org>"), "John", "j@x.org", NULL},
	{S("\"a b\"@x.org"), NULL, "\"a b\"@x.org", NULL},
	{S("Name <\"a>b\"@x.org>"), "Name", "\"a>b\"@x.org", NULL},
	{S("\"a>b\"@x.org"), NULL, "\"a>b\"@x.org", NULL},
	{S("\"<x@y.org>\" <a@x.org>"), "<x@y.org>", "a@x.org", NULL},
	{S("a@[IPv6:::1]"), NULL, "a@[IPv6:::1]", NULL},
	{S("\xe7\x94\xa8\xe6\x88\xb7 "
	   "<\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a>"),
	 "\xe7\x94\xa8\xe6\x88\xb7",
	 "\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a", NULL},

	{S("foo@"), NULL, NULL, "invalid address \"foo@\": missing domain"},
	{S(""), NULL, NULL, "invalid address \"\": empty address"},
	{S("   "), NULL, NULL, "invalid address \"   \": empty address"},
	{S("John Doe"), NULL, NULL, "invalid address \"John Doe\": missing '@'"},
	{S("@x.org"), NULL, NULL, "invalid address \"@x.org\": empty local part"},
	{S("a@b@c"), NULL, NULL, "invalid address \"a@b@c\": invalid character '@' in domain"},
	{S("a..b@x.org"), NULL, NULL, "invalid address \"a..b@x.org\": consecutive dots in local part"},
	{S(".a@x.org"), NULL, NULL, "invalid address \".a@x.org\": leading dot in local part"},
	{S("a@x.org."), NULL, NULL, "invalid address \"a@x.org.\": trailing dot in domain"},
	{S("a@-x.org"), NULL, NULL, "invalid address \"a@-x.org\": domain label starts with a hyphen"},
	{S("John Doe a@x.org"), NULL, NULL,
	 "invalid address \"John Doe a@x.org\": unexpected space in local part"},
	{S("a@x.org b@y.org"), NULL, NULL,
	 "invalid address \"a@x.org b@y.org\": unexpected space in domain"},
	{S("Doe, John <a@x.org>"), NULL, NULL,
	 "invalid address \"Doe, John <a@x.org>\": unexpected ',' in display name (quote the name)"},
	{S("a@b.org <a@b.org>"), NULL, NULL,
	 "invalid address \"a@b.org <a@b.org>\": unexpected '@' in display name (quote the name)"},
	{S("John <a@x.org"), NULL, NULL, "invalid address \"John <a@x.org\": missing '>'"},
	{S("John a@x.org>"), NULL, NULL, "invalid address \"John a@x.org>\": '>' without '<'"},
	{S("<a@x.org> x"), NULL, NULL, "invalid address \"<a@x.org> x\": unexpected text after '>'"},
	{S("<a@x.org><b@x.org>"), NULL, NULL,
	 "invalid address \"<a@x.org><b@x.org>\": unexpected text after '>'"},
	{S("A <B <a@x.org>>"), NULL, NULL, "invalid address \"A <B <a@x.org>>\": unexpected '<'"},
	{S("\"John <a@x.org>"), NULL, NULL,
	 "invalid address \"\\\"John <a@x.org>\": unterminated quoted string"},
	{S("John (x <a@x.org>"), NULL, NULL,
	 "invalid address \"John (x <a@x.org>\": unterminated comment"},
	{S("John) <a@x.org>"), NULL, NULL, "invalid address \"John) <a@x.org>\": unbalanced ')'"},
	{S("<>"), NULL, NULL, "invalid address \"<>\": no address between '<' and '>'"},
	{S("Name < >"), NULL, NULL, "invalid address \"Name < >\": no address between '<' and '>'"},
	{S("John <a@x.org>\r\nBcc: x@y.org"), NULL, NULL,
	 "invalid address \"John <a@x.org>\\r\\nBcc: x@y.org\": contains a line break"},
	/* a bare CR is a line break too (some relays end lines at it) */
	{S("a@x.org\rBcc: x@y.org"), NULL, NULL,
	 "invalid address \"a@x.org\\rBcc: x@y.org\": contains a line break"},
	{S("a@x.org\0"), NULL, NULL, "invalid address \"a@x.org\\0\": contains a NUL byte"},
	{S("J\x01 <a@x.org>"), NULL, NULL,
	 "invalid address \"J\\x01 <a@x.org>\": invalid character '\\x01' in display name"},
	{S("\"J\x7f\" <a@x.org>"), NULL, NULL,
	 "invalid address \"\\\"J\\x7F\\\" <a@x.org>\": invalid character '\\x7F' in display name"},
	{S("\xff <a@x.org>"), NULL, NULL, "invalid address \"\\xFF <a@x.org>\": invalid UTF-8"},
	{S("\"a\\b\"x@y.org"), NULL, NULL,
	 "invalid address \"\\\"a\\\\b\\\"x@y.org\": invalid character 'x' in address after the quoted "
	 "local part"},
	{S("a@[1.2.3.999]"), NULL, NULL,
	 "invalid address \"a@[1.2.3.999]\": invalid IPv4 address literal"},
	{S("a@[IPv6:1::2::3]"), NULL, NULL,
	 "invalid address \"a@[IPv6:1::2::3]\": invalid IPv6 address literal"},
	{S("a@[1.2.3.4"), NULL, NULL, "invalid address \"a@[1.2.3.4\": unterminated domain literal"},
	{S("undisclosed-recipients:;"), NULL, NULL,
	 "invalid address \"undisclosed-recipients:;\": missing '@'"},
	/* long input: cut at 60 bytes, never inside a character */
	{S("0123456789012345678901234567890123456789012345678901234567890123456789@"), NULL, NULL,
	 "invalid address \"012345678901234567890123456789012345678901234567890123456789...\": missing "
	 "domain"},
	{S("012345678901234567890123456789012345678901234567890123456\xc3\xa9\xc3\xa9@"), NULL, NULL,
	 "invalid address \"012345678901234567890123456789012345678901234567890123456\xc3\xa9...\": "
	 "missing domain"},
};

static void check_parse_one(void)
{
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const parse_case *c = &parse_cases[i];
		mailer_address_list l;
		mailer_error err;
		mailer_status rc;

		mailer_address_list_init(&l);
		mailer_error_init(&err);
		rc = mailer_address_parse_one(&l, c->in, c->len, &err);
		if (c->addr) {
			CHECK(rc == MAILER_OK && l.count == 1);
			if (rc != MAILER_OK) {
				fprintf(stderr, "  [%s]: %s\n", c->in, err.message);
			} else {
				CHECK_STR(l.items[0].addr, c->addr);
				if (c->name) {
					CHECK(l.items[0].name != NULL);
					CHECK_STR(l.items[0].name ? l.items[0].name : "(null)", c->name);
				} else {
					CHECK(l.items[0].name == NULL);
				}
			}
		} else {
			CHECK(rc == MAILER_FAIL && l.count == 0 && err.kind == MAILER_ERR_INVALID &&
				  err.stage == MAILER_STAGE_NONE);
			CHECK_STR(err.message ? err.message : "(no message)", c->message);
		}
		mailer_address_list_free(&l);
		mailer_error_clear(&err);
	}
}

static void check_parse_list(void)
{
	mailer_address_list l;
	mailer_error err;
	mailer_buf big;
	size_t i;
	mailer_status rc;

	mailer_address_list_init(&l);
	mailer_error_init(&err);

	rc = mailer_address_parse_list(&l, S("a@x.org, b@y.org"), &err);
	CHECK(rc == MAILER_OK && l.count == 2);
	CHECK_STR(l.items[0].addr, "a@x.org");
	CHECK_STR(l.items[1].addr, "b@y.org");
	mailer_address_list_free(&l);

	rc = mailer_address_parse_list(&l, S("\"Doe, John\" <d@x.org>, Jane (Smith, J.) <j@x.org>,"),
								   &err);
	CHECK(rc == MAILER_OK && l.count == 2);
	CHECK_STR(l.items[0].name, "Doe, John");
	CHECK_STR(l.items[1].name, "Jane");
	CHECK_STR(l.items[1].addr, "j@x.org");
	mailer_address_list_free(&l);

	rc = mailer_address_parse_list(&l, S(",a@x.org,, ,b@y.org , (only a comment), "), &err);
	CHECK(rc == MAILER_OK && l.count == 2);
	mailer_address_list_free(&l);

	rc = mailer_address_parse_list(&l, S("single@x.org"), &err);
	CHECK(rc == MAILER_OK && l.count == 1);
	/* appends, and all or nothing: a bad element leaves the list as it was */
	rc = mailer_address_parse_list(&l, S("a@x.org, foo@, b@y.org"), &err);
	CHECK(rc == MAILER_FAIL && l.count == 1);
	CHECK_STR(err.message, "invalid address \"foo@\": missing domain");
	rc = mailer_address_parse_list(&l, S("a@x.org, <a,b@x.org>"), &err);
	CHECK(rc == MAILER_FAIL && l.count == 1);
	CHECK_STR(err.message, "invalid address \"<a,b@x.org>\": invalid character ',' in local part");
	rc = mailer_address_parse_list(&l, S("a@x.org, \"Doe, John <d@x.org>"), &err);
	CHECK(rc == MAILER_FAIL && l.count == 1);
	CHECK_STR(err.message,
			  "invalid address \"\\\"Doe, John <d@x.org>\": unterminated quoted string");
	rc = mailer_address_parse_list(&l, S("a@x.org,\r\n b@y.org"), &err);
	CHECK(rc == MAILER_FAIL && l.count == 1);
	CHECK_STR(err.message, "invalid address \"\\r\\n b@y.org\": contains a line break");
	rc = mailer_address_parse_list(&l, S(""), &err);
	CHECK(rc == MAILER_FAIL && l.count == 1);
	CHECK_STR(err.message, "invalid address list \"\": no address");
	rc = mailer_address_parse_list(&l, S(" , ,\t"), &err);
	CHECK(rc == MAILER_FAIL && l.count == 1);
	CHECK_STR(err.message, "invalid address list \" , ,\\t\": no address");
	rc = mailer_address_parse_list(&l, S("x@y.org, John <j@x.org>"), &err);
	CHECK(rc == MAILER_OK && l.count == 3);
	CHECK_STR(l.items[2].name, "John");
	mailer_address_list_free(&l);
	CHECK(l.items == NULL && l.count == 0);

	/* a long list */
	mailer_buf_init(&big);
	for (i = 0; i < 1000; i++) {
		mailer_buf_appendf(&big, "%s\"User, %zu\" <user%zu@example.com>", i ? ", " : "", i, i);
	}
	rc = mailer_address_parse_list(&l, big.data, big.len, &err);
	CHECK(rc == MAILER_OK && l.count == 1000);
	CHECK_STR(l.items[999].name, "User, 999");
	CHECK_STR(l.items[999].addr, "user999@example.com");
	mailer_buf_free(&big);
	mailer_address_list_free(&l);
	mailer_error_clear(&err);
}

static unsigned long rng_state = 5322;

static size_t rnd(size_t n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (size_t)((rng_state >> 33) % n);
}

static int printable(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) {
			return 0;
		}
	}
	return 1;
}

/* Random input must never crash the parser or yield anything invalid, and what
 * it accepts must come back the same after being written into a field. */
static void check_random(void)
{
	static const char *const parts[] = {
		"a",         "b.c",        "John",  "x.org", "@", "@",        "<",
		">",         "\"",         "\\",    "(",     ")", ",",        ",",
		".",         " ",          "  ",    "\t",    ";", ":",        "[",
		"]",         "1.2.3.4",    "IPv6:", "::1",   "-", "\xc3\xa9", "\xe4\xbd\xa0",
		"\xff",      "\r\n",       "\x01",  "=?",    "'", "+",        "a@x.org",
		"<a@x.org>", "\"Doe, J\"",
	};
	mailer_address_list l, again;
	mailer_error err;
	mailer_buf in, field;
	size_t i, j, n, accepted = 0, bad = 0, mismatched = 0;

	mailer_address_list_init(&l);
	mailer_address_list_init(&again);
	mailer_error_init(&err);
	mailer_buf_init(&in);
	mailer_buf_init(&field);
	for (i = 0; i < 20000; i++) {
		mailer_buf_reset(&in);
		n = 1 + rnd(12);
		for (j = 0; j < n; j++) {
			mailer_buf_appends(&in, parts[rnd(sizeof(parts) / sizeof(parts[0]))]);
		}
		if (i % 2) {
			/* mostly a display name: wrap what came out as one */
			mailer_buf_appends(&in, rnd(2) ? " <b@y.org>" : " <b@y.org>, c@z.org");
		}
		if (mailer_address_parse_list(&l, in.data, in.len, &err) != MAILER_OK) {
			bad += err.kind != MAILER_ERR_INVALID || !err.message || l.count != 0;
			continue;
		}
		accepted++;
		for (j = 0; j < l.count; j++) {
			const char *name = l.items[j].name;

			bad += !mailer_addr_spec_valid(l.items[j].addr, strlen(l.items[j].addr));
			bad += name && (!*name || strpbrk(name, "\r\n") ||
							!mailer_header_value_valid(name, strlen(name)));
		}
		mailer_buf_reset(&field);
		mailer_header_write_addresses(&field, "To", l.items, l.count);
		/* unfold and drop "To: " and the final CRLF */
		for (j = n = 0; j + 2 < field.len; j++) {
			if (field.data[j] == '\r' && field.data[j + 1] == '\n') {
				j++;
			} else if (j >= 4) {
				field.data[n++] = field.data[j];
			}
		}
		if (mailer_address_parse_list(&again, field.data, n, &err) != MAILER_OK ||
			again.count != l.count) {
			mismatched++;
		} else {
			for (j = 0; j < l.count; j++) {
				const char *name = l.items[j].name;

				mismatched += strcmp(l.items[j].addr, again.items[j].addr) != 0;
				if (name && printable(name)) {
					mismatched += !again.items[j].name || strcmp(name, again.items[j].name) != 0;
				}
			}
		}
		mailer_address_list_free(&again);
		mailer_address_list_free(&l);
	}
	CHECK(accepted > 500);
	CHECK(bad == 0);
	CHECK(mismatched == 0);
	mailer_buf_free(&in);
	mailer_buf_free(&field);
	mailer_error_clear(&err);
}

int main(void)
{
	RUN(check_specs());
	RUN(check_parse_one());
	RUN(check_parse_list());
	RUN(check_random());
	UNIT_DONE();
}
