/* The constructor's "smime" option: "sign" (cert, key, passphrase,
 * extracerts) and/or "encrypt" (certs, cipher). Every problem, of the
 * certificates and keys included, is a ValueError or TypeError at
 * construction, with OpenSSL's reason. A value given as a path is read here
 * through PHP streams (open_basedir applies); the core loads the PEM text. */
#include "php/options.h"
#include "php/pem_text.h"
#include "core/smime/smime.h"
#include "core/util/alloc.h"
#include "zend_exceptions.h"

/* A PEM key or certificate chain is a few KB; anything much larger is not one. */
#define SMIME_PEM_FILE_MAX (256 * 1024)
/* More recipients than this is a mailing list, not S/MIME. */
#define SMIME_MAX_RECIPIENTS 100

static const char *const sign_keys = "cert, key, passphrase, extracerts";
static const char *const encrypt_keys = "certs, cipher";

/* How a value is named when it cannot be read (see php_mailer_pem_text()). */
static const php_mailer_pem_texts pem_texts = {"", "PEM text or the path of a PEM file", "the file",
											   SMIME_PEM_FILE_MAX};

static zend_string *pem_text(zend_string *value, uint32_t arg_num, const char *at)
{
	return php_mailer_pem_text(value, arg_num, at, &pem_texts);
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

/* The option's values, copied (strings addref'ed, lists into arrays of our
 * own) before any file is read: reading may run user code (a stream wrapper)
 * that changes the option's arrays or the variables they reference. */
typedef struct smime_values {
	zend_string *cert, *key, *pass; /* "sign" */
	zval extra;                     /* "sign" "extracerts": array of strings, or UNDEF */
	zval certs;                     /* "encrypt" "certs": array of strings, or UNDEF */
	bool sign, encrypt;
} smime_values;

static void values_free(smime_values *v)
{
	if (v->cert) {
		zend_string_release(v->cert);
	}
	php_mailer_wipe_release(v->pass);
	/* the PEM text itself when given inline: wiped if ours was the last reference */
	php_mailer_wipe_release(v->key);
	zval_ptr_dtor(&v->extra);
	zval_ptr_dtor(&v->certs);
}

static zend_result sign_values(HashTable *ht, uint32_t arg_num, smime_values *v)
{
	zend_string *key;
	zend_result rc = SUCCESS;
	zval *value;

	v->sign = true;
	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, value) {
		ZVAL_DEREF(value);
		if (!key) {
			zend_argument_value_error(
				arg_num, "option \"smime\": \"sign\" keys must be strings (known: %s)", sign_keys);
			rc = FAILURE;
		} else if (zend_string_equals_literal(key, "cert")) {
			rc = string_value(value, arg_num, "option \"smime\": \"sign\" \"cert\"", &v->cert);
		} else if (zend_string_equals_literal(key, "key")) {
			rc = string_value(value, arg_num, "option \"smime\": \"sign\" \"key\"", &v->key);
		} else if (zend_string_equals_literal(key, "passphrase")) {
			if (Z_TYPE_P(value) != IS_NULL) {
				rc = string_value(value, arg_num, "option \"smime\": \"sign\" \"passphrase\"",
								  &v->pass);
			}
		} else if (zend_string_equals_literal(key, "extracerts")) {
			rc = string_list(value, arg_num, "option \"smime\": \"sign\" \"extracerts\"", 16,
							 &v->extra);
		} else {
			zend_argument_value_error(
				arg_num, "option \"smime\": unknown key \"%s\" in \"sign\" (known: %s)",
				ZSTR_VAL(key), sign_keys);
			rc = FAILURE;
		}
		if (rc != SUCCESS) {
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	if (!v->cert || !v->key) {
		zend_argument_value_error(arg_num, "option \"smime\": \"sign\" needs \"%s\"",
								  !v->cert ? "cert" : "key");
		return FAILURE;
	}
	return SUCCESS;
}

static zend_result encrypt_values(HashTable *ht, uint32_t arg_num, smime_values *v,
								  mailer_smime_config *c)
{
	zend_string *key;
	zend_result rc = SUCCESS;
	zval *value;

	v->encrypt = true;
	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, value) {
		ZVAL_DEREF(value);
		if (!key) {
			zend_argument_value_error(
				arg_num, "option \"smime\": \"encrypt\" keys must be strings (known: %s)",
				encrypt_keys);
			rc = FAILURE;
		} else if (zend_string_equals_literal(key, "certs")) {
			rc = string_list(value, arg_num, "option \"smime\": \"encrypt\" \"certs\"",
							 SMIME_MAX_RECIPIENTS, &v->certs);
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
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	if (Z_ISUNDEF(v->certs) || zend_hash_num_elements(Z_ARRVAL(v->certs)) == 0) {
		zend_argument_value_error(arg_num,
								  "option \"smime\": \"encrypt\" needs \"certs\" (one recipient "
								  "certificate or a list of them)");
		return FAILURE;
	}
	return SUCCESS;
}

static zend_result load_sign(const smime_values *v, uint32_t arg_num, mailer_smime_config *c)
{
	zend_string *cert_pem = NULL, *key_pem = NULL, *pem;
	zend_result rc = SUCCESS;
	mailer_error err;
	zval *item;

	mailer_error_init(&err);
	if (!(cert_pem = pem_text(v->cert, arg_num, "option \"smime\": \"sign\" \"cert\"")) ||
		!(key_pem = pem_text(v->key, arg_num, "option \"smime\": \"sign\" \"key\""))) {
		rc = FAILURE;
	} else if (mailer_smime_set_signer(c, ZSTR_VAL(cert_pem), ZSTR_LEN(cert_pem), ZSTR_VAL(key_pem),
									   ZSTR_LEN(key_pem), v->pass ? ZSTR_VAL(v->pass) : NULL,
									   v->pass ? ZSTR_LEN(v->pass) : 0, (long long)time(NULL),
									   &err) != MAILER_OK) {
		rc = core_failed(arg_num, "option \"smime\": \"sign\"", &err);
	}
	if (rc == SUCCESS && !Z_ISUNDEF(v->extra)) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL(v->extra), item) {
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
	if (cert_pem) {
		zend_string_release(cert_pem);
	}
	php_mailer_wipe_release(key_pem);
	return rc;
}

static zend_result load_encrypt(const smime_values *v, uint32_t arg_num, mailer_smime_config *c)
{
	zend_result rc = SUCCESS;
	mailer_error err;
	zend_string *pem;
	zval *item;

	mailer_error_init(&err);
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL(v->certs), item) {
		if (!(pem = pem_text(Z_STR_P(item), arg_num, "option \"smime\": \"encrypt\" \"certs\""))) {
			return FAILURE;
		}
		if (mailer_smime_add_recipient(c, ZSTR_VAL(pem), ZSTR_LEN(pem), (long long)time(NULL),
									   &err) != MAILER_OK) {
			rc = core_failed(arg_num, "option \"smime\": \"encrypt\" \"certs\"", &err);
		}
		zend_string_release(pem);
		if (rc != SUCCESS) {
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

zend_result php_mailer_smime_option_parse(zval *value, uint32_t arg_num, php_mailer_options *out)
{
	smime_values v;
	zend_string *key;
	zval *part, hold;
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
	memset(&v, 0, sizeof(v));
	ZVAL_UNDEF(&v.extra);
	ZVAL_UNDEF(&v.certs);
	/* every value is copied before the first file is read (see smime_values) */
	ZVAL_COPY(&hold, value);
	ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL(hold), key, part) {
		bool is_sign = key && zend_string_equals_literal(key, "sign");

		if (!key || (!is_sign && !zend_string_equals_literal(key, "encrypt"))) {
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
		rc = is_sign ? sign_values(Z_ARRVAL_P(part), arg_num, &v)
					 : encrypt_values(Z_ARRVAL_P(part), arg_num, &v, out->smime);
		if (rc != SUCCESS) {
			break;
		}
	}
	ZEND_HASH_FOREACH_END();
	zval_ptr_dtor(&hold);
	if (rc == SUCCESS && v.sign) {
		rc = load_sign(&v, arg_num, out->smime);
	}
	if (rc == SUCCESS && v.encrypt) {
		rc = load_encrypt(&v, arg_num, out->smime);
	}
	values_free(&v);
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
