/* The host argument: "smtp.example.com", "host:2525", "[::1]:2525",
 * "ssl://host", "smtps://host", "tls://host", or several separated by ";". */
#ifndef MAILER_CORE_SESSION_HOSTS_H
#define MAILER_CORE_SESSION_HOSTS_H

#include "core/util/error.h"

#include <stddef.h>

typedef enum mailer_tls_mode {
	MAILER_TLS_AUTO = 0, /* implicit on port 465, else STARTTLS when offered */
	MAILER_TLS_STARTTLS, /* STARTTLS required */
	MAILER_TLS_SMTPS,    /* TLS from the first byte */
	MAILER_TLS_NONE      /* never */
} mailer_tls_mode;

typedef struct mailer_host {
	char *name; /* without brackets: "::1", "smtp.example.com" */
	int port;
	mailer_tls_mode tls; /* resolved: never AUTO for port 465 */
} mailer_host;

const char *mailer_tls_mode_name(mailer_tls_mode mode);
mailer_status mailer_tls_mode_parse(const char *name, mailer_tls_mode *mode);
/* Parses spec into a new array (caller frees with mailer_hosts_free). */
mailer_status mailer_hosts_parse(const char *spec, size_t len, int default_port,
								 mailer_tls_mode default_tls, mailer_host **hosts, size_t *count,
								 mailer_error *err);
void mailer_hosts_free(mailer_host *hosts, size_t count);

#endif
