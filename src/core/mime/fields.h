/* The one table of header fields a caller may name: sendmail()'s $headers and
 * Mailer\Message::header() both route every name through it, so the same
 * input gives the same bytes or the same ValueError text in both. */
#ifndef MAILER_CORE_MIME_FIELDS_H
#define MAILER_CORE_MIME_FIELDS_H

#include <stddef.h>

#include "core/mime/message.h"
#include "core/util/error.h"

typedef enum mailer_field_kind {
	MAILER_FIELD_FREE,       /* not in the table: an unstructured field, RFC 2047 when needed */
	MAILER_FIELD_ADDRESS,    /* Cc, Bcc, Reply-To: a mailbox list added to the message's list */
	MAILER_FIELD_ARGUMENT,   /* From, To, Subject: each entry point has its own argument/method */
	MAILER_FIELD_DATE,       /* structured, checked, replaces the generated Date */
	MAILER_FIELD_MESSAGE_ID, /* structured, checked, replaces the generated Message-ID */
	MAILER_FIELD_BODY_TYPE,  /* Content-Type: the type of sendmail()'s one body */
	MAILER_FIELD_MIME        /* the MIME structure's fields: written by the mailer only */
} mailer_field_kind;

/* Who names the field: the two entry points differ in one row only, Content-Type, which
 * is sendmail()'s way to type its one body while a Mailer\Message types its parts with
 * text(), html() and attach(). */
typedef enum mailer_field_entry {
	MAILER_FIELD_FROM_SENDMAIL,
	MAILER_FIELD_FROM_MESSAGE
} mailer_field_entry;

typedef struct mailer_field_rule {
	const char *name; /* canonical spelling; names match case-insensitively */
	mailer_field_kind kind;
	const char *instead; /* MAILER_FIELD_ARGUMENT, BODY_TYPE: what to use instead */
} mailer_field_rule;

/* The table, for tests and documentation: every row that is not MAILER_FIELD_FREE. */
extern const mailer_field_rule mailer_field_table[];
extern const size_t mailer_field_table_count;

/* The row of a name, or NULL for a free-form field. */
const mailer_field_rule *mailer_field_lookup(const char *name, size_t len);

/* Checks a field name: a valid RFC 5322 name, and one this entry point may set.
 * MAILER_OK with *rule the row (NULL: free-form), or MAILER_FAIL with err saying why
 * (MAILER_ERR_INVALID). Lets a caller refuse a name before looking at its value. */
mailer_status mailer_field_check(mailer_field_entry entry, const char *name, size_t len,
								 const mailer_field_rule **rule, mailer_error *err);

/* Sets one value of the named field on m, as the table says: a free-form field is
 * appended, an address field's mailboxes (a comma-separated list) are appended to its
 * list, Date and Message-ID replace the generated ones, Content-Type types sendmail()'s
 * body. All or nothing: on failure m is unchanged and err says why. */
mailer_status mailer_message_set_field(mailer_message *m, mailer_field_entry entry,
									   const char *name, size_t name_len, const char *value,
									   size_t value_len, mailer_error *err);

#endif
