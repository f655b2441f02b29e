/* SMTP replies (RFC 5321 §4.2): a multi-line reply is parsed one line at a
 * time, so the session never buffers more than one line of input. */
#ifndef MAILER_CORE_SESSION_REPLY_H
#define MAILER_CORE_SESSION_REPLY_H

#include "core/util/buf.h"

#include <stddef.h>

/* Longest reply line accepted (RFC 5321 says 512; real servers exceed it a little). */
#define MAILER_REPLY_LINE_MAX 4096
/* Most lines in one reply: large EHLO replies have ~20. */
#define MAILER_REPLY_LINES_MAX 256

typedef enum mailer_reply_state {
	MAILER_REPLY_MORE = 0, /* a continuation line: feed the next one */
	MAILER_REPLY_DONE = 1, /* the last line arrived: the reply is complete */
	MAILER_REPLY_BAD = -1  /* not a valid reply line: the connection is out of step */
} mailer_reply_state;

typedef struct mailer_reply {
	int code;          /* 200..599 */
	char enhanced[16]; /* RFC 3463 status from the first line, "" when none */
	mailer_buf text;   /* every line as received ("250-a\n250 b"), without CRLF */
	size_t lines;
} mailer_reply;

void mailer_reply_init(mailer_reply *r);
void mailer_reply_reset(mailer_reply *r);
void mailer_reply_free(mailer_reply *r);
/* Feeds one line without its CRLF. On MAILER_REPLY_BAD, *why says what was wrong. */
mailer_reply_state mailer_reply_feed(mailer_reply *r, const char *line, size_t len,
									 const char **why);
/* Parses an enhanced status code ("5.7.139") at the start of text; returns its length or 0. */
size_t mailer_enhanced_status_parse(const char *text, size_t len, char out[16]);
/* The text of line i (after "250-"/"250 "), as pointer and length into r->text. */
int mailer_reply_line(const mailer_reply *r, size_t i, const char **text, size_t *len);

#define MAILER_REPLY_OK(r) ((r)->code >= 200 && (r)->code < 300)

#endif
