/* The SMTP reply parser and the EHLO capability parser. */
#include "unit.h"
#include "core/session/caps.h"
#include "core/session/reply.h"

static mailer_reply_state feed_all(mailer_reply *r, const char *const *lines, size_t n,
								   const char **why)
{
	mailer_reply_state st = MAILER_REPLY_MORE;
	size_t i;

	mailer_reply_reset(r);
	for (i = 0; i < n && st == MAILER_REPLY_MORE; i++) {
		st = mailer_reply_feed(r, lines[i], strlen(lines[i]), why);
	}
	return st;
}

static void test_single_and_multi(void)
{
	mailer_reply r;
	const char *why = NULL;
	const char *one[] = {"250 2.0.0 Ok: queued as 4Fh2X"};
	const char *multi[] = {"250-mx.example.org", "250-PIPELINING", "250 SIZE 1000"};
	const char *bare[] = {"250"};
	const char *text;
	size_t len;

	mailer_reply_init(&r);
	CHECK(feed_all(&r, one, 1, &why) == MAILER_REPLY_DONE);
	CHECK(r.code == 250 && r.lines == 1);
	CHECK_STR(r.enhanced, "2.0.0");
	CHECK_STR(mailer_buf_cstr(&r.text), "250 2.0.0 Ok: queued as 4Fh2X");

	CHECK(feed_all(&r, multi, 3, &why) == MAILER_REPLY_DONE);
	CHECK(r.lines == 3 && r.enhanced[0] == '\0');
	CHECK_STR(mailer_buf_cstr(&r.text), "250-mx.example.org\n250-PIPELINING\n250 SIZE 1000");
	CHECK(mailer_reply_line(&r, 2, &text, &len));
	CHECK_MEM(text, len, "SIZE 1000");
	CHECK(!mailer_reply_line(&r, 3, &text, &len));

	/* a code-only line is a complete reply (RFC 5321 §4.2) */
	CHECK(feed_all(&r, bare, 1, &why) == MAILER_REPLY_DONE);
	CHECK(r.code == 250);
	CHECK(mailer_reply_line(&r, 0, &text, &len) && len == 0);
	mailer_reply_free(&r);
}

static void test_enhanced(void)
{
	char out[16];
	mailer_reply r;
	const char *why = NULL;
	const char *wide[] = {"550 5.7.139 Authentication unsuccessful"};
	const char *mismatch[] = {"550 2.1.0 odd"};
	const char *no_space[] = {"250 2.1.0Ok"};

	CHECK(mailer_enhanced_status_parse("5.7.139 text", 12, out) == 7);
	CHECK_STR(out, "5.7.139");
	CHECK(mailer_enhanced_status_parse("4.4.2", 5, out) == 5);
	CHECK(mailer_enhanced_status_parse("3.1.0 x", 7, out) == 0);
	CHECK(mailer_enhanced_status_parse("5.1234.0 x", 10, out) == 0);
	CHECK(mailer_enhanced_status_parse("5..0 x", 6, out) == 0);
	CHECK(mailer_enhanced_status_parse("5.1", 3, out) == 0);

	mailer_reply_init(&r);
	CHECK(feed_all(&r, wide, 1, &why) == MAILER_REPLY_DONE);
	CHECK_STR(r.enhanced, "5.7.139");
	/* RFC 2034: the class must match the reply code's first digit */
	CHECK(feed_all(&r, mismatch, 1, &why) == MAILER_REPLY_DONE);
	CHECK_STR(r.enhanced, "");
	CHECK(feed_all(&r, no_space, 1, &why) == MAILER_REPLY_DONE);
	CHECK_STR(r.enhanced, "");
	mailer_reply_free(&r);
}

static void test_malformed(void)
{
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{"", "reply does not start with a three-digit code"},
		{"25", "reply does not start with a three-digit code"},
		{"25x hello", "reply does not start with a three-digit code"},
		{"abc hello", "reply does not start with a three-digit code"},
		{"650 nope", "reply code out of range"},
		{"150 nope", "reply code out of range"},
		{"260 nope", "reply code out of range"},
		{"250x", "reply code not followed by a space or hyphen"},
	};
	mailer_reply r;
	const char *why;
	size_t i;

	mailer_reply_init(&r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		mailer_reply_reset(&r);
		CHECK(mailer_reply_feed(&r, cases[i].line, strlen(cases[i].line), &why) ==
			  MAILER_REPLY_BAD);
		CHECK(why && strcmp(why, cases[i].why) == 0);
	}
	mailer_reply_reset(&r);
	CHECK(mailer_reply_feed(&r, "250 a\0b", 7, &why) == MAILER_REPLY_BAD);
	CHECK_STR(why, "reply contains a NUL byte");
	mailer_reply_reset(&r);
	CHECK(mailer_reply_feed(&r, "250-a", 5, &why) == MAILER_REPLY_MORE);
	CHECK(mailer_reply_feed(&r, "251 b", 5, &why) == MAILER_REPLY_BAD);
	CHECK_STR(why, "reply lines carry different codes");

	/* continuation lines are bounded */
	mailer_reply_reset(&r);
	for (i = 0; i < MAILER_REPLY_LINES_MAX; i++) {
		if (mailer_reply_feed(&r, "250-X", 5, &why) != MAILER_REPLY_MORE) {
			break;
		}
	}
	CHECK(i == MAILER_REPLY_LINES_MAX);
	CHECK(mailer_reply_feed(&r, "250-X", 5, &why) == MAILER_REPLY_BAD);
	CHECK_STR(why, "reply has too many lines");
	mailer_reply_free(&r);
}

static void test_caps(void)
{
	const char *lines[] = {"250-mx.example.org Hello [127.0.0.1]",
						   "250-pipelining",
						   "250-SIZE 35882577",
						   "250-AUTH LOGIN PLAIN XOAUTH2",
						   "250-AUTH=LOGIN",
						   "250-8BITMIME  ",
						   "250-?not a keyword",
						   "250-X-EXT a b",
						   "250 CHUNKING"};
	mailer_reply r;
	mailer_caps caps;
	const char *why;

	mailer_reply_init(&r);
	mailer_caps_init(&caps);
	CHECK(feed_all(&r, lines, sizeof(lines) / sizeof(lines[0]), &why) == MAILER_REPLY_DONE);
	mailer_caps_parse(&caps, &r);
	CHECK(caps.count == 6);
	CHECK(mailer_caps_has(&caps, "PIPELINING"));
	CHECK(mailer_caps_has(&caps, "Pipelining"));
	CHECK_STR(mailer_caps_get(&caps, "size"), "35882577");
	CHECK_STR(mailer_caps_get(&caps, "AUTH"), "LOGIN PLAIN XOAUTH2");
	CHECK_STR(mailer_caps_get(&caps, "8BITMIME"), "");
	CHECK_STR(mailer_caps_get(&caps, "X-EXT"), "a b");
	CHECK(mailer_caps_has_auth(&caps, "plain"));
	CHECK(mailer_caps_has_auth(&caps, "XOAUTH2"));
	CHECK(!mailer_caps_has_auth(&caps, "CRAM-MD5"));
	CHECK(!mailer_caps_has_auth(&caps, "XOAUTH"));
	CHECK(!mailer_caps_has(&caps, "STARTTLS"));
	CHECK(!mailer_caps_has(&caps, "mx.example.org"));
	/* parsing again replaces, never accumulates (after STARTTLS) */
	mailer_caps_parse(&caps, &r);
	CHECK(caps.count == 6);
	mailer_caps_free(&caps);
	mailer_reply_free(&r);
}

int main(void)
{
	RUN(test_single_and_multi());
	RUN(test_enhanced());
	RUN(test_malformed());
	RUN(test_caps());
	UNIT_DONE();
}
