/* The S/MIME stage's spool (see spool.h). */
#include "core/smime/spool.h"
#include "core/util/alloc.h"
#include "core/util/source.h"

#include <errno.h>
#include <string.h>

void mailer_spool_init(mailer_spool *s, size_t limit)
{
	memset(s, 0, sizeof(*s));
	mailer_buf_init(&s->memory);
	s->limit = limit;
}

void mailer_spool_free(mailer_spool *s)
{
	mailer_buf_free(&s->memory);
	if (s->file) {
		fclose(s->file); /* tmpfile(): removed on close */
	}
	memset(s, 0, sizeof(*s));
}

static mailer_status file_write(mailer_spool *s, const char *data, size_t len)
{
	if (len && fwrite(data, 1, len, s->file) != len) {
		s->error = errno ? errno : EIO;
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

mailer_status mailer_spool_write(void *ctx, const char *data, size_t len)
{
	mailer_spool *s = ctx;

	if (s->error) {
		return MAILER_FAIL;
	}
	s->size += len;
	if (!s->file && s->memory.len + len <= s->limit) {
		mailer_buf_append(&s->memory, data, len);
		return MAILER_OK;
	}
	if (!s->file) {
		errno = 0;
		if (!(s->file = tmpfile())) {
			s->error = errno ? errno : EIO;
			return MAILER_FAIL;
		}
		if (file_write(s, s->memory.data, s->memory.len) != MAILER_OK) {
			return MAILER_FAIL;
		}
		mailer_buf_free(&s->memory);
	}
	return file_write(s, data, len);
}

static mailer_status read_back_failed(mailer_spool *s, mailer_error *err)
{
	return mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE,
							"cannot read back the S/MIME message's temporary file: %s",
							s->file && ferror(s->file) ? strerror(errno)
							: errno                    ? strerror(errno)
													   : "it is shorter than written");
}

mailer_status mailer_spool_rewind(mailer_spool *s, mailer_error *err)
{
	s->read = 0;
	errno = 0;
	if (s->file && (fflush(s->file) != 0 || fseek(s->file, 0, SEEK_SET) != 0)) {
		return read_back_failed(s, err);
	}
	return MAILER_OK;
}

long mailer_spool_read(mailer_spool *s, char *buf, size_t cap, mailer_error *err)
{
	unsigned long long left = s->size - s->read;
	size_t n = left < cap ? (size_t)left : cap;

	if (n > (size_t)MAILER_PRODUCER_READ_MAX) {
		n = (size_t)MAILER_PRODUCER_READ_MAX;
	}
	if (n == 0) {
		return 0;
	}
	if (!s->file) {
		memcpy(buf, s->memory.data + s->read, n);
	} else {
		errno = 0;
		if ((n = fread(buf, 1, n, s->file)) == 0) {
			read_back_failed(s, err);
			return -1;
		}
	}
	s->read += n;
	return (long)n;
}

static mailer_status spool_sink_failed(mailer_error *err)
{
	if (err->kind == MAILER_ERR_NONE) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE,
						 "the message could not be written");
	}
	return MAILER_FAIL;
}

mailer_status mailer_spool_replay(mailer_spool *s, const mailer_sink *sink, mailer_error *err)
{
	char *chunk;
	long n;

	if (!s->file) {
		return mailer_sink_write(sink, s->memory.data, s->memory.len) == MAILER_OK
				   ? MAILER_OK
				   : spool_sink_failed(err);
	}
	if (mailer_spool_rewind(s, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	chunk = mailer_malloc(MAILER_SOURCE_CHUNK);
	while ((n = mailer_spool_read(s, chunk, MAILER_SOURCE_CHUNK, err)) > 0) {
		if (mailer_sink_write(sink, chunk, (size_t)n) != MAILER_OK) {
			mailer_free(chunk);
			return spool_sink_failed(err);
		}
	}
	mailer_free(chunk);
	return n == 0 ? MAILER_OK : MAILER_FAIL;
}
