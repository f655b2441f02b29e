#include "core/session/hosts.h"
#include "core/util/alloc.h"

#include <string.h>

static const char *const tls_mode_names[] = {"auto", "starttls", "smtps", "none"};

const char *mailer_tls_mode_name(mailer_tls_mode mode)
{
	return tls_mode_names[mode];
}

mailer_status mailer_tls_mode_parse(const char *name, mailer_tls_mode *mode)
{
	size_t i;

	for (i = 0; i < sizeof(tls_mode_names) / sizeof(tls_mode_names[0]); i++) {
		if (strcmp(name, tls_mode_names[i]) == 0) {
			*mode = (mailer_tls_mode)i;
			return MAILER_OK;
		}
	}
	return MAILER_FAIL;
}

static int host_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		   c == '.' || c == '_';
}

static int ipv6_char_ok(char c)
{
	return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' ||
		   c == '.' || c == '%';
}

static mailer_status parse_port(const char *p, size_t len, int *port)
{
	int value = 0;
	size_t i;

	if (len == 0 || len > 5) {
		return MAILER_FAIL;
	}
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return MAILER_FAIL;
		}
		value = value * 10 + (p[i] - '0');
	}
	if (value < 1 || value > 65535) {
		return MAILER_FAIL;
	}
	*port = value;
	return MAILER_OK;
}

static mailer_status bad_host(mailer_error *err, const char *p, size_t len, const char *why)
{
	return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "invalid host \"%.*s\": %s",
							(int)(len > 80 ? 80 : len), p, why);
}

static mailer_status parse_one(const char *p, size_t len, int default_port,
							   mailer_tls_mode default_tls, mailer_host *host, mailer_error *err)
{
	const char *whole = p;
	size_t whole_len = len, i, name_len;
	const char *name, *colon;
	int explicit_scheme = 0;

	host->tls = default_tls;
	host->port = default_port;
	if (len >= 6 && memcmp(p, "ssl://", 6) == 0) {
		host->tls = MAILER_TLS_SMTPS, p += 6, len -= 6, explicit_scheme = 1;
	} else if (len >= 8 && memcmp(p, "smtps://", 8) == 0) {
		host->tls = MAILER_TLS_SMTPS, p += 8, len -= 8, explicit_scheme = 1;
	} else if (len >= 6 && memcmp(p, "tls://", 6) == 0) {
		host->tls = MAILER_TLS_STARTTLS, p += 6, len -= 6, explicit_scheme = 1;
	} else if (len >= 7 && memcmp(p, "smtp://", 7) == 0) {
		p += 7, len -= 7;
	} else if (memchr(p, '/', len)) {
		return bad_host(err, whole, whole_len,
						"unknown scheme (use ssl://, smtps://, tls:// or smtp://)");
	}
	if (len == 0) {
		return bad_host(err, whole, whole_len, "empty host name");
	}
	if (p[0] == '[') {
		const char *close = memchr(p, ']', len);
		if (!close || close == p + 1) {
			return bad_host(err, whole, whole_len, "unterminated IPv6 literal");
		}
		name = p + 1;
		name_len = (size_t)(close - name);
		for (i = 0; i < name_len; i++) {
			if (!ipv6_char_ok(name[i])) {
				return bad_host(err, whole, whole_len, "invalid character in IPv6 literal");
			}
		}
		p = close + 1;
		len = (size_t)(whole + whole_len - p);
		if (len) {
			if (p[0] != ':' || parse_port(p + 1, len - 1, &host->port) != MAILER_OK) {
				return bad_host(err, whole, whole_len, "invalid port");
			}
		}
	} else {
		colon = memchr(p, ':', len);
		if (colon && memchr(colon + 1, ':', len - (size_t)(colon + 1 - p))) {
			/* a bare IPv6 address without brackets: no port possible */
			for (i = 0; i < len; i++) {
				if (!ipv6_char_ok(p[i])) {
					return bad_host(err, whole, whole_len, "invalid character in IPv6 address");
				}
			}
			name = p;
			name_len = len;
		} else {
			name = p;
			name_len = colon ? (size_t)(colon - p) : len;
			if (colon && parse_port(colon + 1, len - name_len - 1, &host->port) != MAILER_OK) {
				return bad_host(err, whole, whole_len, "invalid port");
			}
			for (i = 0; i < name_len; i++) {
				if (!host_char_ok(name[i])) {
					return bad_host(err, whole, whole_len, "invalid character in host name");
				}
			}
		}
		if (name_len == 0) {
			return bad_host(err, whole, whole_len, "empty host name");
		}
	}
	if (name_len > 255) {
		return bad_host(err, whole, whole_len, "host name too long");
	}
	if (!explicit_scheme && host->tls == MAILER_TLS_AUTO && host->port == 465) {
		host->tls = MAILER_TLS_SMTPS;
	}
	host->name = mailer_strndup(name, name_len);
	return MAILER_OK;
}

mailer_status mailer_hosts_parse(const char *spec, size_t len, int default_port,
								 mailer_tls_mode default_tls, mailer_host **hosts, size_t *count,
								 mailer_error *err)
{
	const char *p = spec, *end = spec + len, *semi;
	mailer_host *list = NULL;
	size_t n = 0, item_len;

	*hosts = NULL;
	*count = 0;
	if (memchr(spec, '\0', len)) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"host contains a NUL byte");
	}
	while (p <= end) {
		semi = memchr(p, ';', (size_t)(end - p));
		if (!semi) {
			semi = end;
		}
		while (p < semi && (*p == ' ' || *p == '\t')) {
			p++;
		}
		item_len = (size_t)(semi - p);
		while (item_len && (p[item_len - 1] == ' ' || p[item_len - 1] == '\t')) {
			item_len--;
		}
		if (item_len) {
			list = mailer_realloc(list, (n + 1) * sizeof(*list));
			if (parse_one(p, item_len, default_port, default_tls, &list[n], err) != MAILER_OK) {
				mailer_hosts_free(list, n);
				return MAILER_FAIL;
			}
			n++;
		}
		p = semi + 1;
	}
	if (n == 0) {
		mailer_free(list);
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "no host given");
	}
	*hosts = list;
	*count = n;
	return MAILER_OK;
}

void mailer_hosts_free(mailer_host *hosts, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		mailer_free(hosts[i].name);
	}
	mailer_free(hosts);
}
