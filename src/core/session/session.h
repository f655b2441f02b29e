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

/* mailer_io.read results besides a positive byte count */
#define MAILER_IO_EOF 0
#define MAILER_IO_ERROR (-1)
#define MAILER_IO_TIMEOUT (-2)
/* Any mailer_io call: the caller abandons the session (code it ran during the
 * call failed). Nothing more may reach the wire: the session stops at once,
 * without failover, retry, RSET or QUIT, and is closed (MAILER_ERR_ABORTED). */
#define MAILER_IO_ABORTED (-3)
/* mailer_io.connect: an already established session was taken up again */
#define MAILER_IO_RESUMED 1

typedef struct mailer_io {
	/* Opens a TCP connection to host:port (host without brackets), with TLS
	 * from the first byte when implicit_tls. Fills err (kind, message) on failure.
	 * Returns 0, or MAILER_IO_RESUMED when it took up a persistent session that
	 * is past its greeting, EHLO and AUTH (then resume() tells its state), or
	 * a negative value on failure (MAILER_IO_ABORTED: see there). */
	int (*connect)(void *ctx, const char *host, int port, int implicit_tls, double timeout,
				   mailer_error *err);
	/* Reads what is available, waiting at most timeout seconds in all (a signal
	 * does not restart the wait): > 0 bytes, or a MAILER_IO_* code. */
	long (*read)(void *ctx, char *buf, size_t len, double timeout);
	/* Writes everything, taking at most timeout seconds in all (a signal does
	 * not restart the wait): 0, MAILER_IO_ERROR, MAILER_IO_TIMEOUT when the
	 * server stopped reading, or MAILER_IO_ABORTED. */
	int (*write)(void *ctx, const char *data, size_t len, double timeout);
	/* Starts TLS on the open connection (STARTTLS): 0, or non-zero with err filled
	 * (MAILER_IO_ABORTED when the caller abandons the session). */
	int (*start_tls)(void *ctx, double timeout, mailer_error *err);
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

#define MAILER_SMTP_IN_SIZE (MAILER_REPLY_LINE_MAX + 2)

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
	int busy;           /* io->busy(1) was reported and not yet taken back */
	/* mail transactions this connection carried to their end */
	unsigned long transactions;
	const mailer_host *host;
	mailer_caps caps;
	mailer_reply reply; /* the last reply */

	char in[MAILER_SMTP_IN_SIZE];
	size_t in_start, in_end;
	mailer_buf out;
	int write_failed; /* 0, or the MAILER_IO_* code of the write that failed */
	/* An I/O call said MAILER_IO_ABORTED during the current call of the API:
	 * from then on it makes no I/O call but close, and fails with MAILER_ERR_ABORTED. */
	int abandoned;

	mailer_rcpt_result *rcpts;
	size_t rcpt_count;
} mailer_smtp;

void mailer_smtp_init(mailer_smtp *s, const mailer_io *io, void *io_ctx);
/* Closes without QUIT (no network I/O beyond closing) and frees everything, config included. */
void mailer_smtp_free(mailer_smtp *s);
void mailer_smtp_config_free(mailer_smtp_config *cfg);

/* Connects to the first host that works: greeting, EHLO, STARTTLS, EHLO, AUTH. */
mailer_status mailer_smtp_connect(mailer_smtp *s, mailer_error *err);
/* One transaction; connects first when needed. On success s->reply is the server's acceptance. */
mailer_status mailer_smtp_send(mailer_smtp *s, const mailer_envelope *env, mailer_emit_fn emit,
							   void *emit_ctx, mailer_error *err);
/* The size of what an emit fn writes (after CRLF normalisation, before
 * dot-stuffing), computed rather than measured by a pass; MAILER_SIZE_UNKNOWN
 * when it cannot be. */
typedef mailer_status (*mailer_size_fn)(void *ctx, long long *size, mailer_error *err);
/* The same, with size_fn asked (once, only when SIZE or BDAT wants it) for the
 * size instead of a measuring pass. When it is unknown no SIZE parameter is sent
 * and DATA is used, not BDAT. size_fn NULL: mailer_smtp_send(). */
mailer_status mailer_smtp_send_sized(mailer_smtp *s, const mailer_envelope *env,
									 mailer_emit_fn emit, void *emit_ctx, mailer_size_fn size_fn,
									 void *size_ctx, mailer_error *err);
/* QUIT (errors ignored) and close. */
void mailer_smtp_quit(mailer_smtp *s);
/* Close without QUIT. */
void mailer_smtp_close(mailer_smtp *s);
void mailer_smtp_clear_rcpts(mailer_smtp *s);

#endif
