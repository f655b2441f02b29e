/* A message's body on its way to the output queue, pulled from its producer a
 * piece at a time: CRLF-normalised and dot-stuffed for DATA, or held to its
 * announced size for BDAT (RFC 3030: the server takes the first `size` octets as
 * the whole message and reads what follows as commands, so no octet past it may
 * leave, and the last one only once the producer has ended at exactly that size).
 * The transaction (txn.c) and the flight (flight.c) both write bodies this way;
 * nothing here waits: the caller writes the queue as the connection takes it. */
#ifndef MAILER_CORE_SESSION_BODY_H
#define MAILER_CORE_SESSION_BODY_H

#include "core/session/session.h"
#include "core/util/dotstuff.h"
#include "core/util/producer.h"

/* Bytes of the message pulled per read: pieces are gathered in the output queue up
 * to MAILER_OUT_FLUSH_AT before a write, so a small one costs no more writes. */
#define MAILER_BODY_PIECE (16 * 1024)

typedef enum mailer_body_result {
	MAILER_BODY_MORE = 0,      /* the queue is full enough: write it, then fill again */
	MAILER_BODY_ENDED,         /* all of it is queued (DATA: its dot too), but BDAT's last octet */
	MAILER_BODY_SOURCE_FAILED, /* the producer failed (err set): the message must never end */
	MAILER_BODY_GREW,          /* BDAT: more than the announced size came */
	MAILER_BODY_SHRANK,        /* BDAT: the producer ended short of it */
	MAILER_BODY_REFUSED        /* the queue refused bytes: the connection failed or was abandoned */
} mailer_body_result;

typedef struct mailer_body {
	const mailer_producer *producer; /* borrowed */
	mailer_smtp *s;
	int bdat;
	unsigned long long size, seen; /* BDAT: announced, and produced so far */
	char last;                     /* BDAT: the final octet, held back */
	int have_last;
	mailer_dotstuff *stuffer; /* ~16 KB, allocated for the message only */
	char *piece;              /* MAILER_BODY_PIECE bytes */
} mailer_body;

/* Rewinds the producer and starts the body (bdat: of the given size, its BDAT line
 * already queued by the caller). MAILER_FAIL with err set when the producer cannot
 * start; nothing is allocated then. */
mailer_status mailer_body_start(mailer_body *b, mailer_smtp *s, const mailer_producer *producer,
								int bdat, unsigned long long size, mailer_error *err);
/* Pulls pieces into the session's output queue until it holds MAILER_OUT_FLUSH_AT
 * octets or the producer ends. */
mailer_body_result mailer_body_fill(mailer_body *b, mailer_error *err);
/* Queues BDAT's held-back last octet (nothing for DATA). MAILER_FAIL when the queue
 * refuses it. */
mailer_status mailer_body_queue_end(mailer_body *b);
/* Octets written before dot-stuffing's additions (what the debug line says). */
unsigned long long mailer_body_octets(const mailer_body *b);
void mailer_body_free(mailer_body *b);

#endif
