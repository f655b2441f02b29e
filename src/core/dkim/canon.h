/* DKIM canonicalisation (RFC 6376 §3.4): "simple" and "relaxed" for header
 * fields and for the body. The body canonicaliser streams: it keeps no more
 * than its output buffer, and holds back trailing empty lines as a count
 * until something follows them, so a body of any size costs the same memory. */
#ifndef MAILER_CORE_DKIM_CANON_H
#define MAILER_CORE_DKIM_CANON_H

#include "core/util/status.h"

#include <stddef.h>

#include "core/util/buf.h"
#include "core/util/sink.h"

typedef enum mailer_dkim_canon {
	MAILER_DKIM_SIMPLE = 0,
	MAILER_DKIM_RELAXED = 1
} mailer_dkim_canon;

/* Appends the canonical form of one header field to out, ending in CRLF.
 * field is the field as it appears in the message ("Name: value" with its
 * folding CRLFs), without its final CRLF. */
void mailer_dkim_canon_header(mailer_buf *out, mailer_dkim_canon canon, const char *field,
							  size_t len);

/* Output is gathered in spans of this size before it goes to the sink, so a
 * digest is updated in large pieces. */
#define MAILER_DKIM_CANON_BUFSIZE 16384

typedef struct mailer_dkim_body {
	mailer_sink out; /* copied at init */
	mailer_dkim_canon canon;
	size_t empty_lines; /* empty lines not yet written: dropped unless content follows */
	int wsp;            /* relaxed: whitespace pending in the line, one SP if content follows */
	int content;        /* the current line has content */
	int cr;             /* the last byte was a CR that may start a CRLF */
	int written;        /* anything was written */
	int failed;         /* the sink failed: every later call fails too */
	size_t len;         /* bytes in buf */
	char buf[MAILER_DKIM_CANON_BUFSIZE];
} mailer_dkim_body;

/* Self-contained (no heap), ~16 KB: embed it rather than put it on a deep stack. */
void mailer_dkim_body_init(mailer_dkim_body *b, mailer_dkim_canon canon, const mailer_sink *out);
/* Feeds body bytes (CRLF lines; a bare LF also ends a line). MAILER_OK or MAILER_FAIL. */
mailer_status mailer_dkim_body_write(mailer_dkim_body *b, const char *data, size_t len);
/* Ends the body (an unterminated last line gets its CRLF; "simple" turns an
 * empty body into one CRLF) and flushes. MAILER_OK or MAILER_FAIL. */
mailer_status mailer_dkim_body_finish(mailer_dkim_body *b);

#endif
