/* The SMTP reply parser: the input is what a server sends, cut into lines as
 * the session cuts them (at LF, one CR before it dropped), fed reply after
 * reply. */
#include "fuzz.h"
#include "core/session/reply.h"

#include <string.h>

static void check_done(const mailer_reply *r)
{
	const char *text, *base = r->text.data;
	size_t i, len, e = strlen(r->enhanced);

	FUZZ_CHECK(r->code >= 200 && r->code <= 559 && r->code % 100 <= 59);
	FUZZ_CHECK(r->lines >= 1 && r->lines <= MAILER_REPLY_LINES_MAX);
	/* an enhanced status is "c.s.d" of the reply's class, 1..3 digits each */
	FUZZ_CHECK(e == 0 || (e >= 5 && e <= 9 && r->enhanced[0] == '0' + r->code / 100 &&
						  r->enhanced[1] == '.'));
	for (i = 0; i < r->lines; i++) {
		FUZZ_CHECK(mailer_reply_line(r, i, &text, &len));
		FUZZ_CHECK(text >= base && text + len <= base + r->text.len);
		FUZZ_CHECK(memchr(text, '\n', len) == NULL);
	}
	FUZZ_CHECK(!mailer_reply_line(r, r->lines, &text, &len));
	FUZZ_CHECK(memchr(base, '\0', r->text.len) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *why;
	size_t live = fuzz_alloc_live();
	mailer_reply r;
	char status[16];

	/* the status parser on its own, at every offset a reply could give it */
	if (size) {
		size_t n = mailer_enhanced_status_parse(p + 1, size - 1, status);

		FUZZ_CHECK(n < sizeof(status) && (n == 0 || strlen(status) == n));
	}
	mailer_reply_init(&r);
	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((lf ? lf : end) - p);
		mailer_reply_state st;

		if (len && p[len - 1] == '\r') {
			len--;
		}
		why = NULL;
		st = mailer_reply_feed(&r, p, len, &why);
		if (st == MAILER_REPLY_BAD) {
			FUZZ_CHECK(why != NULL && why[0] != '\0');
			mailer_reply_reset(&r);
		} else if (st == MAILER_REPLY_DONE) {
			check_done(&r);
			mailer_reply_reset(&r);
		} else {
			FUZZ_CHECK(st == MAILER_REPLY_MORE && r.lines >= 1);
		}
		p = lf ? lf + 1 : end;
	}
	mailer_reply_free(&r);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
