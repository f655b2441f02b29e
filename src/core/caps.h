/* ESMTP capabilities from an EHLO reply (RFC 5321 §4.1.1.1): keyword => parameters. */
#ifndef MAILER_CORE_CAPS_H
#define MAILER_CORE_CAPS_H

#include "reply.h"

#include <stddef.h>

typedef struct mailer_cap {
	char *keyword; /* upper-cased */
	char *params;  /* "" when none */
} mailer_cap;

typedef struct mailer_caps {
	mailer_cap *items;
	size_t count;
} mailer_caps;

void mailer_caps_init(mailer_caps *caps);
void mailer_caps_free(mailer_caps *caps);
/* Replaces caps with those of an EHLO reply (the first line is the greeting, not a keyword). */
void mailer_caps_parse(mailer_caps *caps, const mailer_reply *ehlo);
/* The parameters of keyword (case-insensitive), or NULL when not advertised. */
const char *mailer_caps_get(const mailer_caps *caps, const char *keyword);
int mailer_caps_has(const mailer_caps *caps, const char *keyword);
/* 1 when AUTH lists mechanism (case-insensitive). */
int mailer_caps_has_auth(const mailer_caps *caps, const char *mechanism);

#endif
