/* A minimal test harness for the plain-C core tests: each check counts as one
 * test; main() ends with UNIT_DONE(), which prints "N passed, N failed" and
 * returns non-zero when anything failed. */
#ifndef MAILER_UNIT_H
#define MAILER_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                           \
		if (cond) {                                                                                \
			unit_passed++;                                                                         \
		} else {                                                                                   \
			unit_failed++;                                                                         \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);              \
		}                                                                                          \
	} while (0)

/* Compares a byte string with an expected C string, printing both on mismatch. */
#define CHECK_MEM(got, got_len, expected)                                                          \
	do {                                                                                           \
		const char *unit_exp_ = (expected);                                                        \
		size_t unit_elen_ = strlen(unit_exp_);                                                     \
		if ((size_t)(got_len) == unit_elen_ && memcmp((got), unit_exp_, unit_elen_) == 0) {        \
			unit_passed++;                                                                         \
		} else {                                                                                   \
			unit_failed++;                                                                         \
			fprintf(stderr, "%s:%d: expected [%s]\n%*s got      [%.*s]\n", __FILE__, __LINE__,     \
					unit_exp_, (int)strlen(__FILE__) + 8, "", (int)(got_len), (const char *)(got)); \
		}                                                                                          \
	} while (0)

#define CHECK_STR(got, expected) CHECK_MEM((got), strlen(got), (expected))

#define UNIT_DONE()                                                                                \
	do {                                                                                           \
		printf("%s: %d passed, %d failed\n", __FILE__, unit_passed, unit_failed);                  \
		return unit_failed ? 1 : 0;                                                                \
	} while (0)

#endif
