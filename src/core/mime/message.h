/* The message writer: an RFC 5322 message (header fields, then the MIME body
 * of mime.h), written to a sink so it streams to the socket. Used by
 * sendmail() and Mailer\Message alike: one MIME path for the whole project. */
#ifndef MAILER_CORE_MIME_MESSAGE_H
#define MAILER_CORE_MIME_MESSAGE_H

#include "core/mime/address.h"
#include "core/util/buf.h"
#include "core/util/error.h"
#include "core/util/producer.h"
#include "core/mime/mime.h"
#include "core/util/sink.h"

#include <stddef.h>

typedef struct mailer_header_field {
	char *name;
	char *value;
	size_t value_len;
} mailer_header_field;

typedef struct mailer_message {
	mailer_address_list from;
	mailer_address_list to;
	mailer_address_list cc;
	mailer_address_list bcc; /* envelope only: never written */
	mailer_address_list reply_to;
	char *subject; /* NULL: no Subject field */
	size_t subject_len;
	mailer_header_field *headers; /* the caller's extra fields, in order */
	size_t header_count;
	mailer_mime mime; /* the bodies and attachments */
	char *date;       /* NULL until prepared, unless the caller set one */
	char *message_id; /* likewise */
} mailer_message;

void mailer_message_init(mailer_message *m);
void mailer_message_free(mailer_message *m);
/* Validates name and value and appends the field. */
mailer_status mailer_message_add_header(mailer_message *m, const char *name, size_t name_len,
										const char *value, size_t value_len, mailer_error *err);
mailer_status mailer_message_set_subject(mailer_message *m, const char *subject, size_t len,
										 mailer_error *err);
/* Content-Type of sendmail()'s body (the HTML part), e.g. "text/plain; charset=UTF-8". */
mailer_status mailer_message_set_content_type(mailer_message *m, const char *value, size_t len,
											  mailer_error *err);
/* Date must be an RFC 5322 date-time (see mailer_date_check()). */
mailer_status mailer_message_set_date(mailer_message *m, const char *value, size_t len,
									  mailer_error *err);
/* Message-ID must be <dot-atom-text@dot-atom-text> or <dot-atom-text@[dtext]>. Both
 * setters check before they replace anything: a refused value leaves m as it was. */
mailer_status mailer_message_set_message_id(mailer_message *m, const char *value, size_t len,
											mailer_error *err);
/* Fills in Date and Message-ID unless set, chooses encodings and boundaries;
 * fails without a From address. Call it before every write (the body may
 * have changed); what it fixed once stays, so the bytes stay the same. */
mailer_status mailer_message_prepare(mailer_message *m, mailer_error *err);
/* Writes the prepared message (a mailer_emit_fn: ctx is the mailer_message): its
 * producer drained into out. */
mailer_status mailer_message_write(void *ctx, const mailer_sink *out, mailer_error *err);
/* The prepared message as a producer (m borrowed: it must outlive the producer);
 * its size() is mailer_message_measure()'s. */
void mailer_message_producer(const mailer_message *m, mailer_producer *out);
/* The octets mailer_message_write() gives after CRLF normalisation, computed
 * without reading any attachment source (their size comes from the source), or
 * MAILER_SIZE_UNKNOWN when a source cannot tell. Needs mailer_message_prepare(). */
mailer_status mailer_message_measure(const mailer_message *m, long long *size, mailer_error *err);
/* 1 when the written message will contain bytes >= 0x80 (8BITMIME wanted). */
int mailer_message_is_8bit(const mailer_message *m);
/* 1 when the header the writer writes will carry UTF-8 (SMTPUTF8 wanted): decided here,
 * beside the writer, because addresses are written with A-label domains, so only a UTF-8
 * local part (or a domain that cannot be converted) stays UTF-8. */
int mailer_message_header_utf8(const mailer_message *m);
/* The same for one address list, written as an address field. */
int mailer_address_field_utf8(const mailer_address_list *list);
#endif
