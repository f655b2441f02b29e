/* How the core reports failures: a status plus this struct. The Zend glue maps
 * kind to an exception class and copies the rest onto the exception. */
#ifndef MAILER_CORE_UTIL_ERROR_H
#define MAILER_CORE_UTIL_ERROR_H

#include <stddef.h>

#include "core/util/portable.h"
#include "core/util/status.h"

typedef enum mailer_error_kind {
	MAILER_ERR_NONE = 0,
	MAILER_ERR_INVALID,    /* bad input from the caller: ValueError, nothing was sent */
	MAILER_ERR_CONNECTION, /* DNS, connect, TLS, timeout, dropped connection */
	MAILER_ERR_AUTH,       /* authentication refused or impossible */
	MAILER_ERR_RECIPIENT,  /* one or more recipients refused */
	MAILER_ERR_PROTOCOL,   /* any other refusal or malformed reply */
	MAILER_ERR_SOURCE,     /* an attachment could not be read while writing the message */
	MAILER_ERR_ABORTED /* the caller abandoned the session (MAILER_IO_ABORTED): its own error stands */
} mailer_error_kind;

typedef enum mailer_stage {
	MAILER_STAGE_NONE = 0,
	MAILER_STAGE_CONNECT,
	MAILER_STAGE_GREETING,
	MAILER_STAGE_EHLO,
	MAILER_STAGE_STARTTLS,
	MAILER_STAGE_AUTH,
	MAILER_STAGE_MAIL,
	MAILER_STAGE_RCPT,
	MAILER_STAGE_DATA,
	MAILER_STAGE_EOD,
	MAILER_STAGE_QUIT,
	MAILER_STAGE_RSET
} mailer_stage;

typedef struct mailer_rejected {
	char *address;
	char *reply;
	int code;
	char enhanced[16];
} mailer_rejected;

typedef struct mailer_error {
	mailer_error_kind kind;
	mailer_stage stage;
	int code;                  /* SMTP reply code, 0 when no reply was involved */
	char enhanced[16];         /* RFC 3463 status such as "5.7.8", "" when none */
	char *message;             /* human-readable summary, always set on failure */
	char *reply;               /* the server's full reply, or NULL */
	char *command;             /* the command that failed, credentials redacted, or NULL */
	mailer_rejected *rejected; /* refused recipients (MAILER_ERR_RECIPIENT) */
	size_t rejected_count;
} mailer_error;

void mailer_error_init(mailer_error *err);
void mailer_error_clear(mailer_error *err); /* frees everything, back to MAILER_ERR_NONE */
/* Sets kind, stage and a printf-formatted message; keeps code/reply/command. Returns MAILER_FAIL. */
mailer_status mailer_error_set(mailer_error *err, mailer_error_kind kind, mailer_stage stage,
							   const char *fmt, ...) MAILER_PRINTF_FORMAT(4, 5);
void mailer_error_set_reply(mailer_error *err, int code, const char *enhanced, const char *reply);
void mailer_error_set_command(mailer_error *err, const char *command);
void mailer_error_add_rejected(mailer_error *err, const char *address, int code,
							   const char *enhanced, const char *reply);
const char *mailer_stage_name(mailer_stage stage);

#endif
