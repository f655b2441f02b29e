/* The EHLO capability parser: each input line becomes one line of a "250"
 * reply after the greeting line, as a server would list its extensions; the
 * parsed set is then queried the way the session does. */
#include "core/session/caps.h"
#include "fuzz.h"

#include <string.h>

static const char *const lookups[] = {"STARTTLS",
									  "AUTH",
									  "SIZE",
									  "8BITMIME",
									  "PIPELINING",
									  "CHUNKING",
									  "SMTPUTF8",
									  "DSN",
									  "ENHANCEDSTATUSCODES",
									  "auth",
									  ""};
static const char *const mechs[] = {"PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2", "plain", ""};

static void check_caps(const mailer_caps *caps)
{
	size_t i, j;

	for (i = 0; i < caps->count; i++) {
		const char *kw = caps->items[i].keyword;

		FUZZ_CHECK(kw[0] != '\0');
		for (j = 0; kw[j]; j++) {
			FUZZ_CHECK((kw[j] >= 'A' && kw[j] <= 'Z') || (kw[j] >= '0' && kw[j] <= '9') ||
					   kw[j] == '-');
		}
		FUZZ_CHECK(strchr(caps->items[i].params, '\n') == NULL);
		/* keywords are unique, so a lookup finds this very entry */
		FUZZ_CHECK(mailer_caps_get(caps, kw) == caps->items[i].params);
	}
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		const char *v = mailer_caps_get(caps, lookups[i]);

		FUZZ_CHECK(mailer_caps_has(caps, lookups[i]) == (v != NULL));
	}
	for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
		int has = mailer_caps_has_auth(caps, mechs[i]);

		FUZZ_CHECK(!has || mailer_caps_has(caps, "AUTH"));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *why = NULL;
	size_t live = fuzz_alloc_live();
	mailer_reply r;
	mailer_caps caps;
	mailer_buf line;
	mailer_reply_state st;

	mailer_reply_init(&r);
	mailer_buf_init(&line);
	mailer_caps_init(&caps);
	st = mailer_reply_feed(&r, size ? "250-mx.example.org Hello" : "250 mx.example.org",
						   size ? 24 : 18, &why);
	while (p < end && st == MAILER_REPLY_MORE) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((lf ? lf : end) - p);

		if (len && p[len - 1] == '\r') {
			len--;
		}
		mailer_buf_reset(&line);
		mailer_buf_appends(&line, lf && lf + 1 < end ? "250-" : "250 ");
		mailer_buf_append(&line, p, len);
		st = mailer_reply_feed(&r, line.data, line.len, &why);
		p = lf ? lf + 1 : end;
	}
	if (st == MAILER_REPLY_DONE) {
		mailer_caps_parse(&caps, &r);
		check_caps(&caps);
		/* parsing again replaces, as after STARTTLS */
		mailer_caps_parse(&caps, &r);
		check_caps(&caps);
	}
	mailer_caps_free(&caps);
	mailer_buf_free(&line);
	mailer_reply_free(&r);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
