/* Shared by the session's own files (the .c files of src/core/session); not part of the core's API. */
#ifndef MAILER_CORE_SESSION_SESSION_INT_H
#define MAILER_CORE_SESSION_SESSION_INT_H

#include "core/util/status.h"

#include "core/session/session.h"

/* The session writes through its output buffer: a command, a pipelined batch
 * or a stretch of message data leaves in one write call, not many small ones. */
#define MAILER_OUT_FLUSH_AT (64 * 1024)
#define MAILER_COMMAND_MAX MAILER_SMTP_COMMAND_SIZE
/* QUIT should not keep a script waiting long on a server that hangs. */
#define MAILER_QUIT_TIMEOUT 5.0

/* The error text of MAILER_ERR_ABORTED (the caller normally reports its own error instead). */
#define MAILER_ABORTED_TEXT "the session was abandoned by the caller; the connection was dropped"

/* ---- wire.c: the bottom layer (mailer_smtp_close() of session.h is there too) ---- */

double mailer_smtp_now(void);
void mailer_smtp_debug_line(mailer_smtp *s, const char *prefix, const char *line, size_t len);
void mailer_smtp_debug_event(mailer_smtp *s, const char *fmt, ...) MAILER_PRINTF_FORMAT(2, 3);
/* Reports to io->busy when the session starts owing replies (1, before a
 * write) or is idle and clean again (0); repeated values are not reported. */
void mailer_smtp_set_busy(mailer_smtp *s, int busy);
/* Writes what the connection takes of the output queue now: MAILER_SMTP_DONE when all
 * of it went, MAILER_SMTP_WANT_WRITE, or MAILER_SMTP_FAILED (s->write_failed says why;
 * after one failure every later write fails too). */
mailer_smtp_want mailer_smtp_flush_some(mailer_smtp *s);
/* Writes the whole output queue, waiting (the driver) at most the timeout. */
mailer_status mailer_smtp_flush(mailer_smtp *s);
/* Records a lost connection at stage (or the abandoned session, after a
 * MAILER_IO_ABORTED write), closes it, returns MAILER_FAIL. */
mailer_status mailer_smtp_lost(mailer_smtp *s, mailer_stage stage, const char *what,
							   mailer_error *err);
/* Sets the command the awaited reply answers, as errors show it. */
void mailer_smtp_set_command(mailer_smtp *s, const char *text);
/* Queues one command line; debug_text replaces it in debug output (secrets). */
void mailer_smtp_queue(mailer_smtp *s, const char *line, size_t len, const char *debug_text);
mailer_status mailer_smtp_send_command(mailer_smtp *s, mailer_stage stage, const char *line,
									   const char *debug_text, mailer_error *err);
/* Reads the next reply from what has arrived, without waiting: MAILER_SMTP_DONE (it is
 * in s->reply), MAILER_SMTP_WANT_READ (the lines so far are kept), or MAILER_SMTP_FAILED
 * with err filled and the connection closed. */
mailer_smtp_want mailer_smtp_reply_some(mailer_smtp *s, mailer_stage stage, mailer_error *err);
/* A read that failed (n: a MAILER_IO_* code): err filled, the connection closed. */
mailer_smtp_want mailer_smtp_read_failed(mailer_smtp *s, long n, mailer_stage stage,
										 mailer_error *err);
/* The next reply, waiting (the driver) at most the timeout. */
mailer_status mailer_smtp_read_reply(mailer_smtp *s, mailer_stage stage, mailer_error *err);
mailer_status mailer_smtp_read_reply_within(mailer_smtp *s, mailer_stage stage, double timeout,
											mailer_error *err);
/* Records the current reply as the cause of a failure; closes the connection on 421. */
mailer_status mailer_smtp_reply_error(mailer_smtp *s, mailer_error_kind kind, mailer_stage stage,
									  const char *command, const char *what, mailer_error *err);
/* Sends a command and reads its reply. */
mailer_status mailer_smtp_command(mailer_smtp *s, mailer_stage stage, const char *line,
								  const char *debug_text, mailer_error *err);

/* ---- driver.c: waiting for the connection ---- */

/* Waits until the session's connection is ready for what (MAILER_WAIT_READ or
 * MAILER_WAIT_WRITE) or the deadline passes: 1 ready, 0 deadline passed, -1 failed. */
int mailer_smtp_wait(mailer_smtp *s, int what, double deadline);

/* ---- setup.c: the states outside the transaction: the set-up (greeting to READY), RSET, QUIT ---- */

/* A state's handler result besides a want: the state changed, step on at once. */
#define MAILER_SMTP_STEP_ON ((mailer_smtp_want)10)

/* The current wait's deadline: the timeout from now (QUIT: at most MAILER_QUIT_TIMEOUT). */
void mailer_smtp_restart_clock(mailer_smtp *s);
/* Queues a command and enters the state that awaits its reply (RSET, QUIT, ...). */
void mailer_smtp_perform(mailer_smtp *s, mailer_smtp_state next, const char *line);
/* Starts the set-up of a connection just opened (resumed: a persistent session to check). */
void mailer_smtp_setup_begin(mailer_smtp *s, int resumed);
/* Starts the states of a connection that mailer_io.connect_start opened, before its set-up:
 * CONNECTING while in_progress, then implicit TLS's handshake, then the greeting. */
void mailer_smtp_connecting_begin(mailer_smtp *s, int in_progress);
/* A step of the set-up (mailer_smtp_step() for its states). */
mailer_smtp_want mailer_smtp_setup_step(mailer_smtp *s, mailer_error *err);
/* The set-up's deadline passed, or its wait failed, while it waited for want. */
mailer_smtp_want mailer_smtp_setup_wait_failed(mailer_smtp *s, mailer_smtp_event ev,
											   mailer_error *err);

/* ---- txn.c: the transaction; its envelope as states ---- */

/* The reply just read in MAILER_SMTP_MAIL, _RCPT or _DATA: the next state, or DONE when
 * the envelope is decided (the transaction's verdict says how), or FAILED. */
mailer_smtp_want mailer_smtp_txn_resp(mailer_smtp *s, mailer_error *err);
/* A step of MAILER_SMTP_BODY: writes what is queued, pulls more of the message when the
 * queue is empty, and once all of it (with its end) left, enters MAILER_SMTP_DOT. */
mailer_smtp_want mailer_smtp_body_step(mailer_smtp *s, mailer_error *err);

/* The MAIL line and the RCPT lines (each NUL-terminated, one after the other in rcpts) of
 * a message of the given size on this connection: its extensions decide the wire forms
 * and parameters. Fails (nothing sent) when the server cannot take it (SMTPUTF8, 8BITMIME,
 * SIZE). */
mailer_status mailer_smtp_envelope_lines(mailer_smtp *s, const mailer_envelope *env,
										 unsigned long long size, mailer_buf *mail,
										 mailer_buf *rcpts, mailer_error *err);

/* ---- flight.c: transactions pipelined across messages ---- */

/* A step of the flight (mailer_smtp_step() in MAILER_SMTP_FLIGHT). */
mailer_smtp_want mailer_flight_step(mailer_smtp *s, mailer_smtp_event ev, mailer_error *err);
/* The connection closed: what the flight knew of it (worn out) goes with it. */
void mailer_flight_closed(mailer_smtp *s);
/* Frees the flight (its messages are the caller's; those not told are told LOST). */
void mailer_flight_free(mailer_smtp *s);

/* ---- auth.c: AUTH, as the set-up's MAILER_SMTP_AUTH state ---- */

typedef enum mailer_auth_result {
	MAILER_AUTH_FAILED = -1, /* err filled */
	MAILER_AUTH_DONE = 0,    /* authenticated */
	MAILER_AUTH_MORE = 1     /* a response or a new AUTH command is queued: its reply next */
} mailer_auth_result;

/* Checks that AUTH may go (TLS, offered), picks the mechanism and queues the AUTH command. */
mailer_status mailer_smtp_auth_begin(mailer_smtp *s, mailer_error *err);
/* What the reply just read means for the exchange. */
mailer_auth_result mailer_smtp_auth_resp(mailer_smtp *s, mailer_error *err);
/* The exchange failed on the wire (err filled): the mechanism's reason, when it cancelled
 * with one, replaces the error; the exchange is freed. */
void mailer_smtp_auth_failed(mailer_smtp *s, mailer_error *err);
/* Frees the exchange (secrets wiped); nothing when none is in progress. */
void mailer_smtp_auth_end(mailer_smtp *s);

/* ---- session.c: connecting and failover, on auth.c and the wire (txn.c builds on it) ---- */

/* QUIT (errors ignored) and close, within a call of the API (abandonment carries on). */
void mailer_smtp_quit_inner(mailer_smtp *s);
/* mailer_smtp_connect() within another call of the API (abandonment carries on). */
mailer_status mailer_smtp_connect_hosts(mailer_smtp *s, mailer_error *err);
/* After a failed call of the API: MAILER_ERR_ABORTED when the caller abandoned it. */
void mailer_smtp_abandon_error(mailer_smtp *s, mailer_error *err);
/* A connection inherited through fork() is closed without a byte written. */
void mailer_smtp_check_owner(mailer_smtp *s);

#endif
