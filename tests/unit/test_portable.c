#include "unit.h"
#include "core/util/portable.h"

#include <locale.h>

static void test_ascii_casecmp(void)
{
	/* ASCII letters only, whatever the locale: a Turkish locale (when installed) folds i/I
	 * differently in strcasecmp; 8-bit bytes never compare equal to another case. */
	setlocale(LC_ALL, "tr_TR.UTF-8");
	CHECK(mailer_ascii_casecmp("AUTH", "auth") == 0);
	CHECK(mailer_ascii_casecmp("multipart/MIXED", "Multipart/mixed") == 0);
	CHECK(mailer_ascii_casecmp("PIPELINING", "pipelining") == 0);
	CHECK(mailer_ascii_casecmp("\xc3\x89", "\xc3\xa9") != 0); /* É and é: not ASCII */
	CHECK(mailer_ascii_casecmp("abc", "abd") < 0);
	CHECK(mailer_ascii_casecmp("abd", "ABC") > 0);
	CHECK(mailer_ascii_casecmp("ab", "abc") < 0);
	CHECK(mailer_ascii_casecmp("", "") == 0);
	CHECK(mailer_ascii_casecmp("@", "`") != 0); /* neighbours of A and a that are not letters */
	CHECK(mailer_ascii_casecmp("[", "{") != 0);
	CHECK(mailer_ascii_ncasecmp("SIZEx", "sizeY", 4) == 0);
	CHECK(mailer_ascii_ncasecmp("SIZEx", "sizeY", 5) != 0);
	CHECK(mailer_ascii_ncasecmp("a\0b", "A\0c", 3) == 0); /* stops at the common end */
	CHECK(mailer_ascii_ncasecmp("anything", "else", 0) == 0);
	setlocale(LC_ALL, "C");
}

/* UTC broken-down time, checked against dates known independently */
static void test_gmtime(void)
{
	struct tm tm;

	CHECK(mailer_gmtime(0, &tm) != NULL);
	CHECK(tm.tm_year == 70 && tm.tm_mon == 0 && tm.tm_mday == 1 && tm.tm_wday == 4 &&
		  tm.tm_hour == 0);
	CHECK(mailer_gmtime(951782400, &tm) != NULL); /* 2000-02-29 00:00:00, a Tuesday */
	CHECK(tm.tm_year == 100 && tm.tm_mon == 1 && tm.tm_mday == 29 && tm.tm_wday == 2);
	CHECK(mailer_gmtime(4102444799, &tm) != NULL); /* 2099-12-31 23:59:59, a Thursday */
	CHECK(tm.tm_year == 199 && tm.tm_mon == 11 && tm.tm_mday == 31 && tm.tm_hour == 23 &&
		  tm.tm_min == 59 && tm.tm_sec == 59 && tm.tm_wday == 4);
}

/* the deadline clock never goes back */
static void test_monotonic(void)
{
	double t0, t1;
	int i;

	t0 = mailer_monotonic_seconds();
	for (i = 0; i < 100000; i++) {
		t1 = mailer_monotonic_seconds();
		if (t1 < t0) {
			break;
		}
		t0 = t1;
	}
	CHECK(i == 100000);
	CHECK(t0 > 0);
}

int main(void)
{
	RUN(test_ascii_casecmp());
	RUN(test_gmtime());
	RUN(test_monotonic());
	UNIT_DONE();
}
