/* The SMTP session over a fake mailer_io: the server's bytes are scripted,
 * the client's are recorded, so the state machine is tested without sockets. */
#include "unit.h"
#include "alloc.h"
#include "smtp.h"

typedef struct fake_io {
	const char *script; /* everything the server will send */
	size_t pos;
	size_t chunk;       /* bytes per read: 1 tests reassembly of split lines */
	int eof_at_end;     /* 1: EOF when the script is used up; 0: a timeout */
	int greedy;         /* 0: a read stops at a line end, as a server answers one command at a time */
	mailer_buf written;
	int writes;
	int connects;
	int tls_started;
	int fail_connect;
} fake_io;

static int fake_connect(void *ctx, const char *host, int port, int implicit_tls, double timeout, mailer_error *err)
{
	fake_io *io = ctx;

	(void)host, (void)port, (void)implicit_tls, (void)timeout;
	io->connects++;
	if (io->fail_connect) {
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT, "refused");
	}
	return 0;
}

static long fake_read(void *ctx, char *buf, size_t len, double timeout)
{
	fake_io *io = ctx;
	size_t left = strlen(io->script) - io->pos, n;

	(void)timeout;
	if (left == 0) {
		return io->eof_at_end ? MAILER_IO_EOF : MAILER_IO_TIMEOUT;
	}
	n = left < len ? left : len;
	if (io->chunk && n > io->chunk) {
		n = io->chunk;
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

static int fake_write(void *ctx, const char *data, size_t len)
{
	mailer_buf_append(&((fake_io *)ctx)->written, data, len);
	((fake_io *)ctx)->writes++;
	return 0;
}

static int fake_start_tls(void *ctx, double timeout, mailer_error *err)
{
	(void)timeout, (void)err;
	((fake_io *)ctx)->tls_started++;
	return 0;
}

static void fake_close(void *ctx)
{
	(void)ctx;
}

static const mailer_io fake_ops = {fake_connect, fake_read, fake_write, fake_start_tls, fake_close, NULL, NULL};

static void setup(mailer_smtp *s, fake_io *io, const char *script, const char *user, const char *pass)
{
	memset(io, 0, sizeof(*io));
	io->script = script;
	io->eof_at_end = 1;
	mailer_buf_init(&io->written);
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
}

static int emit_text(void *ctx, const mailer_sink *sink, mailer_error *err)
{
	(void)err;
	return mailer_sink_write(sink, ctx, strlen(ctx)) == 0 ? MAILER_OK : MAILER_FAIL;
}

static const char *const one_rcpt[] = {"b@example.net"};

static void test_plain_send(size_t chunk)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"a@example.org", one_rcpt, 1, 0, 0, NULL, NULL, NULL};

	setup(&s, &io,
		  "220 mx ESMTP\r\n250-mx\r\n250-SIZE 100\r\n250 8BITMIME\r\n250 2.1.0 ok\r\n250 2.1.5 ok\r\n"
		  "354 go\r\n250 2.0.0 queued as X1\r\n221 bye\r\n",
		  "", "");
	io.chunk = chunk;
	mailer_error_init(&err);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"Subject: x\n\n.hi\n", &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&s.reply.text), "250 2.0.0 queued as X1");
	CHECK(s.rcpt_count == 1 && s.rcpts[0].code == 250);
	mailer_smtp_quit(&s);
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO client.test\r\nMAIL FROM:<a@example.org> SIZE=19\r\nRCPT TO:<b@example.net>\r\n"
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
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO client.test\r\nSTARTTLS\r\nEHLO client.test\r\nAUTH PLAIN AHUAcA==\r\n");
	teardown(&s, &io);
}

static void test_starttls_injection(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;

	/* a reply pipelined behind the 220 would be read as if it came through TLS */
	setup(&s, &io, "220 mx\r\n250-mx\r\n250 STARTTLS\r\n220 go ahead\r\n250 injected\r\n", "", "");
	io.greedy = 1;
	mailer_error_init(&err);
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

	setup(&s, &io,
		  "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n450 4.2.1 busy\r\n250 reset\r\n", "",
		  "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_FAIL);
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
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_CONNECTION && err.stage == MAILER_STAGE_EOD);
	CHECK(strstr(err.message, "delivery is uncertain") != NULL);
	CHECK(io.connects == 1 && !s.connected);
	mailer_error_clear(&err);
	teardown(&s, &io);
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
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_FAIL);
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
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_OK);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"y", &err) == MAILER_FAIL);
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
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"secret text", &err) == MAILER_FAIL);
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
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_RECIPIENT && err.rejected_count == 1 && err.code == 452);
	CHECK(strstr(mailer_buf_cstr(&io.written), "DATA") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* BODY=8BITMIME only where the server offers 8BITMIME (RFC 6152). */
static void test_8bitmime(void)
{
	mailer_smtp s;
	fake_io io;
	mailer_error err;
	mailer_envelope env = {"f@x.org", one_rcpt, 1, 1, 0, NULL, NULL, NULL};

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 8BITMIME\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"caf\xc3\xa9", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> BODY=8BITMIME\r\n") != NULL);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "", "");
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"caf\xc3\xa9", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org>\r\n") != NULL);
	mailer_error_clear(&err);
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

	setup(&s, &io,
		  "220 mx\r\n250-mx\r\n250 PIPELINING\r\n250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	writes_before = io.writes;
	mailer_buf_reset(&io.written);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x\r\n", &err) == MAILER_OK);
	/* one write for the envelope and DATA, one for the message and its dot */
	CHECK(io.writes - writes_before == 2);
	CHECK_STR(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org>\r\nRCPT TO:<a@x.org>\r\nRCPT TO:<b@x.org>\r\n"
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

	setup(&s, &io,
		  "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n452 4.5.3 Too many recipients\r\n452 4.5.3 Too many recipients\r\n"
		  "354 go\r\n250 first\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n250 second\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&s.reply.text), "250 second");
	CHECK(strstr(mailer_buf_cstr(&io.written), "DATA\r\nx\r\n.\r\nMAIL FROM:<f@x.org>\r\nRCPT TO:<b@x.org>\r\n"
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

	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n550 no\r\n250 ok\r\n354 go\r\n250 queued\r\n", "", "");
	s.cfg.partial = 1;
	mailer_error_init(&err);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_OK);
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

	setup(&s, &io, "220 mx\r\n250-mx\r\n250-CHUNKING\r\n250 SIZE 1000\r\n250 ok\r\n250 ok\r\n250 done\r\n", "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)".a\nb", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> SIZE=7\r\n") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "BDAT 7 LAST\r\n.a\r\nb\r\n") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "DATA") == NULL);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 SIZE 5\r\n", "", "");
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"123456789", &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_PROTOCOL && strstr(err.message, "at most 5") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
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
		  "220 mx\r\n250-mx\r\n250-CHUNKING\r\n250 SIZE 7\r\n250 ok\r\n250 ok\r\n250 done\r\n",
		  "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)".a\nb", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> SIZE=7\r\n") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "BDAT 7 LAST\r\n") != NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250-mx\r\n250-CHUNKING\r\n250 SIZE 6\r\n", "", "");
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)".a\nb", &err) == MAILER_FAIL);
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

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 DSN\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "", "");
	mailer_error_init(&err);
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> RET=HDRS ENVID=id+2B1+3D2\r\n") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written),
				 "RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net\r\n") != NULL);
	teardown(&s, &io);

	env.dsn_notify = env.dsn_ret = env.dsn_envid = NULL;
	env.rcpts = idn;
	setup(&s, &io, "220 mx\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "", "");
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "RCPT TO:<user@xn--bcher-kva.example>\r\n") != NULL);
	teardown(&s, &io);

	setup(&s, &io, "220 mx\r\n250-mx\r\n250 SMTPUTF8\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "", "");
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL FROM:<f@x.org> SMTPUTF8\r\nRCPT TO:<user@bücher.example>\r\n") !=
		  NULL);
	teardown(&s, &io);

	/* RFC 6533: with SMTPUTF8 the original recipient goes as UTF-8, "+" and "=" as \x{HH} */
	{
		static const char *const plus[] = {"jö+sé@example.org"};
		env.rcpts = plus;
		env.dsn_notify = "FAILURE";
		setup(&s, &io, "220 mx\r\n250-mx\r\n250-DSN\r\n250 SMTPUTF8\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "",
			  "");
		CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_OK);
		CHECK(strstr(mailer_buf_cstr(&io.written),
					 "RCPT TO:<jö+sé@example.org> NOTIFY=FAILURE ORCPT=utf-8;jö\\x{2B}sé@example.org\r\n") != NULL);
		teardown(&s, &io);
		env.dsn_notify = NULL;
	}

	/* without SMTPUTF8: an IDN recipient's ORCPT is its ASCII (A-label) form */
	env.rcpts = idn;
	env.dsn_notify = "NEVER";
	setup(&s, &io, "220 mx\r\n250-mx\r\n250 DSN\r\n250 ok\r\n250 ok\r\n354 go\r\n250 done\r\n", "", "");
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_OK);
	CHECK(strstr(mailer_buf_cstr(&io.written),
				 "RCPT TO:<user@xn--bcher-kva.example> NOTIFY=NEVER ORCPT=rfc822;user@xn--bcher-kva.example\r\n") != NULL);
	teardown(&s, &io);
	env.dsn_notify = NULL;

	env.rcpts = utf8_local;
	setup(&s, &io, "220 mx\r\n250 mx\r\n", "", "");
	CHECK(mailer_smtp_send(&s, &env, emit_text, (void *)"x", &err) == MAILER_FAIL);
	CHECK(strstr(err.message, "needs SMTPUTF8") != NULL);
	CHECK(strstr(mailer_buf_cstr(&io.written), "MAIL") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

int main(void)
{
	RUN(test_pipelined());
	RUN(test_too_many_recipients());
	RUN(test_partial());
	RUN(test_bdat_and_size());
	RUN(test_size_at_limit());
	RUN(test_dsn_and_utf8());
	RUN(test_plain_send(0));
	RUN(test_plain_send(1));
	RUN(test_plain_send(7));
	RUN(test_starttls_and_auth());
	RUN(test_starttls_injection());
	RUN(test_rcpt_all_or_nothing());
	RUN(test_eod_lost());
	RUN(test_timeout_and_garbage());
	RUN(test_ehlo_fallback_and_failover());
	RUN(test_helo_and_starttls_refused());
	RUN(test_eod_refused());
	RUN(test_no_retry_after_mail());
	RUN(test_pipelined_refusal_after_354());
	RUN(test_too_many_at_first());
	RUN(test_8bitmime());
	UNIT_DONE();
}
