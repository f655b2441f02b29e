/* The constructor's "dkim" option: one signer (an array with string keys) or
 * a list of them. Every problem, the key's included, is a ValueError or
 * TypeError at construction, so a send never fails for its configuration.
 * A key given as a path is read here through PHP streams (open_basedir
 * applies); the core loads it with OpenSSL. */
#include "php/options.h"
#include "php/pem_text.h"
#include "core/util/alloc.h"
#include "core/dkim/dkim.h"
#include "core/mime/header.h"
#include "core/util/idna.h"
#include "zend_exceptions.h"

/* A PEM key is a few KB; anything much larger is not a key. */
#define DKIM_KEY_FILE_MAX (64 * 1024)

static const char *const signer_keys =
	"domain, selector, key, passphrase, algorithm, canonicalization, headers";

/* "option \"dkim\"" or "option \"dkim\" (signer #2)", for messages. */
static void where(char *out, size_t size, uint32_t index, bool list)
{
	if (list) {
		snprintf(out, size, "option \"dkim\" (signer #%u)", index + 1);
	} else {
		snprintf(out, size, "option \"dkim\"");
	}
}

static zend_result string_value(zval *value, uint32_t arg_num, const char *at, const char *key,
								zend_string **out)
{
	if (Z_TYPE_P(value) != IS_STRING) {
		zend_argument_type_error(arg_num, "%s: \"%s\" must be of type string, %s given", at, key,
								 zend_zval_type_name(value));
		return FAILURE;
	}
	*out = Z_STR_P(value);
	return SUCCESS;
}

/* A domain or selector; a UTF-8 domain becomes its A-labels. */
static zend_result dns_name(zend_string *value, uint32_t arg_num, const char *at, const char *key,
							char **out)
{
	mailer_buf ascii;

	mailer_buf_init(&ascii);
	if (mailer_idna_to_ascii(ZSTR_VAL(value), ZSTR_LEN(value), &ascii) != MAILER_OK ||
		!mailer_dkim_name_valid(mailer_buf_cstr(&ascii), ascii.len) ||
		memchr(ZSTR_VAL(value), '\0', ZSTR_LEN(value))) {
		mailer_buf_free(&ascii);
		zend_argument_value_error(
			arg_num,
			"%s: \"%s\" must be a domain name (labels of letters, digits, \"-\" "
			"and \"_\" separated by dots)",
			at, key);
		return FAILURE;
	}
	*out = mailer_buf_detach(&ascii, NULL);
	return SUCCESS;
}

static zend_result header_names(zval *value, uint32_t arg_num, const char *at,
								mailer_dkim_signer *s)
{
	zval *name;
	bool from = false;

	if (Z_TYPE_P(value) != IS_ARRAY) {
		zend_argument_type_error(arg_num, "%s: \"headers\" must be of type array, %s given", at,
								 zend_zval_type_name(value));
		return FAILURE;
	}
	if (zend_hash_num_elements(Z_ARRVAL_P(value)) > 100) {
		zend_argument_value_error(arg_num, "%s: \"headers\" may list at most 100 names", at);
		return FAILURE;
	}
	s->headers = mailer_calloc(zend_hash_num_elements(Z_ARRVAL_P(value)) + 1, sizeof(char *));
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(value), name) {
		ZVAL_DEREF(name);
		if (Z_TYPE_P(name) != IS_STRING ||
			!mailer_header_name_valid(Z_STRVAL_P(name), Z_STRLEN_P(name))) {
			zend_argument_value_error(arg_num,
									  "%s: \"headers\" must be a list of header field names", at);
			return FAILURE;
		}
		from = from || zend_string_equals_literal_ci(Z_STR_P(name), "From");
		s->headers[s->header_count++] = mailer_strndup(Z_STRVAL_P(name), Z_STRLEN_P(name));
	}
	ZEND_HASH_FOREACH_END();
	if (!from) {
		zend_argument_value_error(
			arg_num, "%s: \"headers\" must include \"From\" (RFC 6376 section 5.4)", at);
		return FAILURE;
	}
	return SUCCESS;
}

/* How the key is named when it cannot be read (see php_mailer_pem_text()). */
static const php_mailer_pem_texts key_texts = {": \"key\"", "a PEM private key or the path of one",
											   "the key file", DKIM_KEY_FILE_MAX};

/* The signer's fields. The key and passphrase come back as references of our
 * own (*key_value, *pass; the caller releases them, also on failure): reading
 * the key may run user code (a stream wrapper) that changes the array. */
static zend_result signer_fields(HashTable *ht, uint32_t arg_num, const char *at,
								 mailer_dkim_signer *s, zend_string **key_value, zend_string **pass)
{
	zend_string *key, *str;
	zval *value;

	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, value) {
		ZVAL_DEREF(value);
		if (!key) {
			zend_argument_value_error(arg_num, "%s: keys must be strings (known: %s)", at,
									  signer_keys);
			return FAILURE;
		}
		if (zend_string_equals_literal(key, "domain") ||
			zend_string_equals_literal(key, "selector")) {
			bool domain = ZSTR_VAL(key)[0] == 'd';
			if (string_value(value, arg_num, at, ZSTR_VAL(key), &str) != SUCCESS ||
				dns_name(str, arg_num, at, ZSTR_VAL(key), domain ? &s->domain : &s->selector) !=
					SUCCESS) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(key, "key")) {
			if (string_value(value, arg_num, at, "key", &str) != SUCCESS) {
				return FAILURE;
			}
			*key_value = zend_string_copy(str);
		} else if (zend_string_equals_literal(key, "passphrase")) {
			if (Z_TYPE_P(value) != IS_NULL) {
				if (string_value(value, arg_num, at, "passphrase", &str) != SUCCESS) {
					return FAILURE;
				}
				*pass = zend_string_copy(str);
			}
		} else if (zend_string_equals_literal(key, "algorithm")) {
			if (string_value(value, arg_num, at, "algorithm", &str) != SUCCESS) {
				return FAILURE;
			}
			if (mailer_dkim_alg_parse(ZSTR_VAL(str), &s->alg) != MAILER_OK) {
				zend_argument_value_error(
					arg_num, "%s: \"algorithm\" must be \"rsa-sha256\" or \"ed25519-sha256\"", at);
				return FAILURE;
			}
		} else if (zend_string_equals_literal(key, "canonicalization")) {
			if (string_value(value, arg_num, at, "canonicalization", &str) != SUCCESS) {
				return FAILURE;
			}
			if (mailer_dkim_canon_parse(ZSTR_VAL(str), &s->header_canon, &s->body_canon) !=
				MAILER_OK) {
				zend_argument_value_error(
					arg_num,
					"%s: \"canonicalization\" must be \"relaxed/relaxed\", "
					"\"relaxed/simple\", \"simple/relaxed\" or \"simple/simple\"",
					at);
				return FAILURE;
			}
		} else if (zend_string_equals_literal(key, "headers")) {
			if (header_names(value, arg_num, at, s) != SUCCESS) {
				return FAILURE;
			}
		} else {
			zend_argument_value_error(arg_num, "%s: unknown key \"%s\" (known: %s)", at,
									  ZSTR_VAL(key), signer_keys);
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	if (!s->domain || !s->selector || !*key_value) {
		zend_argument_value_error(arg_num, "%s: \"%s\" is required", at,
								  !s->domain     ? "domain"
								  : !s->selector ? "selector"
												 : "key");
		return FAILURE;
	}
	return SUCCESS;
}

static zend_result parse_signer(HashTable *ht, uint32_t arg_num, uint32_t index, bool list,
								mailer_dkim_signer *s)
{
	zend_string *key_value = NULL, *pass = NULL, *pem = NULL;
	mailer_error err;
	char at[48];
	zend_result rc;

	where(at, sizeof(at), index, list);
	rc = signer_fields(ht, arg_num, at, s, &key_value, &pass);
	if (rc == SUCCESS && !(pem = php_mailer_pem_text(key_value, arg_num, at, &key_texts))) {
		rc = FAILURE;
	}
	if (rc == SUCCESS) {
		mailer_error_init(&err);
		if (mailer_dkim_key_load(ZSTR_VAL(pem), ZSTR_LEN(pem), pass ? ZSTR_VAL(pass) : NULL,
								 pass ? ZSTR_LEN(pass) : 0, &s->alg, &s->key, &err) != MAILER_OK) {
			zend_argument_value_error(arg_num, "%s: %s", at, err.message);
			mailer_error_clear(&err);
			rc = FAILURE;
		}
	}
	php_mailer_wipe_release(pem);
	php_mailer_wipe_release(pass);
	/* the PEM text itself when given inline: wiped if ours was the last reference */
	php_mailer_wipe_release(key_value);
	return rc;
}

zend_result php_mailer_dkim_option_parse(zval *value, uint32_t arg_num, php_mailer_options *out)
{
	HashTable *ht;
	zval *entry, hold;
	bool list;
	uint32_t n, i = 0;
	zend_result rc = SUCCESS;

	if (Z_TYPE_P(value) != IS_ARRAY) {
		zend_argument_type_error(arg_num, "option \"dkim\" must be of type array, %s given",
								 zend_zval_type_name(value));
		return FAILURE;
	}
	ht = Z_ARRVAL_P(value);
	n = zend_hash_num_elements(ht);
	list = n > 0 && zend_array_is_list(ht);
	if (n == 0 || n > (list ? 8 : 16)) {
		zend_argument_value_error(
			arg_num, "option \"dkim\" must be a signer (domain, selector, key, ...) or a list "
					 "of at most 8 of them");
		return FAILURE;
	}
	php_mailer_dkim_option_free(out);
	out->dkim = mailer_calloc(list ? n : 1, sizeof(mailer_dkim_signer));
	/* Reading a key may run user code (a stream wrapper) that can reach this
	 * array by reference and change or free it: we hold a reference of our own,
	 * so a change separates a copy and the array iterated here stays intact. */
	ZVAL_COPY(&hold, value);
	if (!list) {
		mailer_dkim_signer_init(&out->dkim[0]);
		out->dkim_count = 1;
		rc = parse_signer(ht, arg_num, 0, false, &out->dkim[0]);
		zval_ptr_dtor(&hold);
		return rc;
	}
	ZEND_HASH_FOREACH_VAL(ht, entry) {
		zval signer;

		ZVAL_DEREF(entry);
		mailer_dkim_signer_init(&out->dkim[i]);
		out->dkim_count = i + 1;
		if (Z_TYPE_P(entry) != IS_ARRAY) {
			zend_argument_type_error(arg_num,
									 "option \"dkim\" (signer #%u) must be of type array, %s given",
									 i + 1, zend_zval_type_name(entry));
			rc = FAILURE;
			break;
		}
		/* an entry may itself be a reference: held likewise */
		ZVAL_COPY(&signer, entry);
		rc = parse_signer(Z_ARRVAL(signer), arg_num, i, true, &out->dkim[i]);
		zval_ptr_dtor(&signer);
		if (rc != SUCCESS) {
			break;
		}
		i++;
	}
	ZEND_HASH_FOREACH_END();
	zval_ptr_dtor(&hold);
	return rc;
}

void php_mailer_dkim_option_free(php_mailer_options *opts)
{
	size_t i;

	for (i = 0; i < opts->dkim_count; i++) {
		mailer_dkim_signer_free(&opts->dkim[i]);
	}
	mailer_free(opts->dkim);
	opts->dkim = NULL;
	opts->dkim_count = 0;
}
