#include "core/mime/fields.h"
#include "core/mime/header.h"
#include "core/util/alloc.h"
#include "core/util/portable.h"

#include <string.h>

/* Every field with a rule; any other valid name is free-form. Content-Language,
 * Content-Description and the like are free-form too: only the fields that make the
 * MIME structure are the mailer's (a top-level Content-Disposition or Content-ID would
 * describe a multipart's parts wrongly, or clash with an attachment's own). */
const mailer_field_rule mailer_field_table[] = {
	{"From", MAILER_FIELD_ARGUMENT, "sendmail()'s $from argument or Mailer\\Message::from()"},
	{"To", MAILER_FIELD_ARGUMENT, "sendmail()'s $to argument or Mailer\\Message::to()"},
	{"Subject", MAILER_FIELD_ARGUMENT,
	 "sendmail()'s $subject argument or Mailer\\Message::subject()"},
	{"Cc", MAILER_FIELD_ADDRESS, NULL},
	{"Bcc", MAILER_FIELD_ADDRESS, NULL},
	{"Reply-To", MAILER_FIELD_ADDRESS, NULL},
	{"Date", MAILER_FIELD_DATE, NULL},
	{"Message-ID", MAILER_FIELD_MESSAGE_ID, NULL},
	{"Content-Type", MAILER_FIELD_BODY_TYPE,
	 "Mailer\\Message::text() or html() for the bodies, attach()'s $contentType for a file"},
	{"MIME-Version", MAILER_FIELD_MIME, NULL},
	{"Content-Transfer-Encoding", MAILER_FIELD_MIME, NULL},
	{"Content-Disposition", MAILER_FIELD_MIME, NULL},
	{"Content-ID", MAILER_FIELD_MIME, NULL},
};
const size_t mailer_field_table_count = sizeof(mailer_field_table) / sizeof(mailer_field_table[0]);

const mailer_field_rule *mailer_field_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < mailer_field_table_count; i++) {
		const mailer_field_rule *r = &mailer_field_table[i];

		if (strlen(r->name) == len && mailer_ascii_ncasecmp(name, r->name, len) == 0) {
			return r;
		}
	}
	return NULL;
}

mailer_status mailer_field_check(mailer_field_entry entry, const char *name, size_t len,
								 const mailer_field_rule **rule, mailer_error *err)
{
	const mailer_field_rule *r;

	*rule = NULL;
	if (mailer_header_name_check(name, len, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	r = mailer_field_lookup(name, len);
	if (r && r->kind == MAILER_FIELD_ARGUMENT) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"header \"%s\" cannot be an extra header: use %s", r->name,
								r->instead);
	}
	if (r && r->kind == MAILER_FIELD_MIME) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"header \"%s\" cannot be set: the MIME structure is written by "
								"the mailer",
								r->name);
	}
	if (r && r->kind == MAILER_FIELD_BODY_TYPE && entry == MAILER_FIELD_FROM_MESSAGE) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"header \"%s\" cannot be set on a Mailer\\Message: use %s", r->name,
								r->instead);
	}
	*rule = r;
	return MAILER_OK;
}

static mailer_address_list *address_list(mailer_message *m, const mailer_field_rule *r)
{
	if (strcmp(r->name, "Cc") == 0) {
		return &m->cc;
	}
	return strcmp(r->name, "Bcc") == 0 ? &m->bcc : &m->reply_to;
}

/* A mailbox list, all or nothing (the parser appends nothing on failure); its error
 * names the field. An empty value adds nobody. */
static mailer_status add_addresses(mailer_message *m, const mailer_field_rule *r, const char *value,
								   size_t len, mailer_error *err)
{
	char *why;

	if (len == 0 || mailer_address_parse_list(address_list(m, r), value, len, err) == MAILER_OK) {
		return MAILER_OK;
	}
	why = err->message;
	err->message = NULL;
	mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "header \"%s\": %s", r->name,
					 why ? why : "invalid address");
	mailer_free(why);
	return MAILER_FAIL;
}

mailer_status mailer_message_set_field(mailer_message *m, mailer_field_entry entry,
									   const char *name, size_t name_len, const char *value,
									   size_t value_len, mailer_error *err)
{
	const mailer_field_rule *r;

	if (mailer_field_check(entry, name, name_len, &r, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	switch (r ? r->kind : MAILER_FIELD_FREE) {
	case MAILER_FIELD_ADDRESS:
		return add_addresses(m, r, value, value_len, err);
	case MAILER_FIELD_DATE:
		return mailer_message_set_date(m, value, value_len, err);
	case MAILER_FIELD_MESSAGE_ID:
		return mailer_message_set_message_id(m, value, value_len, err);
	case MAILER_FIELD_BODY_TYPE:
		return mailer_message_set_content_type(m, value, value_len, err);
	default:
		return mailer_message_add_header(m, name, name_len, value, value_len, err);
	}
}
