/* The constructor's $options array: each key checked for its type and value,
 * an unknown key refused by name, so a typo never silently changes behaviour. */
#include "php_mailer_int.h"
#include "ext/standard/file.h"
#include "zend_exceptions.h"

static const char *const known_options =
	"tls, context, timeout, helo, auth, allow_insecure_auth, debug_handler";

static zend_result type_error(uint32_t arg_num, const char *key, const char *expected, zval *value)
{
	zend_argument_type_error(arg_num, "option \"%s\" must be of type %s, %s given", key, expected,
							 zend_zval_type_name(value));
	return FAILURE;
}

static int helo_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		   c == '.' || c == '_' || c == ':' || c == '[' || c == ']';
}

static zend_result parse_one(zend_string *key, zval *value, uint32_t arg_num, php_mailer_options *out)
{
	const char *k = ZSTR_VAL(key);

	ZVAL_DEREF(value);
	if (zend_string_equals_literal(key, "tls")) {
		if (Z_TYPE_P(value) != IS_STRING) {
			return type_error(arg_num, k, "string", value);
		}
		if (mailer_tls_mode_parse(Z_STRVAL_P(value), &out->tls) != 0) {
			zend_argument_value_error(arg_num, "option \"tls\" must be one of \"auto\", \"starttls\", \"smtps\" or "
											   "\"none\", \"%s\" given",
									  Z_STRVAL_P(value));
			return FAILURE;
		}
	} else if (zend_string_equals_literal(key, "context")) {
		if (Z_TYPE_P(value) != IS_RESOURCE || Z_RES_P(value)->type != php_le_stream_context()) {
			return type_error(arg_num, k, "a stream context resource", value);
		}
		ZVAL_COPY(&out->context, value);
	} else if (zend_string_equals_literal(key, "timeout")) {
		if (Z_TYPE_P(value) != IS_LONG && Z_TYPE_P(value) != IS_DOUBLE) {
			return type_error(arg_num, k, "float", value);
		}
		out->timeout = zval_get_double(value);
		if (!(out->timeout > 0) || out->timeout > 86400) {
			zend_argument_value_error(arg_num, "option \"timeout\" must be greater than 0 and at most 86400 seconds");
			return FAILURE;
		}
	} else if (zend_string_equals_literal(key, "helo")) {
		size_t i;
		if (Z_TYPE_P(value) != IS_STRING) {
			return type_error(arg_num, k, "string", value);
		}
		for (i = 0; i < Z_STRLEN_P(value); i++) {
			if (!helo_char_ok(Z_STRVAL_P(value)[i])) {
				break;
			}
		}
		if (Z_STRLEN_P(value) == 0 || Z_STRLEN_P(value) > 255 || i < Z_STRLEN_P(value)) {
			zend_argument_value_error(arg_num, "option \"helo\" must be a host name or an address literal");
			return FAILURE;
		}
		out->helo = zend_string_copy(Z_STR_P(value));
	} else if (zend_string_equals_literal(key, "auth")) {
		if (Z_TYPE_P(value) != IS_STRING) {
			return type_error(arg_num, k, "string", value);
		}
		if (mailer_auth_mech_parse(Z_STRVAL_P(value), &out->auth) != 0) {
			zend_argument_value_error(arg_num, "option \"auth\" must be one of \"auto\", \"PLAIN\", \"LOGIN\", "
											   "\"CRAM-MD5\" or \"XOAUTH2\", \"%s\" given",
									  Z_STRVAL_P(value));
			return FAILURE;
		}
	} else if (zend_string_equals_literal(key, "allow_insecure_auth")) {
		if (Z_TYPE_P(value) != IS_TRUE && Z_TYPE_P(value) != IS_FALSE) {
			return type_error(arg_num, k, "bool", value);
		}
		out->allow_insecure_auth = Z_TYPE_P(value) == IS_TRUE;
	} else if (zend_string_equals_literal(key, "debug_handler")) {
		if (!zend_is_callable(value, 0, NULL)) {
			return type_error(arg_num, k, "callable", value);
		}
		ZVAL_COPY(&out->debug_handler, value);
	} else {
		zend_argument_value_error(arg_num, "unknown option \"%s\" (known options: %s)", k, known_options);
		return FAILURE;
	}
	return SUCCESS;
}

zend_result php_mailer_options_parse(HashTable *options, uint32_t arg_num, php_mailer_options *out)
{
	zend_string *key;
	zend_ulong index;
	zval *value;

	out->tls = MAILER_TLS_AUTO;
	ZVAL_UNDEF(&out->context);
	out->timeout = 30.0;
	out->helo = NULL;
	out->auth = MAILER_AUTH_AUTO;
	out->allow_insecure_auth = false;
	ZVAL_UNDEF(&out->debug_handler);
	if (!options) {
		return SUCCESS;
	}
	ZEND_HASH_FOREACH_KEY_VAL(options, index, key, value) {
		if (!key) {
			zend_argument_value_error(arg_num, "option keys must be strings, " ZEND_ULONG_FMT " given", index);
			return FAILURE;
		}
		if (parse_one(key, value, arg_num, out) != SUCCESS) {
			return FAILURE;
		}
	} ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

void php_mailer_options_free(php_mailer_options *opts)
{
	zval_ptr_dtor(&opts->context);
	ZVAL_UNDEF(&opts->context);
	zval_ptr_dtor(&opts->debug_handler);
	ZVAL_UNDEF(&opts->debug_handler);
	if (opts->helo) {
		zend_string_release(opts->helo);
		opts->helo = NULL;
	}
}
