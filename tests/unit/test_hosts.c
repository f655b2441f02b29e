/* The host argument: names, ports, IPv6 literals, schemes and failover lists. */
#include "unit.h"
#include "core/util/alloc.h"
#include "core/session/hosts.h"

static int parse(const char *spec, int port, mailer_tls_mode tls, mailer_host **hosts, size_t *n,
				 mailer_error *err)
{
	mailer_error_clear(err);
	return mailer_hosts_parse(spec, strlen(spec), port, tls, hosts, n, err);
}

static void test_name_and_port(void)
{
	mailer_host *h;
	size_t n;
	mailer_error err;

	mailer_error_init(&err);
	CHECK(parse("smtp.example.com", 25, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_OK);
	CHECK(n == 1 && h[0].port == 25 && h[0].tls == MAILER_TLS_AUTO);
	CHECK_STR(h[0].name, "smtp.example.com");
	mailer_hosts_free(h, n);

	CHECK(parse("host:2525", 25, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_OK);
	CHECK(h[0].port == 2525);
	mailer_hosts_free(h, n);

	/* port 465 means implicit TLS under "auto" */
	CHECK(parse("mail.example.org", 465, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_OK);
	CHECK(h[0].tls == MAILER_TLS_SMTPS);
	mailer_hosts_free(h, n);
	CHECK(parse("mail.example.org", 465, MAILER_TLS_NONE, &h, &n, &err) == MAILER_OK);
	CHECK(h[0].tls == MAILER_TLS_NONE);
	mailer_hosts_free(h, n);
	mailer_error_clear(&err);
}

static void test_ipv6(void)
{
	mailer_host *h;
	size_t n;
	mailer_error err;

	mailer_error_init(&err);

	CHECK(parse("[::1]:2525", 25, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_OK);
	CHECK_STR(h[0].name, "::1");
	CHECK(h[0].port == 2525);
	mailer_hosts_free(h, n);
	CHECK(parse("[2001:db8::1]", 587, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_OK);
	CHECK_STR(h[0].name, "2001:db8::1");
	CHECK(h[0].port == 587);
	mailer_hosts_free(h, n);
	CHECK(parse("::1", 25, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_OK);
	CHECK_STR(h[0].name, "::1");
	mailer_hosts_free(h, n);
	mailer_error_clear(&err);
}

/* schemes, and several hosts for failover */
static void test_list(void)
{
	mailer_host *h;
	size_t n;
	mailer_error err;

	mailer_error_init(&err);

	CHECK(parse("ssl://a.example:465; smtps://b.example ;tls://c.example:587;smtp://d.example", 25,
				MAILER_TLS_AUTO, &h, &n, &err) == MAILER_OK);
	CHECK(n == 4);
	CHECK(h[0].tls == MAILER_TLS_SMTPS && h[0].port == 465);
	CHECK(h[1].tls == MAILER_TLS_SMTPS && h[1].port == 25);
	CHECK(h[2].tls == MAILER_TLS_STARTTLS && h[2].port == 587);
	CHECK(h[3].tls == MAILER_TLS_AUTO);
	CHECK_STR(h[3].name, "d.example");
	mailer_hosts_free(h, n);

	/* empty items between separators are skipped */
	CHECK(parse(";a;;b;", 25, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_OK);
	CHECK(n == 2);
	mailer_hosts_free(h, n);
	mailer_error_clear(&err);
}

static void test_refused(void)
{
	mailer_host *h;
	size_t n;
	mailer_error err;

	mailer_error_init(&err);
	{
		static const char *const bad[] = {
			"",      " ; ",    "host:0",     "host:65536", "host:abc",     "host:", "[::1",
			"[]:25", "[::1]x", "ftp://host", "ho st",      "host\r\nRCPT", "a/b"};
		size_t i;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			h = NULL;
			CHECK(parse(bad[i], 25, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_FAIL);
			CHECK(err.kind == MAILER_ERR_INVALID && err.message != NULL && h == NULL);
		}
	}
	CHECK(mailer_hosts_parse("a\0b", 3, 25, MAILER_TLS_AUTO, &h, &n, &err) == MAILER_FAIL);
	mailer_error_clear(&err);
}

int main(void)
{
	RUN(test_name_and_port());
	RUN(test_ipv6());
	RUN(test_list());
	RUN(test_refused());
	UNIT_DONE();
}
