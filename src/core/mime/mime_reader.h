/* The MIME writer as a pull iterator: the message's header lines, then the body
 * of mime.h (one entity or a tree of multiparts), handed out a piece at a time
 * to whoever reads, so a session can take exactly what its socket accepts and
 * nothing waits for the network inside the writer. A pass plans the parts once
 * (their header blocks, bodies and delimiters, in order), then encodes each body
 * as it is read: a source is read in MAILER_SOURCE_CHUNK pieces, and at most
 * one encoded chunk is held at a time. */
#ifndef MAILER_CORE_MIME_MIME_READER_H
#define MAILER_CORE_MIME_MIME_READER_H

#include "core/mime/mime.h"
#include "core/util/buf.h"
#include "core/util/error.h"

#include <stddef.h>

typedef struct mailer_mime_reader mailer_mime_reader;

/* A reader of b (borrowed: it must outlive the reader, and be prepared with
 * mailer_mime_prepare() before each pass). With measure set, sources are not
 * read: each file part's base64 size, computed from its source's size, is
 * counted (mailer_mime_reader_skipped()) instead of its bytes handed out. */
mailer_mime_reader *mailer_mime_reader_new(const mailer_mime *b, int measure);
/* Starts a pass: head holds the message's other header fields (copied); the
 * top-level Content-Type (and Content-Transfer-Encoding) lines and the blank line
 * follow them. Closes a source a previous pass left open. */
void mailer_mime_reader_start(mailer_mime_reader *r, const char *head, size_t head_len);
/* Up to cap (> 0) bytes into buf: > 0 bytes, 0 at the end, -1 with err set (the
 * source's error, or MAILER_ERR_SOURCE naming the file; in measure mode, a source
 * that cannot tell its size leaves err untouched and sets the unknown flag). */
long mailer_mime_reader_read(mailer_mime_reader *r, char *buf, size_t cap, mailer_error *err);
/* Measure mode: the octets counted instead of read, and whether a source could not
 * tell its size (the pass then ended with -1). */
unsigned long long mailer_mime_reader_skipped(const mailer_mime_reader *r);
int mailer_mime_reader_unknown(const mailer_mime_reader *r);
void mailer_mime_reader_free(mailer_mime_reader *r);

#endif
