/* SCRAM-SHA-256 (RFC 5802, RFC 7677), client side: a whole exchange against values computed
 * apart from this code (Python's hashlib.pbkdf2_hmac and hmac), and the refusal of each kind
 * of bad server message. */
#include "unit.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/util/buf.h"
#include "core/auth/sasl.h"
#include "core/auth/scram.h"

#define CNONCE "0123456789abcdef0123456789abcdef"
#define SNONCE CNONCE "%hvYDpWUa2RaTCAfuxFIlj"
#define SALT "W22ZaJ0SNY7soEsUEjb6gQ=="

/* A client as after client-first, with a known nonce in place of the random one. */
static void fixed_client(mailer_scram *sc)
{
	mailer_buf first;

	mailer_scram_init(sc);
	mailer_buf_init(&first);
	mailer_scram_client_first_nonce(sc, "user", CNONCE, &first);
	mailer_buf_free(&first);
}

static void b64(mailer_buf *out, const char *text)
{
	mailer_buf_reset(out);
	mailer_sasl_base64(out, text, strlen(text));
}

/* The decoded client-first message for a user name. */
static void client_first_text(const char *user, mailer_buf *text)
{
	mailer_scram sc;
	mailer_buf out;
	size_t n = 0;

	mailer_scram_init(&sc);
	mailer_buf_init(&out);
	CHECK(mailer_scram_client_first(&sc, user, &out) == MAILER_OK);
	mailer_buf_reset(text);
	mailer_buf_reserve(text, out.len);
	CHECK(mailer_base64_decode(out.data, out.len, (unsigned char *)text->data, &n) == MAILER_OK);
	text->len = n;
	text->data[n] = '\0';
	mailer_buf_free(&out);
	mailer_scram_free(&sc);
}

static void test_client_first(void)
{
	mailer_buf text;
	const char *r;

	mailer_buf_init(&text);
	client_first_text("user", &text);
	CHECK(strncmp(mailer_buf_cstr(&text), "n,,n=user,r=", 12) == 0);
	r = mailer_buf_cstr(&text) + 12;
	CHECK(strlen(r) == 32 && strspn(r, "0123456789abcdef") == 32);
	/* "," and "=" in a name would end or start an attribute (RFC 5802 5.1) */
	client_first_text("a,b=c", &text);
	CHECK(strncmp(mailer_buf_cstr(&text), "n,,n=a=2Cb=3Dc,r=", 17) == 0);
	mailer_buf_free(&text);
}

static void test_exchange(void)
{
	mailer_scram sc;
	mailer_buf challenge, out;

	fixed_client(&sc);
	mailer_buf_init(&challenge);
	mailer_buf_init(&out);
	b64(&challenge, "r=" SNONCE ",s=" SALT ",i=4096");
	CHECK(mailer_scram_client_final(&sc, "pencil", challenge.data, challenge.len, &out) == NULL);
	b64(&challenge, "c=biws,r=" SNONCE ",p=y2AcHU/jkwrCvc+Y2IIp3xIO5kJjIzN2z1HkJYq/hVw=");
	CHECK_STR(mailer_buf_cstr(&out), mailer_buf_cstr(&challenge));

	b64(&challenge, "v=hlKJKTYx3nsV3E7fnnVTijIlkKkEm+4PlDd40i21bC8=");
	CHECK(mailer_scram_verify_server(&sc, challenge.data, challenge.len) == MAILER_OK);
	/* one character off, of the same length: a server that does not know the password */
	b64(&challenge, "v=hlKJKTYx3nsV3E7fnnVTijIlkKkEm+4PlDd40i21bC9=");
	CHECK(mailer_scram_verify_server(&sc, challenge.data, challenge.len) == MAILER_FAIL);
	b64(&challenge, "v=hlKJKTYx3nsV3E7fnnVTijIlkKkEm+4PlDd40i21bC8");
	CHECK(mailer_scram_verify_server(&sc, challenge.data, challenge.len) == MAILER_FAIL);
	b64(&challenge, "e=other-error");
	CHECK(mailer_scram_verify_server(&sc, challenge.data, challenge.len) == MAILER_FAIL);
	mailer_buf_free(&challenge);
	mailer_buf_free(&out);
	mailer_scram_free(&sc);
}

static void test_refused(void)
{
	static const struct {
		const char *server_first;
		const char *why;
	} cases[] = {
		/* the server's nonce must extend the client's, or an old exchange could be replayed */
		{"r=fedcba9876543210fedcba9876543210xyz,s=" SALT ",i=4096", "nonce does not start"},
		{"r=" CNONCE ",s=" SALT ",i=4096", "nonce does not start"},
		{"r=" SNONCE ",s=" SALT ",i=0", "iteration count"},
		{"r=" SNONCE ",s=" SALT ",i=1000001", "iteration count"},
		{"r=" SNONCE ",s=" SALT ",i=4096x", "iteration count"},
		{"r=" SNONCE ",i=4096", "lacks the nonce, salt or iteration count"},
		{"r=" SNONCE ",s=!!!!,i=4096", "salt is not valid base64"},
	};
	mailer_scram sc;
	mailer_buf challenge, out;
	const char *why;
	size_t i;

	mailer_buf_init(&challenge);
	mailer_buf_init(&out);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fixed_client(&sc);
		b64(&challenge, cases[i].server_first);
		mailer_buf_reset(&out);
		why = mailer_scram_client_final(&sc, "pencil", challenge.data, challenge.len, &out);
		CHECK(why != NULL && strstr(why, cases[i].why) != NULL);
		mailer_scram_free(&sc);
	}
	fixed_client(&sc);
	CHECK(mailer_scram_client_final(&sc, "pencil", "not base64!", 11, &out) != NULL);
	mailer_scram_free(&sc);
	mailer_buf_free(&challenge);
	mailer_buf_free(&out);
}

int main(void)
{
	RUN(test_client_first());
	RUN(test_exchange());
	RUN(test_refused());
	UNIT_DONE();
}
