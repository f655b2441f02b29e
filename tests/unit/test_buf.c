#include "unit.h"
#include "core/util/buf.h"
#include "core/util/alloc.h"
#include "core/util/sink.h"

/* Appending in every form, growth, and detaching the data. */
static void test_append_and_detach(void)
{
	mailer_buf b;
	size_t n = 0;
	char *detached;
	size_t len;

	mailer_buf_init(&b);
	CHECK_STR(mailer_buf_cstr(&b), "");
	mailer_buf_appends(&b, "EHLO ");
	mailer_buf_appendf(&b, "%s:%d", "host", 25);
	mailer_buf_appendc(&b, '!');
	CHECK_STR(mailer_buf_cstr(&b), "EHLO host:25!");
	for (int i = 0; i < 1000; i++) {
		mailer_buf_append(&b, "0123456789", 10);
	}
	CHECK(b.len == 13 + 10000);
	mailer_sink_count(&n, b.data, b.len);
	CHECK(n == b.len);
	detached = mailer_buf_detach(&b, &len);
	CHECK(len == 10013 && b.data == NULL && b.len == 0);
	mailer_free(detached);
	mailer_buf_free(&b);
}

int main(void)
{
	RUN(test_append_and_detach());
	UNIT_DONE();
}
