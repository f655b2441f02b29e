/* Mailer\Exception and its subclasses: the getters and the mapping from the
 * core's error struct to the exception a user catches. */
#include "php/classes.h"
#include "php/exceptions.h"
#include "zend_exceptions.h"

zend_class_entry *php_mailer_exception_ce;
zend_class_entry *php_mailer_connection_exception_ce;
zend_class_entry *php_mailer_authentication_exception_ce;
zend_class_entry *php_mailer_recipient_exception_ce;

static zend_class_entry *class_for(mailer_error_kind kind)
{
	switch (kind) {
	case MAILER_ERR_CONNECTION:
		return php_mailer_connection_exception_ce;
	case MAILER_ERR_AUTH:
		return php_mailer_authentication_exception_ce;
	case MAILER_ERR_RECIPIENT:
		return php_mailer_recipient_exception_ce;
	default:
		return php_mailer_exception_ce;
	}
}

static void set_string_or_null(zend_object *obj, const char *name, const char *value)
{
	if (value && value[0]) {
		zend_update_property_string(php_mailer_exception_ce, obj, name, strlen(name), value);
	} else {
		zend_update_property_null(php_mailer_exception_ce, obj, name, strlen(name));
	}
}

zend_object *php_mailer_exception_create(const mailer_error *err)
{
	zend_class_entry *ce = class_for(err->kind);
	const char *message = err->message ? err->message : "unknown error";
	zend_object *ex;
	zval obj;
	size_t i;

	object_init_ex(&obj, ce);
	ex = Z_OBJ(obj);
	zend_update_property_string(zend_ce_exception, ex, "message", sizeof("message") - 1, message);
	zend_update_property_long(zend_ce_exception, ex, "code", sizeof("code") - 1, err->code);
	zend_update_property_long(php_mailer_exception_ce, ex, "smtpCode", sizeof("smtpCode") - 1,
							  err->code);
	set_string_or_null(ex, "enhancedStatus", err->enhanced);
	set_string_or_null(ex, "reply", err->reply);
	set_string_or_null(ex, "command", err->command);
	zend_update_property_string(php_mailer_exception_ce, ex, "stage", sizeof("stage") - 1,
								mailer_stage_name(err->stage));
	if (err->kind == MAILER_ERR_RECIPIENT) {
		zval rejected;
		array_init_size(&rejected, (uint32_t)err->rejected_count);
		for (i = 0; i < err->rejected_count; i++) {
			add_assoc_string(&rejected, err->rejected[i].address, err->rejected[i].reply);
		}
		zend_update_property(php_mailer_recipient_exception_ce, ex, "rejected",
							 sizeof("rejected") - 1, &rejected);
		zval_ptr_dtor(&rejected);
	}
	return ex;
}

void php_mailer_throw(mailer_error *err)
{
	if (EG(exception)) {
		/* a debug handler threw: let that exception through */
		mailer_error_clear(err);
		return;
	}
	if (err->kind == MAILER_ERR_INVALID) {
		zend_value_error("%s", err->message ? err->message : "unknown error");
		mailer_error_clear(err);
		return;
	}
	{
		zval ex;

		ZVAL_OBJ(&ex, php_mailer_exception_create(err));
		zend_throw_exception_object(&ex);
	}
	mailer_error_clear(err);
}

static zval *read_prop(zend_object *obj, const char *name)
{
	zval rv;

	return zend_read_property(php_mailer_exception_ce, obj, name, strlen(name), 1, &rv);
}

PHP_METHOD(Mailer_Exception, getSmtpCode)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_COPY_DEREF(read_prop(Z_OBJ_P(ZEND_THIS), "smtpCode"));
}

PHP_METHOD(Mailer_Exception, getEnhancedStatus)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_COPY_DEREF(read_prop(Z_OBJ_P(ZEND_THIS), "enhancedStatus"));
}

PHP_METHOD(Mailer_Exception, getReply)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_COPY_DEREF(read_prop(Z_OBJ_P(ZEND_THIS), "reply"));
}

PHP_METHOD(Mailer_Exception, getCommand)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_COPY_DEREF(read_prop(Z_OBJ_P(ZEND_THIS), "command"));
}

PHP_METHOD(Mailer_Exception, getStage)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_COPY_DEREF(read_prop(Z_OBJ_P(ZEND_THIS), "stage"));
}

PHP_METHOD(Mailer_RecipientException, getRejected)
{
	zval rv;

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_COPY_DEREF(zend_read_property(php_mailer_recipient_exception_ce, Z_OBJ_P(ZEND_THIS),
										 "rejected", sizeof("rejected") - 1, 1, &rv));
}
