/* ESMTP capabilities from an EHLO reply (RFC 5321 §4.1.1.1): keyword => parameters. */
#ifndef MAILER_CORE_SESSION_CAPS_H
#define MAILER_CORE_SESSION_CAPS_H

#include "core/session/reply.h"

#include <stddef.h>

typedef struct mailer_cap {
	char *keyword; /* upper-cased */
	char *params;  /* "" when none */
} mailer_cap;

/* The extensions the session asks about on every transaction, as bits set
 * when the EHLO reply is parsed, so no string comparison runs per message. */
enum {
	MAILER_CAP_PIPELINING = 1 << 0,
	MAILER_CAP_CHUNKING = 1 << 1,
	MAILER_CAP_SIZE = 1 << 2,
	MAILER_CAP_8BITMIME = 1 << 3,
	MAILER_CAP_SMTPUTF8 = 1 << 4,
	MAILER_CAP_DSN = 1 << 5
};

typedef struct mailer_caps {
	mailer_cap *items;
	size_t count;
	unsigned flags; /* MAILER_CAP_* */
} mailer_caps;

void mailer_caps_init(mailer_caps *caps);
void mailer_caps_free(mailer_caps *caps);
/* Replaces caps with those of an EHLO reply (the first line is the greeting, not a keyword). */
void mailer_caps_parse(mailer_caps *caps, const mailer_reply *ehlo);
/* Recomputes flags from the items (after they were filled in another way). */
void mailer_caps_update_flags(mailer_caps *caps);
/* The parameters of keyword (case-insensitive), or NULL when not advertised. */
const char *mailer_caps_get(const mailer_caps *caps, const char *keyword);
int mailer_caps_has(const mailer_caps *caps, const char *keyword);
/* 1 when AUTH lists mechanism (case-insensitive). */
int mailer_caps_has_auth(const mailer_caps *caps, const char *mechanism);

#endif
