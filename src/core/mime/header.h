/* Header fields: validation, RFC 5322 folding, RFC 2047 encoded words for
 * non-ASCII text and display names, RFC 2231 MIME parameters. Every writer
 * appends complete, CRLF-terminated, 7-bit lines (except UTF-8 addr-specs,
 * which need SMTPUTF8) and expects input that passed the validators below. */
#ifndef MAILER_CORE_MIME_HEADER_H
#define MAILER_CORE_MIME_HEADER_H

#include <stddef.h>

#include "core/util/buf.h"
#include "core/mime/address.h"

/* RFC 5322 field name: 1..76 printable ASCII chars 33..126 except ':'. */
int mailer_header_name_valid(const char *name, size_t len);
/* The same check, failing with the one error text every entry point gives. */
mailer_status mailer_header_name_check(const char *name, size_t len, mailer_error *err);
/* A value usable in a header: no CR, LF or NUL, valid UTF-8. */
int mailer_header_value_valid(const char *value, size_t len);

/* Appends "Name: value\r\n" for an unstructured field (Subject, Comments, X-*).
 * ASCII is folded at whitespace (lines <= 78 where possible, never > 998);
 * words with non-ASCII or control bytes, words that look like encoded words,
 * words too long for a line, and leading or trailing whitespace become UTF-8
 * encoded words (B or Q, whichever is shorter for the field, <= 75 chars,
 * lines holding one <= 76). Adjacent encoded words carry the spaces between
 * them inside, so decoders give back exactly the input. */
void mailer_header_write_unstructured(mailer_buf *out, const char *name, const char *value,
									  size_t len);

/* Appends "Name: a, b\r\n" for an address field (From, To, Cc, Reply-To).
 * Display names are written as atoms, as a quoted-string, or as phrase-safe
 * encoded words when non-ASCII; lines are folded between addresses and inside
 * long names. count == 0 writes the group "undisclosed-recipients:;". The
 * addresses must come from the parser or have passed mailer_addr_spec_valid(). */
void mailer_header_write_addresses(mailer_buf *out, const char *name, const mailer_address *items,
								   size_t count);

/* Appends ";\r\n\tparam=value" to a header being built: a token or quoted-string
 * for printable ASCII; otherwise RFC 2231 param*=utf-8''%XX, split into
 * param*0*=, param*1*= ... so no line exceeds 78. A long ASCII value is split
 * into param*0="...", param*1="..." unless also_legacy is set (then it stays
 * on one line as old clients need, unless that line would pass 998). With
 * also_legacy, a non-ASCII value is first written as param="=?UTF-8?B?...?="
 * for old clients, then in the RFC 2231 form. */
void mailer_header_write_param(mailer_buf *out, const char *param, const char *value, size_t len,
							   int also_legacy);

#endif
