/* The constructor's $options array: each key checked for its type and value,
 * an unknown key refused by name, so a typo never silently changes behaviour. */
#include "php/options.h"
#include "php/stream_io.h"
#include "ext/standard/file.h"
#include "zend_exceptions.h"
#include "zend_smart_str.h"
#include "ext/standard/php_string.h"

static const char *const known_options =
	"tls, context, timeout, helo, auth, allow_insecure_auth, auth_token, debug_handler, pipelining, "
	"chunking, partial, dsn, persistent, dkim, smime";

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

static bool dsn_envid_ok(zend_string *s)
{
	size_t i;

	if (ZSTR_LEN(s) == 0 || ZSTR_LEN(s) > 100) {
		return false;
	}
	for (i = 0; i < ZSTR_LEN(s); i++) {
		if (ZSTR_VAL(s)[i] < 32 || ZSTR_VAL(s)[i] > 126) {
			return false;
		}
	}
	return true;
}

/* "NEVER", or a list of SUCCESS, FAILURE and DELAY (RFC 3461 §4.1), given as a
 * string ("SUCCESS,FAILURE") or an array; kept upper-case and comma-joined. */
/* The entries of a "notify" array joined by commas, each converted on its own
 * into a string of ours (php_implode() would keep borrowed strings of earlier
 * entries while a __toString of a later one runs). The array is held for the
 * loop: that user code may reach it by reference and change or free it. */
static zend_string *notify_list_join(zval *array)
{
	smart_str joined = {0};
	zval hold, *entry;

	ZVAL_COPY(&hold, array);
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL(hold), entry) {
		zend_string *word = zval_try_get_string(entry);

		if (!word) {
			smart_str_free(&joined);
			zval_ptr_dtor(&hold);
			return NULL;
		}
		if (joined.s) {
			smart_str_appendc(&joined, ',');
		}
		smart_str_append(&joined, word);
		zend_string_release(word);
	}
	ZEND_HASH_FOREACH_END();
	zval_ptr_dtor(&hold);
	smart_str_0(&joined);
	return joined.s ? joined.s : ZSTR_EMPTY_ALLOC();
}

static zend_result parse_dsn_notify(zval *value, uint32_t arg_num, php_mailer_options *out)
{
	static const char *const words[] = {"SUCCESS", "FAILURE", "DELAY"};
	bool seen[3] = {false, false, false}, never = false;
	smart_str joined = {0};
	zend_string *list;
	char *save = NULL, *word, *copy;
	size_t i;
	bool ok = true;

	if (Z_TYPE_P(value) == IS_ARRAY) {
		if (!(list = notify_list_join(value))) {
			return FAILURE; /* a __toString threw */
		}
	} else if (Z_TYPE_P(value) == IS_STRING) {
		list = zend_string_copy(Z_STR_P(value));
	} else {
		return type_error(arg_num, "dsn.notify", "string or array", value);
	}
	copy = estrndup(ZSTR_VAL(list), ZSTR_LEN(list));
	zend_string_release(list);
	for (word = php_strtok_r(copy, ", ", &save); word && ok;
		 word = php_strtok_r(NULL, ", ", &save)) {
		if (strcasecmp(word, "NEVER") == 0) {
			never = true;
			continue;
		}
		for (i = 0; i < 3 && strcasecmp(word, words[i]) != 0; i++) {
		}
		ok = i < 3;
		if (ok) {
			seen[i] = true;
		}
	}
	efree(copy);
	if (!ok || (never && (seen[0] || seen[1] || seen[2])) ||
		(!never && !seen[0] && !seen[1] && !seen[2])) {
		zend_argument_value_error(arg_num,
								  "option \"dsn\": \"notify\" must be \"NEVER\" or a list of "
								  "\"SUCCESS\", \"FAILURE\" and \"DELAY\"");
		return FAILURE;
	}
	if (never) {
		smart_str_appends(&joined, "NEVER");
	}
	for (i = 0; i < 3; i++) {
		if (seen[i]) {
			if (joined.s) {
				smart_str_appendc(&joined, ',');
			}
			smart_str_appends(&joined, words[i]);
		}
	}
	smart_str_0(&joined);
	out->dsn_notify = joined.s;
	return SUCCESS;
}

static zend_result parse_dsn(HashTable *dsn, uint32_t arg_num, php_mailer_options *out)
{
	zend_string *key;
	zval *value;

	ZEND_HASH_FOREACH_STR_KEY_VAL(dsn, key, value) {
		ZVAL_DEREF(value);
		if (key && zend_string_equals_literal(key, "notify")) {
			/* may run user code (__toString): the caller holds dsn */
			if (parse_dsn_notify(value, arg_num, out) != SUCCESS) {
				return FAILURE;
			}
		} else if (key && zend_string_equals_literal(key, "ret")) {
			/* Compared as whole zend_strings (no NUL-terminated shortcut), stored in the
			 * canonical spelling. */
			const char *ret = NULL;
			if (Z_TYPE_P(value) == IS_STRING) {
				if (zend_string_equals_literal_ci(Z_STR_P(value), "FULL")) {
					ret = "FULL";
				} else if (zend_string_equals_literal_ci(Z_STR_P(value), "HDRS")) {
					ret = "HDRS";
				}
			}
			if (!ret) {
				zend_argument_value_error(arg_num,
										  "option \"dsn\": \"ret\" must be \"FULL\" or \"HDRS\"");
				return FAILURE;
			}
			out->dsn_ret = zend_string_init(ret, strlen(ret), 0);
		} else if (key && zend_string_equals_literal(key, "envid")) {
			if (Z_TYPE_P(value) != IS_STRING || !dsn_envid_ok(Z_STR_P(value))) {
				zend_argument_value_error(
					arg_num, "option \"dsn\": \"envid\" must be 1 to 100 printable ASCII "
							 "characters");
				return FAILURE;
			}
			out->dsn_envid = zend_string_copy(Z_STR_P(value));
		} else {
			zend_argument_value_error(
				arg_num, "option \"dsn\": unknown key \"%s\" (known: notify, ret, envid)",
				key ? ZSTR_VAL(key) : "(a list entry)");
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

/* The boolean options of the session: where each is stored (inverted for the
 * no_* settings), or NULL for another key. */
static int *bool_option(mailer_smtp_config *cfg, zend_string *key, bool *inverted)
{
	*inverted = false;
	if (zend_string_equals_literal(key, "allow_insecure_auth")) {
		return &cfg->allow_insecure_auth;
	}
	if (zend_string_equals_literal(key, "partial")) {
		return &cfg->partial;
	}
	*inverted = true;
	if (zend_string_equals_literal(key, "pipelining")) {
		return &cfg->no_pipelining;
	}
	if (zend_string_equals_literal(key, "chunking")) {
		return &cfg->no_chunking;
	}
	return NULL;
}

/* A PSR-3 logger gets the debug lines at debug level. An object can only implement the
 * interface once it is loaded, so it is looked up without autoloading. */
static bool is_psr3_logger(const zval *value)
{
	zend_string *name;
	zend_class_entry *iface;

	if (Z_TYPE_P(value) != IS_OBJECT) {
		return false;
	}
	name =
		zend_string_init("Psr\\Log\\LoggerInterface", sizeof("Psr\\Log\\LoggerInterface") - 1, 0);
	iface = zend_lookup_class_ex(name, NULL, ZEND_FETCH_CLASS_NO_AUTOLOAD);
	zend_string_release(name);
	return iface && (iface->ce_flags & ZEND_ACC_INTERFACE) &&
		   instanceof_function(Z_OBJCE_P(value), iface);
}

static zend_result parse_one(zend_string *key, zval *value, uint32_t arg_num,
							 php_mailer_options *out, mailer_smtp_config *cfg)
{
	const char *k = ZSTR_VAL(key);
	bool inverted;
	int *flag;

	ZVAL_DEREF(value);
	if (zend_string_equals_literal(key, "tls")) {
		if (Z_TYPE_P(value) != IS_STRING) {
			return type_error(arg_num, k, "string", value);
		}
		if (mailer_tls_mode_parse(Z_STRVAL_P(value), &out->tls) != MAILER_OK) {
			zend_argument_value_error(
				arg_num,
				"option \"tls\" must be one of \"auto\", \"starttls\", \"smtps\" or "
				"\"none\", \"%s\" given",
				Z_STRVAL_P(value));
			return FAILURE;
		}
	} else if (zend_string_equals_literal(key, "context")) {
		if (Z_TYPE_P(value) != IS_RESOURCE || Z_RES_P(value)->type != php_le_stream_context()) {
			return type_error(arg_num, k, "a stream context resource", value);
		}
		zval_ptr_dtor(&out->context); /* a key given twice (a reference) */
		return php_mailer_context_snapshot(value, arg_num, &out->context);
	} else if (zend_string_equals_literal(key, "timeout")) {
		if (Z_TYPE_P(value) != IS_LONG && Z_TYPE_P(value) != IS_DOUBLE) {
			return type_error(arg_num, k, "float", value);
		}
		cfg->timeout = zval_get_double(value);
		if (!(cfg->timeout > 0) || cfg->timeout > 86400) {
			zend_argument_value_error(
				arg_num, "option \"timeout\" must be greater than 0 and at most 86400 seconds");
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
			zend_argument_value_error(arg_num,
									  "option \"helo\" must be a host name or an address literal");
			return FAILURE;
		}
		out->helo = zend_string_copy(Z_STR_P(value));
	} else if (zend_string_equals_literal(key, "auth")) {
		if (Z_TYPE_P(value) != IS_STRING) {
			return type_error(arg_num, k, "string", value);
		}
		if (zend_string_equals_literal_ci(Z_STR_P(value), "auto")) {
			cfg->auth = NULL;
		} else if (strlen(Z_STRVAL_P(value)) != Z_STRLEN_P(value) ||
				   !(cfg->auth = mailer_sasl_find(Z_STRVAL_P(value)))) {
			zend_argument_value_error(
				arg_num,
				"option \"auth\" must be one of \"auto\", \"PLAIN\", \"LOGIN\", "
				"\"CRAM-MD5\", \"SCRAM-SHA-256\", \"XOAUTH2\" or \"OAUTHBEARER\", "
				"\"%s\" given",
				Z_STRVAL_P(value));
			return FAILURE;
		}
	} else if ((flag = bool_option(cfg, key, &inverted)) != NULL) {
		if (Z_TYPE_P(value) != IS_TRUE && Z_TYPE_P(value) != IS_FALSE) {
			return type_error(arg_num, k, "bool", value);
		}
		*flag = (Z_TYPE_P(value) == IS_TRUE) != inverted;
	} else if (zend_string_equals_literal(key, "persistent")) {
		if (Z_TYPE_P(value) == IS_TRUE || Z_TYPE_P(value) == IS_FALSE) {
			out->persistent = Z_TYPE_P(value) == IS_TRUE;
		} else if (Z_TYPE_P(value) == IS_STRING) {
			size_t i;
			for (i = 0;
				 i < Z_STRLEN_P(value) && Z_STRVAL_P(value)[i] > 32 && Z_STRVAL_P(value)[i] < 127;
				 i++) {
			}
			if (Z_STRLEN_P(value) == 0 || Z_STRLEN_P(value) > 64 || i < Z_STRLEN_P(value)) {
				zend_argument_value_error(
					arg_num, "option \"persistent\" as a pool id must be 1 to 64 printable ASCII "
							 "characters without spaces");
				return FAILURE;
			}
			out->persistent = true;
			out->pool = zend_string_copy(Z_STR_P(value));
		} else {
			return type_error(arg_num, k, "bool or string", value);
		}
	} else if (zend_string_equals_literal(key, "dsn")) {
		zval hold;
		zend_result rc;

		if (Z_TYPE_P(value) != IS_ARRAY) {
			return type_error(arg_num, k, "array", value);
		}
		/* a __toString in "notify" may reach the array by reference and change or
		 * free it: iterated under a reference of ours, a change separates a copy */
		ZVAL_COPY(&hold, value);
		rc = parse_dsn(Z_ARRVAL(hold), arg_num, out);
		zval_ptr_dtor(&hold);
		return rc;
	} else if (zend_string_equals_literal(key, "dkim")) {
		return php_mailer_dkim_option_parse(value, arg_num, out);
	} else if (zend_string_equals_literal(key, "smime")) {
		return php_mailer_smime_option_parse(value, arg_num, out);
	} else if (zend_string_equals_literal(key, "debug_handler")) {
		/* copied before the check: checking "Class::method" may autoload, and the
		 * autoloader may replace the value (a reference) and free the string */
		ZVAL_COPY(&out->debug_handler, value);
		out->debug_logger = is_psr3_logger(&out->debug_handler);
		if (!out->debug_logger && !zend_is_callable(&out->debug_handler, 0, NULL)) {
			zend_result rc = type_error(arg_num, k, "callable or Psr\\Log\\LoggerInterface",
										&out->debug_handler);

			zval_ptr_dtor(&out->debug_handler);
			ZVAL_UNDEF(&out->debug_handler);
			return rc;
		}
	} else if (zend_string_equals_literal(key, "auth_token")) {
		/* copied before the check, as debug_handler (autoloading may replace the value) */
		zval_ptr_dtor(&out->auth_token);
		ZVAL_COPY(&out->auth_token, value);
		if (!zend_is_callable(&out->auth_token, 0, NULL)) {
			zend_result rc = type_error(arg_num, k, "callable", &out->auth_token);

			zval_ptr_dtor(&out->auth_token);
			ZVAL_UNDEF(&out->auth_token);
			return rc;
		}
	} else {
		zend_argument_value_error(arg_num, "unknown option \"%s\" (known options: %s)", k,
								  known_options);
		return FAILURE;
	}
	return SUCCESS;
}

zend_result php_mailer_options_parse(HashTable *options, uint32_t arg_num, php_mailer_options *out,
									 mailer_smtp_config *cfg)
{
	zend_string *key;
	zend_ulong index;
	zval *value;

	out->tls = MAILER_TLS_AUTO;
	ZVAL_UNDEF(&out->context);
	out->helo = NULL;
	cfg->timeout = 30.0;
	cfg->auth = NULL;
	cfg->allow_insecure_auth = 0;
	cfg->no_pipelining = 0;
	cfg->no_chunking = 0;
	cfg->partial = 0;
	ZVAL_UNDEF(&out->debug_handler);
	ZVAL_UNDEF(&out->auth_token);
	out->debug_logger = false;
	out->dsn_notify = out->dsn_ret = out->dsn_envid = NULL;
	out->persistent = false;
	out->pool = NULL;
	out->dkim = NULL;
	out->dkim_count = 0;
	out->smime = NULL;
	if (!options) {
		return SUCCESS;
	}
	ZEND_HASH_FOREACH_KEY_VAL(options, index, key, value) {
		if (!key) {
			zend_argument_value_error(
				arg_num, "option keys must be strings, " ZEND_ULONG_FMT " given", index);
			return FAILURE;
		}
		if (parse_one(key, value, arg_num, out, cfg) != SUCCESS) {
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	/* a token is for a bearer mechanism only: with another one forced it would be sent as a
	 * password, or never asked for */
	if (Z_TYPE(out->auth_token) != IS_UNDEF && cfg->auth &&
		!(cfg->auth->flags & MAILER_SASL_BEARER)) {
		zend_argument_value_error(arg_num,
								  "option \"auth_token\" needs \"auth\" to be \"auto\", "
								  "\"XOAUTH2\" or \"OAUTHBEARER\", \"%s\" given",
								  cfg->auth->name);
		return FAILURE;
	}
	return SUCCESS;
}

zend_result php_mailer_auth_token_check(const php_mailer_options *opts, const zend_string *user,
										const zend_string *pass)
{
	if (Z_TYPE(opts->auth_token) == IS_UNDEF) {
		return SUCCESS;
	}
	if (!user || ZSTR_LEN(user) == 0) {
		zend_argument_value_error(3, "must be the account's user name when option \"auth_token\" "
									 "is given (the token is for that account)");
		return FAILURE;
	}
	if (pass && ZSTR_LEN(pass) != 0) {
		zend_argument_value_error(4, "must be empty when option \"auth_token\" is given (the "
									 "token takes the password's place)");
		return FAILURE;
	}
	return SUCCESS;
}

void php_mailer_options_free(php_mailer_options *opts)
{
	zval_ptr_dtor(&opts->context);
	ZVAL_UNDEF(&opts->context);
	zval_ptr_dtor(&opts->debug_handler);
	ZVAL_UNDEF(&opts->debug_handler);
	zval_ptr_dtor(&opts->auth_token);
	ZVAL_UNDEF(&opts->auth_token);
	if (opts->helo) {
		zend_string_release(opts->helo);
		opts->helo = NULL;
	}
	if (opts->dsn_notify) {
		zend_string_release(opts->dsn_notify);
		opts->dsn_notify = NULL;
	}
	if (opts->dsn_ret) {
		zend_string_release(opts->dsn_ret);
		opts->dsn_ret = NULL;
	}
	if (opts->pool) {
		zend_string_release(opts->pool);
		opts->pool = NULL;
	}
	if (opts->dsn_envid) {
		zend_string_release(opts->dsn_envid);
		opts->dsn_envid = NULL;
	}
	php_mailer_dkim_option_free(opts);
	php_mailer_smime_option_free(opts);
}
