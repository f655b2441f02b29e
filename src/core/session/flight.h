/* Transactions in flight on one session (sendMany()): small messages rendered
 * beforehand, larger ones pulled from their producer as the connection takes them,
 * their commands pipelined across messages (RFC 2920 §3.1). A streamed message
 * starts once every earlier reply is in, and nothing follows it until its end is
 * queued: its source failing mid-way drops the connection (the only way not to end
 * it), which then costs no other message anything. With
 * BDAT (RFC 3030) a message's MAIL, RCPTs and BDAT LAST leave without waiting for
 * the previous message's replies; with DATA the next envelope follows the end of
 * data in the same flight and only its 354 is awaited. Replies are matched to
 * commands in order, each message keeping its own transaction state. A session
 * with a flight is in MAILER_SMTP_FLIGHT; mailer_smtp_step() runs it without
 * waiting; the driver polls the session for reading, and for writing too while
 * it returns MAILER_SMTP_WANT_WRITE. */
#ifndef MAILER_CORE_SESSION_FLIGHT_H
#define MAILER_CORE_SESSION_FLIGHT_H

#include "core/session/session.h"

/* Messages up to this size are rendered into memory beforehand (it costs less than
 * pulling them through the pipeline on the wire); larger ones are carried by the
 * flight as a producer, pulled as the connection takes them. */
#define MAILER_FLIGHT_RENDER_MAX (256 * 1024)

typedef enum mailer_flight_fate {
	MAILER_FLIGHT_PENDING = 0,
	MAILER_FLIGHT_ACCEPTED,  /* 2xx to the end of data: reply */
	MAILER_FLIGHT_REFUSED,   /* a reply refused it (err: code, reply, command) */
	MAILER_FLIGHT_FAILED,    /* it cannot go on this session (err), nothing was sent */
	MAILER_FLIGHT_LOST,      /* the session failed before its end of data was written (or
								a 421 closed it): nothing was delivered, it may go again */
	MAILER_FLIGHT_UNCERTAIN, /* the session failed after its end of data was written */
} mailer_flight_fate;

typedef struct mailer_flight_msg {
	const mailer_envelope *env;  /* borrowed */
	mailer_buf data;             /* the message, CRLF-normalised, not dot-stuffed, or */
	const mailer_producer *body; /* streamed (borrowed; NULL: data), of known size: */
	unsigned long long size;     /* its octets after CRLF normalisation */
	void *owner;                 /* the caller's */

	/* the verdict, once the fate is not PENDING (mailer_flight_take) */
	mailer_flight_fate fate;
	int started; /* LOST: its commands had left (0: it was only queued) */
	mailer_error err;
	mailer_reply reply;
	mailer_rcpt_result *rcpts;
	size_t rcpt_count;

	/* flight.c's */
	int phase, mail_ok, careful, bdat;
	size_t accepted, refused;
	size_t owed;               /* replies still to come for its commands */
	unsigned long long eod_at; /* s->out_taken once its end of data has left */
	struct mailer_flight_msg *next;
} mailer_flight_msg;

void mailer_flight_msg_init(mailer_flight_msg *m, const mailer_envelope *env, void *owner);
/* Forgets the verdict (a message sent again on another session); keeps the data. */
void mailer_flight_msg_reset(mailer_flight_msg *m);
void mailer_flight_msg_free(mailer_flight_msg *m);

/* Whether s, set up (READY or FLIGHT), can carry a flight: it offers PIPELINING. */
int mailer_flight_usable(const mailer_smtp *s);
/* Puts m on s's flight (s READY or FLIGHT); its commands leave at the next steps. */
void mailer_flight_add(mailer_smtp *s, mailer_flight_msg *m);
/* Messages on s's flight whose fate is not taken yet. */
size_t mailer_flight_count(const mailer_smtp *s);
/* The flight will take no more messages (the server refused MAIL as a worn-out
 * connection does: 451/452 after mail was carried): it ends, then reconnect. */
int mailer_flight_worn(const mailer_smtp *s);
/* Forgets every message on s's flight (the caller's, gone: a batch left by a fatal
 * error); a connection left mid-flight is closed without a byte more. Any API call on
 * the session does it first. */
void mailer_flight_abandon(mailer_smtp *s);
/* A message whose fate is known, in completion order, or NULL. */
mailer_flight_msg *mailer_flight_take(mailer_smtp *s);

#endif
