/* RFC 5322 §3.3 date-time: checking a caller's Date field, formatting the one
 * the message writer adds. */
#ifndef MAILER_CORE_MIME_DATE_H
#define MAILER_CORE_MIME_DATE_H

#include "core/util/buf.h"

#include <stddef.h>

/* Formats "Thu, 26 Nov 2026 16:02:50 +0000" (RFC 5322 §3.3) for a Unix time. */
void mailer_format_date(long long unix_time, char out[40]);
/* Checks an RFC 5322 §3.3 date-time: [day-of-week ","] day month year
 * HH:MM[:SS] zone, names in any case, comments and whitespace where the
 * grammar allows them, the day of the week (when given) that of the date,
 * every field in range (year 1900-9999, second 60 for a leap second). Of the
 * obsolete forms (§4.3) it accepts 2- and 3-digit years, the zone names UT,
 * GMT and the US ones (EST ... PDT), and comments or spacing only the
 * obsolete grammar allows; it refuses the one-letter military zones (their
 * meaning is unknown). Returns NULL and appends to out what to write: the
 * value without surrounding whitespace, or, for an obsolete form (which must
 * not be generated), "Fri, 13 Mar 2026 10:00:00 +0100" for the same instant
 * and offset. Otherwise returns why the value is not a date. */
const char *mailer_date_check(const char *value, size_t len, mailer_buf *out);

#endif
