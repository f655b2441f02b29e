/* The host argument ("host:2525;[::1];ssl://host"). The first byte picks the
 * default port and TLS mode; the rest is the string the user passed. */
#define _GNU_SOURCE /* memmem */
#include "core/util/alloc.h"
#include "fuzz.h"
#include "core/session/hosts.h"

#include <string.h>

static const int ports[] = {25, 465, 587, 2525};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = fuzz_alloc_live(), count = 99, i;
	mailer_host *hosts = (mailer_host *)&count;
	mailer_tls_mode tls, mode;
	mailer_error err;
	char *copy;
	int port;

	if (size < 1) {
		return 0;
	}
	port = ports[data[0] & 3];
	tls = (mailer_tls_mode)((data[0] >> 2) & 3);
	mailer_error_init(&err);
	if (mailer_hosts_parse((const char *)data + 1, size - 1, port, tls, &hosts, &count, &err) ==
		MAILER_OK) {
		FUZZ_CHECK(count >= 1 && hosts != NULL && err.kind == MAILER_ERR_NONE);
		for (i = 0; i < count; i++) {
			size_t n = strlen(hosts[i].name);

			FUZZ_CHECK(n >= 1 && n <= 255 && !strpbrk(hosts[i].name, ";/[] \t"));
			FUZZ_CHECK(memmem(data + 1, size - 1, hosts[i].name, n) != NULL);
			FUZZ_CHECK(hosts[i].port >= 1 && hosts[i].port <= 65535);
			FUZZ_CHECK(hosts[i].tls >= MAILER_TLS_AUTO && hosts[i].tls <= MAILER_TLS_NONE);
			/* port 465 means implicit TLS unless a mode was chosen */
			FUZZ_CHECK(!(hosts[i].port == 465 && hosts[i].tls == MAILER_TLS_AUTO));
			FUZZ_CHECK(mailer_tls_mode_name(hosts[i].tls)[0] != '\0');
		}
		mailer_hosts_free(hosts, count);
	} else {
		FUZZ_CHECK(hosts == NULL && count == 0);
		FUZZ_CHECK(err.kind == MAILER_ERR_INVALID && err.message && err.message[0]);
	}
	mailer_error_clear(&err);

	/* the tls option's parser takes a C string */
	copy = mailer_strndup((const char *)data + 1, size - 1);
	if (mailer_tls_mode_parse(copy, &mode) == MAILER_OK) {
		FUZZ_CHECK(strcmp(mailer_tls_mode_name(mode), copy) == 0);
	}
	mailer_free(copy);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
