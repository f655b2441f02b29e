/* The Date check (mailer_date_check): any bytes as the value the user gave.
 * Beyond not crashing or leaking, an accepted date must come back as printable
 * ASCII that fits the header line, without surrounding whitespace, and be a
 * fixed point: checked again, it is accepted and written the same. A refusal
 * always says why and writes nothing. */
#include "core/util/alloc.h"
#include "core/util/buf.h"
#include "fuzz.h"
#include "core/mime/date.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = fuzz_alloc_live(), i;
	mailer_buf out, again;
	const char *why;

	mailer_buf_init(&out);
	mailer_buf_init(&again);
	why = mailer_date_check((const char *)data, size, &out);
	if (why) {
		FUZZ_CHECK(why[0] != '\0' && out.len == 0);
	} else {
		FUZZ_CHECK(out.len >= 1 && out.len <= 998 - strlen("Date: "));
		for (i = 0; i < out.len; i++) {
			unsigned char c = (unsigned char)out.data[i];

			FUZZ_CHECK(c == '\t' || (c >= 0x20 && c < 0x7f));
		}
		FUZZ_CHECK(out.data[0] != ' ' && out.data[0] != '\t');
		FUZZ_CHECK(out.data[out.len - 1] != ' ' && out.data[out.len - 1] != '\t');
		FUZZ_CHECK(mailer_date_check(out.data, out.len, &again) == NULL);
		FUZZ_CHECK(again.len == out.len && memcmp(again.data, out.data, out.len) == 0);
	}
	mailer_buf_free(&out);
	mailer_buf_free(&again);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
