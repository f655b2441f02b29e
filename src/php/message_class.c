/* Mailer\Message: a mailer_message built method by method. Every method
 * checks its input at once and throws a ValueError naming the problem, so a
 * bad message never reaches Mailer::send(). Bodies and in-memory attachments
 * are kept as refcounted strings, never copied; files are only checked here. */
#include "php/classes.h"
#include "php/exceptions.h"
#include "php/message_class.h"
#include "php/file_source.h"
#include "core/util/alloc.h"
#include "core/mime/header.h"
#include "core/mime/fields.h"
#include "core/mime/message.h"
#include "core/send/pipeline.h"

#include <stddef.h> /* offsetof: PHP 8.6 dropped its XtOffsetOf */
#include "zend_exceptions.h"
#include "zend_smart_str.h"

zend_class_entry *php_mailer_message_ce;
static zend_object_handlers php_mailer_message_handlers;

typedef struct php_mailer_message_object {
	mailer_message msg;
	/* The message is being written (send(), sign(), toString()): every method
	 * called then (from a debug handler, a stream wrapper, __toString()) is
	 * refused; a change, or a second pass over its files, would free data
	 * under the writer. */
	bool busy;
	zend_object std;
} php_mailer_message_object;

static inline php_mailer_message_object *message_from_obj(zend_object *obj)
{
	return (php_mailer_message_object *)((char *)obj - offsetof(php_mailer_message_object, std));
}

#define Z_MESSAGE_P(zv) message_from_obj(Z_OBJ_P(zv))

/* ---- object handlers ---- */

static zend_object *message_create(zend_class_entry *ce)
{
	php_mailer_message_object *o = zend_object_alloc(sizeof(php_mailer_message_object), ce);

	mailer_message_init(&o->msg);
	o->busy = false;
	zend_object_std_init(&o->std, ce);
	object_properties_init(&o->std, ce);
	o->std.handlers = &php_mailer_message_handlers;
	return &o->std;
}

static void message_free(zend_object *obj)
{
	php_mailer_message_object *o = message_from_obj(obj);

	mailer_message_free(&o->msg);
	zend_object_std_dtor(obj);
}

void php_mailer_message_register_handlers(zend_class_entry *ce)
{
	php_mailer_message_ce = ce;
	ce->create_object = message_create;
	memcpy(&php_mailer_message_handlers, zend_get_std_object_handlers(),
		   sizeof(zend_object_handlers));
	php_mailer_message_handlers.offset = offsetof(php_mailer_message_object, std);
	php_mailer_message_handlers.free_obj = message_free;
	/* a copy would share file handles and fixed ids; build another message instead */
	php_mailer_message_handlers.clone_obj = NULL;
	/* no get_gc: the object holds strings only, which cannot form cycles */
}

/* ---- helpers ---- */

static void release_string(void *owner)
{
	zend_string_release((zend_string *)owner);
}

#define BUSY_TEXT "Mailer\\Message is busy being sent or converted; "

/* The message of a method, or NULL after throwing when it is being written. */
static mailer_message *writable(zend_execute_data *execute_data)
{
	php_mailer_message_object *o = Z_MESSAGE_P(ZEND_THIS);

	if (o->busy) {
		zend_throw_error(NULL,
						 BUSY_TEXT "Mailer\\Message::%s() cannot be called until that is done",
						 ZSTR_VAL(EX(func)->common.function_name));
		return NULL;
	}
	return &o->msg;
}

/* A core validation failure as a ValueError naming the method. */
static void throw_invalid(const char *method, mailer_error *err)
{
	zend_value_error("Mailer\\Message::%s(): %s", method,
					 err->message ? err->message : "invalid argument");
	mailer_error_clear(err);
}

/* Parses every address first, so a bad one leaves the list unchanged. */
static void add_addresses(INTERNAL_FUNCTION_PARAMETERS, const char *method, size_t which)
{
	zval *args = NULL;
	uint32_t argc = 0, i;
	mailer_message *m;
	mailer_address_list parsed, *list;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(0, -1)
		Z_PARAM_VARIADIC('*', args, argc)
	ZEND_PARSE_PARAMETERS_END();

	if (!(m = writable(execute_data))) {
		RETURN_THROWS();
	}
	list = which == 0 ? &m->to : which == 1 ? &m->cc : which == 2 ? &m->bcc : &m->reply_to;
	mailer_address_list_init(&parsed);
	mailer_error_init(&err);
	for (i = 0; i < argc; i++) {
		zend_string *arg;

		/* variadics get no parameter parsing: coerce as a string parameter would */
		if (!zend_parse_arg_str(&args[i], &arg, false, i + 1)) {
			mailer_address_list_free(&parsed);
			if (!EG(exception)) {
				zend_argument_type_error(i + 1, "must be of type string, %s given",
										 zend_zval_type_name(&args[i]));
			}
			RETURN_THROWS();
		}
		if (mailer_address_parse_one(&parsed, ZSTR_VAL(arg), ZSTR_LEN(arg), &err) != MAILER_OK) {
			mailer_address_list_free(&parsed);
			throw_invalid(method, &err);
			RETURN_THROWS();
		}
	}
	if (parsed.count) {
		list->items =
			safe_erealloc(list->items, list->count + parsed.count, sizeof(*list->items), 0);
		memcpy(list->items + list->count, parsed.items, parsed.count * sizeof(*parsed.items));
		list->count += parsed.count;
		efree(parsed.items);
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

/* ---- methods ---- */

PHP_METHOD(Mailer_Message, from)
{
	zend_string *address, *name = NULL;
	mailer_address_list parsed;
	mailer_message *m;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR(address)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(name)
	ZEND_PARSE_PARAMETERS_END();

	if (!(m = writable(execute_data))) {
		RETURN_THROWS();
	}
	mailer_address_list_init(&parsed);
	mailer_error_init(&err);
	if (mailer_address_parse_one(&parsed, ZSTR_VAL(address), ZSTR_LEN(address), &err) !=
		MAILER_OK) {
		throw_invalid("from", &err);
		RETURN_THROWS();
	}
	if (name && ZSTR_LEN(name)) {
		if (!mailer_header_value_valid(ZSTR_VAL(name), ZSTR_LEN(name))) {
			mailer_address_list_free(&parsed);
			zend_argument_value_error(2, "must be valid UTF-8 without CR, LF or NUL");
			RETURN_THROWS();
		}
		mailer_free(parsed.items[0].name);
		parsed.items[0].name = estrndup(ZSTR_VAL(name), ZSTR_LEN(name));
	}
	mailer_address_list_free(&m->from);
	m->from = parsed;
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(Mailer_Message, to)
{
	add_addresses(INTERNAL_FUNCTION_PARAM_PASSTHRU, "to", 0);
}

PHP_METHOD(Mailer_Message, cc)
{
	add_addresses(INTERNAL_FUNCTION_PARAM_PASSTHRU, "cc", 1);
}

PHP_METHOD(Mailer_Message, bcc)
{
	add_addresses(INTERNAL_FUNCTION_PARAM_PASSTHRU, "bcc", 2);
}

PHP_METHOD(Mailer_Message, replyTo)
{
	add_addresses(INTERNAL_FUNCTION_PARAM_PASSTHRU, "replyTo", 3);
}

PHP_METHOD(Mailer_Message, subject)
{
	zend_string *subject;
	mailer_message *m;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(subject)
	ZEND_PARSE_PARAMETERS_END();

	if (!(m = writable(execute_data))) {
		RETURN_THROWS();
	}
	mailer_error_init(&err);
	if (mailer_message_set_subject(m, ZSTR_VAL(subject), ZSTR_LEN(subject), &err) != MAILER_OK) {
		throw_invalid("subject", &err);
		RETURN_THROWS();
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

static void set_body(INTERNAL_FUNCTION_PARAMETERS, mailer_part_kind kind)
{
	zend_string *body;
	mailer_message *m;
	mailer_bytes data;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(body)
	ZEND_PARSE_PARAMETERS_END();

	if (!(m = writable(execute_data))) {
		RETURN_THROWS();
	}
	data.data = ZSTR_VAL(body);
	data.len = ZSTR_LEN(body);
	data.release = release_string;
	data.owner = zend_string_copy(body);
	mailer_error_init(&err);
	if (mailer_mime_set_body(&m->mime, kind, &data, 1, &err) != MAILER_OK) {
		zend_string_release(body);
		throw_invalid(kind == MAILER_PART_TEXT ? "text" : "html", &err);
		RETURN_THROWS();
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(Mailer_Message, text)
{
	set_body(INTERNAL_FUNCTION_PARAM_PASSTHRU, MAILER_PART_TEXT);
}

PHP_METHOD(Mailer_Message, html)
{
	set_body(INTERNAL_FUNCTION_PARAM_PASSTHRU, MAILER_PART_HTML);
}

/* Adds the part, or throws; either way spec's data or source is accounted for. */
static zend_result add_file(mailer_message *m, mailer_file_spec *spec, const char *method)
{
	mailer_error err;

	mailer_error_init(&err);
	if (mailer_mime_add_file(&m->mime, spec, &err) != MAILER_OK) {
		if (spec->source.ops) {
			spec->source.ops->free(spec->source.ctx);
		}
		if (spec->data.release) {
			spec->data.release(spec->data.owner);
		}
		throw_invalid(method, &err);
		return FAILURE;
	}
	return SUCCESS;
}

/* attach(path, name) and embed(path, cid): name is the name shown (NULL: the
 * file's base name), cid the Content-ID of an embedded file. */
static zend_result file_part(mailer_message *m, mailer_part_kind kind, zend_string *path,
							 zend_string *name, zend_string *cid, zend_string *type)
{
	zend_string *basename = NULL;
	mailer_file_spec spec;
	zend_result rc;

	memset(&spec, 0, sizeof(spec));
	spec.kind = kind;
	if (php_mailer_file_source_create(path, 1, &spec.source, &basename) != SUCCESS) {
		return FAILURE;
	}
	spec.filename = name ? ZSTR_VAL(name) : ZSTR_VAL(basename);
	spec.filename_len = name ? ZSTR_LEN(name) : ZSTR_LEN(basename);
	if (cid) {
		spec.cid = ZSTR_VAL(cid);
		spec.cid_len = ZSTR_LEN(cid);
	}
	if (type) {
		spec.content_type = ZSTR_VAL(type);
		spec.content_type_len = ZSTR_LEN(type);
	}
	rc = add_file(m, &spec, kind == MAILER_PART_INLINE ? "embed" : "attach");
	zend_string_release(basename);
	return rc;
}

PHP_METHOD(Mailer_Message, attach)
{
	zend_string *path, *name = NULL, *type = NULL;
	mailer_message *m;

	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_PATH_STR(path)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(name)
		Z_PARAM_STR_OR_NULL(type)
	ZEND_PARSE_PARAMETERS_END();

	if (!(m = writable(execute_data)) ||
		file_part(m, MAILER_PART_ATTACHMENT, path, name, NULL, type) != SUCCESS) {
		RETURN_THROWS();
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(Mailer_Message, embed)
{
	zend_string *path, *cid, *type = NULL;
	mailer_message *m;

	ZEND_PARSE_PARAMETERS_START(2, 3)
		Z_PARAM_PATH_STR(path)
		Z_PARAM_STR(cid)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(type)
	ZEND_PARSE_PARAMETERS_END();

	if (!(m = writable(execute_data)) ||
		file_part(m, MAILER_PART_INLINE, path, NULL, cid, type) != SUCCESS) {
		RETURN_THROWS();
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(Mailer_Message, attachData)
{
	zend_string *data, *name, *type = NULL;
	mailer_file_spec spec;
	mailer_message *m;

	ZEND_PARSE_PARAMETERS_START(2, 3)
		Z_PARAM_STR(data)
		Z_PARAM_STR(name)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(type)
	ZEND_PARSE_PARAMETERS_END();

	if (!(m = writable(execute_data))) {
		RETURN_THROWS();
	}
	memset(&spec, 0, sizeof(spec));
	spec.kind = MAILER_PART_ATTACHMENT;
	spec.data.data = ZSTR_VAL(data);
	spec.data.len = ZSTR_LEN(data);
	spec.data.release = release_string;
	spec.data.owner = zend_string_copy(data);
	spec.filename = ZSTR_VAL(name);
	spec.filename_len = ZSTR_LEN(name);
	if (type) {
		spec.content_type = ZSTR_VAL(type);
		spec.content_type_len = ZSTR_LEN(type);
	}
	if (add_file(m, &spec, "attachData") != SUCCESS) {
		RETURN_THROWS();
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

PHP_METHOD(Mailer_Message, header)
{
	zend_string *name, *value;
	mailer_message *m;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(name)
		Z_PARAM_STR(value)
	ZEND_PARSE_PARAMETERS_END();

	if (!(m = writable(execute_data))) {
		RETURN_THROWS();
	}
	/* the core's field table, as for sendmail()'s $headers */
	mailer_error_init(&err);
	if (mailer_message_set_field(m, MAILER_FIELD_FROM_MESSAGE, ZSTR_VAL(name), ZSTR_LEN(name),
								 ZSTR_VAL(value), ZSTR_LEN(value), &err) != MAILER_OK) {
		throw_invalid("header", &err);
		RETURN_THROWS();
	}
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

mailer_message *php_mailer_message_acquire(zend_object *obj, const char *method)
{
	php_mailer_message_object *o = message_from_obj(obj);
	mailer_message *m = &o->msg;
	mailer_error err;

	if (o->busy) {
		zend_throw_error(NULL, BUSY_TEXT "%s cannot take it until that is done", method);
		return NULL;
	}
	if (m->from.count == 0) {
		zend_value_error("%s: the message has no From address (call Mailer\\Message::from())",
						 method);
		return NULL;
	}
	if (m->to.count + m->cc.count + m->bcc.count == 0) {
		zend_value_error(
			"%s: the message has no recipients (call Mailer\\Message::to(), cc() or bcc())",
			method);
		return NULL;
	}
	mailer_error_init(&err);
	if (mailer_message_prepare(m, &err) != MAILER_OK) {
		php_mailer_throw(&err);
		return NULL;
	}
	o->busy = true;
	return m;
}

void php_mailer_message_release(zend_object *obj)
{
	message_from_obj(obj)->busy = false;
}

static mailer_status smart_str_sink(void *ctx, const char *data, size_t len)
{
	smart_str_appendl((smart_str *)ctx, data, len);
	return MAILER_OK;
}

zend_string *php_mailer_pipeline_string(mailer_pipeline *p)
{
	smart_str out = {0};
	mailer_sink to_str = {smart_str_sink, &out};
	mailer_error err;

	mailer_error_init(&err);
	if (mailer_pipeline_write(p, &to_str, &err) != MAILER_OK) {
		smart_str_free(&out);
		if (!EG(exception)) {
			php_mailer_throw(&err);
		}
		mailer_error_clear(&err);
		return NULL;
	}
	mailer_error_clear(&err);
	/* an empty message still returns a string */
	return out.s ? smart_str_extract(&out) : ZSTR_EMPTY_ALLOC();
}

PHP_METHOD(Mailer_Message, toString)
{
	mailer_message *m;
	mailer_pipeline p;
	zend_string *out = NULL;

	ZEND_PARSE_PARAMETERS_NONE();

	if (!writable(execute_data) ||
		!(m = php_mailer_message_acquire(Z_OBJ_P(ZEND_THIS), "Mailer\\Message::toString()"))) {
		RETURN_THROWS();
	}
	mailer_pipeline_from_message(&p, m);
	/* a fatal error in a stream wrapper unwinds through here: the message
	 * is let go (shutdown functions may still use it) */
	/* zend_try ... zend_end_try() is one construct, written as php-src does */
	/* clang-format off */
	zend_try {
		out = php_mailer_pipeline_string(&p);
	} zend_catch {
		mailer_pipeline_free(&p);
		php_mailer_message_release(Z_OBJ_P(ZEND_THIS));
		zend_bailout();
	} zend_end_try();
	/* clang-format on */
	mailer_pipeline_free(&p);
	php_mailer_message_release(Z_OBJ_P(ZEND_THIS));
	if (!out) {
		RETURN_THROWS();
	}
	RETURN_STR(out);
}
