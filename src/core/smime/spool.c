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

mailer_status mailer_spool_replay(mailer_spool *s, const mailer_sink *sink, mailer_error *err)
{
	unsigned long long left = s->size;
	char *chunk;
	size_t n;

	if (!s->file) {
		if (mailer_sink_write(sink, s->memory.data, s->memory.len) == MAILER_OK) {
			return MAILER_OK;
		}
		if (err->kind == MAILER_ERR_NONE) {
			mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE,
							 "the message could not be written");
		}
		return MAILER_FAIL;
	}
	if (fflush(s->file) != 0 || fseek(s->file, 0, SEEK_SET) != 0) {
		return mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE,
								"cannot read back the S/MIME message's temporary file: %s",
								strerror(errno));
	}
	chunk = mailer_malloc(MAILER_SOURCE_CHUNK);
	while (left > 0) {
		n = fread(chunk, 1, left < MAILER_SOURCE_CHUNK ? (size_t)left : MAILER_SOURCE_CHUNK,
				  s->file);
		if (n == 0) {
			mailer_free(chunk);
			return mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE,
									"cannot read back the S/MIME message's temporary file: %s",
									ferror(s->file) ? strerror(errno)
													: "it is shorter than written");
		}
		if (mailer_sink_write(sink, chunk, n) != MAILER_OK) {
			mailer_free(chunk);
			if (err->kind == MAILER_ERR_NONE) {
				mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_NONE,
								 "the message could not be written");
			}
			return MAILER_FAIL;
		}
		left -= n;
	}
	mailer_free(chunk);
	/* later writes (none are expected) would append at the end */
	fseek(s->file, 0, SEEK_END);
	return MAILER_OK;
}
