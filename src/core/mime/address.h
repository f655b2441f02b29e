/* RFC 5322 mailboxes: parsing user input ("a@x.org", "Name <a@x.org>", lists of
 * them) into display name + addr-spec, and validating addr-specs (RFC 5321
 * limits, RFC 6531 UTF-8). Writing them into header fields is in header.h. */
#ifndef MAILER_CORE_MIME_ADDRESS_H
#define MAILER_CORE_MIME_ADDRESS_H

#include <stddef.h>

#include "core/util/error.h"

typedef struct mailer_address {
	char *name; /* display name, decoded UTF-8 text without quotes, NULL if none */
	char *addr; /* the addr-spec, e.g. "a@x.org" */
} mailer_address;

typedef struct mailer_address_list {
	mailer_address *items;
	size_t count;
} mailer_address_list;

void mailer_address_list_init(mailer_address_list *l);
void mailer_address_list_free(mailer_address_list *l);

/* Parses one RFC 5322 mailbox ("a@x.org", "Name <a@x.org>", "\"Doe, John\" <a@x.org>",
 * "<a@x.org>") and appends it. Comments are ignored; a display name is its
 * words joined by single spaces, quoted strings unquoted; encoded words in it
 * are kept as they are. On failure the list is unchanged and err says why
 * (MAILER_ERR_INVALID, quoting the input). */
mailer_status mailer_address_parse_one(mailer_address_list *l, const char *s, size_t len,
									   mailer_error *err);

/* Parses a comma-separated mailbox list and appends every mailbox. Commas inside
 * quoted strings, comments or angle brackets don't split; empty elements are
 * skipped; a list without any mailbox is an error. All or nothing: on failure
 * the list is unchanged. */
mailer_status mailer_address_parse_list(mailer_address_list *l, const char *s, size_t len,
										mailer_error *err);

/* 1 when s is a valid addr-spec: dot-atom or quoted-string local part (<= 64
 * octets), '@', a domain of hostname labels or an [IPv4] / [IPv6:...] literal,
 * at most 254 octets in all. UTF-8 is allowed in the local part and the labels
 * (RFC 6531): see mailer_is_ascii() in core/util/utf8.h. */
int mailer_addr_spec_valid(const char *s, size_t len);

/* The domain of an addr-spec (a pointer into addr, after the last '@'), or NULL. */
const char *mailer_address_domain(const char *addr);

/* Rewrites, in place, every address whose local part is ASCII and whose domain
 * is not, to its A-label form, so the header and the envelope stay ASCII.
 * MAILER_OK, or MAILER_FAIL when a domain cannot be converted or the address would
 * pass 254 octets once converted. */
mailer_status mailer_address_list_to_alabels(mailer_address_list *l);
/* A converted copy of l (caller frees out); an address that cannot be
 * converted is copied as it is. */
void mailer_address_list_copy_alabels(const mailer_address_list *l, mailer_address_list *out);

#endif
