/* Each SASL mechanism through its vtable (core/auth/sasl.h), against the examples of its
 * RFC: PLAIN (RFC 4616 §4), CRAM-MD5 (RFC 2195 §2), SCRAM-SHA-256 (RFC 7677 §3), OAUTHBEARER
 * (RFC 7628 §4.1), XOAUTH2 (Google's description); the expected strings were computed apart
 * from this code (Python's base64, hmac, hashlib) and match the RFCs' texts. And the
 * registry: names, and the order "auto" prefers. */
#include "unit.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"
#include "core/auth/sasl.h"
#include "core/auth/scram.h"

/* One exchange's state, as the session keeps it. */
typedef struct exchange {
	const mailer_sasl_mech *mech;
	void *state;
	mailer_sasl_creds creds;
	mailer_buf out;
	const char *why;
} exchange;

static void begin(exchange *x, const mailer_sasl_mech *mech, const char *user, const char *secret)
{
	memset(x, 0, sizeof(*x));
	x->mech = mech;
	x->state = mech->state_size ? mailer_calloc(1, mech->state_size) : NULL;
	x->creds.user = user;
	x->creds.secret = secret;
	x->creds.host = "server.example.com";
	x->creds.port = 143;
	mailer_buf_init(&x->out);
}

static mailer_status start(exchange *x)
{
	mailer_buf_reset(&x->out);
	x->why = NULL;
	return x->mech->start(x->state, &x->creds, &x->out, &x->why);
}

/* Answers one challenge given in clear (encoded here as the server would). */
static mailer_status step(exchange *x, const char *challenge)
{
	mailer_buf b64;
	mailer_status rc;

	mailer_buf_init(&b64);
	mailer_sasl_base64(&b64, challenge, strlen(challenge));
	mailer_buf_reset(&x->out);
	x->why = NULL;
	rc = x->mech->step(x->state, &x->creds, mailer_buf_cstr(&b64), b64.len, &x->out, &x->why);
	mailer_buf_free(&b64);
	return rc;
}

static void end(exchange *x)
{
	if (x->state && x->mech->free) {
		x->mech->free(x->state);
	}
	mailer_free(x->state);
	mailer_buf_free(&x->out);
}

static void test_registry(void)
{
	CHECK(mailer_sasl_find("plain") == &mailer_sasl_plain_mech);
	CHECK(mailer_sasl_find("Scram-Sha-256") == &mailer_sasl_scram_sha256_mech);
	CHECK(mailer_sasl_find("XOAUTH2") == &mailer_sasl_xoauth2_mech);
	CHECK(mailer_sasl_find("OAUTHBEARER") == &mailer_sasl_oauthbearer_mech);
	CHECK(mailer_sasl_find("CRAM-MD5") == &mailer_sasl_cram_md5_mech);
	CHECK(mailer_sasl_find("LOGIN") == &mailer_sasl_login_mech);
	CHECK(mailer_sasl_find("auto") == NULL && mailer_sasl_find("GSSAPI") == NULL);
	CHECK(mailer_sasl_find("PLAIN ") == NULL && mailer_sasl_find("") == NULL);
	/* only the bearer mechanisms take a token */
	CHECK((mailer_sasl_xoauth2_mech.flags & MAILER_SASL_BEARER) &&
		  (mailer_sasl_oauthbearer_mech.flags & MAILER_SASL_BEARER));
	CHECK(!(mailer_sasl_plain_mech.flags & MAILER_SASL_BEARER) &&
		  !(mailer_sasl_scram_sha256_mech.flags & MAILER_SASL_BEARER));
}

/* offered(): the server's AUTH line, a space-separated list with a space at each end */
static int offered(const void *ctx, const char *name)
{
	char word[64];

	snprintf(word, sizeof(word), " %s ", name);
	return strstr((const char *)ctx, word) != NULL;
}

static void test_choose(void)
{
	/* strongest first, whatever order the server lists them in */
	CHECK(mailer_sasl_choose(0, offered, " LOGIN PLAIN CRAM-MD5 SCRAM-SHA-256 XOAUTH2 ") ==
		  &mailer_sasl_scram_sha256_mech);
	CHECK(mailer_sasl_choose(0, offered, " LOGIN PLAIN CRAM-MD5 ") == &mailer_sasl_cram_md5_mech);
	CHECK(mailer_sasl_choose(0, offered, " LOGIN PLAIN ") == &mailer_sasl_plain_mech);
	CHECK(mailer_sasl_choose(0, offered, " LOGIN ") == &mailer_sasl_login_mech);
	/* a password never goes to a bearer mechanism, a token never to another */
	CHECK(mailer_sasl_choose(0, offered, " XOAUTH2 OAUTHBEARER ") == NULL);
	CHECK(mailer_sasl_choose(1, offered, " PLAIN XOAUTH2 OAUTHBEARER ") ==
		  &mailer_sasl_oauthbearer_mech);
	CHECK(mailer_sasl_choose(1, offered, " PLAIN XOAUTH2 ") == &mailer_sasl_xoauth2_mech);
	CHECK(mailer_sasl_choose(1, offered, " PLAIN LOGIN SCRAM-SHA-256 ") == NULL);
}

static void test_plain_rfc4616(void)
{
	exchange x;

	begin(&x, &mailer_sasl_plain_mech, "tim", "tanstaaftanstaaf");
	CHECK(start(&x) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&x.out), "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
	/* nothing more to say: every challenge is cancelled */
	CHECK(x.mech->step == NULL && x.mech->accept == NULL);
	end(&x);
}

static void test_login(void)
{
	exchange x;

	begin(&x, &mailer_sasl_login_mech, "tim", "tanstaaftanstaaf");
	CHECK(x.mech->start == NULL); /* the server speaks first */
	CHECK(step(&x, "Username:") == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&x.out), "dGlt");
	/* the prompts' texts are not read: some servers send others */
	CHECK(step(&x, "User Name\0") == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&x.out), "dGFuc3RhYWZ0YW5zdGFhZg==");
	CHECK(step(&x, "Password:") == MAILER_FAIL && x.why == NULL);
	end(&x);
}

static void test_cram_md5_rfc2195(void)
{
	exchange x;

	begin(&x, &mailer_sasl_cram_md5_mech, "tim", "tanstaaftanstaaf");
	CHECK(x.mech->start == NULL);
	CHECK(step(&x, "<1896.697170952@postoffice.reston.mci.net>") == MAILER_OK);
	/* base64("tim b913a602c7eda7a495b4e6e7334d3890") */
	CHECK_STR(mailer_buf_cstr(&x.out), "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
	CHECK(step(&x, "<again@example>") == MAILER_FAIL && x.why == NULL);
	end(&x);
	begin(&x, &mailer_sasl_cram_md5_mech, "tim", "tanstaaftanstaaf");
	mailer_buf_reset(&x.out);
	CHECK(x.mech->step(x.state, &x.creds, "not base64!", 11, &x.out, &x.why) == MAILER_FAIL);
	CHECK(x.why && strstr(x.why, "not valid base64"));
	end(&x);
}

#define RFC7677_SERVER_FIRST                                                                       \
	"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
#define RFC7677_CLIENT_FINAL                                                                       \
	"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjf"   \
	"MHgsqmmiz7AndVQ="
#define RFC7677_SERVER_FINAL "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

/* After start() with the RFC's client nonce in place of a random one. */
static void scram_begin(exchange *x)
{
	begin(x, &mailer_sasl_scram_sha256_mech, "user", "pencil");
	CHECK(start(x) == MAILER_OK);
	mailer_buf_reset(&x->out);
	mailer_scram_client_first_nonce((mailer_scram *)x->state, "user", "rOprNGfwEbeRWgbNEkqO",
									&x->out);
	/* base64("n,,n=user,r=rOprNGfwEbeRWgbNEkqO") */
	CHECK_STR(mailer_buf_cstr(&x->out), "biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=");
}

static void test_scram_rfc7677(void)
{
	exchange x;
	mailer_buf b64;

	mailer_buf_init(&b64);
	mailer_sasl_base64(&b64, RFC7677_CLIENT_FINAL, strlen(RFC7677_CLIENT_FINAL));
	scram_begin(&x);
	/* a 235 before the server's proof is not believed */
	CHECK(x.mech->accept(x.state, &x.why) == MAILER_FAIL && strstr(x.why, "without proving"));
	CHECK(step(&x, RFC7677_SERVER_FIRST) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&x.out), mailer_buf_cstr(&b64));
	CHECK(x.mech->accept(x.state, &x.why) == MAILER_FAIL);
	CHECK(step(&x, RFC7677_SERVER_FINAL) == MAILER_OK && x.out.len == 0);
	CHECK(x.mech->accept(x.state, &x.why) == MAILER_OK);
	CHECK(step(&x, "more") == MAILER_FAIL);
	end(&x);
	/* a server that does not know the password: its signature is wrong */
	scram_begin(&x);
	CHECK(step(&x, RFC7677_SERVER_FIRST) == MAILER_OK);
	CHECK(step(&x, "v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") == MAILER_FAIL);
	CHECK(x.why && strstr(x.why, "signature is wrong"));
	CHECK(x.mech->accept(x.state, &x.why) == MAILER_FAIL);
	end(&x);
	/* the right signature for another password */
	begin(&x, &mailer_sasl_scram_sha256_mech, "user", "pencil2");
	CHECK(start(&x) == MAILER_OK);
	mailer_scram_client_first_nonce((mailer_scram *)x.state, "user", "rOprNGfwEbeRWgbNEkqO",
									&x.out);
	CHECK(step(&x, RFC7677_SERVER_FIRST) == MAILER_OK);
	CHECK(strcmp(mailer_buf_cstr(&x.out), mailer_buf_cstr(&b64)) != 0);
	CHECK(step(&x, RFC7677_SERVER_FINAL) == MAILER_FAIL);
	end(&x);
	mailer_buf_free(&b64);
}

static void test_oauthbearer_rfc7628(void)
{
	exchange x;

	begin(&x, &mailer_sasl_oauthbearer_mech, "user@example.com",
		  "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==");
	CHECK(start(&x) == MAILER_OK);
	/* base64("n,a=user@example.com,^Ahost=server.example.com^Aport=143^Aauth=Bearer ...^A^A") */
	CHECK_STR(mailer_buf_cstr(&x.out),
			  "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVh"
			  "cmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB");
	/* §3.2.3: the error challenge is answered with a lone ^A, to get the final 5xx */
	CHECK(step(&x, "{\"status\":\"invalid_token\"}") == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&x.out), "AQ==");
	CHECK(step(&x, "{}") == MAILER_FAIL && x.why == NULL);
	end(&x);
	/* "," and "=" in the user name are escaped (RFC 5801 saslname) */
	begin(&x, &mailer_sasl_oauthbearer_mech, "a,b=c", "t");
	CHECK(start(&x) == MAILER_OK);
	/* base64("n,a=a=2Cb=3Dc,^Ahost=server.example.com^Aport=143^Aauth=Bearer t^A^A") */
	CHECK_STR(
		mailer_buf_cstr(&x.out),
		"bixhPWE9MkNiPTNEYywBaG9zdD1zZXJ2ZXIuZXhhbXBsZS5jb20BcG9ydD0xNDMBYXV0aD1CZWFyZXIgdAEB");
	end(&x);
}

static void test_xoauth2(void)
{
	exchange x;

	begin(&x, &mailer_sasl_xoauth2_mech, "someuser@example.com",
		  "ya29.vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg");
	CHECK(start(&x) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&x.out),
			  "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNr"
			  "QmhiSFJoZG1semRHRXVZMjl0Q2cBAQ==");
	/* the error challenge (JSON) gets an empty line */
	CHECK(step(&x, "{\"status\":\"401\",\"schemes\":\"bearer\"}") == MAILER_OK && x.out.len == 0);
	CHECK(step(&x, "{}") == MAILER_FAIL && x.why == NULL);
	end(&x);
}

int main(void)
{
	RUN(test_registry());
	RUN(test_choose());
	RUN(test_plain_rfc4616());
	RUN(test_login());
	RUN(test_cram_md5_rfc2195());
	RUN(test_scram_rfc7677());
	RUN(test_oauthbearer_rfc7628());
	RUN(test_xoauth2());
	UNIT_DONE();
}
