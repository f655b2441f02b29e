/* The SMTP envelope of one send, built from a message (sendmail(), send()) or
 * from a sender and a recipient list (sendRaw()): recipients de-duplicated
 * (case-insensitively: one RCPT per mailbox), Bcc included, the 8-bit and
 * SMTPUTF8 needs taken from the message writer's own rules. */
#ifndef MAILER_CORE_SEND_ENVELOPE_H
#define MAILER_CORE_SEND_ENVELOPE_H

#include "core/mime/address.h"
#include "core/mime/message.h"
#include "core/session/session.h"

/* env is what the session takes; its strings are borrowed from the message or
 * lists it was built from (which must outlive it), the rcpts array is owned. */
typedef struct mailer_send_envelope {
	mailer_envelope env;
	const char **rcpts;
} mailer_send_envelope;

/* From the message's From (the first), To, Cc and Bcc. MAILER_FAIL (MAILER_ERR_INVALID)
 * without a From address or a recipient; e then needs no free. */
mailer_status mailer_envelope_from_message(mailer_send_envelope *e, const mailer_message *m,
										   mailer_error *err);
/* For a message the caller wrote (data, len): from is the reverse-path ("" for the
 * null one, "<>"), to the recipients; 8-bit when the data has a byte >= 0x80. */
mailer_status mailer_envelope_from_lists(mailer_send_envelope *e, const char *from,
										 const mailer_address_list *to, const char *data,
										 size_t len, mailer_error *err);
void mailer_send_envelope_free(mailer_send_envelope *e);

#endif
