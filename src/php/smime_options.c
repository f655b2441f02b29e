/* The constructor's "smime" option: "sign" (cert, key, passphrase,
 * extracerts) and/or "encrypt" (certs, cipher). Every problem, of the
 * certificates and keys included, is a ValueError or TypeError at
 * construction, with OpenSSL's reason. A value given as a path is read here
 * through PHP streams (open_basedir applies); the core loads the PEM text. */
#include "php/options.h"
#include "core/smime/smime.h"
#include "core/util/alloc.h"
#include "ext/standard/file.h"
#include "ext/standard/php_string.h"
#include "zend_exceptions.h"

/* A PEM key or certificate chain is a few KB; anything much larger is not one. */
#define SMIME_PEM_FILE_MAX (256 * 1024)
/* More recipients than this is a mailing list, not S/MIME. */
#define SMIME_MAX_RECIPIENTS 100

static const char *const sign_keys = "cert, key, passphrase, extracerts";
static const char *const encrypt_keys = "certs, cipher";

static void wipe_release(zend_string *s)
{
	if (!s) {
		return;
	}
	if (!ZSTR_IS_INTERNED(s) && GC_REFCOUNT(s) == 1) {
		ZEND_SECURE_ZERO(ZSTR_VAL(s), ZSTR_LEN(s));
	}
	zend_string_release(s);
}

/* The PEM text: the value itself when it looks like PEM, else the file it
 * names. NULL after throwing. The caller releases (wipes, for a key) it. */
static zend_string *pem_text(zend_string *value, uint32_t arg_num, const char *at)
{
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
		zend_argument_value_error(arg_num, "%s must be PEM text or the path of a PEM file", at);
		return NULL;
	}
	wrapper = php_stream_locate_url_wrapper(ZSTR_VAL(value), &inner, 0);
	if (wrapper && wrapper->is_url) {
		zend_argument_value_error(arg_num, "%s must be a local file, not a URL", at);
		return NULL;
	}
	if (wrapper == &php_plain_files_wrapper && php_check_open_basedir_ex(inner, 0) != 0) {
		zend_argument_value_error(arg_num, "%s: the file \"%s\" is outside open_basedir", at,
								  ZSTR_VAL(value));
		return NULL;
	}
	if (php_stream_stat_path_ex(ZSTR_VAL(value), PHP_STREAM_URL_STAT_QUIET, &ssb, NULL) == 0 &&
		S_ISDIR(ssb.sb.st_mode)) {
		zend_argument_value_error(arg_num, "%s: the file \"%s\" is a directory", at,
								  ZSTR_VAL(value));
		return NULL;
	}
	if (!(stream = php_stream_open_wrapper(ZSTR_VAL(value), "rb", 0, NULL))) {
		zend_argument_value_error(arg_num,
								  "%s: cannot open the file \"%s\" (missing or unreadable)", at,
								  ZSTR_VAL(value));
		return NULL;
	}
	pem = php_stream_copy_to_mem(stream, SMIME_PEM_FILE_MAX + 1, 0);
	php_stream_close(stream);
	if (!pem || ZSTR_LEN(pem) == 0 || ZSTR_LEN(pem) > SMIME_PEM_FILE_MAX) {
		wipe_release(pem);
		zend_argument_value_error(arg_num,
								  "%s: the file \"%s\" is empty, unreadable or larger than 256 KB",
								  at, ZSTR_VAL(value));
		return NULL;
	}
	return pem;
}

static zend_result string_value(zval *value, uint32_t arg_num, const char *at, zend_string **out)
{
	ZVAL_DEREF(value);
	if (Z_TYPE_P(value) != IS_STRING) {
		zend_argument_type_error(arg_num, "%s must be of type string, %s given", at,
								 zend_zval_type_name(value));
		return FAILURE;
	}
	*out = zend_string_copy(Z_STR_P(value));
	return SUCCESS;
}

/* A string, or a list of strings: copied into a new array of our own (the
 * files are read after, and reading may run user code that changes the
 * option's arrays). */
static zend_result string_list(zval *value, uint32_t arg_num, const char *at, uint32_t max,
							   zval *out)
{
	zval *item;

	ZVAL_DEREF(value);
	array_init(out);
	if (Z_TYPE_P(value) == IS_STRING) {
		add_next_index_str(out, zend_string_copy(Z_STR_P(value)));
		return SUCCESS;
	}
	if (Z_TYPE_P(value) != IS_ARRAY) {
		zend_argument_type_error(arg_num, "%s must be of type string or array, %s given", at,
								 zend_zval_type_name(value));
		return FAILURE;
	}
	if (zend_hash_num_elements(Z_ARRVAL_P(value)) > max) {
		zend_argument_value_error(arg_num, "%s may hold at most %u certificates", at, max);
		return FAILURE;
	}
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(value), item) {
		ZVAL_DEREF(item);
		if (Z_TYPE_P(item) != IS_STRING) {
			zend_argument_type_error(arg_num, "%s must be a list of strings, %s found", at,
									 zend_zval_type_name(item));
			return FAILURE;
		}
		add_next_index_str(out, zend_string_copy(Z_STR_P(item)));
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

static zend_result core_failed(uint32_t arg_num, const char *at, mailer_error *err)
{
	zend_argument_value_error(arg_num, "%s: %s", at, err->message ? err->message : "failed");
	mailer_error_clear(err);
	return FAILURE;
}

static zend_result parse_sign(HashTable *ht, uint32_t arg_num, mailer_smime_config *c)
{
	zend_string *key, *cert_value = NULL, *key_value = NULL, *pass = NULL;
	zend_string *cert_pem = NULL, *key_pem = NULL, *pem;
	zend_result rc = SUCCESS;
	zval *value, *item, extra;
	mailer_error err;

	ZVAL_UNDEF(&extra);
	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, value) {
		ZVAL_DEREF(value);
		if (!key) {
			zend_argument_value_error(
				arg_num, "option \"smime\": \"sign\" keys must be strings (known: %s)", sign_keys);
			rc = FAILURE;
		} else if (zend_string_equals_literal(key, "cert") && !cert_value) {
			rc = string_value(value, arg_num, "option \"smime\": \"sign\" \"cert\"", &cert_value);
		} else if (zend_string_equals_literal(key, "key") && !key_value) {
			rc = string_value(value, arg_num, "option \"smime\": \"sign\" \"key\"", &key_value);
		} else if (zend_string_equals_literal(key, "passphrase") && !pass) {
			if (Z_TYPE_P(value) != IS_NULL) {
				rc = string_value(value, arg_num, "option \"smime\": \"sign\" \"passphrase\"",
								  &pass);
			}
		} else if (zend_string_equals_literal(key, "extracerts") && Z_ISUNDEF(extra)) {
			rc = string_list(value, arg_num, "option \"smime\": \"sign\" \"extracerts\"", 16,
							 &extra);
		} else {
			zend_argument_value_error(
				arg_num, "option \"smime\": unknown key \"%s\" in \"sign\" (known: %s)",
				ZSTR_VAL(key), sign_keys);
			rc = FAILURE;
		}
		if (rc != SUCCESS) {
			break;
		}
	}
	ZEND_HASH_FOREACH_END();
	if (rc == SUCCESS && (!cert_value || !key_value)) {
		zend_argument_value_error(arg_num, "option \"smime\": \"sign\" needs \"%s\"",
								  !cert_value ? "cert" : "key");
		rc = FAILURE;
	}
	if (rc == SUCCESS &&
		!(cert_pem = pem_text(cert_value, arg_num, "option \"smime\": \"sign\" \"cert\""))) {
		rc = FAILURE;
	}
	if (rc == SUCCESS &&
		!(key_pem = pem_text(key_value, arg_num, "option \"smime\": \"sign\" \"key\""))) {
		rc = FAILURE;
	}
	mailer_error_init(&err);
	if (rc == SUCCESS && mailer_smime_set_signer(
							 c, ZSTR_VAL(cert_pem), ZSTR_LEN(cert_pem), ZSTR_VAL(key_pem),
							 ZSTR_LEN(key_pem), pass ? ZSTR_VAL(pass) : NULL,
							 pass ? ZSTR_LEN(pass) : 0, (long long)time(NULL), &err) != MAILER_OK) {
		rc = core_failed(arg_num, "option \"smime\": \"sign\"", &err);
	}
	if (rc == SUCCESS && !Z_ISUNDEF(extra)) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL(extra), item) {
			if (!(pem = pem_text(Z_STR_P(item), arg_num,
								 "option \"smime\": \"sign\" \"extracerts\""))) {
				rc = FAILURE;
				break;
			}
			if (mailer_smime_add_chain(c, ZSTR_VAL(pem), ZSTR_LEN(pem), &err) != MAILER_OK) {
				rc = core_failed(arg_num, "option \"smime\": \"sign\" \"extracerts\"", &err);
			}
			zend_string_release(pem);
			if (rc != SUCCESS) {
				break;
			}
		}
		ZEND_HASH_FOREACH_END();
	}
	zval_ptr_dtor(&extra);
	if (cert_value) {
		zend_string_release(cert_value);
	}
	if (cert_pem) {
		zend_string_release(cert_pem);
	}
	wipe_release(key_pem);
	wipe_release(pass);
	/* the PEM text itself when given inline: wiped if ours was the last reference */
	wipe_release(key_value);
	return rc;
}

static zend_result parse_encrypt(HashTable *ht, uint32_t arg_num, mailer_smime_config *c)
{
	zend_string *key, *pem;
	zend_result rc = SUCCESS;
	zval *value, *item, certs;
	mailer_error err;

	ZVAL_UNDEF(&certs);
	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, value) {
		ZVAL_DEREF(value);
		if (!key) {
			zend_argument_value_error(
				arg_num, "option \"smime\": \"encrypt\" keys must be strings (known: %s)",
				encrypt_keys);
			rc = FAILURE;
		} else if (zend_string_equals_literal(key, "certs") && Z_ISUNDEF(certs)) {
			rc = string_list(value, arg_num, "option \"smime\": \"encrypt\" \"certs\"",
							 SMIME_MAX_RECIPIENTS, &certs);
		} else if (zend_string_equals_literal(key, "cipher")) {
			if (Z_TYPE_P(value) != IS_STRING) {
				zend_argument_type_error(
					arg_num,
					"option \"smime\": \"encrypt\" \"cipher\" must be of type string, %s given",
					zend_zval_type_name(value));
				rc = FAILURE;
			} else if (mailer_smime_cipher_parse(Z_STRVAL_P(value), &c->cipher) != MAILER_OK) {
				zend_argument_value_error(arg_num,
										  "option \"smime\": \"encrypt\" \"cipher\" must be "
										  "\"aes-256-gcm\" or \"aes-256-cbc\"");
				rc = FAILURE;
			}
		} else {
			zend_argument_value_error(
				arg_num, "option \"smime\": unknown key \"%s\" in \"encrypt\" (known: %s)",
				ZSTR_VAL(key), encrypt_keys);
			rc = FAILURE;
		}
		if (rc != SUCCESS) {
			break;
		}
	}
	ZEND_HASH_FOREACH_END();
	if (rc == SUCCESS && (Z_ISUNDEF(certs) || zend_hash_num_elements(Z_ARRVAL(certs)) == 0)) {
		zend_argument_value_error(arg_num,
								  "option \"smime\": \"encrypt\" needs \"certs\" (one recipient "
								  "certificate or a list of them)");
		rc = FAILURE;
	}
	mailer_error_init(&err);
	if (rc == SUCCESS) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL(certs), item) {
			if (!(pem = pem_text(Z_STR_P(item), arg_num,
								 "option \"smime\": \"encrypt\" \"certs\""))) {
				rc = FAILURE;
				break;
			}
			if (mailer_smime_add_recipient(c, ZSTR_VAL(pem), ZSTR_LEN(pem), (long long)time(NULL),
										   &err) != MAILER_OK) {
				rc = core_failed(arg_num, "option \"smime\": \"encrypt\" \"certs\"", &err);
			}
			zend_string_release(pem);
			if (rc != SUCCESS) {
				break;
			}
		}
		ZEND_HASH_FOREACH_END();
	}
	zval_ptr_dtor(&certs);
	return rc;
}

zend_result php_mailer_smime_option_parse(zval *value, uint32_t arg_num, php_mailer_options *out)
{
	zend_string *key;
	zval *part, hold, held;
	zend_result rc = SUCCESS;

	if (Z_TYPE_P(value) != IS_ARRAY) {
		zend_argument_type_error(arg_num, "option \"smime\" must be of type array, %s given",
								 zend_zval_type_name(value));
		return FAILURE;
	}
	if (zend_hash_num_elements(Z_ARRVAL_P(value)) == 0) {
		zend_argument_value_error(arg_num, "option \"smime\" needs \"sign\" or \"encrypt\"");
		return FAILURE;
	}
	php_mailer_smime_option_free(out);
	out->smime = mailer_calloc(1, sizeof(mailer_smime_config));
	mailer_smime_config_init(out->smime);
	/* Reading a file may run user code (a stream wrapper) that can reach this
	 * array by reference and change or free it: we hold references of our own,
	 * so a change separates a copy and what is iterated here stays intact. */
	ZVAL_COPY(&hold, value);
	ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL(hold), key, part) {
		bool sign = key && zend_string_equals_literal(key, "sign");

		if (!key || (!sign && !zend_string_equals_literal(key, "encrypt"))) {
			if (key) {
				zend_argument_value_error(
					arg_num, "option \"smime\": unknown key \"%s\" (known: sign, encrypt)",
					ZSTR_VAL(key));
			} else {
				zend_argument_value_error(
					arg_num, "option \"smime\": keys must be strings (known: sign, encrypt)");
			}
			rc = FAILURE;
			break;
		}
		ZVAL_DEREF(part);
		if (Z_TYPE_P(part) != IS_ARRAY) {
			zend_argument_type_error(arg_num,
									 "option \"smime\": \"%s\" must be of type array, %s given",
									 ZSTR_VAL(key), zend_zval_type_name(part));
			rc = FAILURE;
			break;
		}
		ZVAL_COPY(&held, part);
		rc = sign ? parse_sign(Z_ARRVAL(held), arg_num, out->smime)
				  : parse_encrypt(Z_ARRVAL(held), arg_num, out->smime);
		zval_ptr_dtor(&held);
		if (rc != SUCCESS) {
			break;
		}
	}
	ZEND_HASH_FOREACH_END();
	zval_ptr_dtor(&hold);
	return rc;
}

void php_mailer_smime_option_free(php_mailer_options *opts)
{
	if (!opts->smime) {
		return;
	}
	mailer_smime_config_free(opts->smime);
	mailer_free(opts->smime);
	opts->smime = NULL;
}
