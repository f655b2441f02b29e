/* A minimal test harness for the plain-C core tests.
 *
 * A test case is a function: main() runs each one through RUN(test_fn()) (arguments allowed:
 * RUN(test_plain_send(7)) is a case of its own). The CHECK macros inside are its assertions;
 * a case passes when it made at least one check and none failed, and is skipped when it
 * called unit_skip() and none failed. main() ends with UNIT_DONE(), which prints
 * "file.c: N passed, N failed (M checks)" (", N skipped" after "failed" when a case was),
 * N counting cases and M checks, and returns non-zero when anything failed. A check outside
 * RUN() would be counted by no case: it is reported, and fails the program. */
#ifndef MAILER_UNIT_H
#define MAILER_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed, unit_skipped; /* test cases */
static int unit_checks, unit_checks_failed;        /* assertions */
static int unit_stray;                             /* checks made outside RUN() */
static const char *unit_case;                      /* the RUN() in progress, NULL outside */
static int unit_case_skipped;

/* Counts checks (a helper program's verdicts may be many); returns 1 when none failed. The
 * caller prints what failed, after the "file:line: in case: " prefix written here. */
static int unit_count(int checks, int failed, const char *file, int line)
{
	unit_checks += checks;
	if (!unit_case) {
		unit_stray += checks;
		fprintf(stderr, "%s:%d: check outside RUN(): run each test function through RUN()\n", file,
				line);
	}
	if (failed) {
		unit_checks_failed += failed;
		fprintf(stderr, "%s:%d: in %s: ", file, line, unit_case ? unit_case : "main()");
	}
	return failed == 0;
}

static int unit_check(int ok, const char *file, int line)
{
	return unit_count(1, !ok, file, line);
}

/* The running case cannot run here (a tool is missing): it counts as skipped, not passed. */
static void unit_skip(const char *why)
{
	fprintf(stderr, "%s: SKIPPED: %s\n", unit_case ? unit_case : "main()", why);
	unit_case_skipped = 1;
}

#define CHECK(cond)                                                                                \
	do {                                                                                           \
		if (!unit_check((cond) ? 1 : 0, __FILE__, __LINE__)) {                                     \
			fprintf(stderr, "CHECK failed: %s\n", #cond);                                          \
		}                                                                                          \
	} while (0)

/* Compares a byte string with an expected C string, printing both on mismatch. */
#define CHECK_MEM(got, got_len, expected)                                                          \
	do {                                                                                           \
		const char *unit_exp_ = (expected);                                                        \
		size_t unit_elen_ = strlen(unit_exp_);                                                     \
		int unit_ok_ = (size_t)(got_len) == unit_elen_;                                            \
		unit_ok_ = unit_ok_ && memcmp((got), unit_exp_, unit_elen_) == 0;                          \
		if (!unit_check(unit_ok_, __FILE__, __LINE__)) {                                           \
			fprintf(stderr, "mismatch\n    expected [%s]\n    got      [%.*s]\n", unit_exp_,       \
					(int)(got_len), (const char *)(got));                                          \
		}                                                                                          \
	} while (0)

#define CHECK_STR(got, expected) CHECK_MEM((got), strlen(got), (expected))

/* Runs one test case: the call, with its arguments if any. */
#define RUN(call)                                                                                  \
	do {                                                                                           \
		int unit_failed_before_ = unit_checks_failed, unit_checks_before_ = unit_checks;           \
		unit_case = #call;                                                                         \
		unit_case_skipped = 0;                                                                     \
		call;                                                                                      \
		unit_case = NULL;                                                                          \
		if (unit_checks_failed != unit_failed_before_) {                                           \
			unit_failed++;                                                                         \
			fprintf(stderr, "%s: FAILED %s\n", __FILE__, #call);                                   \
		} else if (unit_case_skipped) {                                                            \
			unit_skipped++;                                                                        \
		} else if (unit_checks == unit_checks_before_) {                                           \
			unit_failed++;                                                                         \
			fprintf(stderr, "%s: FAILED %s: it made no check\n", __FILE__, #call);                 \
		} else {                                                                                   \
			unit_passed++;                                                                         \
		}                                                                                          \
	} while (0)

/* Stray checks count as one failed case: they belong to none. */
#define UNIT_DONE()                                                                                \
	do {                                                                                           \
		if (unit_stray) {                                                                          \
			unit_failed++;                                                                         \
		}                                                                                          \
		printf("%s: %d passed, %d failed", __FILE__, unit_passed, unit_failed);                    \
		if (unit_skipped) {                                                                        \
			printf(", %d skipped", unit_skipped);                                                  \
		}                                                                                          \
		printf(" (%d checks", unit_checks);                                                        \
		if (unit_checks_failed) {                                                                  \
			printf(", %d failed", unit_checks_failed);                                             \
		}                                                                                          \
		printf(")\n");                                                                             \
		return unit_failed ? 1 : 0;                                                                \
	} while (0)

#endif
