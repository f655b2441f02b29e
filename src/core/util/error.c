#include "core/util/error.h"
#include "core/util/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mailer_error_init(mailer_error *err)
{
	memset(err, 0, sizeof(*err));
}

void mailer_error_clear(mailer_error *err)
{
	size_t i;

	mailer_free(err->message);
	mailer_free(err->reply);
	mailer_free(err->command);
	for (i = 0; i < err->rejected_count; i++) {
		mailer_free(err->rejected[i].address);
		mailer_free(err->rejected[i].reply);
	}
	mailer_free(err->rejected);
	mailer_error_init(err);
}

mailer_status mailer_error_set(mailer_error *err, mailer_error_kind kind, mailer_stage stage,
							   const char *fmt, ...)
{
	va_list ap;
	char stack[512];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(stack, sizeof(stack), fmt, ap);
	va_end(ap);
	mailer_free(err->message);
	if (n >= (int)sizeof(stack)) {
		err->message = mailer_malloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(err->message, (size_t)n + 1, fmt, ap);
		va_end(ap);
	} else {
		err->message = mailer_strdup(n < 0 ? "unknown error" : stack);
	}
	err->kind = kind;
	err->stage = stage;
	return MAILER_FAIL;
}

void mailer_error_set_reply(mailer_error *err, int code, const char *enhanced, const char *reply)
{
	err->code = code;
	snprintf(err->enhanced, sizeof(err->enhanced), "%s", enhanced ? enhanced : "");
	mailer_free(err->reply);
	err->reply = reply ? mailer_strdup(reply) : NULL;
}

void mailer_error_set_command(mailer_error *err, const char *command)
{
	mailer_free(err->command);
	err->command = command ? mailer_strdup(command) : NULL;
}

void mailer_error_add_rejected(mailer_error *err, const char *address, int code,
							   const char *enhanced, const char *reply)
{
	mailer_rejected *r;

	err->rejected =
		mailer_realloc(err->rejected, (err->rejected_count + 1) * sizeof(*err->rejected));
	r = &err->rejected[err->rejected_count++];
	r->address = mailer_strdup(address);
	r->reply = mailer_strdup(reply ? reply : "");
	r->code = code;
	snprintf(r->enhanced, sizeof(r->enhanced), "%s", enhanced ? enhanced : "");
}

const char *mailer_stage_name(mailer_stage stage)
{
	switch (stage) {
	case MAILER_STAGE_CONNECT:
		return "connect";
	case MAILER_STAGE_GREETING:
		return "greeting";
	case MAILER_STAGE_EHLO:
		return "ehlo";
	case MAILER_STAGE_STARTTLS:
		return "starttls";
	case MAILER_STAGE_AUTH:
		return "auth";
	case MAILER_STAGE_MAIL:
		return "mail";
	case MAILER_STAGE_RCPT:
		return "rcpt";
	case MAILER_STAGE_DATA:
		return "data";
	case MAILER_STAGE_EOD:
		return "eod";
	case MAILER_STAGE_QUIT:
		return "quit";
	case MAILER_STAGE_RSET:
		return "rset";
	case MAILER_STAGE_NONE:
		break;
	}
	return "";
}
