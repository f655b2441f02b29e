#include "sink.h"
#include "buf.h"

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
