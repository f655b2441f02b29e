/* The MIME body of a message: its parts (a text and an HTML body, attachments,
 * inline images), written by mime_reader.h as one entity or a tree of
 * multiparts (RFC 2045-2047, 2183, 2231, 2387, 2392):
 *
 *   text only                 text/plain
 *   HTML only                 text/html
 *   text and HTML             multipart/alternative (text, html)
 *   inline parts and HTML     the html becomes multipart/related (html, inline...)
 *   attachments               multipart/mixed (body, attachment...) outermost
 *
 * Inline parts without an HTML body have nothing to refer to them: they are
 * sent in the multipart/mixed, still with their Content-ID. */
#ifndef MAILER_CORE_MIME_MIME_H
#define MAILER_CORE_MIME_MIME_H

#include "core/util/buf.h"
#include "core/util/error.h"
#include "core/mime/qp.h"
#include "core/util/sink.h"
#include "core/util/source.h"

#include <stddef.h>

typedef enum mailer_part_kind {
	MAILER_PART_TEXT,       /* the text/plain body */
	MAILER_PART_HTML,       /* the text/html body (or sendmail()'s body of any type) */
	MAILER_PART_ATTACHMENT, /* Content-Disposition: attachment */
	MAILER_PART_INLINE      /* Content-Disposition: inline, with a Content-ID */
} mailer_part_kind;

/* Bytes in memory. The message borrows them; when release is set, it calls
 * release(owner) once it no longer needs them (the glue passes a refcounted
 * string this way, so a body is never copied). */
typedef struct mailer_bytes {
	const char *data;
	size_t len;
	void (*release)(void *owner);
	void *owner;
} mailer_bytes;

typedef struct mailer_part {
	mailer_part_kind kind;
	int set;            /* the body parts exist only once given */
	char *content_type; /* owned; NULL: text/plain or text/html; charset=UTF-8 */
	char *filename;     /* owned UTF-8, attachments and inline parts */
	size_t filename_len;
	char *cid;            /* owned, inline parts: the Content-ID without <> */
	mailer_bytes data;    /* in memory, unless source.ops is set */
	mailer_source source; /* streamed while writing; owned */
	mailer_cte cte;       /* chosen by mailer_mime_prepare() */
} mailer_part;

/* "=_" cannot occur in base64 or quoted-printable output, and 7bit parts are
 * searched for the rest, so a boundary can never occur in the content. */
#define MAILER_BOUNDARY_LEN 34 /* "=_" + 32 hex digits; a suffix per level is added */

typedef struct mailer_mime {
	mailer_part text;
	mailer_part html;
	mailer_part *files; /* attachments and inline parts, in the order given */
	size_t file_count;
	char boundary[MAILER_BOUNDARY_LEN + 1]; /* "" until prepared; kept while it stays safe */
} mailer_mime;

/* What an attachment or inline part is made of (see mailer_mime_add_file). */
typedef struct mailer_file_spec {
	mailer_part_kind kind; /* MAILER_PART_ATTACHMENT or MAILER_PART_INLINE */
	mailer_bytes data;     /* in memory, or */
	mailer_source source;  /* streamed, when source.ops is set */
	const char *filename;  /* UTF-8, without a directory */
	size_t filename_len;
	const char *content_type; /* NULL: from the file name's extension */
	size_t content_type_len;
	const char *cid; /* MAILER_PART_INLINE: the id that "cid:" URLs use */
	size_t cid_len;
} mailer_file_spec;

void mailer_mime_init(mailer_mime *b);
/* Releases the data and sources of every part. */
void mailer_mime_free(mailer_mime *b);

/* Sets (or replaces) the text or HTML body. With require_utf8 the data must be
 * valid UTF-8 (it is declared charset=UTF-8). On success the data belongs to
 * the body (see mailer_bytes); on failure it is still the caller's. */
mailer_status mailer_mime_set_body(mailer_mime *b, mailer_part_kind kind, const mailer_bytes *data,
								   int require_utf8, mailer_error *err);
/* Content-Type of the HTML body part (sendmail()'s Content-Type header). Not checked here. */
void mailer_mime_set_body_type(mailer_mime *b, const char *content_type, size_t len);

/* Appends an attachment or inline part after checking the file name (UTF-8,
 * no control characters), the content type (not multipart/ or message/: the
 * part is base64) and the Content-ID (dot-atom text with at most one '@',
 * unique in the message). On success the data or source belongs to the
 * message; on failure it is still the caller's. */
mailer_status mailer_mime_add_file(mailer_mime *b, const mailer_file_spec *spec, mailer_error *err);

/* 1 when cid is usable as a Content-ID (see mailer_mime_add_file). */
int mailer_mime_cid_valid(const char *cid, size_t len);

/* Chooses each body's encoding (7bit when 7-bit with lines <= 998 octets,
 * quoted-printable otherwise; attachments base64) and, for a multipart, the
 * boundaries: random, and new only when a 7bit body contains the old ones, so
 * writing again gives the same bytes. A single part gets none. */
mailer_status mailer_mime_prepare(mailer_mime *b, mailer_error *err);

#endif
