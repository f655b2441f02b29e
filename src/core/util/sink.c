#include "core/util/sink.h"
#include "core/util/buf.h"

mailer_status mailer_sink_flush(const mailer_sink *sink, const char *buf, size_t *len, int *failed)
{
	if (*failed) {
		return MAILER_FAIL;
	}
	if (mailer_sink_write(sink, buf, *len) != MAILER_OK) {
		*failed = 1;
		return MAILER_FAIL;
	}
	*len = 0;
	return MAILER_OK;
}

mailer_status mailer_sink_to_buf(void *ctx, const char *data, size_t len)
{
	mailer_buf_append((mailer_buf *)ctx, data, len);
	return MAILER_OK;
}

mailer_status mailer_sink_count(void *ctx, const char *data, size_t len)
{
	(void)data;
	*(size_t *)ctx += len;
	return MAILER_OK;
}
