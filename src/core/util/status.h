/* The one status type of the core: what every fallible function and callback
 * returns (sinks, emitters, sources' open, the session's calls). Why it failed
 * is in the mailer_error the call was given, or with the owner of a sink.
 * Counts and lengths are returned as what they are, and the I/O vtable's
 * entries return MAILER_IO_* codes (more outcomes than two). */
#ifndef MAILER_CORE_UTIL_STATUS_H
#define MAILER_CORE_UTIL_STATUS_H

typedef enum mailer_status { MAILER_OK = 0, MAILER_FAIL = -1 } mailer_status;

#endif
