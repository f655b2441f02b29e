/* Punycode and A-labels: RFC 3492 §7.1 samples and common domains. */
#include "unit.h"
#include "core/util/alloc.h"
#include "core/util/idna.h"

static void check_domain(const char *in, const char *expected)
{
	mailer_buf out;

	mailer_buf_init(&out);
	CHECK(mailer_idna_to_ascii(in, strlen(in), &out) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&out), expected);
	mailer_buf_free(&out);
}

static void test_punycode_rfc3492(void)
{
	/* RFC 3492 7.1 (A) Arabic (Egyptian) and (L) Japanese, as code points */
	static const unsigned int arabic[] = {0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628,
										  0x062A, 0x0643, 0x0644, 0x0645, 0x0648, 0x0634,
										  0x0639, 0x0631, 0x0628, 0x064A, 0x061F};
	static const unsigned int japanese[] = {0x0033, 0x5E74, 0x0042, 0x7D44,
											0x91D1, 0x516B, 0x5148, 0x751F};
	mailer_buf out;

	mailer_buf_init(&out);
	CHECK(mailer_punycode_encode(arabic, sizeof(arabic) / sizeof(arabic[0]), &out) == MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&out), "egbpdaj6bu4bxfgehfvwxn");
	mailer_buf_reset(&out);
	CHECK(mailer_punycode_encode(japanese, sizeof(japanese) / sizeof(japanese[0]), &out) ==
		  MAILER_OK);
	CHECK_STR(mailer_buf_cstr(&out), "3B-ww4c5e180e575a65lsy2b");
	mailer_buf_free(&out);
}

static void test_domains(void)
{
	check_domain("example.org", "example.org");
	check_domain("bücher.example", "xn--bcher-kva.example");
	check_domain("Bücher.Example", "xn--bcher-kva.Example");
	check_domain("münchen.de", "xn--mnchen-3ya.de");
	check_domain("例え.テスト", "xn--r8jz45g.xn--zckzah");
	check_domain("пример.рф", "xn--e1afmkfd.xn--p1ai");
	check_domain("☃.net", "xn--n3h.net");
}

static void test_refused(void)
{
	mailer_buf out;

	mailer_buf_init(&out);
	CHECK(mailer_idna_to_ascii("bad\xff.org", 8, &out) == MAILER_FAIL);
	mailer_buf_reset(&out);
	{
		/* a label whose A-label exceeds 63 octets */
		char long_label[200] = "";
		int i;
		for (i = 0; i < 80; i++) {
			strcat(long_label, "ü");
		}
		CHECK(mailer_idna_to_ascii(long_label, strlen(long_label), &out) == MAILER_FAIL);
	}
	mailer_buf_free(&out);
}

int main(void)
{
	RUN(test_punycode_rfc3492());
	RUN(test_domains());
	RUN(test_refused());
	UNIT_DONE();
}
