/* sendmail()'s arguments become a mailer_message here; every check happens
 * before anything is sent, and a failure is a ValueError naming the input. */
#include "php/compose.h"
#include "php/exceptions.h"
#include "core/mime/fields.h"
#include "zend_exceptions.h"

static zend_result throw_error(mailer_error *err)
{
	php_mailer_throw(err);
	return FAILURE;
}

static zend_result add_addresses(mailer_address_list *out, const char *what, const char *s,
								 size_t len)
{
	mailer_error err;

	mailer_error_init(&err);
	if (mailer_address_parse_list(out, s, len, &err) != MAILER_OK) {
		char *message = err.message;
		err.message = NULL;
		mailer_error_set(&err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "%s: %s", what,
						 message ? message : "");
		efree(message);
		return throw_error(&err);
	}
	return SUCCESS;
}

zend_result php_mailer_addresses_from_zval(zval *value, const char *what, mailer_address_list *out)
{
	zval *item;

	ZVAL_DEREF(value);
	if (Z_TYPE_P(value) == IS_STRING) {
		if (Z_STRLEN_P(value) == 0) {
			return SUCCESS;
		}
		return add_addresses(out, what, Z_STRVAL_P(value), Z_STRLEN_P(value));
	}
	if (Z_TYPE_P(value) != IS_ARRAY) {
		zend_type_error("%s must be a string or an array of strings, %s given", what,
						zend_zval_type_name(value));
		return FAILURE;
	}
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(value), item) {
		ZVAL_DEREF(item);
		if (Z_TYPE_P(item) != IS_STRING) {
			zend_type_error("%s must contain only strings, %s found", what,
							zend_zval_type_name(item));
			return FAILURE;
		}
		if (add_addresses(out, what, Z_STRVAL_P(item), Z_STRLEN_P(item)) != SUCCESS) {
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

/* One value of a field (a string, or an int as a string), routed by the core's field table. */
static zend_result add_header_value(mailer_message *m, const char *name, size_t name_len,
									zval *value)
{
	mailer_error err;
	zend_string *str = zval_get_string(value);
	mailer_status rc;

	mailer_error_init(&err);
	rc = mailer_message_set_field(m, MAILER_FIELD_FROM_SENDMAIL, name, name_len, ZSTR_VAL(str),
								  ZSTR_LEN(str), &err);
	zend_string_release(str);
	if (rc != MAILER_OK) {
		return throw_error(&err);
	}
	return SUCCESS;
}

/* One header given as name => value; value is a string, or a list of strings
 * for repeated fields, nothing deeper (a nested or self-referencing array
 * would otherwise recurse without end). The name is checked first, so a
 * refused field is refused whatever its value. */
static zend_result add_header(mailer_message *m, const char *name, size_t name_len, zval *value)
{
	const mailer_field_rule *rule;
	mailer_error err;
	zval *item;
	char what[96];

	mailer_error_init(&err);
	if (mailer_field_check(MAILER_FIELD_FROM_SENDMAIL, name, name_len, &rule, &err) != MAILER_OK) {
		return throw_error(&err);
	}
	snprintf(what, sizeof(what), "header \"%.*s\"", (int)(name_len > 60 ? 60 : name_len), name);
	ZVAL_DEREF(value);
	if (Z_TYPE_P(value) == IS_STRING || Z_TYPE_P(value) == IS_LONG) {
		return add_header_value(m, name, name_len, value);
	}
	if (Z_TYPE_P(value) != IS_ARRAY) {
		zend_type_error("%s must be a string or a list of strings, %s given", what,
						zend_zval_type_name(value));
		return FAILURE;
	}
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(value), item) {
		ZVAL_DEREF(item);
		if (Z_TYPE_P(item) != IS_STRING && Z_TYPE_P(item) != IS_LONG) {
			zend_type_error("%s must be a string or a list of strings, %s found in the list", what,
							zend_zval_type_name(item));
			return FAILURE;
		}
		if (add_header_value(m, name, name_len, item) != SUCCESS) {
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

/* A list entry of $headers: "Name: value". */
static zend_result add_header_line(mailer_message *m, zend_ulong index, zval *value)
{
	const char *colon;
	zval field_value;
	zend_result rc;
	size_t name_len, skip;

	ZVAL_DEREF(value);
	if (Z_TYPE_P(value) != IS_STRING) {
		zend_type_error("header #" ZEND_ULONG_FMT " must be a \"Name: value\" string, %s given",
						index, zend_zval_type_name(value));
		return FAILURE;
	}
	colon = memchr(Z_STRVAL_P(value), ':', Z_STRLEN_P(value));
	if (!colon) {
		zend_value_error("header #" ZEND_ULONG_FMT " must be a \"Name: value\" string", index);
		return FAILURE;
	}
	name_len = (size_t)(colon - Z_STRVAL_P(value));
	skip = name_len + 1;
	while (skip < Z_STRLEN_P(value) &&
		   (Z_STRVAL_P(value)[skip] == ' ' || Z_STRVAL_P(value)[skip] == '\t')) {
		skip++;
	}
	ZVAL_STRINGL(&field_value, Z_STRVAL_P(value) + skip, Z_STRLEN_P(value) - skip);
	rc = add_header(m, Z_STRVAL_P(value), name_len, &field_value);
	zval_ptr_dtor(&field_value);
	return rc;
}

zend_result php_mailer_compose(mailer_message *m, zend_string *from, zval *to, zend_string *subject,
							   zend_string *body, HashTable *headers)
{
	mailer_error err;
	zend_string *key;
	zend_ulong index;
	zval *value;

	mailer_error_init(&err);
	if (mailer_address_parse_one(&m->from, ZSTR_VAL(from), ZSTR_LEN(from), &err) != MAILER_OK) {
		char *message = err.message;
		err.message = NULL;
		mailer_error_set(&err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "sender: %s",
						 message ? message : "");
		efree(message);
		return throw_error(&err);
	}
	if (php_mailer_addresses_from_zval(to, "recipient", &m->to) != SUCCESS) {
		return FAILURE;
	}
	if (mailer_message_set_subject(m, ZSTR_VAL(subject), ZSTR_LEN(subject), &err) != MAILER_OK) {
		return throw_error(&err);
	}
	{
		/* borrowed for the call; one part, of the Content-Type header's type or HTML */
		mailer_bytes data = {ZSTR_VAL(body), ZSTR_LEN(body), NULL, NULL};

		mailer_mime_set_body(&m->mime, MAILER_PART_HTML, &data, 0, &err);
	}
	if (headers) {
		ZEND_HASH_FOREACH_KEY_VAL(headers, index, key, value) {
			if (key) {
				if (add_header(m, ZSTR_VAL(key), ZSTR_LEN(key), value) != SUCCESS) {
					return FAILURE;
				}
				continue;
			}
			if (add_header_line(m, index, value) != SUCCESS) {
				return FAILURE;
			}
		}
		ZEND_HASH_FOREACH_END();
	}
	if (m->to.count + m->cc.count + m->bcc.count == 0) {
		zend_value_error("no recipients: give at least one address in $to, Cc or Bcc");
		return FAILURE;
	}
	if (mailer_message_prepare(m, &err) != MAILER_OK) {
		return throw_error(&err);
	}
	return SUCCESS;
}
