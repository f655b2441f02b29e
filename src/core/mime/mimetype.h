/* Content types: guessing one from a file name, and checking one given by
 * the caller. */
#ifndef MAILER_CORE_MIME_MIMETYPE_H
#define MAILER_CORE_MIME_MIMETYPE_H

#include <stddef.h>

/* The type for the file name's extension (case-insensitive) from a built-in
 * table of common types; "application/octet-stream" when it is unknown. */
const char *mailer_mime_type_for_name(const char *name, size_t len);

/* 1 when value is "type/subtype" (RFC 2045 tokens) optionally followed by
 * "; parameters" in printable ASCII, with no line break. */
int mailer_mime_type_valid(const char *value, size_t len);

#endif
