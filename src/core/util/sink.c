#include "core/util/sink.h"
#include "core/util/buf.h"

int mailer_sink_flush(const mailer_sink *sink, const char *buf, size_t *len, int *failed)
{
	if (*failed) {
		return -1;
	}
	if (mailer_sink_write(sink, buf, *len) != 0) {
		*failed = 1;
		return -1;
	}
	*len = 0;
	return 0;
}

int mailer_sink_to_buf(void *ctx, const char *data, size_t len)
{
	mailer_buf_append((mailer_buf *)ctx, data, len);
	return 0;
}

int mailer_sink_count(void *ctx, const char *data, size_t len)
{
	(void)data;
	*(size_t *)ctx += len;
	return 0;
}
