/* The SMTP client session (RFC 5321): connect, greeting, EHLO/HELO, STARTTLS,
 * AUTH, the mail transaction, RSET and QUIT. It reaches the network only
 * through mailer_io, so it runs the same inside PHP and in plain-C tests. */
#ifndef MAILER_CORE_SESSION_SESSION_H
#define MAILER_CORE_SESSION_SESSION_H

#include "core/util/buf.h"
#include "core/session/caps.h"
#include "core/util/error.h"
#include "core/session/hosts.h"
#include "core/session/reply.h"
#include "core/auth/sasl.h"
#include "core/util/sink.h"
#include "core/util/producer.h" /* MAILER_SIZE_UNKNOWN */

#include <stddef.h>
#include <stdint.h>

/* Results of mailer_io.read_some and write_some besides a positive byte count */
#define MAILER_IO_EOF 0
#define MAILER_IO_ERROR (-1)
#define MAILER_IO_TIMEOUT (-2) /* the core's own: a wait reached its deadline */
/* Any mailer_io call: the caller abandons the session (code it ran during the
 * call failed). Nothing more may reach the wire: the session stops at once,
 * without failover, retry, RSET or QUIT, and is closed (MAILER_ERR_ABORTED). */
#define MAILER_IO_ABORTED (-3)
/* read_some, write_some: nothing can move now; wait for the descriptor */
#define MAILER_IO_WOULD_BLOCK (-4)
/* mailer_io.connect: an already established session was taken up again */
#define MAILER_IO_RESUMED 1
/* mailer_io.tls_step: the handshake goes on once the connection is readable / writable */
#define MAILER_IO_WANT_READ 2
#define MAILER_IO_WANT_WRITE 3

/* What a wait is for (mailer_io.wait, the driver's poll) */
#define MAILER_WAIT_READ 1
#define MAILER_WAIT_WRITE 2

/* The connection as the core sees it. Apart from connect, no operation ever
 * waits: each does what it can now and says when it could not (would block,
 * want read/write); the core's driver (driver.c) waits on the descriptor, with
 * the deadlines, and calls again. */
typedef struct mailer_io {
	/* Opens a TCP connection to host:port (host without brackets), with TLS
	 * from the first byte when implicit_tls, waiting at most timeout seconds.
	 * Fills err (kind, message) on failure.
	 * Returns 0, or MAILER_IO_RESUMED when it took up a persistent session that
	 * is past its greeting, EHLO and AUTH (then resume() tells its state), or
	 * a negative value on failure (MAILER_IO_ABORTED: see there). */
	int (*connect)(void *ctx, const char *host, int port, int implicit_tls, double timeout,
				   mailer_error *err);
	/* Optional, and then used instead of connect: starts the TCP connection
	 * without waiting for it (a name lookup still waits). Returns
	 * MAILER_IO_WANT_WRITE (in progress: the descriptor becomes writable when it
	 * is over, then connect_finish), 0 when connected already, MAILER_IO_RESUMED
	 * (as connect), or a negative value on failure with err filled. TLS is not
	 * started here even when implicit_tls: the core runs its handshake through
	 * tls_step once connected. */
	int (*connect_start)(void *ctx, const char *host, int port, int implicit_tls, double timeout,
						 mailer_error *err);
	/* After connect_start said MAILER_IO_WANT_WRITE: 0 connected,
	 * MAILER_IO_WANT_WRITE still in progress, or a negative value with err
	 * filled (the socket's error, as connect would have said it). */
	int (*connect_finish)(void *ctx, mailer_error *err);
	/* Reads what has arrived, without waiting: > 0 bytes, MAILER_IO_WOULD_BLOCK
	 * (nothing yet), MAILER_IO_EOF, MAILER_IO_ERROR or MAILER_IO_ABORTED. */
	long (*read_some)(void *ctx, char *buf, size_t len);
	/* Writes what the connection takes now, without waiting: > 0 bytes taken,
	 * MAILER_IO_WOULD_BLOCK, MAILER_IO_ERROR or MAILER_IO_ABORTED. After a
	 * would-block the same bytes are offered again (OpenSSL wants that). */
	long (*write_some)(void *ctx, const char *data, size_t len);
	/* One step of the TLS handshake on the open connection (STARTTLS), without
	 * waiting: 0 done, MAILER_IO_WANT_READ or MAILER_IO_WANT_WRITE (call again
	 * when the connection is ready), or non-zero with err filled
	 * (MAILER_IO_ABORTED when the caller abandons the session). */
	int (*tls_step)(void *ctx, mailer_error *err);
	/* The descriptor the driver polls (a socket), or -1 when there is none. */
	intptr_t (*descriptor)(void *ctx);
	/* Optional: waits until the connection is ready for what (MAILER_WAIT_*) or
	 * the deadline (mailer_monotonic_seconds()) passes: 1 ready, 0 deadline
	 * passed, -1 failed. NULL: the driver polls descriptor() itself (scripted
	 * connections in tests have no descriptor and wait their own way). */
	int (*wait)(void *ctx, int what, double deadline);
	void (*close)(void *ctx);
	/* Optional (persistent connections): the state of a resumed session ... */
	void (*resume)(void *ctx, mailer_caps *caps, int *tls_active);
	/* ... and of a session just established, to be kept for later requests. */
	void (*established)(void *ctx, const mailer_caps *caps, int tls_active);
	/* Optional: 1 when the open connection belongs to another process (this
	 * one was forked after it was opened); the core then abandons it without
	 * writing a byte, and opens its own when it needs one. */
	int (*inherited)(void *ctx);
	/* Optional: busy(1) before a command is written, busy(0) once every reply
	 * is read and no transaction is open. A session that stops while busy
	 * (a fatal error in a callback) owes replies or is mid-transaction: it
	 * must never be resumed, nor closed with a byte written to it. */
	void (*busy)(void *ctx, int busy);
	/* Optional: whether bytes the core has not read yet wait below it (a stream
	 * layer's read buffer, the kernel's socket buffer), without waiting or
	 * consuming them: 0 none, > 0 some, < 0 cannot tell (the connection failed). */
	int (*pending)(void *ctx);
} mailer_io;

typedef void (*mailer_debug_fn)(void *ctx, const char *line, size_t len);
/* Asks the caller for the OAuth2 token of a bearer mechanism (XOAUTH2, OAUTHBEARER) at each
 * authentication: appends it to out (wiped by the session after use); refresh is 1 when the
 * server refused the token it gave before. MAILER_FAIL: the caller gave up (its own error
 * stands), and the session is abandoned as after MAILER_IO_ABORTED. */
typedef mailer_status (*mailer_token_fn)(void *ctx, int refresh, mailer_buf *out);

typedef struct mailer_smtp_config {
	mailer_host *hosts; /* owned */
	size_t host_count;
	char *helo;                   /* owned */
	char *user;                   /* owned, "" for no AUTH */
	char *pass;                   /* owned, wiped when freed */
	double timeout;               /* seconds, for connecting and for each reply */
	const mailer_sasl_mech *auth; /* NULL: "auto" */
	mailer_token_fn token;        /* NULL: the secret is pass */
	void *token_ctx;
	int allow_insecure_auth;
	int no_pipelining; /* do not use PIPELINING even when offered */
	int no_chunking;   /* do not use BDAT even when offered */
	int partial;       /* deliver to the accepted recipients when some are refused */
} mailer_smtp_config;

typedef struct mailer_rcpt_result {
	char *address;
	int code;
	char enhanced[16];
	char *reply;
} mailer_rcpt_result;

typedef struct mailer_envelope {
	const char *from; /* "" for the null reverse-path */
	const char *const *rcpts;
	size_t rcpt_count;
	int body_8bit;    /* the data has 8-bit bytes: ask for BODY=8BITMIME when offered */
	int utf8_headers; /* the message has UTF-8 in its header: it needs SMTPUTF8 */
	/* DSN (RFC 3461), used when the server offers it; NULL when not wanted */
	const char *dsn_notify; /* "NEVER" or a list of SUCCESS, FAILURE, DELAY */
	const char *dsn_ret;    /* "FULL" or "HDRS" */
	const char *dsn_envid;
} mailer_envelope;

/* What a session waits for, as its non-blocking steps return it. */
typedef enum mailer_smtp_want {
	MAILER_SMTP_FAILED = -1, /* over, with the error filled */
	MAILER_SMTP_DONE = 0,    /* over, successfully */
	MAILER_SMTP_WANT_READ = 1,
	MAILER_SMTP_WANT_WRITE = 2
} mailer_smtp_want;

/* What the driver tells a step of the session: go on (the connection is ready, or
 * nothing was waited for), the deadline passed, or the wait failed. */
typedef enum mailer_smtp_event {
	MAILER_SMTP_GO = 0,
	MAILER_SMTP_TIMEOUT = 1,
	MAILER_SMTP_WAIT_FAILED = 2
} mailer_smtp_event;

/* Where the session stands in its work (curl's smtp.c keeps one such enum). The
 * connection set-up (AUTH included), a transaction's envelope (MAIL, RCPT, DATA), the final
 * reply, RSET and QUIT run as these states, and so do flights of small messages pipelined
 * across (flight.h); the message itself of a single send is still pushed by its writer
 * through the output queue (blocking), over the same wire and driver. */
typedef enum mailer_smtp_state {
	MAILER_SMTP_IDLE = 0,    /* no step to take */
	MAILER_SMTP_CONNECTING,  /* the TCP connection in progress (mailer_io.connect_start) */
	MAILER_SMTP_GREETING,    /* connected: waiting for the 220 */
	MAILER_SMTP_EHLO,        /* EHLO queued or sent */
	MAILER_SMTP_HELO,        /* HELO, after EHLO was refused */
	MAILER_SMTP_STARTTLS,    /* STARTTLS queued or sent */
	MAILER_SMTP_HANDSHAKE,   /* the TLS handshake, in steps (implicit TLS: before GREETING) */
	MAILER_SMTP_AUTH,        /* an AUTH exchange: its command or a response sent */
	MAILER_SMTP_RESUME_RSET, /* RSET on a resumed persistent session: is it alive? */
	MAILER_SMTP_READY,       /* set up: a transaction can start */
	MAILER_SMTP_MAIL,        /* a transaction's MAIL (with PIPELINING, its RCPTs and DATA) sent */
	MAILER_SMTP_RCPT,        /* a RCPT's reply awaited (sent alone, or in the pipelined batch) */
	MAILER_SMTP_DATA,        /* DATA's reply awaited: 354, or a refusal */
	MAILER_SMTP_BODY,        /* the message: pulled and written as the connection takes it */
	MAILER_SMTP_DOT,         /* the message's end went out (DATA's dot, BDAT LAST): its reply */
	MAILER_SMTP_RSET,        /* RSET after an aborted transaction: READY again, or closed */
	MAILER_SMTP_QUIT,        /* QUIT: closed once answered (or not) */
	MAILER_SMTP_FLIGHT       /* transactions pipelined across messages (flight.h) */
} mailer_smtp_state;

/* An AUTH exchange in progress (auth.c): one attempt of one mechanism at a time. */
typedef struct mailer_smtp_auth {
	const mailer_sasl_mech *mech; /* NULL: no exchange */
	void *state;                  /* the mechanism's, wiped when freed */
	mailer_buf resp;              /* the response being sent, wiped */
	mailer_buf token;             /* the OAuth2 token of this attempt, wiped */
	mailer_sasl_creds creds;
	char command_text[64]; /* "AUTH MECH ****": the command as errors show it */
	const char *why;       /* why the mechanism cancelled (static text), or NULL */
	int use_token, attempt, steps, deferred, cancelled;
} mailer_smtp_auth;

#define MAILER_SMTP_IN_SIZE (MAILER_REPLY_LINE_MAX + 2)
/* Longest command line (RFC 5321 §4.5.3.1.4: 512 octets with CRLF). */
#define MAILER_SMTP_COMMAND_SIZE 512

struct mailer_txn;
struct mailer_flight;

typedef struct mailer_smtp {
	mailer_smtp_config cfg;
	const mailer_io *io;
	void *io_ctx;
	mailer_debug_fn debug; /* NULL: no debug output */
	void *debug_ctx;

	int connected;
	int tls_active;
	int in_transaction; /* MAIL was sent and the transaction is not over: RSET before reuse */
	int resumed;        /* this connection was taken up from an earlier request */
	int implicit_tls;   /* the handshake under way is implicit TLS's (GREETING follows) */
	int hello_sent;     /* the handshake under way has sent its first message */
	int busy;           /* io->busy(1) was reported and not yet taken back */
	/* mail transactions this connection carried to their end */
	unsigned long transactions;
	const mailer_host *host;
	mailer_caps caps;
	mailer_reply reply; /* the last reply */

	mailer_smtp_state state;
	mailer_smtp_want waiting; /* what the last step returned */
	double deadline;          /* mailer_smtp_now() until which the current wait may last */
	mailer_smtp_auth auth;
	struct mailer_txn *txn; /* the transaction whose envelope is in progress (txn.c) */
	int fail_after_quit;    /* the QUIT under way follows a failure: the step fails once it ends */
	mailer_buf
		command; /* the command the awaited reply answers, as errors show it ("" for the greeting) */

	char in[MAILER_SMTP_IN_SIZE];
	size_t in_start, in_end;
	mailer_buf out;   /* the output queue: commands and message data not yet written */
	size_t out_sent;  /* how much of out the connection took */
	int reply_open;   /* a reply is being read: s->reply holds its first lines */
	int out_secret;   /* out holds a secret (AUTH): wiped once written */
	int write_failed; /* 0, or the MAILER_IO_* code of the write that failed */
	/* An I/O call said MAILER_IO_ABORTED during the current call of the API:
	 * from then on it makes no I/O call but close, and fails with MAILER_ERR_ABORTED. */
	int abandoned;

	mailer_rcpt_result *rcpts;
	size_t rcpt_count;

	struct mailer_flight *flight; /* messages pipelined across (flight.c), or NULL */
	/* bytes the connections took, ever: where a message's end of data stands */
	unsigned long long out_taken;
} mailer_smtp;

void mailer_smtp_init(mailer_smtp *s, const mailer_io *io, void *io_ctx);
/* Closes without QUIT (no network I/O beyond closing) and frees everything, config included. */
void mailer_smtp_free(mailer_smtp *s);
void mailer_smtp_config_free(mailer_smtp_config *cfg);

/* Opens a connection to host and starts its set-up (the TCP connection when the
 * I/O connects in steps, implicit TLS's handshake, greeting to AUTH, or the check of
 * a resumed persistent session), which mailer_smtp_step() then runs. With an I/O
 * without connect_start, the TCP connection (and implicit TLS) is made here, waiting. */
mailer_status mailer_smtp_begin_host(mailer_smtp *s, const mailer_host *host, mailer_error *err);
/* One step: advances as far as it can without waiting, and says what it waits for
 * next (WANT_READ or WANT_WRITE, until s->deadline), or DONE, or FAILED with err
 * filled. ev says how the wait for the previous step's want ended. */
mailer_smtp_want mailer_smtp_step(mailer_smtp *s, mailer_smtp_event ev, mailer_error *err);
/* The blocking driver: steps until DONE or FAILED, waiting (poll on the session's
 * descriptor) whenever a step says what it waits for. */
mailer_status mailer_smtp_run(mailer_smtp *s, mailer_error *err);

/* Many sessions at once: waits until one of them is ready for what its last step
 * said (s[i]->waiting; a session in a flight is also woken by a reply while it
 * waits to write), or its deadline passes, or until passes. ev[i]: -1 nothing
 * happened, else the event to step s[i] with. A session not waiting (DONE, FAILED)
 * is left alone. Returns the number of events. */
int mailer_smtp_poll(mailer_smtp *const *s, size_t n, double until, int *ev);

/* Connects to the first host that works: greeting, EHLO, STARTTLS, EHLO, AUTH. */
mailer_status mailer_smtp_connect(mailer_smtp *s, mailer_error *err);
/* One transaction; connects first when needed. body is the message (borrowed), pulled
 * as the connection takes it, CRLF-normalised and dot-stuffed (DATA) or sent as one
 * BDAT LAST of its size; its size() is asked (once, only when SIZE or BDAT wants it):
 * when it is unknown no SIZE parameter is sent and DATA is used, not BDAT. On success
 * s->reply is the server's acceptance. */
mailer_status mailer_smtp_send(mailer_smtp *s, const mailer_envelope *env,
							   const mailer_producer *body, mailer_error *err);
/* QUIT (errors ignored) and close. */
void mailer_smtp_quit(mailer_smtp *s);
/* Close without QUIT. */
void mailer_smtp_close(mailer_smtp *s);
void mailer_smtp_clear_rcpts(mailer_smtp *s);
/* Frees a list of recipient results (the session's, a flight message's, a copy) and empties it. */
void mailer_rcpt_results_free(mailer_rcpt_result **rcpts, size_t *count);
/* A deep copy of count results into *out (NULL when count is 0). */
void mailer_rcpt_results_copy(mailer_rcpt_result **out, const mailer_rcpt_result *rcpts,
							  size_t count);

#endif
