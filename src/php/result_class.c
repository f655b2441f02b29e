/* Mailer\Result: made by the extension only (its constructor is private), its
 * properties readonly and filled once, here. */
#include "php/classes.h"
#include "php/result_class.h"

zend_class_entry *php_mailer_result_ce;

/* The properties' slots, in the stub's order of declaration. */
enum { RESULT_STATUS = 0, RESULT_REPLY, RESULT_QUEUE_ID, RESULT_RECIPIENTS, RESULT_ERROR };

void php_mailer_recipients_array(zval *out, const mailer_rcpt_result *rcpts, size_t count)
{
	size_t i;
	zval entry;

	array_init_size(out, (uint32_t)count);
	for (i = 0; i < count; i++) {
		const mailer_rcpt_result *r = &rcpts[i];

		array_init_size(&entry, 3);
		add_assoc_long(&entry, "code", r->code);
		if (r->enhanced[0]) {
			add_assoc_string(&entry, "status", r->enhanced);
		} else {
			add_assoc_null(&entry, "status");
		}
		add_assoc_string(&entry, "reply", r->reply);
		add_assoc_zval(out, r->address, &entry);
	}
}

void php_mailer_result_create(zval *out, const char *status, const char *reply, size_t reply_len,
							  const char *queue_id, const mailer_rcpt_result *rcpts,
							  size_t rcpt_count, zend_object *error)
{
	zend_object *obj;

	object_init_ex(out, php_mailer_result_ce);
	obj = Z_OBJ_P(out);
	/* written into the slots directly: the object is new, every property still
	 * uninitialized, and the values have the declared types; a write through the
	 * handlers would be refused for readonly ones outside the class's scope */
	ZVAL_STRING(OBJ_PROP_NUM(obj, RESULT_STATUS), status);
	if (reply) {
		ZVAL_STRINGL(OBJ_PROP_NUM(obj, RESULT_REPLY), reply, reply_len);
	} else {
		ZVAL_NULL(OBJ_PROP_NUM(obj, RESULT_REPLY));
	}
	if (queue_id) {
		ZVAL_STRING(OBJ_PROP_NUM(obj, RESULT_QUEUE_ID), queue_id);
	} else {
		ZVAL_NULL(OBJ_PROP_NUM(obj, RESULT_QUEUE_ID));
	}
	php_mailer_recipients_array(OBJ_PROP_NUM(obj, RESULT_RECIPIENTS), rcpts, rcpt_count);
	if (error) {
		GC_ADDREF(error);
		ZVAL_OBJ(OBJ_PROP_NUM(obj, RESULT_ERROR), error);
	} else {
		ZVAL_NULL(OBJ_PROP_NUM(obj, RESULT_ERROR));
	}
}

/* Private: `new Mailer\Result` is an Error; only sendMany() makes them. */
PHP_METHOD(Mailer_Result, __construct)
{
	ZEND_PARSE_PARAMETERS_NONE();
}
