/* What the core needs beyond ISO C, one way for every compiler and C library the extension is
 * built with (GCC or Clang on POSIX systems, MSVC on Windows). */
#ifndef MAILER_CORE_UTIL_PORTABLE_H
#define MAILER_CORE_UTIL_PORTABLE_H

#include <stddef.h>
#include <time.h>

/* printf-style argument checking where the compiler has it */
#ifdef __MINGW32__
#include <stdio.h> /* __MINGW_PRINTF_FORMAT */
#endif
#if defined(__MINGW32__) && defined(__MINGW_PRINTF_FORMAT)
/* MinGW checks against the C library it will call (gnu_printf with its ANSI stdio) */
#define MAILER_PRINTF_FORMAT(fmt_index, first_arg)                                                 \
	__attribute__((format(__MINGW_PRINTF_FORMAT, fmt_index, first_arg)))
#elif defined(__GNUC__) || defined(__clang__)
#define MAILER_PRINTF_FORMAT(fmt_index, first_arg)                                                 \
	__attribute__((format(printf, fmt_index, first_arg)))
#else
#define MAILER_PRINTF_FORMAT(fmt_index, first_arg)
#endif

/* Case-insensitive comparison of ASCII letters only, whatever the locale (protocol keywords,
 * header names, MIME types): 0 when equal. strcasecmp is POSIX and locale-dependent. */
int mailer_ascii_casecmp(const char *a, const char *b);
int mailer_ascii_ncasecmp(const char *a, const char *b, size_t n);

/* Broken-down UTC time (gmtime_r, or gmtime_s on Windows); NULL when t cannot be represented. */
struct tm *mailer_gmtime(time_t t, struct tm *out);

/* Seconds on a clock that does not jump with the wall clock, for deadlines. */
double mailer_monotonic_seconds(void);

#endif
