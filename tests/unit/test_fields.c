/* The field table of core/mime/fields.h: its rows (the list tests/api/field_table.phpt
 * walks through both entry points), how each kind routes a value, and that a refused
 * value leaves the message as it was. */
#include "unit.h"
#include "core/mime/fields.h"
#include "core/mime/message.h"
#include "core/util/alloc.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void test_rows(void)
{
	static const struct {
		const char *name;
		mailer_field_kind kind;
	} expected[] = {
		{"From", MAILER_FIELD_ARGUMENT},
		{"To", MAILER_FIELD_ARGUMENT},
		{"Subject", MAILER_FIELD_ARGUMENT},
		{"Cc", MAILER_FIELD_ADDRESS},
		{"Bcc", MAILER_FIELD_ADDRESS},
		{"Reply-To", MAILER_FIELD_ADDRESS},
		{"Date", MAILER_FIELD_DATE},
		{"Message-ID", MAILER_FIELD_MESSAGE_ID},
		{"Content-Type", MAILER_FIELD_BODY_TYPE},
		{"MIME-Version", MAILER_FIELD_MIME},
		{"Content-Transfer-Encoding", MAILER_FIELD_MIME},
		{"Content-Disposition", MAILER_FIELD_MIME},
		{"Content-ID", MAILER_FIELD_MIME},
	};
	size_t i, n = sizeof(expected) / sizeof(expected[0]);

	CHECK(mailer_field_table_count == n);
	for (i = 0; i < n && i < mailer_field_table_count; i++) {
		CHECK_STR(mailer_field_table[i].name, expected[i].name);
		CHECK(mailer_field_table[i].kind == expected[i].kind);
	}
	/* names match case-insensitively, and only whole */
	CHECK(mailer_field_lookup(S("content-id")) == &mailer_field_table[12]);
	CHECK(mailer_field_lookup(S("REPLY-TO")) == &mailer_field_table[5]);
	CHECK(mailer_field_lookup(S("Content-Language")) == NULL);
	CHECK(mailer_field_lookup(S("Cc2")) == NULL);
	CHECK(mailer_field_lookup("Ccx", 2) == &mailer_field_table[3]);
}

/* What mailer_field_check() says for one name from each entry point: "" when accepted. */
static void check_name(const char *name, const char *from_sendmail, const char *from_message)
{
	const mailer_field_entry entries[] = {MAILER_FIELD_FROM_SENDMAIL, MAILER_FIELD_FROM_MESSAGE};
	const char *expected[] = {from_sendmail, from_message};
	const mailer_field_rule *rule;
	mailer_error err;
	size_t i;

	for (i = 0; i < 2; i++) {
		mailer_error_init(&err);
		if (mailer_field_check(entries[i], name, strlen(name), &rule, &err) == MAILER_OK) {
			CHECK_STR("", expected[i]);
			CHECK(err.message == NULL);
		} else {
			CHECK_STR(err.message ? err.message : "(none)", expected[i]);
			CHECK(err.kind == MAILER_ERR_INVALID);
			CHECK(rule == NULL);
		}
		mailer_error_clear(&err);
	}
}

static void test_check(void)
{
	const char *mime = "cannot be set: the MIME structure is written by the mailer";
	char text[200];

	check_name("X-Tag", "", "");
	check_name("cc", "", "");
	check_name("Date", "", "");
	check_name("Content-Type", "",
			   "header \"Content-Type\" cannot be set on a Mailer\\Message: use "
			   "Mailer\\Message::text() or html() for the bodies, attach()'s $contentType for a "
			   "file");
	check_name("to",
			   "header \"To\" cannot be an extra header: use sendmail()'s $to argument or "
			   "Mailer\\Message::to()",
			   "header \"To\" cannot be an extra header: use sendmail()'s $to argument or "
			   "Mailer\\Message::to()");
	snprintf(text, sizeof(text), "header \"Content-ID\" %s", mime);
	check_name("CONTENT-ID", text, text);
	snprintf(text, sizeof(text), "header \"Content-Disposition\" %s", mime);
	check_name("content-disposition", text, text);
	snprintf(text, sizeof(text), "header \"MIME-Version\" %s", mime);
	check_name("Mime-Version", text, text);
	/* the name check comes first, with the one text */
	check_name("X Tag",
			   "header name \"X Tag\" is not a valid RFC 5322 field name (printable ASCII without "
			   "spaces or colons, at most 76 characters)",
			   "header name \"X Tag\" is not a valid RFC 5322 field name (printable ASCII without "
			   "spaces or colons, at most 76 characters)");
}

static mailer_status set(mailer_message *m, const char *name, const char *value, mailer_error *err)
{
	mailer_error_clear(err);
	return mailer_message_set_field(m, MAILER_FIELD_FROM_SENDMAIL, name, strlen(name), value,
									strlen(value), err);
}

static void test_routing(void)
{
	mailer_message m;
	mailer_error err;

	mailer_message_init(&m);
	mailer_error_init(&err);
	CHECK(set(&m, "CC", "A <a@example.org>, b@example.org", &err) == MAILER_OK);
	CHECK(set(&m, "bcc", "c@example.org", &err) == MAILER_OK);
	CHECK(set(&m, "Reply-To", "d@example.org", &err) == MAILER_OK);
	CHECK(set(&m, "Cc", "", &err) == MAILER_OK); /* nobody added */
	CHECK(m.cc.count == 2 && m.bcc.count == 1 && m.reply_to.count == 1);
	CHECK_STR(m.cc.items[1].addr, "b@example.org");
	CHECK_STR(m.cc.items[0].name ? m.cc.items[0].name : "", "A");
	CHECK_STR(m.bcc.items[0].addr, "c@example.org");
	CHECK_STR(m.reply_to.items[0].addr, "d@example.org");
	CHECK(m.header_count == 0); /* none became a free-form field */

	/* all or nothing: one bad mailbox adds none */
	CHECK(set(&m, "Cc", "e@example.org, not an address", &err) == MAILER_FAIL);
	CHECK_STR(err.message, "header \"Cc\": invalid address \"not an address\": missing '@'");
	CHECK(m.cc.count == 2);

	CHECK(set(&m, "date", "Fri, 13 Mar 2026 10:00:00 +0100", &err) == MAILER_OK);
	CHECK_STR(m.date, "Fri, 13 Mar 2026 10:00:00 +0100");
	CHECK(set(&m, "Date", "yesterday", &err) == MAILER_FAIL);
	CHECK_STR(m.date, "Fri, 13 Mar 2026 10:00:00 +0100");
	CHECK(set(&m, "MESSAGE-ID", "<a.1@example.org>", &err) == MAILER_OK);
	CHECK_STR(m.message_id, "<a.1@example.org>");
	CHECK(set(&m, "Content-Type", "text/plain; charset=UTF-8", &err) == MAILER_OK);
	CHECK_STR(m.mime.html.content_type ? m.mime.html.content_type : "",
			  "text/plain; charset=UTF-8");
	CHECK(set(&m, "Content-Type", "plain", &err) == MAILER_FAIL);
	CHECK(m.header_count == 0);

	CHECK(set(&m, "X-Tag", "one", &err) == MAILER_OK);
	CHECK(set(&m, "Content-Language", "de", &err) == MAILER_OK);
	CHECK(set(&m, "X-Tag", "a\r\nBcc: v@example.com", &err) == MAILER_FAIL);
	CHECK_STR(err.message, "header \"X-Tag\" contains a line break (CR or LF)");
	CHECK(set(&m, "Content-ID", "<x@example.org>", &err) == MAILER_FAIL);
	CHECK(set(&m, "From", "x@example.org", &err) == MAILER_FAIL);
	CHECK(m.header_count == 2 && m.from.count == 0);
	CHECK_STR(m.headers[0].name, "X-Tag");
	CHECK_STR(m.headers[1].name, "Content-Language");

	/* a Message refuses Content-Type and changes nothing */
	mailer_error_clear(&err);
	CHECK(mailer_message_set_field(&m, MAILER_FIELD_FROM_MESSAGE, S("content-type"), S("text/x"),
								   &err) == MAILER_FAIL);
	CHECK_STR(m.mime.html.content_type ? m.mime.html.content_type : "",
			  "text/plain; charset=UTF-8");
	mailer_error_clear(&err);
	mailer_message_free(&m);
}

int main(void)
{
	RUN(test_rows());
	RUN(test_check());
	RUN(test_routing());
	UNIT_DONE();
}
