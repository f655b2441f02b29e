/* Mailer::sendMany(): the glue of bulk sending. The core (core/send/batch.h) runs
 * the sessions and tells each item's fate; this file hands it items read lazily
 * from the iterable, makes each fate a Mailer\Result for onResult, and gives the
 * batch its extra sessions. An exception of PHP code it runs (the iterable,
 * onResult) stops the batch: it is put aside while the core finishes what is in
 * flight (the stream I/O refuses the wire while one is pending), then rethrown. */
#include "php/classes.h"
#include "php/compose.h"
#include "php/exceptions.h"
#include "php/mailer_object.h"
#include "php/message_class.h"
#include "php/result_class.h"
#include "php/stream_io.h"
#include "core/send/batch.h"
#include "core/send/envelope.h"
#include "core/util/alloc.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include <math.h>
#include <string.h>

#define MANY_WINDOW_DEFAULT 32

/* One item, from next() until its fate is told (or the batch ends without it). */
typedef struct many_item {
	mailer_batch_item base;
	struct many_item *prev, *next; /* the items the core holds */
	zval key;
	zval value;           /* the item as given: keeps a Message alive */
	zend_object *message; /* the acquired Mailer\Message, or NULL */
	zend_string *data;    /* a raw item's data (referenced: the pipeline borrows it) */
	mailer_address_list sender, rcpts;
	mailer_send_envelope env;
	mailer_pipeline pipeline;
	bool has_env, has_pipeline;
} many_item;

/* Where a session's debug lines go: the Mailer's output, numbered. */
typedef struct many_debug {
	php_mailer_object *m;
	const mailer_smtp *s;
	unsigned number;
} many_debug;

/* A session besides the Mailer's own (index 1 and up). */
typedef struct many_session {
	mailer_smtp smtp;
	php_mailer_stream_io io;
	many_debug debug;
} many_session;

typedef struct many_ctx {
	php_mailer_object *m;
	HashTable *array; /* the iterable: an array ... */
	HashPosition pos;
	zend_object_iterator *iter; /* ... or a Traversable's iterator */
	zend_long index;            /* the iterator's position, its key when it has none */
	bool started;
	zend_fcall_info fci; /* onResult, when given */
	zend_fcall_info_cache fcc;
	unsigned connections;
	many_session **sessions; /* [connections], created on demand; [0] unused (the Mailer's) */
	many_debug debug0;       /* session 0's, when there are several */
	mailer_debug_fn saved_debug;
	void *saved_debug_ctx;
	many_item *items;      /* what the core holds */
	zend_object *pending;  /* an exception of PHP code, put aside */
	size_t failed_here;    /* items failed before the core saw them */
	unsigned last_session; /* the session of the last fate the core told */
	bool told;             /* the core told one */
	/* that item's recipients, for getLastRecipients() after the batch (pipelined
	 * transactions keep them per message, not in the session) */
	mailer_rcpt_result *last_rcpts;
	size_t last_rcpt_count;
	/* and its final reply (the acceptance or the refusal; none: empty), for getLastReply():
	 * the session's own last reply may be a later RSET's or another item's */
	mailer_buf last_reply;
} many_ctx;

static const char *const status_names[] = {"sent", "rejected", "failed", "uncertain"};

/* ---- exceptions of PHP code ---- */

/* Moves a pending exception aside, so that the core can still finish what is in flight.
 * The first one is what sendMany() throws; a later one (onResult throwing again for an
 * item that was in flight) is appended to its chain of previous exceptions. */
static void put_aside(many_ctx *c)
{
	zend_object *ex = EG(exception);

	if (!ex) {
		return;
	}
	EG(exception) = NULL;
	if (c->pending) {
		zend_exception_set_previous(c->pending, ex);
	} else {
		c->pending = ex;
	}
}

/* Puts it back, as zend_exception_restore() does. */
static void restore_pending(many_ctx *c)
{
	if (!c->pending) {
		return;
	}
	if (EG(exception)) {
		zend_exception_set_previous(EG(exception), c->pending);
	} else {
		EG(exception) = c->pending;
	}
	c->pending = NULL;
}

/* ---- items ---- */

static void item_free(many_item *item)
{
	if (item->has_pipeline) {
		mailer_pipeline_free(&item->pipeline);
	}
	if (item->has_env) {
		mailer_send_envelope_free(&item->env);
	}
	if (item->message) {
		php_mailer_message_release(item->message);
	}
	if (item->data) {
		zend_string_release(item->data);
	}
	mailer_address_list_free(&item->sender);
	mailer_address_list_free(&item->rcpts);
	zval_ptr_dtor(&item->key);
	zval_ptr_dtor(&item->value);
	efree(item);
}

static void item_link(many_ctx *c, many_item *item)
{
	item->prev = NULL;
	item->next = c->items;
	if (c->items) {
		c->items->prev = item;
	}
	c->items = item;
}

static void item_unlink(many_ctx *c, many_item *item)
{
	if (item->prev) {
		item->prev->next = item->next;
	} else {
		c->items = item->next;
	}
	if (item->next) {
		item->next->prev = item->prev;
	}
}

/* A raw item: ["from" => string, "to" => string|array, "data" => string], checked as
 * sendRaw() checks its arguments; throws (ValueError, TypeError) when it is bad. */
static zend_result raw_item(many_item *item, HashTable *raw)
{
	zval *from = NULL, *to = NULL, *data = NULL, *value;
	zend_string *key;
	zend_ulong index;
	const char *problem;
	mailer_error err;

	ZEND_HASH_FOREACH_KEY_VAL(raw, index, key, value) {
		ZVAL_DEREF(value);
		if (key && zend_string_equals_literal(key, "from")) {
			from = value;
		} else if (key && zend_string_equals_literal(key, "to")) {
			to = value;
		} else if (key && zend_string_equals_literal(key, "data")) {
			data = value;
		} else if (key) {
			zend_value_error("an item array has the keys \"from\", \"to\" and \"data\", not \"%s\"",
							 ZSTR_VAL(key));
			return FAILURE;
		} else {
			zend_value_error(
				"an item array has the keys \"from\", \"to\" and \"data\", not " ZEND_ULONG_FMT,
				index);
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	if (!from || !to || !data) {
		zend_value_error(
			"an item array needs the keys \"from\", \"to\" and \"data\" (\"%s\" is missing)",
			!from ? "from"
			: !to ? "to"
				  : "data");
		return FAILURE;
	}
	if (Z_TYPE_P(from) != IS_STRING || Z_TYPE_P(data) != IS_STRING) {
		zend_type_error("item \"%s\" must be of type string, %s given",
						Z_TYPE_P(from) != IS_STRING ? "from" : "data",
						zend_zval_type_name(Z_TYPE_P(from) != IS_STRING ? from : data));
		return FAILURE;
	}
	mailer_error_init(&err);
	if (Z_STRLEN_P(from) && mailer_address_parse_one(&item->sender, Z_STRVAL_P(from),
													 Z_STRLEN_P(from), &err) != MAILER_OK) {
		php_mailer_throw(&err);
		return FAILURE;
	}
	if (php_mailer_addresses_from_zval(to, "recipient", &item->rcpts) != SUCCESS) {
		return FAILURE;
	}
	if ((problem = php_mailer_raw_data_problem(Z_STR_P(data))) != NULL) {
		zend_value_error("item \"data\" %s", problem);
		return FAILURE;
	}
	if (item->rcpts.count == 0) {
		zend_value_error("item \"to\" must name at least one recipient");
		return FAILURE;
	}
	item->data = zend_string_copy(Z_STR_P(data));
	/* "" is the null reverse-path "<>" (bounces) */
	if (mailer_envelope_from_lists(&item->env, item->sender.count ? item->sender.items[0].addr : "",
								   &item->rcpts, ZSTR_VAL(item->data), ZSTR_LEN(item->data),
								   &err) != MAILER_OK) {
		php_mailer_throw(&err);
		return FAILURE;
	}
	item->has_env = true;
	mailer_pipeline_from_raw(&item->pipeline, ZSTR_VAL(item->data), ZSTR_LEN(item->data));
	item->has_pipeline = true;
	return SUCCESS;
}

/* A Mailer\Message item, held (acquired) until its fate is told. Throws when it is bad. */
static zend_result message_item(many_item *item, zend_object *obj)
{
	mailer_message *msg;
	mailer_error err;

	if (!(msg = php_mailer_message_acquire(obj, "Mailer::sendMany()"))) {
		return FAILURE;
	}
	item->message = obj;
	mailer_error_init(&err);
	if (mailer_envelope_from_message(&item->env, msg, &err) != MAILER_OK) {
		php_mailer_throw(&err);
		return FAILURE;
	}
	item->has_env = true;
	mailer_pipeline_from_message(&item->pipeline, msg);
	item->has_pipeline = true;
	return SUCCESS;
}

/* ---- fates ---- */

/* A Result's error (and its previous) without the arguments of its trace, as ext/sodium
 * strips its own: they hold the iterable and onResult, and onResult often holds the
 * Results, a cycle that outlives the batch until the collector runs. */
static void strip_trace_args(zend_object *ex)
{
	zval rv, *trace, *frame, *args, *previous;

	while (ex) {
		zend_class_entry *base = zend_get_exception_base(ex);

		trace = zend_read_property_ex(base, ex, ZSTR_KNOWN(ZEND_STR_TRACE), 1, &rv);
		if (Z_TYPE_P(trace) == IS_ARRAY) {
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(trace), frame) {
				if (Z_TYPE_P(frame) == IS_ARRAY &&
					(args = zend_hash_find(Z_ARRVAL_P(frame), ZSTR_KNOWN(ZEND_STR_ARGS))) != NULL) {
					zval_ptr_dtor(args);
					ZVAL_EMPTY_ARRAY(args);
				}
			}
			ZEND_HASH_FOREACH_END();
		}
		previous = zend_read_property_ex(base, ex, ZSTR_KNOWN(ZEND_STR_PREVIOUS), 1, &rv);
		ex = Z_TYPE_P(previous) == IS_OBJECT ? Z_OBJ_P(previous) : NULL;
	}
}

/* Tells onResult($key, $result); MAILER_FAIL when it threw (the exception put aside). */
static mailer_status tell(many_ctx *c, many_item *item, const char *status, const char *reply,
						  size_t reply_len, const char *queue_id, const mailer_rcpt_result *rcpts,
						  size_t rcpt_count, zend_object *error)
{
	zval args[2], retval;

	/* PHP code the core ran (a debug handler) may have thrown: onResult runs normally
	 * with it put aside (a call with an exception pending does not run), and it is
	 * what sendMany() throws */
	put_aside(c);
	if (!ZEND_FCI_INITIALIZED(c->fci)) {
		return MAILER_OK;
	}
	if (error) {
		strip_trace_args(error);
	}
	ZVAL_COPY(&args[0], &item->key);
	php_mailer_result_create(&args[1], status, reply, reply_len, queue_id, rcpts, rcpt_count,
							 error);
	ZVAL_UNDEF(&retval);
	c->fci.retval = &retval;
	c->fci.params = args;
	c->fci.param_count = 2;
	zend_call_function(&c->fci, &c->fcc);
	zval_ptr_dtor(&retval);
	zval_ptr_dtor(&args[0]);
	zval_ptr_dtor(&args[1]);
	if (EG(exception)) {
		put_aside(c);
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

/* An item that failed before the core saw it (bad input, its message could not be
 * prepared): a "failed" Result, error the Mailer\Exception that says why (its
 * previous the ValueError or TypeError, for bad input). Takes error's reference. */
static mailer_status fail_here(many_ctx *c, many_item *item, zend_object *error)
{
	mailer_status st;

	item_link(c, item); /* while onResult runs: a fatal error there lets it go (finish()) */
	st = tell(c, item, "failed", NULL, 0, NULL, NULL, 0, error);
	item_unlink(c, item);
	OBJ_RELEASE(error);
	c->failed_here++;
	item_free(item);
	return st;
}

/* The pending ValueError/TypeError of a bad item as a Mailer\Exception. */
static zend_object *invalid_item_error(void)
{
	zend_object *cause = EG(exception), *ex;
	zval rv, *message;
	mailer_error err;

	EG(exception) = NULL;
	message = zend_read_property_ex(cause->ce, cause, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
	mailer_error_init(&err);
	err.kind = MAILER_ERR_INVALID;
	err.message = mailer_strdup(Z_TYPE_P(message) == IS_STRING ? Z_STRVAL_P(message) : "");
	ex = php_mailer_exception_create(&err);
	mailer_error_clear(&err);
	zend_exception_set_previous(ex, cause);
	return ex;
}

static void free_last_rcpts(many_ctx *c)
{
	mailer_rcpt_results_free(&c->last_rcpts, &c->last_rcpt_count);
}

/* The recipients of the item told last, kept for the Mailer after the batch. */
static void keep_last_rcpts(many_ctx *c, const mailer_rcpt_result *rcpts, size_t count)
{
	free_last_rcpts(c);
	mailer_rcpt_results_copy(&c->last_rcpts, rcpts, count);
	c->last_rcpt_count = count;
}

static mailer_status many_result(void *ctx, mailer_batch_item *base, const mailer_batch_result *r)
{
	many_ctx *c = ctx;
	many_item *item = base->owner;
	zend_object *error = NULL;
	const char *reply = NULL;
	size_t reply_len = 0;
	mailer_status st;

	c->last_session = r->session;
	c->told = true;
	keep_last_rcpts(c, r->rcpts, r->rcpt_count);
	if (r->status == MAILER_BATCH_SENT && r->reply) {
		reply = mailer_buf_cstr(&r->reply->text);
		reply_len = r->reply->text.len;
	} else if (r->error) {
		error = php_mailer_exception_create(r->error);
		if (r->error->reply) {
			reply = r->error->reply;
			reply_len = strlen(reply);
		}
	}
	mailer_buf_reset(&c->last_reply);
	if (reply) {
		mailer_buf_append(&c->last_reply, reply, reply_len);
	}
	/* still listed while onResult runs: a fatal error there lets it go (finish()) */
	st = tell(c, item, status_names[r->status], reply, reply_len, r->queue_id, r->rcpts,
			  r->rcpt_count, error);
	if (error) {
		OBJ_RELEASE(error);
	}
	item_unlink(c, item);
	item_free(item);
	return st;
}

/* ---- the iterable ---- */

/* The next value and its key (a new reference): 1, 0 at the end, -1 when PHP code
 * threw (the exception still pending). */
static int fetch(many_ctx *c, zval **value, zval *key)
{
	if (c->array) {
		if (c->started) {
			zend_hash_move_forward_ex(c->array, &c->pos);
		} else {
			zend_hash_internal_pointer_reset_ex(c->array, &c->pos);
			c->started = true;
		}
		if (!(*value = zend_hash_get_current_data_ex(c->array, &c->pos))) {
			return 0;
		}
		zend_hash_get_current_key_zval_ex(c->array, key, &c->pos);
		return 1;
	}
	if (c->started) {
		c->iter->funcs->move_forward(c->iter);
		c->index++;
	} else {
		c->started = true;
		if (c->iter->funcs->rewind) {
			c->iter->funcs->rewind(c->iter);
		}
	}
	if (EG(exception)) {
		return -1;
	}
	if (c->iter->funcs->valid(c->iter) != SUCCESS) {
		return EG(exception) ? -1 : 0;
	}
	*value = c->iter->funcs->get_current_data(c->iter);
	if (EG(exception) || !*value) {
		return EG(exception) ? -1 : 0;
	}
	if (c->iter->funcs->get_current_key) {
		c->iter->funcs->get_current_key(c->iter, key);
		if (EG(exception)) {
			zval_ptr_dtor(key);
			return -1;
		}
	} else {
		ZVAL_LONG(key, c->index);
	}
	return 1;
}

static int many_next(void *ctx, mailer_batch_item **out)
{
	many_ctx *c = ctx;
	mailer_error err;
	many_item *item;
	zval *value, key;
	int got;

	for (;;) {
		if (c->pending) {
			return -1;
		}
		ZVAL_UNDEF(&key);
		if ((got = fetch(c, &value, &key)) <= 0) {
			put_aside(c);
			return got;
		}
		if (Z_TYPE(key) != IS_LONG && Z_TYPE(key) != IS_STRING) {
			zend_type_error("Mailer::sendMany(): Argument #1 ($messages) must have int or string "
							"keys (they are passed back to $onResult), %s given",
							zend_zval_type_name(&key));
			zval_ptr_dtor(&key);
			put_aside(c);
			return -1;
		}
		ZVAL_DEREF(value);
		item = ecalloc(1, sizeof(*item));
		ZVAL_COPY_VALUE(&item->key, &key);
		ZVAL_COPY(&item->value, value);
		mailer_address_list_init(&item->sender);
		mailer_address_list_init(&item->rcpts);
		/* no PHP code runs while an item is checked: what this throws is about the item */
		if (Z_TYPE_P(value) == IS_OBJECT &&
			instanceof_function(Z_OBJCE_P(value), php_mailer_message_ce)) {
			message_item(item, Z_OBJ_P(value));
		} else if (Z_TYPE_P(value) == IS_ARRAY) {
			raw_item(item, Z_ARRVAL_P(value));
		} else {
			zend_type_error("an item must be a Mailer\\Message or an array [\"from\" => ..., "
							"\"to\" => ..., \"data\" => ...], %s given",
							zend_zval_type_name(value));
		}
		if (EG(exception)) {
			if (fail_here(c, item, invalid_item_error()) != MAILER_OK) {
				return -1;
			}
			continue;
		}
		item->env.env.dsn_notify = c->m->opts.dsn_notify ? ZSTR_VAL(c->m->opts.dsn_notify) : NULL;
		item->env.env.dsn_ret = c->m->opts.dsn_ret ? ZSTR_VAL(c->m->opts.dsn_ret) : NULL;
		item->env.env.dsn_envid = c->m->opts.dsn_envid ? ZSTR_VAL(c->m->opts.dsn_envid) : NULL;
		mailer_error_init(&err);
		if (php_mailer_prepare_pipeline(c->m, &item->pipeline, &err) != MAILER_OK) {
			if (EG(exception)) {
				/* PHP code (a stream wrapper) failed: that stops the batch */
				mailer_error_clear(&err);
				item_free(item);
				put_aside(c);
				return -1;
			}
			got = fail_here(c, item, php_mailer_exception_create(&err)) == MAILER_OK;
			mailer_error_clear(&err);
			if (!got) {
				return -1;
			}
			continue;
		}
		item->base.env = item->env.env;
		item->base.pipeline = &item->pipeline;
		item->base.owner = item;
		item_link(c, item);
		*out = &item->base;
		return 1;
	}
}

/* ---- sessions ---- */

static void many_debug_line(void *ctx, const char *line, size_t len)
{
	many_debug *d = ctx;

	php_mailer_session_debug(d->m, d->s, d->number, line, len);
}

/* The Mailer's configuration for another session: hosts rotated by the index, so that
 * several sessions spread over failover hosts. */
static void copy_config(mailer_smtp_config *dst, const mailer_smtp_config *src, unsigned index)
{
	size_t i;

	*dst = *src;
	dst->hosts = mailer_calloc(src->host_count ? src->host_count : 1, sizeof(*dst->hosts));
	for (i = 0; i < src->host_count; i++) {
		dst->hosts[i] = src->hosts[(i + index) % src->host_count];
		dst->hosts[i].name = mailer_strdup(dst->hosts[i].name);
	}
	dst->helo = mailer_strdup(src->helo);
	dst->user = mailer_strdup(src->user);
	dst->pass = mailer_strdup(src->pass);
}

static mailer_smtp *many_session_at(void *ctx, unsigned index, mailer_error *err)
{
	many_ctx *c = ctx;
	php_mailer_object *m = c->m;
	many_session *ms;

	if (index == 0) {
		return &m->smtp;
	}
	if (index >= c->connections) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT,
						 "session %u asked for, only %u configured", index + 1, c->connections);
		return NULL;
	}
	if ((ms = c->sessions[index]) != NULL) {
		return &ms->smtp;
	}
	ms = ecalloc(1, sizeof(*ms));
	php_mailer_stream_io_init(&ms->io);
	ms->io.options = m->io.options;
	if (m->io.persistent_id) {
		/* a pool entry of its own per index: the next request's batch resumes each */
		ms->io.persistent_id = NULL;
		spprintf(&ms->io.persistent_id, 0, "%s#%u", m->io.persistent_id, index + 1);
	}
	mailer_smtp_init(&ms->smtp, &php_mailer_stream_io_ops, &ms->io);
	copy_config(&ms->smtp.cfg, &m->smtp.cfg, index);
	ms->debug.m = m;
	ms->debug.s = &ms->smtp;
	ms->debug.number = index + 1;
	if (c->saved_debug) {
		ms->smtp.debug = many_debug_line;
		ms->smtp.debug_ctx = &ms->debug;
	}
	c->sessions[index] = ms;
	return &ms->smtp;
}

/* QUIT (a persistent session is kept for the next request instead) and free. graceful
 * false: after a fatal error, not a byte more. */
static void end_session(many_session *ms, bool graceful)
{
	if (ms->io.persistent_id) {
		ms->io.detach = graceful && ms->io.holding && !ms->smtp.in_transaction;
	} else if (graceful && ms->smtp.connected) {
		mailer_smtp_quit(&ms->smtp);
	}
	ms->smtp.debug = NULL;
	mailer_smtp_free(&ms->smtp);
	php_mailer_stream_io_free(&ms->io);
	efree(ms);
}

/* After a batch, getLastReply() tells the final reply of the last item told (text: its
 * lines, "\n"-separated; empty when it had none). */
static void take_last_reply(mailer_smtp *dst, const mailer_buf *reply)
{
	const char *text = mailer_buf_cstr(reply), *end = text + reply->len, *lf;
	const char *why;

	mailer_reply_reset(&dst->reply);
	while (text < end) {
		lf = memchr(text, '\n', (size_t)(end - text));
		mailer_reply_feed(&dst->reply, text, (size_t)((lf ? lf : end) - text), &why);
		text = lf ? lf + 1 : end;
	}
}

/* ---- the method ---- */

static zend_result int_option(zval *value, const char *name, zend_long min, zend_long max,
							  unsigned *out)
{
	if (Z_TYPE_P(value) != IS_LONG) {
		zend_argument_type_error(3, "option \"%s\" must be of type int, %s given", name,
								 zend_zval_type_name(value));
		return FAILURE;
	}
	if (Z_LVAL_P(value) < min || Z_LVAL_P(value) > max) {
		zend_argument_value_error(3,
								  "option \"%s\" must be between " ZEND_LONG_FMT
								  " and " ZEND_LONG_FMT ", " ZEND_LONG_FMT " given",
								  name, min, max, Z_LVAL_P(value));
		return FAILURE;
	}
	*out = (unsigned)Z_LVAL_P(value);
	return SUCCESS;
}

static zend_result parse_options(HashTable *options, mailer_batch_config *cfg)
{
	zend_string *key;
	zend_ulong index;
	zval *value;

	cfg->connections = 1;
	cfg->window = MANY_WINDOW_DEFAULT;
	cfg->max_per_second = 0;
	if (!options) {
		return SUCCESS;
	}
	ZEND_HASH_FOREACH_KEY_VAL(options, index, key, value) {
		ZVAL_DEREF(value);
		if (!key) {
			zend_argument_value_error(3, "must have option names as keys, " ZEND_ULONG_FMT " given",
									  index);
			return FAILURE;
		}
		if (zend_string_equals_literal(key, "connections")) {
			if (int_option(value, "connections", 1, MAILER_BATCH_CONNECTIONS_MAX,
						   &cfg->connections) != SUCCESS) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(key, "window")) {
			if (int_option(value, "window", 1, MAILER_BATCH_WINDOW_MAX, &cfg->window) != SUCCESS) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(key, "max_per_second")) {
			if (Z_TYPE_P(value) != IS_LONG && Z_TYPE_P(value) != IS_DOUBLE) {
				zend_argument_type_error(3,
										 "option \"max_per_second\" must be of type int|float, "
										 "%s given",
										 zend_zval_type_name(value));
				return FAILURE;
			}
			cfg->max_per_second = zval_get_double(value);
			if (!(cfg->max_per_second >= 0) || !zend_finite(cfg->max_per_second)) {
				zend_argument_value_error(3, "option \"max_per_second\" must be a finite number "
											 ">= 0 (0: no limit)");
				return FAILURE;
			}
		} else {
			zend_argument_value_error(3,
									  "unknown option \"%s\" (known options: connections, window, "
									  "max_per_second)",
									  ZSTR_VAL(key));
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

/* Everything the batch leaves: items the core did not tell, extra sessions (QUIT, or
 * kept when persistent), the iterator, session 0's debug output. graceful false:
 * after a fatal error (no byte more on any connection, no PHP code). */
static void finish(many_ctx *c, bool graceful)
{
	unsigned i;

	while (c->items) {
		many_item *item = c->items;

		item_unlink(c, item);
		item_free(item);
	}
	c->m->smtp.debug = c->saved_debug;
	c->m->smtp.debug_ctx = c->saved_debug_ctx;
	if (graceful && c->told) {
		take_last_reply(&c->m->smtp, &c->last_reply);
	}
	mailer_buf_free(&c->last_reply);
	if (graceful && c->told) {
		mailer_smtp_clear_rcpts(&c->m->smtp);
		c->m->smtp.rcpts = c->last_rcpts;
		c->m->smtp.rcpt_count = c->last_rcpt_count;
		c->last_rcpts = NULL;
		c->last_rcpt_count = 0;
	}
	free_last_rcpts(c);
	for (i = 1; i < c->connections; i++) {
		if (c->sessions[i]) {
			end_session(c->sessions[i], graceful);
		}
	}
	efree(c->sessions);
	if (c->iter && graceful) {
		zend_iterator_dtor(c->iter);
	}
	c->m->in_batch = false;
}

void php_mailer_send_many_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	static const mailer_batch_ops ops = {many_next, many_result, many_session_at};
	zval *messages;
	HashTable *options = NULL;
	mailer_batch_config cfg;
	mailer_batch_summary sum;
	mailer_status rc = MAILER_FAIL;
	many_ctx c;
	bool bailed = false;

	memset(&c, 0, sizeof(c));
	c.fci = empty_fcall_info;
	c.fcc = empty_fcall_info_cache;
	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_ITERABLE(messages)
		Z_PARAM_OPTIONAL
		Z_PARAM_FUNC_OR_NULL(c.fci, c.fcc)
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (parse_options(options, &cfg) != SUCCESS) {
		RETURN_THROWS();
	}
	c.m = m;
	c.connections = cfg.connections;
	if (Z_TYPE_P(messages) == IS_ARRAY) {
		c.array = Z_ARRVAL_P(messages);
	} else {
		zend_class_entry *ce = Z_OBJCE_P(messages);

		c.iter = ce->get_iterator(ce, messages, 0);
		if (!c.iter || EG(exception)) {
			if (c.iter) {
				zend_iterator_dtor(c.iter);
			}
			RETURN_THROWS();
		}
	}
	c.sessions = ecalloc(cfg.connections, sizeof(*c.sessions));
	c.saved_debug = m->smtp.debug;
	c.saved_debug_ctx = m->smtp.debug_ctx;
	if (cfg.connections > 1 && c.saved_debug) {
		c.debug0.m = m;
		c.debug0.s = &m->smtp;
		c.debug0.number = 1;
		m->smtp.debug = many_debug_line;
		m->smtp.debug_ctx = &c.debug0;
	}
	m->in_batch = true;
	/* zend_try ... zend_end_try() is one construct, written as php-src does */
	/* clang-format off */
	zend_try {
		rc = mailer_batch_run(&cfg, &ops, &c, &sum);
	} zend_catch {
		bailed = true;
	} zend_end_try();
	/* clang-format on */
	if (bailed) {
		/* a fatal error in PHP code: let every Message go, drop the extra sessions
		 * without a byte (run_busy drops the Mailer's own), and unwind on */
		finish(&c, false);
		zend_bailout();
	}
	finish(&c, true);
	restore_pending(&c);
	if (EG(exception)) {
		RETURN_THROWS();
	}
	if (rc != MAILER_OK) {
		/* cannot happen: every way the batch stops comes with an exception */
		zend_throw_error(NULL, "Mailer::sendMany(): the batch stopped without a reason");
		RETURN_THROWS();
	}
	array_init_size(return_value, 4);
	add_assoc_long(return_value, "sent", (zend_long)sum.sent);
	add_assoc_long(return_value, "rejected", (zend_long)sum.rejected);
	add_assoc_long(return_value, "failed", (zend_long)(sum.failed + c.failed_here));
	add_assoc_long(return_value, "uncertain", (zend_long)sum.uncertain);
}
