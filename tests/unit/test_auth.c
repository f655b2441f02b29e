/* The session's AUTH loop (src/core/session/auth.c) over a scripted server: the exact
 * client transcript of each kind of exchange, the token callback (asked at each
 * authentication, refreshed once after a refusal, a failure abandoning the session), and
 * the refusals. The mechanisms' own messages are test_sasl.c's. */
#include "unit.h"
#include "core/util/alloc.h"
#include "core/session/session.h"

typedef struct script_io {
	const char *script; /* everything the server will send, one line per read */
	size_t pos;
	mailer_buf written;
	int closes;
} script_io;

static int io_connect(void *ctx, const char *host, int port, int implicit_tls, double timeout,
					  mailer_error *err)
{
	(void)ctx, (void)host, (void)port, (void)implicit_tls, (void)timeout, (void)err;
	return 0;
}

static long io_read(void *ctx, char *buf, size_t len)
{
	script_io *io = ctx;
	size_t left = strlen(io->script) - io->pos, n;
	const char *lf;

	if (left == 0) {
		return MAILER_IO_EOF;
	}
	n = left < len ? left : len;
	lf = memchr(io->script + io->pos, '\n', n);
	if (lf) {
		n = (size_t)(lf - (io->script + io->pos)) + 1;
	}
	memcpy(buf, io->script + io->pos, n);
	io->pos += n;
	return (long)n;
}

static long io_write(void *ctx, const char *data, size_t len)
{
	mailer_buf_append(&((script_io *)ctx)->written, data, len);
	return (long)len;
}

static int io_tls_step(void *ctx, mailer_error *err)
{
	(void)ctx, (void)err;
	return 0;
}

static intptr_t io_descriptor(void *ctx)
{
	(void)ctx;
	return -1;
}

/* Reads and writes never block here: a wait is never needed, and fails if it comes. */
static int io_wait(void *ctx, int what, double deadline)
{
	(void)ctx, (void)what, (void)deadline;
	return -1;
}

static void io_close(void *ctx)
{
	((script_io *)ctx)->closes++;
}

static const mailer_io ops = {
	.connect = io_connect,
	.read_some = io_read,
	.write_some = io_write,
	.tls_step = io_tls_step,
	.descriptor = io_descriptor,
	.wait = io_wait,
	.close = io_close,
};

/* The token callback: hands out tokens[i] at the ith call, records whether it was a refresh;
 * fails (the caller gave up) once the list runs out. */
typedef struct tokens {
	const char *const *list;
	size_t count, calls;
	char refreshes[8]; /* "0" or "1" per call */
} tokens;

static mailer_status token_fn(void *ctx, int refresh, mailer_buf *out)
{
	tokens *t = ctx;

	if (t->calls < sizeof(t->refreshes) - 1) {
		t->refreshes[t->calls] = refresh ? '1' : '0';
	}
	if (t->calls == t->count) {
		t->calls++;
		return MAILER_FAIL;
	}
	mailer_buf_appends(out, t->list[t->calls++]);
	return MAILER_OK;
}

#define GREETING "220 mx\r\n"

static void setup(mailer_smtp *s, script_io *io, const char *script, const char *user,
				  const char *pass, const char *mech)
{
	memset(io, 0, sizeof(*io));
	io->script = script;
	mailer_buf_init(&io->written);
	mailer_smtp_init(s, &ops, io);
	mailer_hosts_parse("mx.test", 7, 587, MAILER_TLS_NONE, &s->cfg.hosts, &s->cfg.host_count, NULL);
	s->cfg.helo = mailer_strdup("c");
	s->cfg.user = mailer_strdup(user);
	s->cfg.pass = mailer_strdup(pass);
	s->cfg.timeout = 5;
	s->cfg.allow_insecure_auth = 1;
	s->cfg.auth = mech ? mailer_sasl_find(mech) : NULL;
}

static void teardown(mailer_smtp *s, script_io *io)
{
	mailer_smtp_free(s);
	mailer_buf_free(&io->written);
}

static void test_login_transcript(void)
{
	mailer_smtp s;
	script_io io;
	mailer_error err;

	setup(&s, &io,
		  GREETING "250-mx\r\n250 AUTH LOGIN PLAIN\r\n334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n"
				   "235 2.7.0 ok\r\n",
		  "tim", "tanstaaf", "LOGIN");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO c\r\nAUTH LOGIN\r\ndGlt\r\ndGFuc3RhYWY=\r\n");
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* auto: the strongest offered; a challenge PLAIN cannot answer is cancelled with "*" */
static void test_plain_cancelled(void)
{
	mailer_smtp s;
	script_io io;
	mailer_error err;

	setup(&s, &io,
		  GREETING "250-mx\r\n250 AUTH LOGIN PLAIN XOAUTH2\r\n334 more?\r\n501 5.7.0 aborted\r\n"
				   "221 bye\r\n",
		  "u", "p", NULL);
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK_STR(mailer_buf_cstr(&io.written), "EHLO c\r\nAUTH PLAIN AHUAcA==\r\n*\r\nQUIT\r\n");
	CHECK(err.kind == MAILER_ERR_AUTH && err.code == 501 && err.stage == MAILER_STAGE_AUTH);
	CHECK(err.command && strcmp(err.command, "AUTH PLAIN ****") == 0);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* an initial response past the 512-octet line goes after "AUTH XOAUTH2" and a 334 */
static void test_long_initial_response(void)
{
	mailer_smtp s;
	script_io io;
	mailer_error err;
	char token[601];
	mailer_buf expected;

	memset(token, 't', 600);
	token[600] = '\0';
	setup(&s, &io, GREETING "250-mx\r\n250 AUTH XOAUTH2\r\n334 \r\n235 2.7.0 ok\r\n", "u", token,
		  "XOAUTH2");
	mailer_buf_init(&expected);
	mailer_buf_appends(&expected, "EHLO c\r\nAUTH XOAUTH2\r\n");
	mailer_sasl_xoauth2(&expected, "u", token);
	mailer_buf_appends(&expected, "\r\n");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&io.written), mailer_buf_cstr(&expected));
	mailer_buf_free(&expected);
	teardown(&s, &io);
}

/* the first token expired: its error challenge answered, 535, then the callback is asked
 * with refresh and AUTH goes again on the same connection */
static void test_token_refreshed(void)
{
	static const char *const list[] = {"old", "new"};
	tokens t = {list, 2, 0, ""};
	mailer_smtp s;
	script_io io;
	mailer_error err;
	mailer_buf expected;

	setup(&s, &io,
		  GREETING "250-mx\r\n250 AUTH PLAIN XOAUTH2 OAUTHBEARER\r\n334 e30=\r\n535 5.7.8 no\r\n"
				   "235 2.7.0 ok\r\n",
		  "u", "", NULL);
	s.cfg.token = token_fn;
	s.cfg.token_ctx = &t;
	mailer_buf_init(&expected);
	mailer_buf_appends(&expected, "EHLO c\r\nAUTH OAUTHBEARER ");
	mailer_sasl_oauthbearer(&expected, "u", "mx.test", 587, "old");
	mailer_buf_appends(&expected, "\r\nAQ==\r\nAUTH OAUTHBEARER ");
	mailer_sasl_oauthbearer(&expected, "u", "mx.test", 587, "new");
	mailer_buf_appends(&expected, "\r\n");
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&io.written), mailer_buf_cstr(&expected));
	CHECK(t.calls == 2);
	CHECK_STR(t.refreshes, "01");
	CHECK(io.closes == 0 && s.connected);
	mailer_buf_free(&expected);
	teardown(&s, &io);
}

/* the refreshed token refused too: the refusal is the error; no third call */
static void test_token_refused_twice(void)
{
	static const char *const list[] = {"old", "new", "newer"};
	tokens t = {list, 3, 0, ""};
	mailer_smtp s;
	script_io io;
	mailer_error err;

	setup(&s, &io,
		  GREETING
		  "250-mx\r\n250 AUTH XOAUTH2\r\n535 5.7.8 no\r\n535 5.7.8 still no\r\n221 bye\r\n",
		  "u", "", "XOAUTH2");
	s.cfg.token = token_fn;
	s.cfg.token_ctx = &t;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_AUTH && err.code == 535 && strcmp(err.enhanced, "5.7.8") == 0);
	CHECK(err.reply && strcmp(err.reply, "535 5.7.8 still no") == 0);
	CHECK(err.command && strcmp(err.command, "AUTH XOAUTH2 ****") == 0);
	CHECK(t.calls == 2);
	CHECK_STR(t.refreshes, "01");
	CHECK(strstr(mailer_buf_cstr(&io.written), "QUIT\r\n") != NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* not a refusal of the token (a temporary failure): no refresh, no second AUTH */
static void test_token_not_refreshed_on_4xx(void)
{
	static const char *const list[] = {"tok", "tok2"};
	tokens t = {list, 2, 0, ""};
	mailer_smtp s;
	script_io io;
	mailer_error err;

	setup(&s, &io, GREETING "250-mx\r\n250 AUTH XOAUTH2\r\n454 4.7.0 try later\r\n221 bye\r\n", "u",
		  "", NULL);
	s.cfg.token = token_fn;
	s.cfg.token_ctx = &t;
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_AUTH && err.code == 454);
	CHECK(t.calls == 1);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

/* the callback gives up (an exception in PHP): not a byte more, closed, MAILER_ERR_ABORTED */
static void test_token_callback_fails(void)
{
	static const char *const list[] = {"old"};
	tokens t = {list, 0, 0, ""};
	mailer_smtp s;
	script_io io;
	mailer_error err;
	size_t i;

	for (i = 0; i < 2; i++) {
		t.count = i; /* fails at the first call, then at the refresh */
		t.calls = 0;
		setup(&s, &io,
			  GREETING "250-mx\r\n250 AUTH XOAUTH2\r\n334 e30=\r\n535 5.7.8 no\r\n221 bye\r\n", "u",
			  "", "XOAUTH2");
		s.cfg.token = token_fn;
		s.cfg.token_ctx = &t;
		mailer_error_init(&err);
		CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
		CHECK(err.kind == MAILER_ERR_ABORTED && err.stage == MAILER_STAGE_AUTH);
		CHECK(t.calls == i + 1);
		CHECK(io.closes >= 1 && !s.connected);
		CHECK(strstr(mailer_buf_cstr(&io.written), "QUIT") == NULL);
		CHECK(i == 1 || strcmp(mailer_buf_cstr(&io.written), "EHLO c\r\n") == 0);
		mailer_error_clear(&err);
		teardown(&s, &io);
	}
}

/* without a token callback a bearer mechanism uses the password, and is never auto's pick */
static void test_no_token_callback(void)
{
	mailer_smtp s;
	script_io io;
	mailer_error err;

	setup(&s, &io, GREETING "250-mx\r\n250 AUTH XOAUTH2 OAUTHBEARER\r\n221 bye\r\n", "u", "p",
		  NULL);
	mailer_error_init(&err);
	CHECK(mailer_smtp_connect(&s, &err) == MAILER_FAIL);
	CHECK(err.kind == MAILER_ERR_AUTH && err.message &&
		  strstr(err.message, "no supported AUTH mechanism"));
	CHECK(strstr(mailer_buf_cstr(&io.written), "AUTH") == NULL);
	mailer_error_clear(&err);
	teardown(&s, &io);
}

int main(void)
{
	RUN(test_login_transcript());
	RUN(test_plain_cancelled());
	RUN(test_long_initial_response());
	RUN(test_token_refreshed());
	RUN(test_token_refused_twice());
	RUN(test_token_not_refreshed_on_4xx());
	RUN(test_token_callback_fails());
	RUN(test_no_token_callback());
	UNIT_DONE();
}
