/* A file attachment is opened when the message is written, read in
 * MAILER_SOURCE_CHUNK pieces straight into the base64 encoder, and closed:
 * it is never held in memory. attach() only checks that it can be read. */
#include "php/file_source.h"
#include "ext/standard/php_string.h"

#include <errno.h>

typedef struct php_mailer_file_source {
	zend_string *path;  /* as opened: absolute for plain files */
	php_stream *stream; /* open during a pass, else NULL */
	bool plain;         /* a plain file: its size is what a pass reads */
} php_mailer_file_source;

/* Quiet: a failure is reported through err, not as a warning. */
static php_stream *open_quietly(const char *path)
{
	return php_stream_open_wrapper((char *)path, "rb", 0, NULL);
}

static mailer_status source_open(void *ctx, mailer_error *err)
{
	php_mailer_file_source *f = ctx;

	if (f->stream) {
		php_stream_close(f->stream);
	}
	f->stream = open_quietly(ZSTR_VAL(f->path));
	if (EG(exception)) {
		/* a stream wrapper threw or called exit(): that abandons the message */
		if (f->stream) {
			php_stream_close(f->stream);
			f->stream = NULL;
		}
		return mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_NONE, "opening \"%s\" failed",
								ZSTR_VAL(f->path));
	}
	if (!f->stream) {
		return mailer_error_set(
			err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE,
			"could not open the attached file \"%s\" (it was readable when it was attached)",
			ZSTR_VAL(f->path));
	}
	return MAILER_OK;
}

static long source_read(void *ctx, char *buf, size_t len, mailer_error *err)
{
	php_mailer_file_source *f = ctx;
	ssize_t n = php_stream_read(f->stream, buf, len);

	/* a stream wrapper that threw or called exit() (which abandons the
	 * message) may still have handed over bytes */
	if (EG(exception)) {
		mailer_error_set(err, MAILER_ERR_ABORTED, MAILER_STAGE_NONE, "reading \"%s\" failed",
						 ZSTR_VAL(f->path));
		return -1;
	}
	if (n < 0) {
		mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE,
						 "could not read the attached file \"%s\"", ZSTR_VAL(f->path));
		return -1;
	}
	return (long)n;
}

static void source_close(void *ctx)
{
	php_mailer_file_source *f = ctx;

	if (f->stream) {
		php_stream_close(f->stream);
		f->stream = NULL;
	}
}

static void source_free(void *ctx)
{
	php_mailer_file_source *f = ctx;

	source_close(f);
	zend_string_release(f->path);
	efree(f);
}

/* Only a plain file's size is the number of bytes reading it gives: a wrapper's
 * (compress.zlib://, a user's) may be anything, so it is unknown. */
static long long source_size(void *ctx)
{
	php_mailer_file_source *f = ctx;
	php_stream_statbuf ssb;

	if (!f->plain ||
		php_stream_stat_path_ex(ZSTR_VAL(f->path), PHP_STREAM_URL_STAT_QUIET, &ssb, NULL) != 0 ||
		!S_ISREG(ssb.sb.st_mode)) {
		return MAILER_SIZE_UNKNOWN;
	}
	return (long long)ssb.sb.st_size;
}

static const mailer_source_ops file_source_ops = {source_open, source_read, source_close,
												  source_free, source_size};

/* Plain paths become absolute; other wrappers (phar://, compress.zlib://)
 * are kept as given, remote ones refused: they would be fetched on every pass. */
static zend_string *resolve(zend_string *path, uint32_t arg_num)
{
	const char *inner = NULL, *p = ZSTR_VAL(path);
	php_stream_wrapper *wrapper;
	char resolved[MAXPATHLEN];

	/* PHP warns about an unknown "scheme://" and then takes it for a file name */
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.') {
		p++;
	}
	if (p > ZSTR_VAL(path) + 1 && strncmp(p, "://", 3) == 0) {
		zend_string *scheme = zend_string_init(ZSTR_VAL(path), p - ZSTR_VAL(path), 0);
		zend_string *lower = zend_string_tolower(scheme);
		bool known = zend_hash_exists(php_stream_get_url_stream_wrappers_hash(), lower);

		zend_string_release(lower);
		zend_string_release(scheme);
		if (!known) {
			zend_argument_value_error(arg_num,
									  "must be a file path, \"%s\" uses an unknown stream wrapper",
									  ZSTR_VAL(path));
			return NULL;
		}
	}
	wrapper = php_stream_locate_url_wrapper(ZSTR_VAL(path), &inner, 0);
	if (!wrapper) {
		zend_argument_value_error(
			arg_num, "must be a file path, \"%s\" uses an unknown stream wrapper", ZSTR_VAL(path));
		return NULL;
	}
	if (wrapper->is_url) {
		zend_argument_value_error(
			arg_num, "must be a local file, \"%s\" is a remote URL (download it first)",
			ZSTR_VAL(path));
		return NULL;
	}
	if (wrapper != &php_plain_files_wrapper) {
		return zend_string_copy(path);
	}
	if (!expand_filepath(inner, resolved)) {
		zend_argument_value_error(arg_num, "must be a readable file, \"%s\" cannot be resolved",
								  ZSTR_VAL(path));
		return NULL;
	}
	if (php_check_open_basedir_ex(resolved, 0) != 0) {
		zend_argument_value_error(
			arg_num, "must be a readable file, \"%s\" is outside open_basedir", ZSTR_VAL(path));
		return NULL;
	}
	return zend_string_init(resolved, strlen(resolved), 0);
}

zend_result php_mailer_file_source_create(zend_string *path, uint32_t arg_num, mailer_source *src,
										  zend_string **basename)
{
	php_mailer_file_source *f;
	php_stream_statbuf ssb;
	php_stream *stream;
	zend_string *resolved;

	if (ZSTR_LEN(path) == 0) {
		zend_argument_value_error(arg_num, "must be a file path, not empty");
		return FAILURE;
	}
	if (!(resolved = resolve(path, arg_num))) {
		return FAILURE;
	}
	errno = 0;
	if (php_stream_stat_path_ex(ZSTR_VAL(resolved), PHP_STREAM_URL_STAT_QUIET, &ssb, NULL) != 0) {
		/* under a directory the process may not search, a file exists all the same */
		zend_argument_value_error(
			arg_num,
			errno == EACCES ? "must be a readable file, \"%s\" cannot be opened for reading"
							: "must be a readable file, \"%s\" does not exist",
			ZSTR_VAL(path));
		zend_string_release(resolved);
		return FAILURE;
	}
	if (S_ISDIR(ssb.sb.st_mode)) {
		zend_argument_value_error(arg_num, "must be a readable file, \"%s\" is a directory",
								  ZSTR_VAL(path));
		zend_string_release(resolved);
		return FAILURE;
	}
	/* opening is the only sure test of readability (permissions, ACLs, wrappers) */
	stream = open_quietly(ZSTR_VAL(resolved));
	if (!stream) {
		zend_argument_value_error(arg_num,
								  "must be a readable file, \"%s\" cannot be opened for reading",
								  ZSTR_VAL(path));
		zend_string_release(resolved);
		return FAILURE;
	}
	php_stream_close(stream);

	f = emalloc(sizeof(*f));
	f->path = resolved;
	f->stream = NULL;
	f->plain =
		php_stream_locate_url_wrapper(ZSTR_VAL(resolved), NULL, 0) == &php_plain_files_wrapper;
	src->ops = &file_source_ops;
	src->ctx = f;
	*basename = php_basename(ZSTR_VAL(resolved), ZSTR_LEN(resolved), NULL, 0);
	return SUCCESS;
}
