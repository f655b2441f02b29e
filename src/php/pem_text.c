/* The text of an option that takes PEM: inline, or read from the file it names. */
#include "php/pem_text.h"
#include "ext/standard/file.h"
#include "ext/standard/php_string.h"
#include "zend_exceptions.h"

void php_mailer_wipe_release(zend_string *s)
{
	if (!s) {
		return;
	}
	if (!ZSTR_IS_INTERNED(s) && GC_REFCOUNT(s) == 1) {
		ZEND_SECURE_ZERO(ZSTR_VAL(s), ZSTR_LEN(s));
	}
	zend_string_release(s);
}

zend_string *php_mailer_pem_text(zend_string *value, uint32_t arg_num, const char *at,
								 const php_mailer_pem_texts *texts)
{
	const char *file = texts->file;
	php_stream_wrapper *wrapper;
	php_stream_statbuf ssb;
	const char *inner = NULL;
	php_stream *stream;
	zend_string *pem;

	if (php_memnstr(ZSTR_VAL(value), "-----BEGIN", sizeof("-----BEGIN") - 1,
					ZSTR_VAL(value) + ZSTR_LEN(value))) {
		return zend_string_copy(value);
	}
	if (ZSTR_LEN(value) == 0 || memchr(ZSTR_VAL(value), '\0', ZSTR_LEN(value))) {
		zend_argument_value_error(arg_num, "%s%s must be %s", at, texts->name, texts->expected);
		return NULL;
	}
	wrapper = php_stream_locate_url_wrapper(ZSTR_VAL(value), &inner, 0);
	if (wrapper && wrapper->is_url) {
		zend_argument_value_error(arg_num, "%s%s must be a local file, not a URL", at, texts->name);
		return NULL;
	}
	if (wrapper == &php_plain_files_wrapper && php_check_open_basedir_ex(inner, 0) != 0) {
		zend_argument_value_error(arg_num, "%s: %s \"%s\" is outside open_basedir", at, file,
								  ZSTR_VAL(value));
		return NULL;
	}
	/* a directory opens on Linux and fails only when read, with a notice */
	if (php_stream_stat_path_ex(ZSTR_VAL(value), PHP_STREAM_URL_STAT_QUIET, &ssb, NULL) == 0 &&
		S_ISDIR(ssb.sb.st_mode)) {
		zend_argument_value_error(arg_num, "%s: %s \"%s\" is a directory", at, file,
								  ZSTR_VAL(value));
		return NULL;
	}
	if (!(stream = php_stream_open_wrapper(ZSTR_VAL(value), "rb", 0, NULL))) {
		zend_argument_value_error(arg_num, "%s: cannot open %s \"%s\" (missing or unreadable)", at,
								  file, ZSTR_VAL(value));
		return NULL;
	}
	pem = php_stream_copy_to_mem(stream, texts->max + 1, 0);
	php_stream_close(stream);
	if (!pem || ZSTR_LEN(pem) == 0 || ZSTR_LEN(pem) > texts->max) {
		php_mailer_wipe_release(pem);
		zend_argument_value_error(arg_num,
								  "%s: %s \"%s\" is empty, unreadable or larger than %u KB", at,
								  file, ZSTR_VAL(value), (unsigned)(texts->max / 1024));
		return NULL;
	}
	return pem;
}
