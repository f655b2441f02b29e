/* The envelope of core/send/envelope.h: de-duplication, Bcc, the null reverse-path,
 * 8-bit data and the SMTPUTF8 decision taken from the header writer's rules. */
#include "unit.h"
#include "core/send/envelope.h"
#include "core/mime/message.h"
#include "core/util/alloc.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void add(mailer_address_list *l, const char *list)
{
	mailer_error err;

	mailer_error_init(&err);
	CHECK(mailer_address_parse_list(l, list, strlen(list), &err) == MAILER_OK);
	mailer_error_clear(&err);
}

static void test_from_message(void)
{
	mailer_message m;
	mailer_send_envelope e;
	mailer_error err;

	mailer_message_init(&m);
	mailer_error_init(&err);
	add(&m.from, "Sender <s@example.org>");
	add(&m.to, "a@example.org, B@Example.org");
	add(&m.cc, "b@example.org, c@example.org");
	add(&m.bcc, "hidden@example.org, A@EXAMPLE.ORG");
	add(&m.reply_to, "r@example.org");
	CHECK(mailer_envelope_from_message(&e, &m, &err) == MAILER_OK);
	CHECK_STR(e.env.from, "s@example.org");
	/* one RCPT per mailbox, in the order given, Bcc included, Reply-To not */
	CHECK(e.env.rcpt_count == 4);
	if (e.env.rcpt_count == 4) {
		CHECK_STR(e.env.rcpts[0], "a@example.org");
		CHECK_STR(e.env.rcpts[1], "B@Example.org");
		CHECK_STR(e.env.rcpts[2], "c@example.org");
		CHECK_STR(e.env.rcpts[3], "hidden@example.org");
	}
	CHECK(e.env.utf8_headers == 0 && e.env.body_8bit == 0);
	mailer_send_envelope_free(&e);
	mailer_message_free(&m);
}

static void test_only_bcc_and_refusals(void)
{
	mailer_message m;
	mailer_send_envelope e;
	mailer_error err;

	mailer_message_init(&m);
	mailer_error_init(&err);
	add(&m.bcc, "hidden@example.org");
	CHECK(mailer_envelope_from_message(&e, &m, &err) == MAILER_FAIL);
	CHECK_STR(err.message, "the message has no From address");
	CHECK(e.rcpts == NULL);
	mailer_error_clear(&err);
	add(&m.from, "s@example.org");
	CHECK(mailer_envelope_from_message(&e, &m, &err) == MAILER_OK);
	CHECK(e.env.rcpt_count == 1);
	CHECK_STR(e.env.rcpts[0], "hidden@example.org");
	mailer_send_envelope_free(&e);
	mailer_address_list_free(&m.bcc);
	CHECK(mailer_envelope_from_message(&e, &m, &err) == MAILER_FAIL);
	CHECK_STR(err.message, "the message has no recipients");
	mailer_error_clear(&err);
	mailer_message_free(&m);
}

/* SMTPUTF8 follows what the writer writes: an IDN domain goes as A-labels (ASCII), a
 * UTF-8 local part stays UTF-8; Bcc is never written, so its UTF-8 does not count. */
static void check_utf8(const char *field, const char *address, int expected)
{
	mailer_message m;
	mailer_send_envelope e;
	mailer_error err;

	mailer_message_init(&m);
	mailer_error_init(&err);
	add(&m.from, strcmp(field, "from") == 0 ? address : "s@example.org");
	add(&m.to, "t@example.org");
	if (strcmp(field, "from") != 0) {
		add(strcmp(field, "to") == 0    ? &m.to
			: strcmp(field, "cc") == 0  ? &m.cc
			: strcmp(field, "bcc") == 0 ? &m.bcc
										: &m.reply_to,
			address);
	}
	CHECK(mailer_envelope_from_message(&e, &m, &err) == MAILER_OK);
	if (e.env.utf8_headers != expected) {
		fprintf(stderr, "%s %s: utf8_headers %d\n", field, address, e.env.utf8_headers);
	}
	CHECK(e.env.utf8_headers == expected);
	CHECK(mailer_message_header_utf8(&m) == expected);
	mailer_send_envelope_free(&e);
	mailer_message_free(&m);
}

static void test_smtputf8(void)
{
	check_utf8("to",
			   "user@b\xc3\xbc"
			   "cher.example",
			   0);
	check_utf8("to", "\xc3\xbcser@example.org", 1);
	check_utf8("cc", "\xc3\xbcser@example.org", 1);
	check_utf8("reply-to", "\xc3\xbcser@example.org", 1);
	check_utf8("from", "\xc3\xbcser@example.org", 1);
	check_utf8("bcc", "\xc3\xbcser@example.org", 0);
	check_utf8("to", "Z\xc3\xb6\x65 <zoe@example.org>", 0); /* a name is an encoded word */
}

static void test_from_lists(void)
{
	mailer_address_list to;
	mailer_send_envelope e;
	mailer_error err;

	mailer_address_list_init(&to);
	mailer_error_init(&err);
	add(&to, "a@example.org, A@example.org, b@example.org");
	CHECK(mailer_envelope_from_lists(&e, "", &to, S("Subject: x\r\n\r\nplain\r\n"), &err) ==
		  MAILER_OK);
	CHECK_STR(e.env.from, ""); /* the null reverse-path */
	CHECK(e.env.rcpt_count == 2);
	CHECK(e.env.body_8bit == 0 && e.env.utf8_headers == 0);
	mailer_send_envelope_free(&e);
	CHECK(mailer_envelope_from_lists(&e, "s@example.org", &to,
									 S("Subject: x\r\n\r\ncaf\xc3\xa9\r\n"), &err) == MAILER_OK);
	CHECK(e.env.body_8bit == 1);
	mailer_send_envelope_free(&e);
	CHECK(mailer_envelope_from_lists(&e, "\xc3\xbc@example.org", &to, S("x"), &err) == MAILER_OK);
	CHECK(e.env.utf8_headers == 1 && e.env.body_8bit == 0);
	mailer_send_envelope_free(&e);
	mailer_address_list_free(&to);
	CHECK(mailer_envelope_from_lists(&e, "s@example.org", &to, S("x"), &err) == MAILER_FAIL);
	CHECK_STR(err.message, "the message has no recipients");
	mailer_error_clear(&err);
}

int main(void)
{
	RUN(test_from_message());
	RUN(test_only_bcc_and_refusals());
	RUN(test_smtputf8());
	RUN(test_from_lists());
	UNIT_DONE();
}
