#include "core/util/portable.h"

#ifdef _WIN32
#include <windows.h>
#endif

static unsigned char ascii_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c;
}

int mailer_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ca = ascii_upper((unsigned char)a[i]), cb = ascii_upper((unsigned char)b[i]);

		if (ca != cb) {
			return ca < cb ? -1 : 1;
		}
		if (ca == '\0') {
			break;
		}
	}
	return 0;
}

int mailer_ascii_casecmp(const char *a, const char *b)
{
	return mailer_ascii_ncasecmp(a, b, (size_t)-1);
}

struct tm *mailer_gmtime(time_t t, struct tm *out)
{
#ifdef _WIN32
	return gmtime_s(out, &t) == 0 ? out : NULL;
#else
	return gmtime_r(&t, out);
#endif
}

double mailer_monotonic_seconds(void)
{
#ifdef _WIN32
	return (double)GetTickCount64() / 1000.0;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#endif
}
