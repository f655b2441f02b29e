/* The SMTP DATA writer (RFC 5321 §4.5.2): normalises line endings to CRLF and,
 * for DATA, doubles a '.' that starts a line and ends the data with ".\r\n".
 * For BDAT (RFC 3030) it only normalises. */
#ifndef MAILER_CORE_UTIL_DOTSTUFF_H
#define MAILER_CORE_UTIL_DOTSTUFF_H

#include "core/util/status.h"

#include <stddef.h>
#include <stdint.h>

#include "core/util/sink.h"

#define MAILER_DOTSTUFF_BUFSIZE 16384

/* CRLF stays, a bare LF or a bare CR becomes CRLF (also when a CR ends one
 * write and an LF starts the next). Small pieces are gathered in buf; spans
 * larger than it go to the sink directly. Self-contained (no heap, no
 * destructor), ~16 KB: embed it rather than put it on a deep stack. */
typedef struct mailer_dotstuff {
	mailer_sink out;  /* copied at init */
	uint64_t written; /* bytes the sink has accepted, terminator included */
	size_t len;       /* bytes in buf */
	int stuff_dots;   /* DATA: stuff dots and end with ".\r\n"; 0 for BDAT */
	int bol;          /* the next byte starts a line */
	int cr;           /* the last write ended with a CR, not yet written */
	int failed;       /* the sink failed: every later call fails too */
	char buf[MAILER_DOTSTUFF_BUFSIZE];
} mailer_dotstuff;

void mailer_dotstuff_init(mailer_dotstuff *d, const mailer_sink *out, int stuff_dots);
/* MAILER_OK, or MAILER_FAIL once the sink has failed. */
mailer_status mailer_dotstuff_write(mailer_dotstuff *d, const char *data, size_t len);
/* Ends an unterminated last line with CRLF, then (DATA) writes ".\r\n", and
 * flushes. An empty message gives ".\r\n" for DATA, nothing for BDAT. */
mailer_status mailer_dotstuff_finish(mailer_dotstuff *d);
/* mailer_dotstuff_write as a mailer_sink_fn (ctx is the mailer_dotstuff *), so
 * a writer can be given {mailer_dotstuff_sink, &d} without a cast. */
mailer_status mailer_dotstuff_sink(void *ctx, const char *data, size_t len);

#endif
