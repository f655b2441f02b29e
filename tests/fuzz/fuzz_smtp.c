/* The whole SMTP session over a fake mailer_io whose reads return the input:
 * a hostile or broken server. The first five bytes choose the client's side
 * (TLS mode, AUTH, failover, ESMTP options, the envelope, what the fake TLS
 * and message source do, how the server's bytes are cut into reads); the
 * rest is what the server sends.
 *
 *   byte 0: bits 0-1 TLS mode (auto, starttls, smtps, none), bit 2 AUTH with
 *           a user name, bit 3 allow_insecure_auth, bits 4-6 mechanism
 *           (auto, PLAIN, LOGIN, CRAM-MD5, XOAUTH2, SCRAM-SHA-256,
 *           OAUTHBEARER, auto), bit 7 two hosts
 *   byte 1: bit 0 connect() before sending, bit 1 send twice, bit 2 QUIT at
 *           the end, bit 3 timeout (else EOF) when the bytes run out, bit 4
 *           STARTTLS handshake fails, bit 5 the message source fails, bit 6
 *           8-bit body, bit 7 the first connect fails
 *   byte 2: bits 0-1 recipients - 1, bits 2-7 seed for the read sizes
 *   byte 3: bit 0 credentials too long for one AUTH line, bit 1 port 465,
 *           bit 2 reads may run past a line end (else a read stops at LF, as
 *           when a server writes each reply on its own), bits 3-5 the Nth
 *           write and all after it fail (0: none), bit 6 a read error (not
 *           EOF or timeout) when the bytes run out, bit 7 the first connect
 *           takes up a persistent session (past EHLO, with Postfix's extensions)
 *   byte 4: bit 0 pipelining off, bit 1 chunking off, bit 2 partial, bit 3
 *           DSN parameters, bit 4 UTF-8 recipients, bit 5 UTF-8 in the
 *           header, bit 6 null reverse-path, bit 7 the message grows by a
 *           line each time it is written (a source that changes under us)
 *
 * Whatever the server says, each call must end in success or a mailer_error
 * with a message; no I/O may happen on a closed connection; the password
 * never shows in the client's debug lines or the failed command; commands
 * keep RFC 5321's limits; memory stays within a bound proportional to the
 * input; nothing leaks. FUZZ_SMTP_TRACE=1 prints the transcript. */
#define _GNU_SOURCE /* memmem */
#include "core/util/alloc.h"
#include "fuzz.h"
#include "core/session/session.h"

#include <string.h>

#define USER "user@example.org"
#define PASS "Pa55-w0rd!s3cr3t"
#define TOKEN "ya29.t0k3n-s3cr3t"

typedef struct fake_io {
	const char *data;
	size_t len, pos;
	int open, tls;
	int fail_connects; /* connects that fail before one succeeds */
	int tls_fails;
	long at_end; /* what read returns once the bytes are gone */
	int greedy;  /* a read may return more than one line */
	int resume;  /* the next connect takes up a persistent session */
	size_t writes, fail_writes_from;
	int blocked; /* the last read said "would block" */
	int aborted; /* a read said MAILER_IO_ABORTED: until the caller's next call, no I/O but close */
	fuzz_rng rng;
} fake_io;

static int fake_connect(void *ctx, const char *host, int port, int implicit_tls, double timeout,
						mailer_error *err)
{
	fake_io *io = ctx;

	FUZZ_CHECK(!io->open);    /* a second connection would leak the first */
	FUZZ_CHECK(!io->aborted); /* no failover or retry for an abandoned session */
	FUZZ_CHECK(host && host[0] && port > 0 && timeout > 0);
	if (io->fail_connects > 0) {
		io->fail_connects--;
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT, "connection refused");
		return -1;
	}
	io->open = 1;
	io->tls = implicit_tls;
	if (io->resume) {
		io->resume = 0;
		return MAILER_IO_RESUMED;
	}
	return 0;
}

static long fake_read(void *ctx, char *buf, size_t len)
{
	fake_io *io = ctx;
	size_t n;

	FUZZ_CHECK(io->open && len > 0 && !io->aborted);
	if (io->pos == io->len) {
		io->aborted = io->at_end == MAILER_IO_ABORTED;
		/* a timeout: nothing comes, and the driver's wait reaches its deadline */
		return io->at_end == MAILER_IO_TIMEOUT ? MAILER_IO_WOULD_BLOCK : io->at_end;
	}
	/* the bytes cut into reads by the seed, with a "would block" before some of them */
	n = fuzz_rng_chunk(&io->rng, io->len - io->pos);
	if (n == 1 && !io->blocked) {
		io->blocked = 1;
		return MAILER_IO_WOULD_BLOCK;
	}
	io->blocked = 0;
	n = n < len ? n : len;
	if (!io->greedy) {
		const char *lf = memchr(io->data + io->pos, '\n', n);

		n = lf ? (size_t)(lf - (io->data + io->pos)) + 1 : n;
	}
	memcpy(buf, io->data + io->pos, n);
	io->pos += n;
	return (long)n;
}

static long fake_write(void *ctx, const char *data, size_t len)
{
	fake_io *io = ctx;

	FUZZ_CHECK(io->open && len > 0 && !io->aborted);
	(void)data;
	io->writes++;
	return io->fail_writes_from && io->writes >= io->fail_writes_from ? MAILER_IO_ERROR : (long)len;
}

static int fake_tls_step(void *ctx, mailer_error *err)
{
	fake_io *io = ctx;

	FUZZ_CHECK(io->open && !io->tls && !io->aborted);
	if (io->tls_fails) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "TLS handshake failed");
		return -1;
	}
	io->tls = 1;
	return 0;
}

static intptr_t fake_descriptor(void *ctx)
{
	(void)ctx;
	return -1;
}

/* Ready at once while bytes remain; at their end a timeout (the deadline passes). */
static int fake_wait(void *ctx, int what, double deadline)
{
	fake_io *io = ctx;

	FUZZ_CHECK(io->open && !io->aborted && deadline > 0);
	return what == MAILER_WAIT_READ && io->pos == io->len ? 0 : 1;
}

static void fake_close(void *ctx)
{
	fake_io *io = ctx;

	FUZZ_CHECK(io->open);
	io->open = 0;
	io->tls = 0;
}

/* The state a persistent session kept from an earlier request. */
static void fake_resume(void *ctx, mailer_caps *caps, int *tls_active)
{
	static const char *const ehlo[] = {"250-mx.example.org", "250-PIPELINING", "250-SIZE 10240000",
									   "250-8BITMIME",       "250-SMTPUTF8",   "250 CHUNKING"};
	fake_io *io = ctx;
	mailer_reply r;
	const char *why;
	size_t i;

	FUZZ_CHECK(io->open);
	mailer_reply_init(&r);
	for (i = 0; i < sizeof(ehlo) / sizeof(ehlo[0]); i++) {
		mailer_reply_feed(&r, ehlo[i], strlen(ehlo[i]), &why);
	}
	mailer_caps_parse(caps, &r);
	mailer_reply_free(&r);
	*tls_active = io->tls;
}

static void fake_established(void *ctx, const mailer_caps *caps, int tls_active)
{
	fake_io *io = ctx;

	FUZZ_CHECK(io->open && caps != NULL && tls_active == io->tls);
}

static const mailer_io fake_vtable = {
	.connect = fake_connect,
	.read_some = fake_read,
	.write_some = fake_write,
	.tls_step = fake_tls_step,
	.descriptor = fake_descriptor,
	.wait = fake_wait,
	.close = fake_close,
	.resume = fake_resume,
	.established = fake_established,
};

/* The auth_token callback (mechs[7]: "auto" with a token): the token, or the caller giving
 * up at the refresh (an exception in PHP), which abandons the session as an aborted I/O. */
static int token_fails_at_refresh;

static mailer_status fuzz_token(void *ctx, int refresh, mailer_buf *out)
{
	fake_io *io = ctx;

	if (refresh && token_fails_at_refresh) {
		io->aborted = 1;
		return MAILER_FAIL;
	}
	mailer_buf_appends(out, TOKEN);
	return MAILER_OK;
}

/* Forms of the password and the token that must never be shown: as is, and base64 as
 * AUTH LOGIN, PLAIN and XOAUTH2 send them (for both user names). Made once, so
 * every run frees what it allocates. */
#define SECRETS 9
static mailer_buf secrets[SECRETS];

static void secrets_init(const char *long_user)
{
	size_t i;

	if (secrets[0].len) {
		return;
	}
	for (i = 0; i < SECRETS; i++) {
		mailer_buf_init(&secrets[i]);
	}
	mailer_buf_appends(&secrets[0], PASS);
	mailer_sasl_base64(&secrets[1], PASS, strlen(PASS));
	mailer_sasl_plain(&secrets[2], USER, PASS);
	mailer_sasl_xoauth2(&secrets[3], USER, PASS);
	mailer_sasl_plain(&secrets[4], long_user, PASS);
	mailer_sasl_xoauth2(&secrets[5], long_user, PASS);
	mailer_buf_appends(&secrets[6], TOKEN);
	mailer_sasl_xoauth2(&secrets[7], USER, TOKEN);
	mailer_sasl_xoauth2(&secrets[8], long_user, TOKEN);
}

static void check_no_secret(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < SECRETS; i++) {
		FUZZ_CHECK(memmem(s, len, secrets[i].data, secrets[i].len) == NULL);
	}
}

/* RFC 5321 §4.5.3.1: a path of at most 256 octets with its brackets, a
 * command line of at most 512 with its CRLF (DSN parameters may add to it,
 * RFC 3461 §5). */
static void check_command(const char *cmd, size_t len)
{
	const char *lt = memchr(cmd, '<', len), *gt;

	if (len > 0 && cmd[0] == '[') {
		return; /* "[message: N octets]", not a command */
	}
	if (lt && (strncmp(cmd, "MAIL FROM:<", 11) == 0 || strncmp(cmd, "RCPT TO:<", 9) == 0)) {
		gt = memchr(lt, '>', len - (size_t)(lt - cmd));
		FUZZ_CHECK(gt != NULL && gt - lt + 1 <= 256);
	}
	if (!memmem(cmd, len, " ORCPT=", 7) && !memmem(cmd, len, " ENVID=", 7)) {
		FUZZ_CHECK(len + 2 <= 512);
	}
}

static void debug_cb(void *ctx, const char *line, size_t len)
{
	static int trace = -1;

	(void)ctx;
	FUZZ_CHECK(line != NULL);
	if (trace < 0) {
		trace = getenv("FUZZ_SMTP_TRACE") != NULL; /* to see what an input does */
	}
	if (trace) {
		fprintf(stderr, "%.*s\n", (int)len, line);
	}
	/* what the client sent; the server's lines ("S: ") are its own business */
	if (len >= 3 && memcmp(line, "C: ", 3) == 0) {
		check_no_secret(line, len);
		check_command(line + 3, len - 3);
	}
}

typedef struct emitter {
	int fail;
	int set_error;
	int grows;
	int calls;
	size_t pos; /* of the current pass */
} emitter;

static const char fuzz_head[] =
	"From: sender@example.org\r\nTo: rcpt@example.org\r\nSubject: fuzz\r\n\r\n";
static const char fuzz_body[] = "Hello\r\n.a line that starts with a dot\r\n.\r\nlast line";

static mailer_status emit_rewind(void *ctx, mailer_error *err)
{
	emitter *e = ctx;

	(void)err;
	e->calls++;
	e->pos = 0;
	return MAILER_OK;
}

/* The head, then (failing there, or grown past its size every other pass) the body. */
static long emit_read(void *ctx, char *buf, size_t cap, mailer_error *err)
{
	emitter *e = ctx;
	const char *piece = fuzz_head;
	size_t len = sizeof(fuzz_head) - 1, at = e->pos, n;

	if (at >= len) {
		at -= len;
		if (e->fail) {
			if (e->set_error) {
				mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								 "attachment unreadable");
			}
			return -1;
		}
		piece = "grown\r\n";
		len = e->grows && (e->calls & 1) ? 7 : 0;
		if (at >= len) {
			at -= len;
			piece = fuzz_body;
			len = sizeof(fuzz_body) - 1;
		}
	}
	n = len - at < cap ? len - at : cap;
	memcpy(buf, piece + at, n);
	e->pos += n;
	return (long)n;
}

/* The size without the growth: "last line" gets its CRLF when normalised. */
static long long emit_size(void *ctx)
{
	(void)ctx;
	return (long long)(sizeof(fuzz_head) - 1 + sizeof(fuzz_body) - 1 + 2);
}

static const mailer_producer_ops emit_ops = {emit_rewind, emit_read, emit_size, NULL};

static void check_result(const mailer_smtp *s, mailer_status rc, mailer_error *err)
{
	if (rc == MAILER_OK) {
		FUZZ_CHECK(err->kind == MAILER_ERR_NONE && s->connected);
		FUZZ_CHECK(MAILER_REPLY_OK(&s->reply));
	} else {
		FUZZ_CHECK(rc == MAILER_FAIL);
		FUZZ_CHECK(err->kind != MAILER_ERR_NONE && err->message && err->message[0]);
		FUZZ_CHECK(err->stage <= MAILER_STAGE_RSET && err->code >= 0 && err->code < 600);
		FUZZ_CHECK(strlen(err->enhanced) < sizeof(err->enhanced));
		/* not err->message: it quotes the server, which may say anything */
		if (err->command) {
			check_no_secret(err->command, strlen(err->command));
		}
		FUZZ_CHECK(err->kind != MAILER_ERR_RECIPIENT || err->rejected_count > 0);
	}
	if (getenv("FUZZ_SMTP_TRACE")) {
		fprintf(stderr, "=> %s%s\n",
				rc == MAILER_OK ? "ok" : "error: ", rc == MAILER_OK ? "" : err->message);
	}
	mailer_error_clear(err);
}

/* A call the caller abandoned (MAILER_IO_ABORTED) fails as such, closed; a
 * send keeps no reply that could pass for an acceptance. The caller's next
 * call may use the I/O again. */
static void check_abandoned(const mailer_smtp *s, fake_io *io, mailer_status rc,
							const mailer_error *err, int send)
{
	if (io->aborted) {
		FUZZ_CHECK(rc == MAILER_FAIL && err->kind == MAILER_ERR_ABORTED);
		FUZZ_CHECK(!s->connected && !io->open);
		FUZZ_CHECK(!send || s->reply.lines == 0);
	} else {
		FUZZ_CHECK(err->kind != MAILER_ERR_ABORTED);
	}
	io->aborted = 0;
}

/* After a successful send every recipient has a result (the last one counts:
 * a recipient deferred by a 452 is tried again), and all of them were
 * accepted, or at least one when partial delivery is on. */
static void check_sent(const mailer_smtp *s, const mailer_envelope *env, int partial)
{
	size_t i, j, accepted = 0;

	for (i = 0; i < env->rcpt_count; i++) {
		const mailer_rcpt_result *last = NULL;

		for (j = 0; j < s->rcpt_count; j++) {
			if (strcmp(s->rcpts[j].address, env->rcpts[i]) == 0) {
				last = &s->rcpts[j];
			}
		}
		FUZZ_CHECK(last != NULL);
		if (last->code >= 200 && last->code < 300) {
			accepted++;
		} else {
			FUZZ_CHECK(partial);
		}
	}
	FUZZ_CHECK(accepted > 0);
}

static const char *const rcpt_ascii[] = {"a@example.org", "b@example.net", "c@[192.0.2.1]",
										 "d@xn--bcher-kva.example"};
/* A-labels when the server lacks SMTPUTF8; the UTF-8 local part needs it */
static const char *const rcpt_utf8[] = {
	"a@bücher.example",
	/* 249 octets, 422 as A-labels: too long for the wire without SMTPUTF8 */
	("b@例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え."
	 "例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.例え.jp"),
	"jörg@example.de",
	"d@例え.テスト",
};

/* Kept off the stack: the session holds a 4 KB input buffer. */
static mailer_smtp session;
static char long_user[400];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const mailer_sasl_mech *const mechs[8] = {
		NULL, /* auto */
		&mailer_sasl_plain_mech,
		&mailer_sasl_login_mech,
		&mailer_sasl_cram_md5_mech,
		&mailer_sasl_xoauth2_mech,
		&mailer_sasl_scram_sha256_mech,
		&mailer_sasl_oauthbearer_mech,
		NULL, /* auto with a token callback */
	};
	size_t live, nrcpt;
	mailer_smtp *s = &session;
	mailer_envelope env;
	mailer_error err;
	emitter em;
	mailer_producer message = {&emit_ops, &em};
	fake_io io;
	mailer_status rc;
	int port;

	if (size < 5) {
		return 0;
	}
	memset(&io, 0, sizeof(io));
	io.data = (const char *)data + 5;
	io.len = size - 5;
	io.fail_connects = data[1] >> 7;
	io.tls_fails = (data[1] >> 4) & 1;
	/* both bits: the caller abandons the session when the input runs out */
	io.at_end = (data[3] & 0x40) ? ((data[1] & 8) ? MAILER_IO_ABORTED : MAILER_IO_ERROR)
								 : ((data[1] & 8) ? MAILER_IO_TIMEOUT : MAILER_IO_EOF);
	io.fail_writes_from = (data[3] >> 3) & 7;
	io.greedy = (data[3] >> 2) & 1;
	io.resume = data[3] >> 7;
	fuzz_rng_init(&io.rng, data[2] >> 2);
	em.fail = (data[1] >> 5) & 1;
	em.set_error = data[2] & 4;
	em.grows = data[4] >> 7;
	em.calls = 0;
	nrcpt = (size_t)(data[2] & 3) + 1;
	port = (data[3] & 2) ? 465 : 25;
	if (!long_user[0]) {
		/* past the 512-octet line once encoded: AUTH PLAIN takes two steps */
		memset(long_user, 'u', sizeof(long_user) - 1);
		secrets_init(long_user);
	}
	live = fuzz_alloc_live();
	fuzz_alloc_reset();

	mailer_error_init(&err);
	mailer_smtp_init(s, &fake_vtable, &io);
	s->debug = debug_cb;
	FUZZ_CHECK(mailer_hosts_parse((data[0] & 0x80) ? "mx1.example.org;[2001:db8::1]:2525"
												   : "mx1.example.org",
								  (data[0] & 0x80) ? 34 : 15, port, (mailer_tls_mode)(data[0] & 3),
								  &s->cfg.hosts, &s->cfg.host_count, &err) == MAILER_OK);
	s->cfg.helo = mailer_strdup("client.example.org");
	s->cfg.user = mailer_strdup((data[0] & 4) ? ((data[3] & 1) ? long_user : USER) : "");
	s->cfg.pass = mailer_strdup(PASS);
	s->cfg.timeout = 30;
	s->cfg.auth = mechs[(data[0] >> 4) & 7];
	if (((data[0] >> 4) & 7) == 7) {
		s->cfg.token = fuzz_token;
		s->cfg.token_ctx = &io;
		token_fails_at_refresh = (data[2] & 4) != 0;
	}
	s->cfg.allow_insecure_auth = (data[0] >> 3) & 1;
	s->cfg.no_pipelining = data[4] & 1;
	s->cfg.no_chunking = (data[4] >> 1) & 1;
	s->cfg.partial = (data[4] >> 2) & 1;

	memset(&env, 0, sizeof(env));
	env.from = (data[4] & 0x40) ? "" : "sender@example.org";
	env.rcpts = (data[4] & 0x10) ? rcpt_utf8 : rcpt_ascii;
	env.rcpt_count = nrcpt;
	env.body_8bit = (data[1] >> 6) & 1;
	env.utf8_headers = (data[4] >> 5) & 1;
	if (data[4] & 8) {
		env.dsn_notify = "SUCCESS,FAILURE";
		env.dsn_ret = "HDRS";
		env.dsn_envid = "QQ314159+= x";
	}

	if (data[1] & 1) {
		rc = mailer_smtp_connect(s, &err);
		check_abandoned(s, &io, rc, &err, 0);
		check_result(s, rc, &err);
	}
	rc = mailer_smtp_send(s, &env, &message, &err);
	if (rc == MAILER_OK) {
		check_sent(s, &env, s->cfg.partial);
	}
	check_abandoned(s, &io, rc, &err, 1);
	check_result(s, rc, &err);
	if (data[1] & 2) {
		/* the same session again: reuses the connection, or reconnects */
		rc = mailer_smtp_send(s, &env, &message, &err);
		if (rc == MAILER_OK) {
			check_sent(s, &env, s->cfg.partial);
		}
		check_abandoned(s, &io, rc, &err, 1);
		check_result(s, rc, &err);
	}
	if (data[1] & 4) {
		mailer_smtp_quit(s);
		io.aborted = 0;
		FUZZ_CHECK(!s->connected && !io.open);
	}
	FUZZ_CHECK(s->reply.lines <= MAILER_REPLY_LINES_MAX);
	mailer_smtp_free(s);
	FUZZ_CHECK(!io.open);
	/* bounded: the session holds a few copies of what it read, never more */
	FUZZ_CHECK(fuzz_alloc_peak() - live <= 64 * 1024 + 16 * size);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
