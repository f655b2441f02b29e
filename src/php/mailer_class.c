/* The Mailer class: object lifecycle and the public methods. SMTP itself is
 * the core's business (src/core/session/); this file only moves arguments in
 * and results or exceptions out. */
#include "php/classes.h"
#include "php/exceptions.h"
#include "php/mailer_object.h"
#include "php/message_class.h"
#include "php/options.h"
#include "php/stream_io.h"
#include "php/compose.h"
#include "php/result_class.h"
#include "core/send/envelope.h"
#include "core/send/pipeline.h"
#include "core/dkim/dkim.h"
#include "core/smime/smime.h"
#include "php/persistent.h"
#include "SAPI.h"
#include "ext/standard/html.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include <stddef.h> /* offsetof: PHP 8.6 dropped its XtOffsetOf */
#include <string.h>
#include "zend_smart_str.h"

#include <time.h>
#ifdef PHP_WIN32
#include <winsock2.h> /* gethostname */
#else
#include <unistd.h>
#endif

zend_class_entry *php_mailer_ce;
static zend_object_handlers php_mailer_handlers;

#define Z_MAILER_P(zv) php_mailer_from_obj(Z_OBJ_P(zv))

/* ---- debug output ---- */

/* debug_handler only says where the lines go; the debug argument says whether there are any */
static bool debug_enabled(const php_mailer_object *m)
{
	return m->debug;
}

/* A PSR-3 logger: $logger->debug($line, ["session" => 1, "server" => "host:port"]); the
 * session is the connection's number (one for the single-message methods), the server the
 * host connected to, when there is one. */
static void log_debug(php_mailer_object *m, const mailer_smtp *s, unsigned number, const char *line,
					  size_t len)
{
	zval args[2], rv, method;

	ZVAL_STRINGL(&args[0], line, len);
	array_init_size(&args[1], 2);
	add_assoc_long(&args[1], "session", number ? (zend_long)number : 1);
	if (s->connected && s->host) {
		zend_string *server = strchr(s->host->name, ':')
								  ? strpprintf(0, "[%s]:%d", s->host->name, s->host->port)
								  : strpprintf(0, "%s:%d", s->host->name, s->host->port);
		add_assoc_str(&args[1], "server", server);
	}
	ZVAL_STRINGL(&method, "debug", sizeof("debug") - 1);
	ZVAL_UNDEF(&rv);
	call_user_function(NULL, &m->opts.debug_handler, &method, &rv, 2, args);
	zval_ptr_dtor(&method);
	zval_ptr_dtor(&rv);
	zval_ptr_dtor(&args[0]);
	zval_ptr_dtor(&args[1]);
}

void php_mailer_session_debug(php_mailer_object *m, const mailer_smtp *s, unsigned number,
							  const char *line, size_t len)
{
	zend_string *numbered = NULL;

	if (!debug_enabled(m) || EG(exception)) {
		return;
	}
	if (m->opts.debug_logger) {
		log_debug(m, s, number, line, len); /* the number goes in the context */
		return;
	}
	if (number) {
		numbered = strpprintf(0, "[%u] %.*s", number, (int)len, line);
		line = ZSTR_VAL(numbered);
		len = ZSTR_LEN(numbered);
	}
	if (Z_TYPE(m->opts.debug_handler) != IS_UNDEF) {
		zval arg, rv;

		ZVAL_STRINGL(&arg, line, len);
		ZVAL_UNDEF(&rv);
		call_user_function(NULL, NULL, &m->opts.debug_handler, &rv, 1, &arg);
		zval_ptr_dtor(&rv);
		zval_ptr_dtor(&arg);
	} else if (sapi_module.name && strcmp(sapi_module.name, "cli") == 0) {
		php_printf("debug: %.*s\n", (int)len, line);
	} else {
		/* a web page: the line is text, never markup */
		zend_string *escaped = php_escape_html_entities((const unsigned char *)line, len, 0,
														ENT_QUOTES | ENT_SUBSTITUTE, "UTF-8");
		php_printf("<p>debug: %s</p>\n", ZSTR_VAL(escaped));
		zend_string_release(escaped);
	}
	if (numbered) {
		zend_string_release(numbered);
	}
}

static void emit_debug(php_mailer_object *m, const char *line, size_t len)
{
	php_mailer_session_debug(m, &m->smtp, 0, line, len);
}

static void core_debug(void *ctx, const char *line, size_t len)
{
	emit_debug((php_mailer_object *)ctx, line, len);
}

/* ---- object handlers ---- */

static zend_object *php_mailer_create(zend_class_entry *ce)
{
	php_mailer_object *m = zend_object_alloc(sizeof(php_mailer_object), ce);

	php_mailer_stream_io_init(&m->io);
	mailer_smtp_init(&m->smtp, &php_mailer_stream_io_ops, &m->io);
	m->smtp.debug = core_debug;
	m->smtp.debug_ctx = m;
	memset(&m->opts, 0, sizeof(m->opts));
	ZVAL_UNDEF(&m->opts.context);
	ZVAL_UNDEF(&m->opts.debug_handler);
	ZVAL_UNDEF(&m->opts.auth_token);
	zend_object_std_init(&m->std, ce);
	object_properties_init(&m->std, ce);
	m->std.handlers = &php_mailer_handlers;
	return &m->std;
}

/* ---- running PHP code ---- */

typedef void (*php_mailer_body)(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS);

/* Drops the session without a byte more (no QUIT, no end of data): after a
 * fatal error in PHP code the send ran, the transaction cannot go on. */
static void drop_session(php_mailer_object *m)
{
	mailer_debug_fn debug = m->smtp.debug;

	m->smtp.debug = NULL; /* no PHP code runs while a fatal error unwinds */
	mailer_smtp_close(&m->smtp);
	m->smtp.debug = debug;
}

/* Runs body with the object busy. A fatal error (memory limit, E_USER_ERROR,
 * time limit) in PHP code that body runs unwinds through here: the session
 * is dropped, the Message let go, the object left usable (shutdown functions
 * still run), and the bailout goes on. An exception or exit() in that code
 * needs nothing here: the stream I/O refuses the wire once one is pending,
 * and the core abandons the session (MAILER_IO_ABORTED). */
static void run_busy(php_mailer_object *m, php_mailer_body body, INTERNAL_FUNCTION_PARAMETERS)
{
	bool bailed = false;

	m->busy = true;
	/* zend_try ... zend_end_try() is one construct, written as php-src does */
	/* clang-format off */
	zend_try {
		body(m, INTERNAL_FUNCTION_PARAM_PASSTHRU);
	} zend_catch {
		bailed = true;
	} zend_end_try();
	/* clang-format on */
	m->busy = false;
	if (bailed) {
		if (m->message) {
			php_mailer_message_release(m->message);
			m->message = NULL;
		}
		drop_session(m);
		zend_bailout();
	}
}

static void quit_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	mailer_smtp_quit(&m->smtp);
}

/* Destructor: say QUIT while streams still exist (not during resource shutdown). */
static void php_mailer_dtor(zend_object *obj)
{
	php_mailer_object *m = php_mailer_from_obj(obj);

	/* a persistent session is kept for the next request, not ended */
	if (m->smtp.connected && !m->io.holding && !(EG(flags) & EG_FLAGS_IN_RESOURCE_SHUTDOWN) &&
		!EG(exception) && !m->busy) {
		run_busy(m, quit_body, NULL, NULL);
	}
	zend_objects_destroy_object(obj);
}

/* Frees memory and closes the socket; never talks to the server. */
static void php_mailer_free(zend_object *obj)
{
	php_mailer_object *m = php_mailer_from_obj(obj);

	m->smtp.debug = NULL;
	/* a healthy persistent session outlives the object; one in the middle of
	 * a transaction is closed instead */
	m->io.detach = m->io.holding && !m->smtp.in_transaction;
	mailer_smtp_free(&m->smtp);
	php_mailer_stream_io_free(&m->io);
	php_mailer_options_free(&m->opts);
	zend_object_std_dtor(obj);
}

static HashTable *php_mailer_get_gc(zend_object *obj, zval **table, int *n)
{
	php_mailer_object *m = php_mailer_from_obj(obj);
	zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

	/* every zval the object holds: a context option's object or a handler's
	 * closure may refer back to the Mailer, and only a cycle the collector
	 * sees can be freed */
	zend_get_gc_buffer_add_zval(buf, &m->opts.debug_handler);
	zend_get_gc_buffer_add_zval(buf, &m->opts.auth_token);
	zend_get_gc_buffer_add_zval(buf, &m->opts.context);
	zend_get_gc_buffer_use(buf, table, n);
	return zend_std_get_properties(obj);
}

void php_mailer_register_handlers(zend_class_entry *ce)
{
	php_mailer_ce = ce;
	ce->create_object = php_mailer_create;
	memcpy(&php_mailer_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
	php_mailer_handlers.offset = offsetof(php_mailer_object, std);
	php_mailer_handlers.dtor_obj = php_mailer_dtor;
	php_mailer_handlers.free_obj = php_mailer_free;
	php_mailer_handlers.get_gc = php_mailer_get_gc;
	php_mailer_handlers.clone_obj = NULL;
}

/* The object of a method: constructed and not busy, else NULL after throwing. */
static php_mailer_object *checked_this(zend_execute_data *execute_data)
{
	php_mailer_object *m = Z_MAILER_P(ZEND_THIS);

	if (!m->constructed) {
		zend_throw_error(NULL, "Mailer object is not constructed");
		return NULL;
	}
	if (m->busy && m->in_batch) {
		zend_throw_error(NULL,
						 "Mailer is busy sending; Mailer::%s() cannot be called from code that "
						 "Mailer::sendMany() runs (its onResult callback, its iterable, a debug "
						 "handler): make it an item of the batch, or call it after the batch",
						 ZSTR_VAL(EX(func)->common.function_name));
		return NULL;
	}
	if (m->busy) {
		zend_throw_error(NULL,
						 "Mailer is busy sending; Mailer::%s() cannot be called until that is done",
						 ZSTR_VAL(EX(func)->common.function_name));
		return NULL;
	}
	return m;
}

/* A method that can run PHP code: body runs on the checked object, busy. */
static void busy_method(php_mailer_body body, INTERNAL_FUNCTION_PARAMETERS)
{
	php_mailer_object *m = checked_this(execute_data);

	if (m) {
		run_busy(m, body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
	}
}

/* ---- methods ---- */

static char *default_helo(void)
{
	char name[256];

	if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0') {
		return estrdup("localhost");
	}
	name[sizeof(name) - 1] = '\0';
	return estrdup(name);
}

/* Everything that shapes the session goes into the persistent id: a kept
 * session is only ever resumed by an identical configuration, down to each
 * ssl and socket option of the context (as snapshot at construction, which
 * is also what the connection uses). */
static zend_result persistent_key(php_mailer_object *m, zend_string *host, zend_long port)
{
	smart_str key = {0};
	char flags[64];
	int n;
	zend_result rc = SUCCESS;

	n = snprintf(flags, sizeof(flags), ZEND_LONG_FMT ":%d:%s:%d:%d", port, (int)m->opts.tls,
				 m->smtp.cfg.auth ? m->smtp.cfg.auth->name : "auto",
				 m->smtp.cfg.allow_insecure_auth, Z_TYPE(m->opts.auth_token) != IS_UNDEF);
	php_mailer_persistent_key_str(&key, ZSTR_VAL(host), ZSTR_LEN(host));
	php_mailer_persistent_key_str(&key, flags, (size_t)n);
	php_mailer_persistent_key_str(&key, m->smtp.cfg.user, strlen(m->smtp.cfg.user));
	php_mailer_persistent_key_secret(&key, m->smtp.cfg.pass, strlen(m->smtp.cfg.pass));
	php_mailer_persistent_key_str(&key, m->smtp.cfg.helo, strlen(m->smtp.cfg.helo));
	if (Z_TYPE(m->opts.context) == IS_ARRAY) {
		rc = php_mailer_persistent_key_zval(&key, &m->opts.context, 6, "option \"context\" ");
	} else {
		zval none; /* no context connects as one without ssl or socket options */

		ZVAL_EMPTY_ARRAY(&none);
		rc = php_mailer_persistent_key_zval(&key, &none, 6, "option \"context\" ");
	}
	if (rc == SUCCESS) {
		const char *pool = m->opts.pool ? ZSTR_VAL(m->opts.pool) : NULL;

		m->io.persistent_id = php_mailer_persistent_id(pool, &key);
	}
	smart_str_free(&key);
	return rc;
}

/* __construct() runs PHP code too (a stream wrapper reading the DKIM key). */
static void construct_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	zend_string *host, *user = NULL, *pass = NULL;
	zend_long port = 25;
	bool debug = false;
	HashTable *options = NULL;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(1, 6)
		Z_PARAM_STR(host)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(port)
		Z_PARAM_STR(user)
		Z_PARAM_STR(pass)
		Z_PARAM_BOOL(debug)
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (port < 1 || port > 65535) {
		zend_argument_value_error(2, "must be between 1 and 65535");
		RETURN_THROWS();
	}
	if (user && (memchr(ZSTR_VAL(user), '\0', ZSTR_LEN(user)) ||
				 memchr(ZSTR_VAL(user), '\n', ZSTR_LEN(user)) ||
				 memchr(ZSTR_VAL(user), '\r', ZSTR_LEN(user)))) {
		zend_argument_value_error(3, "must not contain NUL, CR or LF bytes");
		RETURN_THROWS();
	}
	/* NUL separates the fields of AUTH PLAIN; every mechanism encodes CR and LF */
	if (pass && memchr(ZSTR_VAL(pass), '\0', ZSTR_LEN(pass))) {
		zend_argument_value_error(4, "must not contain NUL bytes");
		RETURN_THROWS();
	}
	if (php_mailer_options_parse(options, 6, &m->opts, &m->smtp.cfg) != SUCCESS ||
		php_mailer_auth_token_check(&m->opts, user, pass) != SUCCESS) {
		php_mailer_options_free(&m->opts);
		RETURN_THROWS();
	}
	mailer_error_init(&err);
	if (mailer_hosts_parse(ZSTR_VAL(host), ZSTR_LEN(host), (int)port, m->opts.tls,
						   &m->smtp.cfg.hosts, &m->smtp.cfg.host_count, &err) != MAILER_OK) {
		php_mailer_options_free(&m->opts);
		zend_argument_value_error(1, "%s", err.message);
		mailer_error_clear(&err);
		RETURN_THROWS();
	}
	m->smtp.cfg.helo = m->opts.helo ? estrdup(ZSTR_VAL(m->opts.helo)) : default_helo();
	m->smtp.cfg.user = estrndup(user ? ZSTR_VAL(user) : "", user ? ZSTR_LEN(user) : 0);
	m->smtp.cfg.pass = estrndup(pass ? ZSTR_VAL(pass) : "", pass ? ZSTR_LEN(pass) : 0);
	if (Z_TYPE(m->opts.auth_token) != IS_UNDEF) {
		m->smtp.cfg.token = php_mailer_auth_token_fetch;
		m->smtp.cfg.token_ctx = &m->opts;
	}
	m->io.options = Z_TYPE(m->opts.context) == IS_ARRAY ? Z_ARRVAL(m->opts.context) : NULL;
	if (m->opts.persistent && persistent_key(m, host, port) != SUCCESS) {
		RETURN_THROWS();
	}
	m->debug = debug;
	/* without a listener the core would still format every debug line: ~3k
	 * instructions a message for nothing */
	m->smtp.debug = debug_enabled(m) ? core_debug : NULL;
	m->constructed = true;
}

PHP_METHOD(Mailer, __construct)
{
	php_mailer_object *m = Z_MAILER_P(ZEND_THIS);

	/* busy: called again from PHP code that the first call runs */
	if (m->constructed || m->busy) {
		zend_throw_error(NULL, "Mailer::__construct() cannot be called twice");
		RETURN_THROWS();
	}
	run_busy(m, construct_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

/* The "smime" option on the pipeline's stage hook (src/core/smime): prepared
 * once when added (one pass over the message), then replayed on every pass. */
typedef struct smime_stage {
	const mailer_smime_config *config;
	mailer_smime_ctx *smime;
} smime_stage;

static mailer_status smime_stage_wrap(void *ctx, const mailer_producer *inner, mailer_producer *out,
									  mailer_error *err)
{
	smime_stage *st = ctx;

	if (!(st->smime = mailer_smime_prepare(st->config, mailer_producer_emit, (void *)inner, err))) {
		if (err->kind != MAILER_ERR_INVALID && err->stage == MAILER_STAGE_NONE) {
			err->stage = MAILER_STAGE_DATA; /* the message's own data failed; nothing was sent */
		}
		return MAILER_FAIL;
	}
	mailer_smime_producer(st->smime, out);
	return MAILER_OK;
}

static void smime_stage_free(void *ctx)
{
	smime_stage *st = ctx;

	mailer_smime_free(st->smime);
	efree(st);
}

mailer_status php_mailer_prepare_pipeline(php_mailer_object *m, mailer_pipeline *p,
										  mailer_error *err)
{
	size_t i;

	if (m->opts.smime) {
		smime_stage *st = ecalloc(1, sizeof(*st));
		mailer_send_stage stage = {smime_stage_wrap, smime_stage_free, st};

		st->config = m->opts.smime;
		if (mailer_pipeline_add_stage(p, &stage, err) != MAILER_OK) {
			return MAILER_FAIL;
		}
		if (debug_enabled(m)) {
			char line[160];
			snprintf(line, sizeof(line), "* S/MIME: %s%s%s (%llu octets)",
					 m->opts.smime->sign_cert ? "signed (sha-256)" : "",
					 m->opts.smime->sign_cert && m->opts.smime->recipients ? ", then " : "",
					 m->opts.smime->recipients ? mailer_smime_cipher_name(m->opts.smime->cipher)
											   : "",
					 mailer_smime_size(st->smime));
			emit_debug(m, line, strlen(line));
		}
	}
	if (!m->opts.dkim_count) {
		return MAILER_OK;
	}
	if (mailer_pipeline_sign(p, m->opts.dkim, m->opts.dkim_count, (long long)time(NULL), err) !=
		MAILER_OK) {
		return MAILER_FAIL;
	}
	if (debug_enabled(m)) {
		for (i = 0; i < m->opts.dkim_count; i++) {
			char line[400];
			snprintf(line, sizeof(line), "* DKIM: signed (%s, d=%s, s=%s)",
					 mailer_dkim_alg_name(m->opts.dkim[i].alg), m->opts.dkim[i].domain,
					 m->opts.dkim[i].selector);
			emit_debug(m, line, strlen(line));
		}
	}
	return MAILER_OK;
}

/* php_mailer_prepare_pipeline(), or FAILURE after throwing. sending: for a send,
 * whose failure in PHP code abandons the session; sign() leaves it alone. */
static zend_result sign_pipeline(php_mailer_object *m, mailer_pipeline *p, bool sending)
{
	mailer_error err;

	mailer_error_init(&err);
	if (php_mailer_prepare_pipeline(m, p, &err) == MAILER_OK) {
		return SUCCESS;
	}
	if (sending && EG(exception)) {
		/* PHP code (a stream wrapper) failed: the send is abandoned as the
		 * core abandons one, and what was said of the last one goes */
		mailer_smtp_close(&m->smtp);
		mailer_reply_reset(&m->smtp.reply);
		mailer_smtp_clear_rcpts(&m->smtp);
	}
	php_mailer_throw(&err);
	return FAILURE;
}

/* Runs one transaction through the pipeline (signed first with the "dkim"
 * option) and returns the server's acceptance, or throws. */
static void do_send(php_mailer_object *m, mailer_envelope *env, mailer_pipeline *p,
					zval *return_value)
{
	mailer_error err;

	if (sign_pipeline(m, p, true) != SUCCESS) {
		return;
	}
	env->dsn_notify = m->opts.dsn_notify ? ZSTR_VAL(m->opts.dsn_notify) : NULL;
	env->dsn_ret = m->opts.dsn_ret ? ZSTR_VAL(m->opts.dsn_ret) : NULL;
	env->dsn_envid = m->opts.dsn_envid ? ZSTR_VAL(m->opts.dsn_envid) : NULL;
	mailer_error_init(&err);
	if (mailer_pipeline_send(p, &m->smtp, env, &err) != MAILER_OK) {
		php_mailer_throw(&err);
		return;
	}
	mailer_error_clear(&err);
	if (EG(exception)) {
		return; /* a debug handler threw */
	}
	RETVAL_STRINGL(mailer_buf_cstr(&m->smtp.reply.text), m->smtp.reply.text.len);
}

/* A message through the pipeline, as sendmail() and send() send it. */
static void send_message(php_mailer_object *m, mailer_envelope *env, const mailer_message *msg,
						 zval *return_value)
{
	mailer_pipeline p;

	mailer_pipeline_from_message(&p, msg);
	do_send(m, env, &p, return_value);
	mailer_pipeline_free(&p);
}

static void sendmail_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	zend_string *from, *subject, *body;
	zval *to;
	HashTable *headers = NULL;
	mailer_message msg;
	mailer_send_envelope env;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(4, 5)
		Z_PARAM_STR(from)
		Z_PARAM_ZVAL(to)
		Z_PARAM_STR(subject)
		Z_PARAM_STR(body)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(headers)
	ZEND_PARSE_PARAMETERS_END();

	mailer_message_init(&msg);
	if (php_mailer_compose(&msg, from, to, subject, body, headers) != SUCCESS) {
		mailer_message_free(&msg);
		RETURN_THROWS();
	}
	mailer_error_init(&err);
	if (mailer_envelope_from_message(&env, &msg, &err) != MAILER_OK) {
		mailer_message_free(&msg);
		php_mailer_throw(&err);
		RETURN_THROWS();
	}
	send_message(m, &env.env, &msg, return_value);
	mailer_send_envelope_free(&env);
	mailer_message_free(&msg);
}

PHP_METHOD(Mailer, sendmail)
{
	busy_method(sendmail_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static void send_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	zval *message;
	mailer_message *msg;
	mailer_send_envelope env;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_OBJECT_OF_CLASS(message, php_mailer_message_ce)
	ZEND_PARSE_PARAMETERS_END();

	if (!(msg = php_mailer_message_acquire(Z_OBJ_P(message), "Mailer::send()"))) {
		RETURN_THROWS();
	}
	m->message = Z_OBJ_P(message);
	mailer_error_init(&err);
	if (mailer_envelope_from_message(&env, msg, &err) == MAILER_OK) {
		send_message(m, &env.env, msg, return_value);
		mailer_send_envelope_free(&env);
	} else {
		php_mailer_throw(&err);
	}
	m->message = NULL;
	php_mailer_message_release(Z_OBJ_P(message));
}

PHP_METHOD(Mailer, send)
{
	busy_method(send_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

/* sendRaw() trusts the caller's message but not blindly: lines over 998
 * octets or NUL bytes would be refused or mangled by servers (RFC 5322 §2.1). */
const char *php_mailer_raw_data_problem(const zend_string *data)
{
	const char *p = ZSTR_VAL(data), *end = p + ZSTR_LEN(data), *lf;
	size_t line_len;

	if (ZSTR_LEN(data) == 0) {
		return "must not be empty";
	}
	if (memchr(p, '\0', ZSTR_LEN(data))) {
		return "must not contain NUL bytes";
	}
	while (p < end) {
		lf = memchr(p, '\n', (size_t)(end - p));
		line_len = (size_t)((lf ? lf : end) - p);
		if (line_len && p[line_len - 1] == '\r') {
			line_len--;
		}
		if (line_len > 998) {
			return "has a line longer than 998 octets (RFC 5322 section 2.1.1)";
		}
		if (!lf) {
			break;
		}
		p = lf + 1;
	}
	return NULL;
}

static zend_result check_raw(zend_string *data, uint32_t arg_num)
{
	const char *problem = php_mailer_raw_data_problem(data);

	if (problem) {
		zend_argument_value_error(arg_num, "%s", problem);
		return FAILURE;
	}
	return SUCCESS;
}

static void sendRaw_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	zend_string *from, *data;
	zval *to;
	mailer_address_list sender, rcpts;
	mailer_send_envelope env;
	mailer_pipeline p;
	mailer_error err;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_STR(from)
		Z_PARAM_ZVAL(to)
		Z_PARAM_STR(data)
	ZEND_PARSE_PARAMETERS_END();

	mailer_address_list_init(&sender);
	mailer_address_list_init(&rcpts);
	mailer_error_init(&err);
	if (ZSTR_LEN(from) &&
		mailer_address_parse_one(&sender, ZSTR_VAL(from), ZSTR_LEN(from), &err) != MAILER_OK) {
		php_mailer_throw(&err);
		RETURN_THROWS();
	}
	if (php_mailer_addresses_from_zval(to, "recipient", &rcpts) != SUCCESS ||
		check_raw(data, 3) != SUCCESS) {
		goto done;
	}
	if (rcpts.count == 0) {
		zend_argument_value_error(2, "must name at least one recipient");
		goto done;
	}
	/* "" is the null reverse-path "<>" (bounces) */
	if (mailer_envelope_from_lists(&env, sender.count ? sender.items[0].addr : "", &rcpts,
								   ZSTR_VAL(data), ZSTR_LEN(data), &err) != MAILER_OK) {
		php_mailer_throw(&err);
		goto done;
	}
	mailer_pipeline_from_raw(&p, ZSTR_VAL(data), ZSTR_LEN(data));
	do_send(m, &env.env, &p, return_value);
	mailer_pipeline_free(&p);
	mailer_send_envelope_free(&env);
done:
	mailer_address_list_free(&sender);
	mailer_address_list_free(&rcpts);
}

PHP_METHOD(Mailer, sendRaw)
{
	busy_method(sendRaw_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

/* The signed message as send() would transmit it (CRLF line ends, before
 * dot-stuffing), for inspection or for another transport. */
static void sign_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	zend_object *message = NULL;
	zend_string *data = NULL, *out = NULL;
	mailer_message *msg;
	mailer_pipeline p;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_OBJ_OF_CLASS_OR_STR(message, php_mailer_message_ce, data)
	ZEND_PARSE_PARAMETERS_END();

	if (!m->opts.dkim_count && !m->opts.smime) {
		zend_throw_error(NULL, "Mailer::sign(): no DKIM signer and no S/MIME is configured "
							   "(constructor options \"dkim\", \"smime\")");
		RETURN_THROWS();
	}
	if (message) {
		if (!(msg = php_mailer_message_acquire(message, "Mailer::sign()"))) {
			RETURN_THROWS();
		}
		m->message = message;
		mailer_pipeline_from_message(&p, msg);
	} else {
		if (check_raw(data, 1) != SUCCESS) {
			RETURN_THROWS();
		}
		mailer_pipeline_from_raw(&p, ZSTR_VAL(data), ZSTR_LEN(data));
	}
	if (sign_pipeline(m, &p, false) == SUCCESS) {
		out = php_mailer_pipeline_string(&p);
	}
	mailer_pipeline_free(&p);
	if (message) {
		m->message = NULL;
		php_mailer_message_release(message);
	}
	if (!out) {
		RETURN_THROWS();
	}
	RETURN_STR(out);
}

PHP_METHOD(Mailer, sign)
{
	busy_method(sign_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static void debug_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	zend_string *message;
	zend_string *line;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(message)
	ZEND_PARSE_PARAMETERS_END();

	line = zend_string_copy(message);
	emit_debug(m, ZSTR_VAL(line), ZSTR_LEN(line));
	zend_string_release(line);
}

PHP_METHOD(Mailer, debug)
{
	busy_method(debug_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static void connect_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	mailer_error err;

	ZEND_PARSE_PARAMETERS_NONE();
	mailer_error_init(&err);
	if (mailer_smtp_connect(&m->smtp, &err) != MAILER_OK) {
		php_mailer_throw(&err);
		RETURN_THROWS();
	}
	mailer_error_clear(&err);
}

PHP_METHOD(Mailer, connect)
{
	busy_method(connect_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static void close_body(php_mailer_object *m, INTERNAL_FUNCTION_PARAMETERS)
{
	ZEND_PARSE_PARAMETERS_NONE();
	mailer_smtp_quit(&m->smtp);
}

PHP_METHOD(Mailer, close)
{
	busy_method(close_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

PHP_METHOD(Mailer, isConnected)
{
	php_mailer_object *m;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!(m = checked_this(execute_data))) {
		RETURN_THROWS();
	}
	RETURN_BOOL(m->smtp.connected);
}

PHP_METHOD(Mailer, getCapabilities)
{
	php_mailer_object *m;
	size_t i;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!(m = checked_this(execute_data))) {
		RETURN_THROWS();
	}
	array_init_size(return_value, (uint32_t)m->smtp.caps.count);
	for (i = 0; i < m->smtp.caps.count; i++) {
		add_assoc_string(return_value, m->smtp.caps.items[i].keyword, m->smtp.caps.items[i].params);
	}
}

PHP_METHOD(Mailer, getLastReply)
{
	php_mailer_object *m;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!(m = checked_this(execute_data))) {
		RETURN_THROWS();
	}
	if (m->smtp.reply.lines == 0) {
		RETURN_NULL();
	}
	RETURN_STRINGL(mailer_buf_cstr(&m->smtp.reply.text), m->smtp.reply.text.len);
}

PHP_METHOD(Mailer, getLastRecipients)
{
	php_mailer_object *m;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!(m = checked_this(execute_data))) {
		RETURN_THROWS();
	}
	php_mailer_recipients_array(return_value, m->smtp.rcpts, m->smtp.rcpt_count);
}

PHP_METHOD(Mailer, sendMany)
{
	busy_method(php_mailer_send_many_body, INTERNAL_FUNCTION_PARAM_PASSTHRU);
}
