/* The SMTP session over a fake mailer_io: the server's bytes are scripted,
 * the client's are recorded, so the state machine is tested without sockets. */
#include "unit.h"
#include "core/util/alloc.h"
#include "core/session/session.h"
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct fake_io {
	const char *script; /* everything the server will send */
	size_t pos;
	size_t chunk;   /* bytes per read: 1 tests reassembly of split lines */
	int eof_at_end; /* 1: EOF when the script is used up; 0: a timeout */
	int greedy;     /* 0: a read stops at a line end, as a server answers one command at a time */
	mailer_buf written;
	int writes;
	int connects;
	int tls_started;
	int fail_connect;
	/* MAILER_IO_ABORTED (the caller abandons the session) from the nth call on (0: never) */
	int abort_write_at;
	int abort_read_at;
	int abort_connect;
	int abort_tls;
	int reads;
	int closes;
	int calls_after_abort; /* any I/O but close once an abort was returned: must stay 0 */
	int aborted;
	int foreign; /* the connection is another process's (the inherited hook says so) */
	int busy;    /* the last value the busy hook got */
	int busy_at_close;
	mailer_buf events; /* O connect, W write, C close, B busy(1), I busy(0) */
	size_t plain_end;  /* the script's bytes up to here arrive before TLS: pending() sees them */
	int pending_fails; /* pending() cannot tell (the connection failed) */
	size_t stall_writes_at; /* a write that would reach this many bytes in all times out */
	int drip;               /* one-byte mode (see drip) */
	int blocked;            /* one-byte mode: the last call said "would block" */
	int stalled;            /* a write met stall_writes_at: waits for writing time out */
	int tls_steps;
	int waits;
	int resume_next; /* the next connect takes up a kept (persistent) session */
	/* connecting in steps (connect_start, connect_finish) */
	int starts;              /* connect_start calls */
	int finishes;            /* connect_finish calls */
	int finish_after;        /* connect_finish says "in progress" this many times first */
	int in_progress;         /* finish calls left that say "in progress" */
	const char *refused;     /* the host whose connection fails (its SO_ERROR), or NULL */
	int connect_hangs;       /* the connection never completes: the wait for it times out */
	char connecting_to[16];  /* the host connect_start was given */
	int tls_before_greeting; /* tls_step ran before any byte was read */
	double hello_work;       /* the first TLS step works this long before its ClientHello; */
	int hello_done;          /* waits then honour their deadline */
} fake_io;

static int fake_connect(void *ctx, const char *host, int port, int implicit_tls, double timeout,
						mailer_error *err)
{
	fake_io *io = ctx;

	(void)host, (void)port, (void)implicit_tls, (void)timeout;
	io->calls_after_abort += io->aborted;
	io->connects++;
	io->foreign = 0;
	mailer_buf_appendc(&io->events, 'O');
	if (io->abort_connect) {
		io->aborted = 1;
		return MAILER_IO_ABORTED;
	}
	if (io->fail_connect) {
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT, "refused");
	}
	if (io->resume_next) {
		io->resume_next = 0;
		return MAILER_IO_RESUMED;
	}
	return 0;
}

/* One-byte mode: every read and write first says "would block" (the driver waits and
 * calls again), then moves one byte; the TLS handshake wants to read twice. Set for a
 * second pass over every test: the session must reach the same result. */
static int drip;

static long fake_read_some(void *ctx, char *buf, size_t len)
{
	fake_io *io = ctx;
	size_t left = strlen(io->script) - io->pos, n;

	io->calls_after_abort += io->aborted;
	if (io->drip && !io->blocked) {
		io->blocked = 1;
		return MAILER_IO_WOULD_BLOCK;
	}
	io->blocked = 0;
	if (io->abort_read_at && ++io->reads >= io->abort_read_at) {
		io->aborted = 1;
		return MAILER_IO_ABORTED;
	}
	if (left == 0) {
		/* nothing more will come: EOF, or a wait that reaches its deadline */
		return io->eof_at_end ? MAILER_IO_EOF : MAILER_IO_WOULD_BLOCK;
	}
	n = left < len ? left : len;
	if (io->chunk && n > io->chunk) {
		n = io->chunk;
	}
	if (io->drip) {
		n = 1;
	}
	if (!io->greedy) {
		const char *lf = memchr(io->script + io->pos, '\n', n);
		if (lf) {
			n = (size_t)(lf - (io->script + io->pos)) + 1;
		}
	}
	memcpy(buf, io->script + io->pos, n);
	io->pos += n;
	return (long)n;
}

/* A write is counted (writes, events) when the core's offer is taken whole: in one-byte
 * mode that is its last byte, so both modes count the same writes. */
static long fake_write_some(void *ctx, const char *data, size_t len)
{
	fake_io *io = ctx;
	size_t n = len;

	io->calls_after_abort += io->aborted;
	if (io->abort_write_at && io->writes + 1 >= io->abort_write_at) {
		io->aborted = 1;
		return MAILER_IO_ABORTED;
	}
	if (io->stall_writes_at && io->written.len + len >= io->stall_writes_at) {
		io->stalled = 1; /* the server stopped reading */
		return MAILER_IO_WOULD_BLOCK;
	}
	if (io->drip) {
		if (!io->blocked) {
			io->blocked = 1;
			return MAILER_IO_WOULD_BLOCK;
		}
		io->blocked = 0;
		n = 1;
	}
	mailer_buf_append(&io->written, data, n);
	if (n == len) {
		io->writes++;
		mailer_buf_appendc(&io->events, 'W');
	}
	return (long)n;
}

/* No descriptor to poll: ready at once, unless nothing will ever come (a read with the
 * script used up and no EOF, a write the server stopped taking): then the deadline passes. */
static int fake_wait(void *ctx, int what, double deadline)
{
	fake_io *io = ctx;

	io->waits++;
	if (io->hello_work > 0 && deadline <= mailer_monotonic_seconds()) {
		return 0;
	}
	if (what == MAILER_WAIT_WRITE) {
		return io->stalled || (io->connect_hangs && io->in_progress) ? 0 : 1;
	}
	return io->pos == strlen(io->script) && !io->eof_at_end && !io->tls_steps ? 0 : 1;
}

static intptr_t fake_descriptor(void *ctx)
{
	(void)ctx;
	return -1;
}

static int fake_tls_step(void *ctx, mailer_error *err)
{
	fake_io *io = ctx;

	(void)err;
	io->calls_after_abort += io->aborted;
	if (io->abort_tls) {
		io->aborted = 1;
		return MAILER_IO_ABORTED;
	}
	if (io->hello_work > 0 && !io->hello_done) {
		/* our own work (a CA store loaded) before the ClientHello leaves */
		struct timespec t = {0, (long)(io->hello_work * 1e9)};
		nanosleep(&t, NULL);
		io->hello_done = 1;
		io->tls_steps++;
		return MAILER_IO_WANT_READ;
	}
	if (io->drip && io->tls_steps < 2) {
		io->tls_steps++;
		return MAILER_IO_WANT_READ;
	}
	io->tls_steps = 0;
	io->tls_started++;
	io->tls_before_greeting |= io->pos == 0;
	return 0;
}

static void fake_close(void *ctx)
{
	fake_io *io = ctx;

	io->closes++;
	io->busy_at_close = io->busy;
	mailer_buf_appendc(&io->events, 'C');
}

static void fake_resume(void *ctx, mailer_caps *caps, int *tls_active)
{
	(void)ctx, (void)caps;
	*tls_active = 0;
}

static int fake_inherited(void *ctx)
{
	return ((fake_io *)ctx)->foreign;
}

static void fake_busy(void *ctx, int busy)
{
	fake_io *io = ctx;

	io->busy = busy;
	mailer_buf_appendc(&io->events, busy ? 'B' : 'I');
}

/* Bytes the core has not read yet but that wait below it (PHP's stream buffer, the kernel's). */
static int fake_pending(void *ctx)
{
	fake_io *io = ctx;

	if (io->pending_fails) {
		return -1;
	}
	return io->pos < io->plain_end ? 1 : 0;
}

static int fake_connect_start(void *ctx, const char *host, int port, int implicit_tls,
							  double timeout, mailer_error *err)
{
	fake_io *io = ctx;

	(void)port, (void)implicit_tls, (void)timeout, (void)err;
	io->starts++;
	io->foreign = 0;
	snprintf(io->connecting_to, sizeof(io->connecting_to), "%s", host);
	io->in_progress = io->finish_after;
	mailer_buf_appendc(&io->events, 'S');
	return MAILER_IO_WANT_WRITE;
}

static int fake_connect_finish(void *ctx, mailer_error *err)
{
	fake_io *io = ctx;

	io->finishes++;
	if (io->connect_hangs || io->in_progress > 0) {
		io->in_progress -= io->in_progress > 0 && !io->connect_hangs;
		return MAILER_IO_WANT_WRITE;
	}
	if (io->refused && strcmp(io->connecting_to, io->refused) == 0) {
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT,
								"could not connect to %s:25: Connection refused", io->refused);
	}
	mailer_buf_appendc(&io->events, 'F');
	return 0;
}

/* connecting in steps, as PHP's streams do */
static const mailer_io stepped_ops = {
	.connect = fake_connect,
	.connect_start = fake_connect_start,
	.connect_finish = fake_connect_finish,
	.read_some = fake_read_some,
	.write_some = fake_write_some,
	.tls_step = fake_tls_step,
	.descriptor = fake_descriptor,
	.wait = fake_wait,
	.close = fake_close,
	.pending = fake_pending,
};

static const mailer_io fake_ops = {
	.connect = fake_connect,
	.read_some = fake_read_some,
	.write_some = fake_write_some,
	.tls_step = fake_tls_step,
	.descriptor = fake_descriptor,
	.wait = fake_wait,
	.close = fake_close,
	.pending = fake_pending,
};
/* with the hooks persistent sessions and fork() rely on */
static const mailer_io hooked_ops = {
	.connect = fake_connect,
	.read_some = fake_read_some,
	.write_some = fake_write_some,
	.tls_step = fake_tls_step,
	.descriptor = fake_descriptor,
	.wait = fake_wait,
	.close = fake_close,
	.inherited = fake_inherited,
	.busy = fake_busy,
	.pending = fake_pending,
};

static void setup(mailer_smtp *s, fake_io *io, const char *script, const char *user,
				  const char *pass)
{
	memset(io, 0, sizeof(*io));
	io->script = script;
	io->eof_at_end = 1;
	io->drip = drip;
	mailer_buf_init(&io->written);
	mailer_buf_init(&io->events);
	mailer_smtp_init(s, &fake_ops, io);
	mailer_hosts_parse("mx.test", 7, 25, MAILER_TLS_AUTO, &s->cfg.hosts, &s->cfg.host_count, NULL);
	s->cfg.helo = mailer_strdup("client.test");
	s->cfg.user = mailer_strdup(user);
	s->cfg.pass = mailer_strdup(pass);
	s->cfg.timeout = 5;
	s->cfg.allow_insecure_auth = 1;
}

static void teardown(mailer_smtp *s, fake_io *io)
{
	mailer_smtp_free(s);
	mailer_buf_free(&io->written);
	mailer_buf_free(&io->events);
}

/* One transaction of text (as sendRaw() sends it: its size after CRLF normalisation). */
static mailer_status send_text(mailer_smtp *s, const mailer_envelope *env, const char *text,
							   mailer_error *err)
{
	mailer_producer body;
	mailer_status rc;

	mailer_producer_memory(&body, text, strlen(text));
	rc = mailer_smtp_send(s, env, &body, err);
	mailer_producer_free(&body);
	return rc;
}

static const char *const one_rcpt[] = {"b@example.net"};

static void test_plain_send(size_t chunk)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@example.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(
		&s, &io,
		"220 mx ESMTP\r\n250-mx\r\n250-SIZE 100\r\n250 8BITMIME\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n"
		"354 go\r\n250 2.0.0 queued as X1\r\n221 bye\r\n",
		"", "");
	io.chunk = chunk;
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "Subject: x\n\n.hi\n", &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&s.reply.text), "250 2.0.0 queued as X1");
	CHECK(s.rcpt_count == 1 && s.rcpts[0].code == 250);
	mailer_smtp_quit(&s);
	CHECK_STR(mailer_buf_cstr(&io.written),
			  "EHLO client.test\r\nMAIL FROM:<a@example.org> SIZE=19\r\nRCPT TO:<b@example.net>\r\n"
			  "DATA\r\nSubject: x\r\n\r\n..hi\r\n.\r\nQUIT\r\n");
	CHECK(io.connects == 1 && !s.connected);
	teardown(&s, &io);
}

static void test_starttls_and_auth(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io,
		  "220 mx\r\n250-mx\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n220 go ahead\r\n"
		  "250-mx\r\n250 AUTH PLAIN LOGIN\r\n235 2.7.0 ok\r\n",
		  "u", "p");
	s.cfg.allow_insecure_auth = 0;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	CHECK(io.tls_started == 1 && s.tls_active);
	/* capabilities from before TLS are forgotten */
	CHECK(mailer_caps_has_auth(&s.caps, "PLAIN"));
	CHECK_STR(mailer_buf_cstr(&io.written),
			  "EHLO client.test\r\nSTARTTLS\r\nEHLO client.test\r\nAUTH PLAIN AHUAcA==\r\n");
	teardown(&s, &io);
}

/* The first handshake step's own work (loading the CA store takes seconds under valgrind)
 * is not the server's delay: the timeout runs from the ClientHello on, and a server that
 * answers within it is not timed out. */
static void test_starttls_slow_hello(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go ahead\r\n250 mx\r\n", "", "");
	s.cfg.timeout = 0.2;
	io.hello_work = 0.3;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	CHECK_STR(err.message ? err.message : "", "");
	CHECK(io.tls_started == 1 && s.tls_active && io.hello_done);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

static intptr_t pair_descriptor(void *ctx)
{
	return *(const int *)ctx;
}

/* A session past its deadline whose answer is already in the socket (our own work took
 * the time) is stepped with GO, not TIMEOUT; with nothing there it times out at once. */
static void test_poll_answer_beats_deadline(void)
{
	static const mailer_io pair_ops = {.descriptor = pair_descriptor};
	mailer_smtp s;
	mailer_smtp *const one[] = {&s};
	int fds[2], ev = -2;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
	mailer_smtp_init(&s, &pair_ops, &fds[0]);
	s.connected = 1;
	s.waiting = MAILER_SMTP_WANT_READ;
	s.deadline = mailer_monotonic_seconds() - 1;
	CHECK(mailer_smtp_poll(one, 1, s.deadline, &ev) == 1 && ev == MAILER_SMTP_TIMEOUT);
	CHECK(write(fds[1], "250 ok\r\n", 8) == 8);
	CHECK(mailer_smtp_poll(one, 1, s.deadline, &ev) == 1 && ev == MAILER_SMTP_GO);
	s.connected = 0;
	mailer_smtp_free(&s);
	close(fds[0]);
	close(fds[1]);
}

static void test_starttls_injection(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	/* a reply pipelined behind the 220 would be read as if it came through TLS */
	setup(&s, &io, "220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go ahead\r\n250 injected\r\n", "", "");
	io.greedy = 1;
	/* in one-byte mode they have not reached the core: they wait below it */
	io.plain_end = drip ? strlen(io.script) : 0;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_STARTTLS);
	CHECK(io.tls_started == 0 && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* The same attack when the core's buffer is empty: the 220 filled it exactly, and
 * the injected bytes wait in the I/O layer's buffer, which would hand them out after TLS. */
static void test_starttls_injection_below(void)
{
	static const char script[] =
		"220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go ahead\r\n250-x\r\n250 AUTH PLAIN\r\n";
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, script, "", "");
	io.plain_end = sizeof(script) - 1;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_STARTTLS);
	CHECK_STR(err.message ? err.message : "",
			  "the server sent data after its STARTTLS reply, before the TLS handshake");
	CHECK(io.tls_started == 0 && !s.connected);
	/* nothing was read beyond the 220 */
	CHECK(io.pos == sizeof(script) - 1 - strlen("250-x\r\n250 AUTH PLAIN\r\n"));
	mailer_error_clear(&err);
	teardown(&s, &io);

	/* a layer that cannot tell (the connection failed) is no ground for TLS either */
	setup(&s, &io, "220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go ahead\r\n", "", "");
	io.pending_fails = 1;
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_STARTTLS);
	CHECK(io.tls_started == 0 && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

static void test_rcpt_all_or_nothing(void)
{
	static const char *const rcpts[] = {"ok@x.org", "bad@x.org", "worse@x.org"};
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", rcpts, 3, 0, 0, NULL, NULL, NULL};

	setup(
		&s, &io,
		"220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n450 4.2.1 busy\r\n250 reset\r\n",
		"", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_RECIPIENT && err.rejected_count == 2 && err.code == 550);
	CHECK_STR(err.rejected[1].address, "worse@x.org");
	CHECK_STR(err.rejected[1].enhanced, "4.2.1");
	CHECK(s.connected && !s.in_transaction);
	CHECK(strstr(mailer_buf_cstr(&io.written), "DATA") == NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "RSET\r\n") != NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

static void test_eod_lost(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n", "", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_EOD);
	CHECK(strstr(err.message, "delivery is uncertain") != NULL);
	CHECK(io.connects == 1 && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* 452 to MAIL on a connection that carried a message: QUIT, a new connection, the same
 * message once more; on the new connection the same reply would be final. */
/* The final reply is a state of the session (MAILER_SMTP_DOT) the driver waits on: its
 * deadline passing is the same uncertain end, with the command that awaited it; a reply
 * in time leaves the session READY for the next transaction. */
static void test_eod_reply_as_state(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n", "", "");
	io.eof_at_end = 0; /* nothing more comes: the wait reaches its deadline */
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_EOD);
	CHECK(err.message && strstr(err.message, "timed out after 5 seconds waiting for the server") &&
		  strstr(err.message, "delivery is uncertain"));
	CHECK_STR(err.command ? err.command : "", ".");
	CHECK(!s.connected && s.state == MAILER_SMTP_IDLE);
	mailer_error_clear(&err);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n", "", "");
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(s.state == MAILER_SMTP_READY && s.connected && s.reply.code == 250);
	teardown(&s, &io);

	/* a malformed final reply is the end of data's */
	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\nno reply\r\n", "", "");
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_PROTOCOL && err.stage == MAILER_STAGE_EOD && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

static void test_mail_4xx_on_used_connection(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(
		&s, &io,
		"220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 q1\r\n"
		"452 4.5.3 Too many messages sent\r\n250 reset\r\n221 bye\r\n"
		"220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 q2\r\n"
		"250 ok\r\n250 ok\r\n354 go\r\n250 q3\r\n452 4.5.3 Too many messages sent\r\n250 reset\r\n221 bye\r\n"
		"220 mx\r\n250 mx\r\n452 4.5.3 Too many messages sent\r\n250 reset\r\n",
		"", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&s.reply.text), "250 q2");
	CHECK(io.connects == 2 && s.connected);
	CHECK(strstr(mailer_buf_cstr(&io.written),
				 "RSET\r\nQUIT\r\nEHLO client.test\r\nMAIL FROM:<a@x.org>\r\n") != NULL);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	/* the retry met the same refusal on its fresh connection: that is the answer */
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(io.connects == 3 && err.code == 452 && err.stage == MAILER_STAGE_MAIL && s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A server that stops reading while the message goes out: the write times out (the I/O
 * layer keeps the deadline), the error says so, and the message was not delivered. */
static void test_write_timeout(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};
	mailer_buf big;
	size_t i;

	mailer_buf_init(&big);
	for (i = 0; i < 20000; i++) {
		mailer_buf_appends(&big, "0123456789012345678901234567890123456789\r\n");
	}
	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n", "", "");
	s.cfg.timeout = 3;
	io.stall_writes_at = 500000;
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, mailer_buf_cstr(&big), &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_DATA && !s.connected);
	CHECK_STR(
		err.message ? err.message : "",
		"timed out after 3 seconds writing to the server while sending the message; it was not delivered");
	mailer_error_clear(&err);
	teardown(&s, &io);
	mailer_buf_free(&big);
}

static void test_timeout_and_garbage(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "220 mx\r\n", "", "");
	io.eof_at_end = 0;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_EHLO);
	CHECK(strstr(err.message, "timed out") != NULL && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\nHTTP/1.1 400 Bad Request\r\n", "", "");
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_PROTOCOL && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

static void test_ehlo_fallback_and_failover(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "220 mx\r\n500 what\r\n250 hi\r\n", "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	CHECK(s.caps.count == 0);
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO client.test\r\nHELO client.test\r\n");
	teardown(&s, &io);

	setup(&s, &io, "", "", "");
	io.fail_connect = 1;
	mailer_hosts_free(s.cfg.hosts, s.cfg.host_count);
	mailer_hosts_parse("a;b;c", 5, 25, MAILER_TLS_AUTO, &s.cfg.hosts, &s.cfg.host_count, NULL);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(io.connects == 3 && err.stage == MAILER_STAGE_CONNECT);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A refusal that is not "not implemented": a 4xx to HELO after the EHLO fallback, a 454 to
 * STARTTLS. The session ends at that stage: no handshake, nothing more written. */
static void test_helo_and_starttls_refused(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "220 mx\r\n502 no EHLO\r\n451 try later\r\n221 bye\r\n", "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.stage == MAILER_STAGE_EHLO && err.code == 451 && !s.connected);
	CHECK(strncmp(mailer_buf_cstr(&io.written), "EHLO client.test\r\nHELO client.test\r\n", 36) ==
		  0);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 STARTTLS\r\n454 4.7.0 TLS not available\r\n221 bye\r\n",
		  "", "");
	s.cfg.hosts[0].tls = MAILER_TLS_STARTTLS;
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_STARTTLS);
	CHECK(err.code == 454);
	CHECK(io.tls_started == 0 && !s.connected);
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO client.test\r\nSTARTTLS\r\n");
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A 4xx to the end of data is a refusal, not an acceptance: the message was not taken. */
static void test_eod_refused(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n451 4.3.0 try later\r\n", "",
		  "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_PROTOCOL && err.stage == MAILER_STAGE_EOD && err.code == 451);
	CHECK_STR(err.enhanced, "4.3.0");
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A reused connection lost after the end of data: uncertain, and never sent again on a new one
 * (only a failure at MAIL, before anything was accepted, is retried). */
static void test_no_retry_after_mail(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io,
		  "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 first\r\n"
		  "250 ok\r\n250 ok\r\n354 go\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(send_text(&s, &env, "y", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_EOD);
	CHECK(io.connects == 1);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* With PIPELINING, DATA went out with the RCPTs: after its 354 the only way to abandon the
 * message is to drop the connection (an RSET would be read as message text). */
static void test_pipelined_refusal_after_354(void)
{
	static const char *const two[] = {"ok@x.org", "bad@x.org"};
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", two, 2, 0, 0, NULL, NULL, NULL};

	setup(&s, &io,
		  "220 mx\r\n250-mx\r\n250 PIPELINING\r\n250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n"
		  "354 go\r\n250 reset\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "secret text", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_RECIPIENT && err.rejected_count == 1);
	CHECK(!s.connected);
	CHECK(strstr(mailer_buf_cstr(&io.written), "RSET") == NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "secret text") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A 452 "too many recipients" to the first RCPT defers nothing: no recipient was accepted, so
 * it is a refusal like any other. */
static void test_too_many_at_first(void)
{
	static const char *const rcpts[] = {"a@x.org", "b@x.org", "c@x.org"};
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", rcpts, 3, 0, 0, NULL, NULL, NULL};

	setup(&s, &io,
		  "220 mx\r\n250 mx\r\n250 ok\r\n452 4.5.3 Too many recipients\r\n250 ok\r\n250 ok\r\n"
		  "250 reset\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_RECIPIENT && err.rejected_count == 1 && err.code == 452);
	CHECK(strstr(mailer_buf_cstr(&io.written), "DATA") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* BODY=8BITMIME only where the server offers 8BITMIME (RFC 6152). */
static const char *const utf8_rcpt[] = {"user@b\xc3\xbc"
										"cher.example"};

static void test_8bitmime(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", one_rcpt, 1, 1, 0, NULL, NULL, NULL};

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 8BITMIME\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "caf\xc3\xa9", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> BODY=8BITMIME\r\n") != NULL);
	teardown(&s, &io);

	/* not offered: 8-bit data is refused before MAIL (RFC 6152 leaves no other way) */
	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "", "");
	CHECK(send_text(&s, &env, "caf\xc3\xa9", &err) == MAILER_FAIL);
	CHECK(err.stage == MAILER_STAGE_MAIL && strstr(mailer_buf_cstr(&io.written), "MAIL") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);

	/* SMTPUTF8 without 8BITMIME (RFC 6531 implies it, a server may still not say it):
	 * the 8-bit message goes under SMTPUTF8, and BODY=8BITMIME, not offered, is not sent */
	env.rcpts = utf8_rcpt;
	setup(&s, &io, "220 mx\r\n250-mx\r\n250 SMTPUTF8\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n",
		  "", "");
	CHECK(send_text(&s, &env, "caf\xc3\xa9", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> SMTPUTF8\r\n") != NULL);
	teardown(&s, &io);
}

static const char *const three[] = {"a@x.org", "b@x.org", "c@x.org"};

/* PIPELINING: MAIL, every RCPT and DATA leave in one write; replies are matched in order. */
static void test_pipelined(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", three, 3, 0, 0, NULL, NULL, NULL};
	int writes_before;

	setup(
		&s, &io,
		"220 mx\r\n250-mx\r\n250 PIPELINING\r\n250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n",
		"", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	writes_before = io.writes;
	mailer_buf_reset(&io.written);
	CHECK(send_text(&s, &env, "x\r\n", &err) == MAILER_OK);
	/* one write for the envelope and DATA, one for the message and its dot */
	CHECK(io.writes - writes_before == 2);
	CHECK_STR(mailer_buf_cstr(&io.written),
			  "MAIL FROM:<f@x.org>\r\nRCPT TO:<a@x.org>\r\nRCPT TO:<b@x.org>\r\n"
			  "RCPT TO:<c@x.org>\r\nDATA\r\nx\r\n.\r\n");
	teardown(&s, &io);
}

/* 452 too many recipients: the rest go in a second transaction of the same send. */
static void test_too_many_recipients(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", three, 3, 0, 0, NULL, NULL, NULL};

	setup(
		&s, &io,
		"220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n452 4.5.3 Too many recipients\r\n452 4.5.3 Too many recipients\r\n"
		"354 go\r\n250 first\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n250 second\r\n",
		"", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&s.reply.text), "250 second");
	CHECK(strstr(mailer_buf_cstr(&io.written),
				 "DATA\r\nx\r\n.\r\nMAIL FROM:<f@x.org>\r\nRCPT TO:<b@x.org>\r\n"
				 "RCPT TO:<c@x.org>\r\nDATA\r\n") != NULL);
	/* results per recipient: the last word on each */
	CHECK(s.rcpt_count == 5 && s.rcpts[3].code == 250 && s.rcpts[4].code == 250);
	teardown(&s, &io);
}

/* partial: refused recipients no longer abort a transaction with accepted ones. */
static void test_partial(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", three, 3, 0, 0, NULL, NULL, NULL};

	setup(&s, &io,
		  "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n550 no\r\n250 ok\r\n354 go\r\n250 queued\r\n",
		  "", "");
	s.cfg.partial = 1;
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(s.rcpt_count == 3 && s.rcpts[1].code == 550);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* CHUNKING: one BDAT LAST of the measured size, no dot-stuffing; SIZE announced and enforced. */
static void test_bdat_and_size(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io,
		  "220 mx\r\n250-mx\r\n250-CHUNKING\r\n250 SIZE 1000\r\n250 ok\r\n250 ok\r\n250 done\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, ".a\nb", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> SIZE=7\r\n") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "BDAT 7 LAST\r\n.a\r\nb\r\n") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "DATA") == NULL);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 SIZE 5\r\n", "", "");
	CHECK(send_text(&s, &env, "123456789", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_PROTOCOL && strstr(err.message, "at most 5") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A source that reads differently when sent than its size said (a file appended to
 * or cut while it is sent). */
typedef struct changing_source {
	mailer_buf passes[2]; /* what the size counts, then what the sending pass reads */
	mailer_buf extra;     /* read in one piece after the sending pass's bytes */
	size_t pos;
	int calls; /* passes (rewinds) */
} changing_source;

static mailer_status changing_rewind(void *ctx, mailer_error *err)
{
	changing_source *c = ctx;

	(void)err;
	c->calls++;
	c->pos = 0;
	return MAILER_OK;
}

static long changing_read(void *ctx, char *buf, size_t cap, mailer_error *err)
{
	changing_source *c = ctx;
	const mailer_buf *b = &c->passes[1];
	size_t n;

	(void)err;
	if (c->pos >= b->len) {
		/* the extra span in one piece, as large as it is (none: the end) */
		n = c->extra.len - (c->pos - b->len);
		n = n < cap ? n : cap;
		if (n) {
			memcpy(buf, c->extra.data + (c->pos - b->len), n);
		}
	} else {
		/* in pieces, as a file is read */
		n = b->len - c->pos < 4096 ? b->len - c->pos : 4096;
		n = n < cap ? n : cap;
		memcpy(buf, b->data + c->pos, n);
	}
	c->pos += n;
	return (long)n;
}

static long long changing_size(void *ctx)
{
	return (long long)((changing_source *)ctx)->passes[0].len;
}

static const mailer_producer_ops changing_ops = {changing_rewind, changing_read, changing_size,
												 NULL};

/* The octets the fake server got after "BDAT n LAST\r\n", or -1 without such a line. */
static long bdat_octets_written(const fake_io *io)
{
	const char *w = mailer_buf_cstr(&io->written), *p = strstr(w, " LAST\r\n");

	return p ? (long)(io->written.len - (size_t)(p + 7 - w)) : -1;
}

/* BDAT: the server ends the message after the announced octets, so a source that grew
 * between measuring and sending must never get past them (the server would take the
 * first n octets as the whole message), and one that shrank must not end the chunk. */
static void test_bdat_source_changes(void)
{
	static const char *const script =
		"220 mx\r\n250-mx\r\n250 CHUNKING\r\n250 ok\r\n250 ok\r\n250 queued\r\n";
	mailer_envelope env = {"f@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};
	changing_source src;
	mailer_producer changing = {&changing_ops, &src};
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	size_t size, i;
	int grow;

	/* grow 0: shrank; 1: grew by a span smaller than the output buffer; 2: by one larger,
	 * which would be flushed to the wire if the size limit let any of it through */
	for (grow = 0; grow < 3; grow++) {
		mailer_buf_init(&src.passes[0]);
		mailer_buf_init(&src.passes[1]);
		mailer_buf_init(&src.extra);
		src.calls = 0;
		/* 5 x 16 KiB: the CRLF writer passes its last full buffer on as one span
		 * that ends at exactly the announced size */
		for (i = 0; i < 1024; i++) {
			mailer_buf_appends(
				&src.passes[0],
				"012345678901234567890123456789012345678901234567890123456789012345678901234567\r\n");
		}
		mailer_buf_append(&src.passes[1], src.passes[0].data, src.passes[0].len);
		size = src.passes[0].len;
		if (grow) {
			/* one large span after exactly the announced size: it reaches the sink
			 * apart from what precedes it, so only the held-back octet stops the chunk */
			for (i = 0; i < (grow == 2 ? 100000 : 20000); i++) {
				mailer_buf_appendc(&src.extra, 'X');
			}
			mailer_buf_appends(&src.extra, "\r\n");
		} else {
			src.passes[1].len -= 3;
		}
		setup(&s, &io, script, "", "");
		mailer_error_init(&err);
		CHECK(mailer_smtp_send(&s, &env, &changing, &err) == MAILER_FAIL);
		CHECK(src.calls == 1);
		CHECK(err.kind == MAILER_ERR_PROTOCOL && err.stage == MAILER_STAGE_DATA && !s.connected);
		CHECK(strstr(err.message, grow ? "the message grew while it was sent"
									   : "the message shrank while it was sent") != NULL);
		CHECK(strstr(err.message, "not delivered") != NULL);
		/* the chunk never completed: the server discards it when the connection drops */
		CHECK(bdat_octets_written(&io) >= 0 && bdat_octets_written(&io) < (long)size);
		CHECK(bdat_octets_written(&io) > 60000);
		mailer_error_clear(&err);
		teardown(&s, &io);

		/* unchanged: every octet goes, the held-back last one included */
		mailer_buf_reset(&src.extra);
		mailer_buf_reset(&src.passes[1]);
		mailer_buf_append(&src.passes[1], src.passes[0].data, src.passes[0].len);
		src.calls = 0;
		setup(&s, &io, script, "", "");
		CHECK(mailer_smtp_send(&s, &env, &changing, &err) == MAILER_OK);
		CHECK(bdat_octets_written(&io) == (long)size);
		teardown(&s, &io);
		mailer_buf_free(&src.passes[0]);
		mailer_buf_free(&src.passes[1]);
		mailer_buf_free(&src.extra);
	}
}

/* SIZE is the largest message the server takes (RFC 1870): one of exactly that size is sent, one
 * octet more is refused before MAIL. */
static void test_size_at_limit(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	/* ".a\nb" is 7 octets as sent before dot-stuffing (".a\r\nb\r\n") */
	setup(&s, &io,
		  "220 mx\r\n250-mx\r\n250-CHUNKING\r\n250 SIZE 7\r\n250 ok\r\n250 ok\r\n250 done\r\n", "",
		  "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, ".a\nb", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> SIZE=7\r\n") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "BDAT 7 LAST\r\n") != NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250-mx\r\n250-CHUNKING\r\n250 SIZE 6\r\n", "", "");
	CHECK(send_text(&s, &env, ".a\nb", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_PROTOCOL && strstr(err.message, "at most 6") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* DSN parameters when offered; SMTPUTF8 or A-labels for internationalised addresses. */
static void test_dsn_and_utf8(void)
{
	static const char *const idn[] = {"user@bücher.example"};
	static const char *const utf8_local[] = {"jösé@example.org"};
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", one_rcpt, 1, 0, 0, "SUCCESS,FAILURE", "HDRS", "id+1=2"};

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 DSN\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "",
		  "");
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written),
				 "MAIL FROM:<f@x.org> RET=HDRS ENVID=id+2B1+3D2\r\n") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written),
				 "RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net\r\n") !=
		  NULL);
	teardown(&s, &io);

	env.dsn_notify = env.dsn_ret = env.dsn_envid = NULL;
	env.rcpts = idn;
	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "", "");
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "RCPT TO:<user@xn--bcher-kva.example>\r\n") != NULL);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 SMTPUTF8\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n",
		  "", "");
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written),
				 "MAIL FROM:<f@x.org> SMTPUTF8\r\nRCPT TO:<user@bücher.example>\r\n") != NULL);
	teardown(&s, &io);

	/* RFC 6533: with SMTPUTF8 the original recipient goes as UTF-8, "+" and "=" as \x{HH} */
	{
		static const char *const plus[] = {"jö+sé@example.org"};
		env.rcpts = plus;
		env.dsn_notify = "FAILURE";
		setup(
			&s, &io,
			"220 mx\r\n250-mx\r\n250-DSN\r\n250 SMTPUTF8\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n",
			"", "");
		CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
		CHECK(
			strstr(
				mailer_buf_cstr(&io.written),
				"RCPT TO:<jö+sé@example.org> NOTIFY=FAILURE ORCPT=utf-8;jö\\x{2B}sé@example.org\r\n") !=
			NULL);
		teardown(&s, &io);
		env.dsn_notify = NULL;
	}

	/* without SMTPUTF8: an IDN recipient's ORCPT is its ASCII (A-label) form */
	env.rcpts = idn;
	env.dsn_notify = "NEVER";
	setup(&s, &io, "220 mx\r\n250-mx\r\n250 DSN\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "",
		  "");
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(
		strstr(
			mailer_buf_cstr(&io.written),
			"RCPT TO:<user@xn--bcher-kva.example> NOTIFY=NEVER ORCPT=rfc822;user@xn--bcher-kva.example\r\n") !=
		NULL);
	teardown(&s, &io);
	env.dsn_notify = NULL;

	env.rcpts = utf8_local;
	setup(&s, &io, "220 mx\r\n250 mx\r\n", "", "");
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(strstr(err.message, "needs SMTPUTF8") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* The caller abandons the session (MAILER_IO_ABORTED) on a write: the session
 * stops there, closed, with no other I/O (no RSET, no QUIT), no reply kept. */
static void test_abort_on_write(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	/* writes: 1 EHLO, 2 MAIL, 3 RCPT, 4 DATA, 5 the message */
	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n", "", "");
	io.abort_write_at = 5;
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_ABORTED && err.stage == MAILER_STAGE_DATA);
	CHECK(io.aborted && io.calls_after_abort == 0);
	CHECK(io.connects == 1 && io.closes == 1 && !s.connected);
	CHECK(strstr(mailer_buf_cstr(&io.written), "\r\n.\r\n") == NULL);
	/* nothing of the abandoned transaction stands for a delivery */
	CHECK(s.reply.lines == 0 && s.rcpt_count == 0);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* Abandoned while reading a reply (at the greeting): no failover to the next host. */
static void test_abort_on_read_no_failover(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "220 mx\r\n250 mx\r\n", "", "");
	mailer_hosts_free(s.cfg.hosts, s.cfg.host_count);
	mailer_hosts_parse("a;b", 3, 25, MAILER_TLS_AUTO, &s.cfg.hosts, &s.cfg.host_count, NULL);
	io.abort_read_at = 1;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_ABORTED && err.stage == MAILER_STAGE_GREETING);
	CHECK(io.connects == 1 && io.calls_after_abort == 0 && io.writes == 0 && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* Abandoned in connect() or in the TLS handshake: no retry, no other host. */
static void test_abort_on_connect_and_tls(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "", "", "");
	mailer_hosts_free(s.cfg.hosts, s.cfg.host_count);
	mailer_hosts_parse("a;b", 3, 25, MAILER_TLS_AUTO, &s.cfg.hosts, &s.cfg.host_count, NULL);
	io.abort_connect = 1;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_ABORTED && err.stage == MAILER_STAGE_CONNECT && io.connects == 1);
	CHECK(io.calls_after_abort == 0);
	mailer_error_clear(&err);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go ahead\r\n", "", "");
	mailer_hosts_free(s.cfg.hosts, s.cfg.host_count);
	mailer_hosts_parse("a;b", 3, 25, MAILER_TLS_AUTO, &s.cfg.hosts, &s.cfg.host_count, NULL);
	io.abort_tls = 1;
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_ABORTED && err.stage == MAILER_STAGE_STARTTLS);
	CHECK(io.connects == 1 && io.calls_after_abort == 0 && io.closes == 1 && !s.connected);
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO client.test\r\nSTARTTLS\r\n");
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A reused connection abandoned at MAIL is not taken for a stale one: no reconnect. */
static void test_abort_not_retried(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io, "220 mx\r\n250 mx\r\n", "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	io.abort_write_at = io.writes + 1;
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_ABORTED && err.stage == MAILER_STAGE_MAIL);
	CHECK(io.connects == 1 && io.calls_after_abort == 0 && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* The message's source says the caller abandons the send (MAILER_ERR_ABORTED)
 * mid-data: the connection goes without another byte, and the reply of an earlier
 * send is not kept. (Its size is computed, not measured by a pass that could
 * abandon before MAIL.) */
typedef struct abandoned_source {
	int passes; /* the pass that abandons */
	int sent;   /* what this pass gave */
} abandoned_source;

static mailer_status abandoned_rewind(void *ctx, mailer_error *err)
{
	(void)err;
	((abandoned_source *)ctx)->passes--;
	((abandoned_source *)ctx)->sent = 0;
	return MAILER_OK;
}

/* A pass that does not abandon gives "x\r\n"; the one that does, "partial", then fails. */
static long abandoned_read(void *ctx, char *buf, size_t cap, mailer_error *err)
{
	abandoned_source *a = ctx;
	const char *piece = a->passes > 0 ? "x\r\n" : "partial";

	if (!a->sent && cap >= strlen(piece)) {
		memcpy(buf, piece, strlen(piece));
		a->sent = 1;
		return (long)strlen(piece);
	}
	if (a->passes > 0) {
		return 0;
	}
	mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_NONE, "the caller gave up");
	return -1;
}

static long long abandoned_size(void *ctx)
{
	(void)ctx;
	return 10;
}

static const mailer_producer_ops abandoned_ops = {abandoned_rewind, abandoned_read, abandoned_size,
												  NULL};

static void test_abort_in_source(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};
	abandoned_source src;
	mailer_producer abandoned = {&abandoned_ops, &src};
	int size;
	size_t before;

	for (size = 0; size < 2; size++) {
		/* without SIZE after a send that was kept; with SIZE (computed, not measured) */
		static const char *const scripts[] = {
			"220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n"
			"250 ok\r\n250 ok\r\n354 go\r\n",
			"220 mx\r\n250-mx\r\n250 SIZE 1000\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n",
		};
		setup(&s, &io, scripts[size], "", "");
		mailer_error_init(&err);
		if (!size) {
			CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
			CHECK(s.reply.lines == 1 && s.rcpt_count == 1);
		}
		src.passes = 1; /* the first pass abandons */
		before = io.written.len;
		CHECK(mailer_smtp_send(&s, &env, &abandoned, &err) == MAILER_FAIL);
		CHECK(err.kind == MAILER_ERR_ABORTED && err.stage == MAILER_STAGE_DATA);
		CHECK(!s.connected && io.closes == 1 && s.reply.lines == 0 && s.rcpt_count == 0);
		CHECK(strstr(mailer_buf_cstr(&io.written) + before, size ? "SIZE=10" : "MAIL") != NULL);
		/* the end of data never left, nor what the pass gave before it failed */
		CHECK(strstr(mailer_buf_cstr(&io.written) + before, "partial") == NULL);
		CHECK(strstr(mailer_buf_cstr(&io.written) + before, "\r\n.\r\n") == NULL);
		mailer_error_clear(&err);
		teardown(&s, &io);
	}
}

typedef struct eod_probe {
	fake_io *io;
	int writes_at_message_line; /* io writes done when "C: [message" was said; -1: never */
	size_t written_at_message_line;
} eod_probe;

static void probe_debug(void *ctx, const char *line, size_t len)
{
	eod_probe *p = ctx;

	if (len > 11 && memcmp(line, "C: [message", 11) == 0) {
		p->writes_at_message_line = p->io->writes;
		p->written_at_message_line = p->io->written.len;
	}
}

/* The debug line about the message comes before its end leaves, so that the
 * code it runs can still abandon the message; with BDAT too, even when the
 * message went out in one large direct write. */
static void test_message_line_before_end(void)
{
	static char big[100000]; /* more than the output buffer holds: written directly */
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};
	eod_probe probe;
	int bdat;

	/* one line that ends the message with its CRLF: a single large span */
	memset(big, 'a', sizeof(big) - 3);
	memcpy(big + sizeof(big) - 3, "\r\n", 3);
	for (bdat = 0; bdat < 2; bdat++) {
		setup(&s, &io,
			  bdat ? "220 mx\r\n250-mx\r\n250 CHUNKING\r\n250 ok\r\n250 ok\r\n250 queued\r\n"
				   : "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n",
			  "", "");
		probe.io = &io;
		probe.writes_at_message_line = -1;
		s.debug = probe_debug;
		s.debug_ctx = &probe;
		mailer_error_init(&err);
		CHECK(send_text(&s, &env, big, &err) == MAILER_OK);
		/* what had left by then was not the whole message: its end (the
		 * dot line, or BDAT's last octet) was still held back */
		CHECK(probe.writes_at_message_line >= 0);
		CHECK(probe.written_at_message_line <= io.written.len - (bdat ? 1 : 3));
		teardown(&s, &io);
	}
}

/* busy(1) goes out before the first byte of an exchange, busy(0) only once
 * every reply is in and no transaction is open: a persistent session that
 * stops in between is never resumed. */
static void test_busy_reports(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n", "", "");
	s.io = &hooked_ops;
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	/* connect: EHLO, idle once established; MAIL, RCPT, DATA, the message: idle after its reply */
	CHECK_STR(mailer_buf_cstr(&io.events), "OBWIBWWWWI");
	/* QUIT answered: the session ends clean (not busy when closed) */
	io.script = "221 bye\r\n";
	io.pos = 0;
	mailer_smtp_quit(&s);
	CHECK_STR(mailer_buf_cstr(&io.events), "OBWIBWWWWIBWIC");
	CHECK(io.busy_at_close == 0);
	teardown(&s, &io);

	/* a refused recipient: RSET, and only its 250 makes the session clean */
	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n550 5.1.1 no\r\n250 reset\r\n", "", "");
	s.io = &hooked_ops;
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_RECIPIENT && s.connected);
	CHECK_STR(mailer_buf_cstr(&io.events), "OBWIBWWWI");
	mailer_error_clear(&err);
	teardown(&s, &io);

	/* the connection drops while the end of data waits for its reply: closed busy */
	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n", "", "");
	s.io = &hooked_ops;
	CHECK(send_text(&s, &env, "x", &err) == MAILER_FAIL);
	CHECK(err.stage == MAILER_STAGE_EOD && io.busy_at_close == 1 && !s.busy);
	CHECK_STR(mailer_buf_cstr(&io.events), "OBWIBWWWWC");
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* After fork(): the inherited connection is closed without a byte written
 * (no RSET, no QUIT) and the next send opens one of its own. */
static void test_inherited_connection(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io,
		  "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued 1\r\n"
		  "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued 2\r\n",
		  "", "");
	s.io = &hooked_ops;
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	s.in_transaction = 1; /* even one the parent left mid-transaction gets no RSET from here */
	io.foreign = 1;
	mailer_buf_reset(&io.events);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&s.reply.text), "250 queued 2");
	CHECK_STR(mailer_buf_cstr(&io.events), "COBWIBWWWWI");
	CHECK(io.connects == 2);

	/* QUIT (from close() or a destructor) does not reach the parent's session either */
	io.foreign = 1;
	mailer_buf_reset(&io.events);
	mailer_smtp_quit(&s);
	CHECK_STR(mailer_buf_cstr(&io.events), "C");
	CHECK(!s.connected);
	teardown(&s, &io);
}

/* Whether the memory at data (cap bytes) holds text. */
static int holds(const char *data, size_t cap, const char *text)
{
	size_t i, n = strlen(text);

	for (i = 0; data && i + n <= cap; i++) {
		if (memcmp(data + i, text, n) == 0) {
			return 1;
		}
	}
	return 0;
}

/* The set-up driven by hand, step by step, in one-byte mode: each step says what it
 * waits for (never waiting itself, AUTH included), the set-up ends READY with the transcript of a
 * blocking run; a deadline passed while it waited for a reply ends it with the error a
 * blocking run gives. */
static void test_step_by_step(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_smtp_want w;
	int reads = 0, writes = 0, steps = 0;

	setup(&s, &io,
		  "220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go\r\n250-mx\r\n250 AUTH LOGIN\r\n334 "
		  "VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 ok\r\n",
		  "u", "p");
	io.drip = 1;
	mailer_error_init(&err);
	CHECK(mailer_smtp_begin_host(&s, &s.cfg.hosts[0], &err) == MAILER_OK);
	CHECK(s.state == MAILER_SMTP_GREETING);
	while ((w = mailer_smtp_step(&s, MAILER_SMTP_GO, &err)) == MAILER_SMTP_WANT_READ ||
		   w == MAILER_SMTP_WANT_WRITE) {
		reads += w == MAILER_SMTP_WANT_READ;
		writes += w == MAILER_SMTP_WANT_WRITE;
		CHECK(s.deadline > 0);
		if (++steps > 10000) {
			break;
		}
	}
	CHECK(w == MAILER_SMTP_DONE && s.state == MAILER_SMTP_READY && s.tls_active);
	CHECK(reads > 0 && writes > 0 && io.tls_started == 1 && io.waits == 0);
	CHECK_STR(mailer_buf_cstr(&io.written),
			  "EHLO client.test\r\nSTARTTLS\r\nEHLO client.test\r\nAUTH LOGIN\r\ndQ==\r\ncA==\r\n");
	/* the password's response left the output queue wiped, not just emptied */
	CHECK(!holds(s.out.data, s.out.cap, "A==\r\n")); /* (a reset zeroes the first byte) */
	teardown(&s, &io);

	/* the deadline passes while EHLO's reply is awaited */
	setup(&s, &io, "220 mx\r\n", "", "");
	io.eof_at_end = 0;
	CHECK(mailer_smtp_begin_host(&s, &s.cfg.hosts[0], &err) == MAILER_OK);
	steps = 0;
	while ((w = mailer_smtp_step(&s, MAILER_SMTP_GO, &err)) != MAILER_SMTP_WANT_READ ||
		   s.state != MAILER_SMTP_EHLO) {
		if (++steps > 100 || w == MAILER_SMTP_FAILED || w == MAILER_SMTP_DONE) {
			break;
		}
	}
	CHECK(w == MAILER_SMTP_WANT_READ && s.state == MAILER_SMTP_EHLO);
	CHECK(mailer_smtp_step(&s, MAILER_SMTP_TIMEOUT, &err) == MAILER_SMTP_FAILED);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_EHLO && !s.connected);
	CHECK_STR(err.message ? err.message : "", "timed out after 5 seconds waiting for the server");
	CHECK_STR(err.command ? err.command : "", "EHLO client.test");
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A kept session is probed with RSET when taken up: any reply but 250 (here
 * a 500 from a server that is not where we left it) means a new connection,
 * never MAIL on that one. */
static void test_resumed_session_probe_refused(void)
{
	static const mailer_io resume_ops = {
		.connect = fake_connect,
		.read_some = fake_read_some,
		.write_some = fake_write_some,
		.tls_step = fake_tls_step,
		.descriptor = fake_descriptor,
		.wait = fake_wait,
		.close = fake_close,
		.resume = fake_resume,
		.pending = fake_pending,
	};
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@x.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};
	static const char want[] = "RSET\r\nEHLO client.test\r\nMAIL FROM:<a@x.org>\r\n";

	setup(&s, &io,
		  "500 5.5.1 what?\r\n"
		  "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n",
		  "", "");
	s.io = &resume_ops;
	io.resume_next = 1;
	mailer_error_init(&err);
	CHECK(send_text(&s, &env, "x", &err) == MAILER_OK);
	CHECK(io.connects == 2 && io.closes == 1);
	CHECK(strncmp(mailer_buf_cstr(&io.written), want, sizeof(want) - 1) == 0);
	CHECK_STR(mailer_buf_cstr(&s.reply.text), "250 queued");
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* RFC 5321 §4.3.2: a greeting is 220 (or 554); another 2xx is not a server
 * ready to serve: refused at the greeting, before EHLO, and the next host is tried. */
static void test_greeting_not_220(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "250 mx ready\r\n221 bye\r\n", "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_GREETING);
	CHECK(err.code == 250 && !s.connected);
	CHECK(strstr(mailer_buf_cstr(&io.written), "EHLO") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

static void use_hosts(mailer_smtp *s, const char *list, mailer_tls_mode tls)
{
	mailer_hosts_free(s->cfg.hosts, s->cfg.host_count);
	mailer_hosts_parse(list, strlen(list), 25, tls, &s->cfg.hosts, &s->cfg.host_count, NULL);
}

/* The TCP connection as a state: CONNECTING waits for writability (the connection's
 * completion) with the timeout as its deadline, then the greeting; the blocking
 * connect is not used. */
static void test_connect_in_steps(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_smtp_want w;
	double before;

	setup(&s, &io, "220 mx\r\n250 hi\r\n", "", "");
	s.io = &stepped_ops;
	io.finish_after = 2;
	mailer_error_init(&err);
	before = mailer_monotonic_seconds();
	CHECK(mailer_smtp_begin_host(&s, &s.cfg.hosts[0], &err) == MAILER_OK);
	CHECK(s.state == MAILER_SMTP_CONNECTING && s.connected);
	CHECK(s.deadline >= before + 4.9 && s.deadline <= mailer_monotonic_seconds() + 5.1);
	w = mailer_smtp_step(&s, MAILER_SMTP_GO, &err);
	CHECK(w == MAILER_SMTP_WANT_WRITE && s.state == MAILER_SMTP_CONNECTING);
	CHECK(io.pos == 0 && io.written.len == 0); /* not a byte before the connection is made */
	w = mailer_smtp_step(&s, MAILER_SMTP_GO, &err);
	CHECK(w == MAILER_SMTP_WANT_WRITE && s.state == MAILER_SMTP_CONNECTING);
	CHECK(mailer_smtp_run(&s, &err) == MAILER_OK);
	CHECK(s.state == MAILER_SMTP_READY && !s.tls_active);
	CHECK(io.starts == 1 && io.connects == 0 && io.finishes == 3);
	CHECK_STR(mailer_buf_cstr(&io.events), "SFW");
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO client.test\r\n");
	teardown(&s, &io);
}

/* A connection that fails (the socket's error) fails over to the next host, as a
 * blocking connect's failure does; every host failing is a connection error at stage
 * connect with the socket's words. */
static void test_connect_in_steps_fails_over(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "220 mx\r\n250 hi\r\n", "", "");
	s.io = &stepped_ops;
	io.finish_after = 1;
	io.refused = "a";
	use_hosts(&s, "a;b", MAILER_TLS_AUTO);
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	CHECK(s.host == &s.cfg.hosts[1] && s.state == MAILER_SMTP_READY);
	CHECK(io.starts == 2 && strcmp(io.connecting_to, "b") == 0);
	CHECK_STR(mailer_buf_cstr(&io.events), "SCSFW"); /* a closed at once, b used */
	teardown(&s, &io);

	setup(&s, &io, "", "", "");
	s.io = &stepped_ops;
	io.refused = "a";
	use_hosts(&s, "a", MAILER_TLS_AUTO);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_CONNECT);
	CHECK_STR(err.message, "could not connect to a:25: Connection refused");
	CHECK(!s.connected && io.closes == 1 && io.written.len == 0);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* A connection that never completes ends at the timeout, as PHP says it. */
static void test_connect_in_steps_times_out(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "220 mx\r\n250 hi\r\n", "", "");
	s.io = &stepped_ops;
	io.connect_hangs = 1;
	io.finish_after = 1;
	use_hosts(&s, "a;b", MAILER_TLS_AUTO);
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_CONNECT);
	CHECK_STR(err.message, "could not connect to b:25: Connection timed out");
	CHECK(io.starts == 2 && io.closes == 2 && io.pos == 0);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* Implicit TLS: its handshake runs as a state once connected, before the greeting;
 * failing, it is a failure at stage connect, as with the blocking connect. */
static void test_connect_in_steps_implicit_tls(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	setup(&s, &io, "220 mx\r\n250 hi\r\n", "", "");
	s.io = &stepped_ops;
	io.finish_after = 1;
	use_hosts(&s, "mx", MAILER_TLS_SMTPS);
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	CHECK(s.tls_active && io.tls_started == 1 && io.tls_before_greeting);
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO client.test\r\n");
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250 hi\r\n", "", "");
	s.io = &stepped_ops;
	io.abort_tls = 1;
	use_hosts(&s, "mx", MAILER_TLS_SMTPS);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_ABORTED && err.stage == MAILER_STAGE_CONNECT);
	CHECK(io.pos == 0 && io.written.len == 0);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

int main(void)
{
	for (drip = 0; drip < 2; drip++) {
		RUN(test_busy_reports());
		RUN(test_inherited_connection());
		RUN(test_pipelined());
		RUN(test_too_many_recipients());
		RUN(test_partial());
		RUN(test_bdat_and_size());
		RUN(test_bdat_source_changes());
		RUN(test_dsn_and_utf8());
		RUN(test_plain_send(0));
		RUN(test_plain_send(1));
		RUN(test_plain_send(7));
		RUN(test_starttls_and_auth());
		RUN(test_starttls_slow_hello());
		RUN(test_poll_answer_beats_deadline());
		RUN(test_starttls_injection());
		RUN(test_starttls_injection_below());
		RUN(test_rcpt_all_or_nothing());
		RUN(test_eod_lost());
		RUN(test_eod_reply_as_state());
		RUN(test_mail_4xx_on_used_connection());
		RUN(test_timeout_and_garbage());
		RUN(test_write_timeout());
		RUN(test_ehlo_fallback_and_failover());
		RUN(test_abort_on_write());
		RUN(test_abort_on_read_no_failover());
		RUN(test_abort_on_connect_and_tls());
		RUN(test_abort_not_retried());
		RUN(test_abort_in_source());
		RUN(test_message_line_before_end());
		RUN(test_size_at_limit());
		RUN(test_helo_and_starttls_refused());
		RUN(test_eod_refused());
		RUN(test_no_retry_after_mail());
		RUN(test_pipelined_refusal_after_354());
		RUN(test_too_many_at_first());
		RUN(test_8bitmime());
		RUN(test_greeting_not_220());
		RUN(test_resumed_session_probe_refused());
		RUN(test_connect_in_steps());
		RUN(test_connect_in_steps_fails_over());
		RUN(test_connect_in_steps_times_out());
		RUN(test_connect_in_steps_implicit_tls());
	}
	RUN(test_step_by_step());
	UNIT_DONE();
}
