/* mailer_io on php_stream: TCP through PHP's transports, TLS through PHP's
 * OpenSSL stream crypto, so every "ssl" and "socket" context option a user
 * knows from stream_socket_client() applies here too. */
#include "php/classes.h"
#include "php/stream_io.h"
#include "php_network.h"
#include "ext/standard/file.h"
#include "zend_exceptions.h"
#include "php/persistent.h"
#include "core/util/portable.h"

#include <string.h>
#include <fcntl.h>
#ifndef PHP_WIN32
#include <unistd.h>
#endif

/* PHP's stream layer reports failures as warnings and notices; the core
 * reports them as exceptions instead, so the layer is kept quiet around each
 * call, and TLS warnings are captured to become the exception's message. */
#define QUIET_BEGIN()                                                                              \
	int saved_error_reporting_ = EG(error_reporting);                                              \
	EG(error_reporting) = 0
#define QUIET_END() EG(error_reporting) = saved_error_reporting_

void php_mailer_stream_io_init(php_mailer_stream_io *io)
{
	io->stream = NULL;
	io->options = NULL;
	io->host = NULL;
	io->port = 0;
	io->persistent_id = NULL;
	io->pid = 0;
	io->holding = false;
	io->detach = false;
	io->busy = false;
	io->tls_context = NULL;
	io->stuck = 0;
	io->nonblocking = false;
}

static php_stream *current_stream(php_mailer_stream_io *io)
{
	/* after fork() the connection is the parent's: this process never reads
	 * or writes it (the core abandons it first; this is the backstop) */
	if (io->stream && io->pid != php_mailer_pid()) {
		return NULL;
	}
	return io->stream;
}

bool php_mailer_stream_silence(php_stream *stream)
{
#ifdef PHP_WIN32
	(void)stream; /* no fork() there */
	return true;
#else
	/* both PHP's plain and OpenSSL socket streams start with php_netstream_data_t */
	php_netstream_data_t *sock = stream->abstract;
	int null_fd;

	if (!sock || sock->socket == SOCK_ERR) {
		return true;
	}
	/* dup2() replaces the descriptor in place: OpenSSL's BIO keeps writing to
	 * the same number, now /dev/null, and closing it closes /dev/null, while the
	 * socket stays open in the processes that share it. (shutdown() would not
	 * do: it acts on the socket, for every process.) */
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0) {
		return false;
	}
	if (dup2(null_fd, sock->socket) < 0) {
		close(null_fd);
		return false;
	}
	close(null_fd);
	return true;
#endif
}

/* Closes a stream we own; silently (not one byte written, see
 * php_mailer_stream_silence) when asked to. A persistent one leaves the pool. */
static void discard_stream(php_stream *stream, bool silent)
{
	if (silent && !php_mailer_stream_silence(stream)) {
		return; /* a leaked descriptor is better than a byte in a session that is not ours */
	}
	QUIET_BEGIN();
	/* RSRC_DTOR: the stream has no resource (see hide_stream), and this may
	 * run in free_obj during request shutdown, when PHP ignores other frees */
	php_stream_free(stream, PHP_STREAM_FREE_RSRC_DTOR |
								(stream->is_persistent ? PHP_STREAM_FREE_CLOSE_PERSISTENT
													   : PHP_STREAM_FREE_CLOSE));
	QUIET_END();
}

/* Takes a new stream's resource out of EG(regular_list), as mysqlnd does
 * with its connections: get_resources() cannot hand our authenticated socket
 * to user code, and request shutdown does not close it behind our back; we
 * close it (io_close, from mailer_smtp_close or free_obj). A persistent stream
 * stays in EG(persistent_list). */
static void hide_stream(php_stream *stream)
{
	zend_resource *res = stream->res;
	dtor_func_t dtor;

	if (!res || GC_REFCOUNT(res) != 1) {
		return; /* cannot happen: nothing else has seen the new stream */
	}
	dtor = EG(regular_list).pDestructor;
	EG(regular_list).pDestructor = NULL;
	zend_hash_index_del(&EG(regular_list), res->handle);
	EG(regular_list).pDestructor = dtor;
	efree(res);
	stream->res = NULL;
}

/* The stream kept in the pool under id, without registering a resource for it. */
static php_stream *pooled_stream(const char *id)
{
	zend_resource *le = zend_hash_str_find_ptr(&EG(persistent_list), id, strlen(id));

	return le && le->type == php_file_le_pstream() ? le->ptr : NULL;
}

static void end_handshake(php_mailer_stream_io *io, php_stream *stream);
static void make_blocking(php_mailer_stream_io *io, php_stream *stream);

static void io_close(void *ctx)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = io->stream;
	bool foreign = stream && io->pid != php_mailer_pid();

	end_handshake(io, stream);
	if (stream && !foreign) {
		make_blocking(io, stream);
	}
	io->nonblocking = false;
	io->stream = NULL;
	if (stream && io->holding && io->detach && !io->busy && !foreign) {
		/* keep the session for the next object or request: only let go */
		php_mailer_persistent_release(io->persistent_id);
	} else if (stream) {
		/* a session abandoned mid-exchange, or the parent's, gets not one byte */
		discard_stream(stream, foreign || io->busy);
		if (io->holding) {
			php_mailer_persistent_forget(io->persistent_id);
		}
	}
	io->holding = false;
	io->busy = false;
	if (io->host) {
		efree(io->host);
		io->host = NULL;
	}
}

void php_mailer_stream_io_free(php_mailer_stream_io *io)
{
	io_close(io);
	if (io->persistent_id) {
		efree(io->persistent_id);
		io->persistent_id = NULL;
	}
}

/* Drops whatever the pool keeps under id (its state told us not to use it, or
 * it has none), without a byte written: it may owe replies, or be another
 * process's. */
static void discard_pooled(const char *id)
{
	php_stream *old = pooled_stream(id);

	if (old) {
		discard_stream(old, true);
	}
	php_mailer_persistent_forget(id);
}

/* A persistent session kept from an earlier object or request, known to be
 * idle and clean, if it is still alive; a dead one is dropped. */
static int resume_persistent(php_mailer_stream_io *io)
{
	php_stream *stream = pooled_stream(io->persistent_id);

	if (!stream || php_stream_set_option(stream, PHP_STREAM_OPTION_CHECK_LIVENESS, 0, NULL) ==
					   PHP_STREAM_OPTION_RETURN_ERR) {
		discard_pooled(io->persistent_id);
		return 0;
	}
	io->stream = stream;
	io->pid = php_mailer_pid();
	io->holding = true;
	return 1;
}

static struct timeval seconds_to_timeval(double seconds)
{
	struct timeval tv;

	if (seconds < 0) {
		seconds = 0;
	}
	tv.tv_sec = (time_t)seconds;
	tv.tv_usec = (suseconds_t)((seconds - (double)tv.tv_sec) * 1e6);
	return tv;
}

static void copy_wrapper_options(php_stream_context *context, const char *wrapper,
								 HashTable *options)
{
	zend_string *option;
	zval *value;

	ZEND_HASH_FOREACH_STR_KEY_VAL(options, option, value) {
		if (option) {
			php_stream_context_set_option(context, wrapper, ZSTR_VAL(option), value);
		}
	}
	ZEND_HASH_FOREACH_END();
}

/* Deep enough for any real option (peer_fingerprint is an array of strings);
 * the limit keeps a hostile structure from exhausting the C stack. */
#define SNAPSHOT_MAX_DEPTH 16

/* Copies an option value; arrays deeply, references resolved. On failure
 * nothing is left to free: dst is undefined. */
static zend_result snapshot_value(zval *src, zval *dst, int depth)
{
	zend_string *key;
	zend_ulong index;
	zval *value, copy;

	ZVAL_DEREF(src);
	if (Z_TYPE_P(src) != IS_ARRAY) {
		ZVAL_COPY(dst, src);
		return SUCCESS;
	}
	if (depth >= SNAPSHOT_MAX_DEPTH) {
		ZVAL_UNDEF(dst);
		return FAILURE; /* no stream context option nests like this */
	}
	array_init_size(dst, zend_hash_num_elements(Z_ARRVAL_P(src)));
	ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(src), index, key, value) {
		if (snapshot_value(value, &copy, depth + 1) != SUCCESS) {
			zval_ptr_dtor(dst); /* what was copied so far; copy is already freed */
			ZVAL_UNDEF(dst);
			return FAILURE;
		}
		if (key) {
			zend_hash_update(Z_ARRVAL_P(dst), key, &copy);
		} else {
			zend_hash_index_update(Z_ARRVAL_P(dst), index, &copy);
		}
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

zend_result php_mailer_context_snapshot(zval *context, uint32_t arg_num, zval *out)
{
	/* what a tcp:// connection and its TLS read from a context */
	static const char *const wrappers[] = {"ssl", "socket"};
	php_stream_context *user = zend_fetch_resource_ex(context, NULL, php_le_stream_context());
	zval *options, copy;
	size_t i;

	array_init(out);
	for (i = 0; user && i < sizeof(wrappers) / sizeof(wrappers[0]); i++) {
		options =
			zend_hash_str_find_deref(Z_ARRVAL(user->options), wrappers[i], strlen(wrappers[i]));
		if (!options || Z_TYPE_P(options) != IS_ARRAY) {
			continue;
		}
		if (snapshot_value(options, &copy, 0) != SUCCESS) {
			zval_ptr_dtor(out);
			ZVAL_UNDEF(out);
			zend_argument_value_error(arg_num,
									  "option \"context\": the \"%s\" options are nested "
									  "more than %d levels deep",
									  wrappers[i], SNAPSHOT_MAX_DEPTH);
			return FAILURE;
		}
		zend_hash_str_update(Z_ARRVAL_P(out), wrappers[i], strlen(wrappers[i]), &copy);
	}
	return SUCCESS;
}

/* A private context for one step (connecting, a TLS handshake): the options
 * snapshot, plus our defaults where the user set nothing. It is taken off the
 * stream right after the step (detach_context), so it never outlives the
 * request with a persistent stream, nor can user code reach the connection's
 * settings through it. */
static php_stream_context *make_context(php_mailer_stream_io *io, const char *host)
{
	php_stream_context *context = php_stream_context_alloc();
	zend_string *wrapper;
	zval *options, value;

	if (io->options) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(io->options, wrapper, options) {
			if (wrapper && Z_TYPE_P(options) == IS_ARRAY) {
				copy_wrapper_options(context, ZSTR_VAL(wrapper), Z_ARRVAL_P(options));
			}
		}
		ZEND_HASH_FOREACH_END();
	}
	/* the certificate must name the host we were asked for: for "[::1]" that is "::1" */
	if (!php_stream_context_get_option(context, "ssl", "peer_name")) {
		ZVAL_STRING(&value, host);
		php_stream_context_set_option(context, "ssl", "peer_name", &value);
		zval_ptr_dtor(&value);
	}
	/* SMTP is a dialogue of small writes: Nagle would hold each for a delayed ACK */
	if (!php_stream_context_get_option(context, "socket", "tcp_nodelay")) {
		ZVAL_TRUE(&value);
		php_stream_context_set_option(context, "socket", "tcp_nodelay", &value);
	}
	return context;
}

/* Takes the context off the stream (if it is on it) and frees it. */
static void detach_context(php_stream *stream, php_stream_context *context)
{
	if (stream && PHP_STREAM_CONTEXT(stream) == context) {
		php_stream_context_set(stream, NULL);
	}
	zend_list_delete(context->res);
}

/* The stream I/O never touches the wire while an exception is pending: PHP
 * code the send ran (a debug handler, a stream wrapper, __toString()) threw
 * or called exit(). The core then abandons the session (MAILER_IO_ABORTED)
 * and the caller gets that exception, unchanged. */
#define REFUSE_AFTER_USER_FAILURE()                                                                \
	do {                                                                                           \
		if (EG(exception)) {                                                                       \
			return MAILER_IO_ABORTED;                                                              \
		}                                                                                          \
	} while (0)

/* The TLS versions to offer. TLS 1.2 is the floor unless the context asks for something
 * else: a crypto_method, or a min_proto_version. A max_proto_version alone caps the version
 * and keeps the floor (PHP takes the lowest version from the method then). */
static php_stream_xport_crypt_method_t crypto_method(php_stream_context *context)
{
	zval *method_option =
		context ? php_stream_context_get_option(context, "ssl", "crypto_method") : NULL;

	if (method_option) {
		return (php_stream_xport_crypt_method_t)(zval_get_long(method_option) | 1);
	}
	if (context && php_stream_context_get_option(context, "ssl", "min_proto_version")) {
		return STREAM_CRYPTO_METHOD_ANY_CLIENT;
	}
	return STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT;
}

/* The layer's warnings become exceptions of a class of ours, so that anything else
 * pending afterwards is PHP code's own, and stays. */
#define CRYPTO_CALL_BEGIN()                                                                        \
	zend_error_handling saved_handling_;                                                           \
	zend_replace_error_handling(EH_THROW, php_mailer_connection_exception_ce, &saved_handling_)
#define CRYPTO_CALL_END() zend_restore_error_handling(&saved_handling_)

/* After a crypto call: MAILER_IO_ABORTED when PHP code it ran (__toString() of an "ssl"
 * option) threw or called exit(); -1 with err filled when it failed (ok false, or the
 * layer's warning); 0 otherwise. */
static int crypto_outcome(php_mailer_stream_io *io, bool ok, mailer_error *err)
{
	const char *why = "TLS handshake failed";
	zend_string *message = NULL;

	if (EG(exception) && EG(exception)->ce != php_mailer_connection_exception_ce) {
		return MAILER_IO_ABORTED;
	}
	if (ok && !EG(exception)) {
		return 0;
	}
	if (EG(exception)) {
		zval rv;
		zval *msg = zend_read_property_ex(EG(exception)->ce, EG(exception),
										  ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
		message = zval_get_string(msg);
		zend_clear_exception();
		why = ZSTR_VAL(message);
	}
	mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "TLS with %s failed: %s",
					 io->host, why);
	if (message) {
		zend_string_release(message);
	}
	return -1;
}

/* The whole handshake, blocking (implicit TLS while connecting): 0, -1 with err filled,
 * or MAILER_IO_ABORTED. */
static int crypto_start(php_mailer_stream_io *io, php_stream *stream, php_stream_context *context,
						mailer_error *err)
{
	bool ok;
	CRYPTO_CALL_BEGIN();

	ok = php_stream_xport_crypto_setup(stream, crypto_method(context), NULL) == 0 &&
		 php_stream_xport_crypto_enable(stream, 1) == 1;
	CRYPTO_CALL_END();
	return crypto_outcome(io, ok, err);
}

/* The pool's say before a connection is made: MAILER_IO_RESUMED when a kept session
 * was taken up; else 0, with *persistent_id the id to open the new one under (NULL: none). */
static int use_pool(php_mailer_stream_io *io, const char **persistent_id)
{
	*persistent_id = io->persistent_id;
	if (!*persistent_id) {
		return 0;
	}
	switch (php_mailer_persistent_state(*persistent_id)) {
	case PHP_MAILER_PSESSION_CLEAN:
		if (resume_persistent(io)) {
			return MAILER_IO_RESUMED;
		}
		break;
	case PHP_MAILER_PSESSION_HELD:
		/* a second object of the same request never shares a held
		 * session: it gets a connection of its own */
		*persistent_id = NULL;
		break;
	case PHP_MAILER_PSESSION_UNUSABLE:
	case PHP_MAILER_PSESSION_NONE:
		/* left mid-exchange, another process's, or a stream without its
		 * state: never resumed, and PHP would hand it back to us under
		 * this id instead of connecting, so it goes first */
		discard_pooled(*persistent_id);
		break;
	}
	return 0;
}

static void connect_failure(mailer_error *err, const char *host, int port, const char *why)
{
	mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT,
					 "could not connect to %s%s%s:%d: %s", strchr(host, ':') ? "[" : "", host,
					 strchr(host, ':') ? "]" : "", port, why);
}

/* A new TCP connection to host:port, waiting for it (up to timeout) unless async, made
 * the stream of io; NULL with err filled when it failed. The context stays on it. */
static php_stream *open_stream(php_mailer_stream_io *io, const char *host, int port, bool async,
							   double timeout, const char *persistent_id,
							   php_stream_context *context, mailer_error *err)
{
	php_stream *stream;
	zend_string *uri, *errstr = NULL;
	struct timeval tv = seconds_to_timeval(timeout);
	int errcode = 0;

	uri = strchr(host, ':') ? strpprintf(0, "tcp://[%s]:%d", host, port)
							: strpprintf(0, "tcp://%s:%d", host, port);
	QUIET_BEGIN();
	/* async: the name lookup still waits; the TCP handshake does not (the socket
	 * is left non-blocking, its connect() in progress) */
	stream = php_stream_xport_create(
		ZSTR_VAL(uri), ZSTR_LEN(uri), 0,
		STREAM_XPORT_CLIENT | (async ? STREAM_XPORT_CONNECT_ASYNC : STREAM_XPORT_CONNECT),
		persistent_id, &tv, context, &errstr, &errcode);
	QUIET_END();
	zend_string_release(uri);
	if (!stream) {
		connect_failure(err, host, port, errstr ? ZSTR_VAL(errstr) : "unknown error");
		if (errstr) {
			zend_string_release(errstr);
		}
		return NULL;
	}
	if (errstr) {
		zend_string_release(errstr);
	}
	hide_stream(stream);
	io->stream = stream;
	io->pid = php_mailer_pid();
	if (persistent_id) {
		php_mailer_persistent_open(persistent_id);
		io->holding = true;
	}
	return stream;
}

/* What both ways of connecting do first: forget the old connection, note the peer, and
 * take up a pooled persistent session when there is one (MAILER_IO_RESUMED). */
static int begin_connect(php_mailer_stream_io *io, const char *host, int port,
						 const char **persistent_id)
{
	io_close(io);
	io->host = estrdup(host);
	io->port = port;
	return use_pool(io, persistent_id);
}

static int io_connect(void *ctx, const char *host, int port, int implicit_tls, double timeout,
					  mailer_error *err)
{
	php_mailer_stream_io *io = ctx;
	php_stream_context *context;
	php_stream *stream;
	const char *persistent_id;
	int rc;

	REFUSE_AFTER_USER_FAILURE();
	if (begin_connect(io, host, port, &persistent_id) == MAILER_IO_RESUMED) {
		return MAILER_IO_RESUMED;
	}
	context = make_context(io, host);
	stream = open_stream(io, host, port, false, timeout, persistent_id, context, err);
	if (!stream) {
		detach_context(NULL, context);
		io_close(io);
		return -1;
	}
	if (implicit_tls && (rc = crypto_start(io, stream, context, err)) != 0) {
		detach_context(stream, context);
		err->stage = MAILER_STAGE_CONNECT;
		io_close(io);
		return rc;
	}
	detach_context(stream, context);
	return 0;
}

static void make_nonblocking(php_mailer_stream_io *io, php_stream *stream);

/* The connection without waiting for it (mailer_io.connect_start): implicit TLS is
 * the core's to run, through tls_step, once connect_finish says connected. */
static int io_connect_start(void *ctx, const char *host, int port, int implicit_tls, double timeout,
							mailer_error *err)
{
	php_mailer_stream_io *io = ctx;
	php_stream_context *context;
	php_stream *stream;
	const char *persistent_id;

	(void)implicit_tls;
	REFUSE_AFTER_USER_FAILURE();
	if (begin_connect(io, host, port, &persistent_id) == MAILER_IO_RESUMED) {
		return MAILER_IO_RESUMED;
	}
	/* the context's socket options (bindto, tcp_nodelay) apply when the socket is made */
	context = make_context(io, host);
	stream = open_stream(io, host, port, true, timeout, persistent_id, context, err);
	detach_context(stream, context);
	if (!stream) {
		io_close(io);
		return -1;
	}
	/* PHP left the socket non-blocking but the stream thinking it blocks: say so */
	io->nonblocking = false;
	make_nonblocking(io, stream);
	return MAILER_IO_WANT_WRITE;
}

/* The connection connect_start began: over once the socket is writable; its
 * SO_ERROR then says whether it failed, and why. */
static int io_connect_finish(void *ctx, mailer_error *err)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);
	php_netstream_data_t *sock;
	int error = 0, ready;
	socklen_t len = sizeof(error);
	char *why;

	REFUSE_AFTER_USER_FAILURE();
	sock = stream ? (php_netstream_data_t *)stream->abstract : NULL;
	if (!sock || sock->socket == SOCK_ERR) {
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT, "not connected");
	}
	ready = php_pollfd_for_ms(sock->socket, POLLOUT, 0);
	if (ready == 0) {
		return MAILER_IO_WANT_WRITE;
	}
	if (getsockopt(sock->socket, SOL_SOCKET, SO_ERROR, (char *)&error, &len) != 0) {
		error = php_socket_errno();
	}
	if (error == 0 && (ready < 0 || !(ready & POLLOUT))) {
		return MAILER_IO_WANT_WRITE; /* (a signal cut the look short) */
	}
	if (error != 0) {
		why = php_socket_strerror(error, NULL, 0);
		connect_failure(err, io->host, io->port, why);
		efree(why);
		return -1;
	}
	return 0;
}

/* The stream is non-blocking from its first read, write or handshake step on, so
 * that only the core's driver waits (keeping its deadlines across signals, which
 * PHP's own waits restart from their full timeout). It is set once, not around each
 * call (two fcntl() calls each way), and made blocking again when it is let go, as
 * a persistent stream's next user and a close's TLS close_notify expect. */
static void make_nonblocking(php_mailer_stream_io *io, php_stream *stream)
{
	if (!io->nonblocking) {
		php_stream_set_option(stream, PHP_STREAM_OPTION_BLOCKING, 0, NULL);
		io->nonblocking = true;
	}
}

static void make_blocking(php_mailer_stream_io *io, php_stream *stream)
{
	if (io->nonblocking) {
		php_stream_set_option(stream, PHP_STREAM_OPTION_BLOCKING, 1, NULL);
		io->nonblocking = false;
	}
}

static long io_read_some(void *ctx, char *buf, size_t len)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);
	ssize_t n;

	REFUSE_AFTER_USER_FAILURE();
	if (!stream) {
		return MAILER_IO_ERROR;
	}
	make_nonblocking(io, stream);
	/* PHP's read buffer, and OpenSSL's, are drained before the socket is asked */
	QUIET_BEGIN();
	n = php_stream_read(stream, buf, len);
	QUIET_END();
	if (n > 0) {
		return (long)n;
	}
	if (n < 0) {
		return MAILER_IO_ERROR;
	}
	return stream->eof ? MAILER_IO_EOF : MAILER_IO_WOULD_BLOCK;
}

static long io_write_some(void *ctx, const char *data, size_t len)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);
	ssize_t n;

	REFUSE_AFTER_USER_FAILURE();
	if (!stream) {
		return MAILER_IO_ERROR;
	}
	make_nonblocking(io, stream);
	QUIET_BEGIN();
	n = php_stream_write(stream, data, len);
	QUIET_END();
	if (n > 0) {
		io->stuck = 0;
		return (long)n;
	}
	/* OpenSSL streams report a failed write as 0, like a full socket: a
	 * socket that is writable but takes nothing, again and again, failed */
	if (n < 0 || ++io->stuck > 100) {
		return MAILER_IO_ERROR;
	}
	return MAILER_IO_WOULD_BLOCK;
}

/* The context of a handshake in progress leaves the stream when it ends, whichever way. */
static void end_handshake(php_mailer_stream_io *io, php_stream *stream)
{
	if (io->tls_context) {
		detach_context(stream, io->tls_context);
		io->tls_context = NULL;
	}
}

static int io_tls_step(void *ctx, mailer_error *err)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);
	int enabled = -1, rc;
	bool ok = true;

	REFUSE_AFTER_USER_FAILURE();
	if (!stream) {
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "not connected");
	}
	make_nonblocking(io, stream);
	{
		CRYPTO_CALL_BEGIN();
		if (!io->tls_context) {
			io->tls_context = make_context(io, io->host);
			php_stream_context_set(stream, io->tls_context);
			ok = php_stream_xport_crypto_setup(stream, crypto_method(io->tls_context), NULL) == 0;
		}
		if (ok && !EG(exception)) {
			/* non-blocking: 0 while the handshake needs more from the server */
			enabled = php_stream_xport_crypto_enable(stream, 1);
		}
		CRYPTO_CALL_END();
	}
	if (enabled == 0 && !EG(exception)) {
		/* PHP does not say which way OpenSSL waits; a handshake message fits in
		 * the socket's buffer, so it waits for the server */
		return MAILER_IO_WANT_READ;
	}
	rc = crypto_outcome(io, ok && enabled == 1, err);
	end_handshake(io, stream);
	return rc;
}

static intptr_t io_descriptor(void *ctx)
{
	php_stream *stream = current_stream(ctx);
	php_socket_t fd;

	if (!stream || php_stream_cast(stream, PHP_STREAM_AS_FD_FOR_SELECT | PHP_STREAM_CAST_INTERNAL,
								   (void **)&fd, 0) != SUCCESS) {
		return -1;
	}
	return (intptr_t)fd;
}

/* Bytes below the core: in php_stream's read buffer (filled 8 KiB at a time,
 * so it can hold more than the core asked for) or in the kernel's. */
static int io_pending(void *ctx)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);
	php_netstream_data_t *sock;
	char c;

	if (!stream) {
		return -1;
	}
	if (stream->writepos > stream->readpos) {
		return 1;
	}
	sock = (php_netstream_data_t *)stream->abstract;
	if (!sock || sock->socket == SOCK_ERR) {
		return -1;
	}
	/* readable now: a byte to peek at, or the end of the connection */
	if (php_pollfd_for_ms(sock->socket, POLLIN, 0) <= 0) {
		return 0;
	}
	return recv(sock->socket, &c, 1, MSG_PEEK) > 0 ? 1 : -1;
}

static void io_resume(void *ctx, mailer_caps *caps, int *tls_active)
{
	php_mailer_stream_io *io = ctx;

	php_mailer_persistent_take(io->persistent_id, caps, tls_active);
}

static void io_established(void *ctx, const mailer_caps *caps, int tls_active)
{
	php_mailer_stream_io *io = ctx;

	if (io->holding) {
		php_mailer_persistent_established(io->persistent_id, caps, tls_active);
	}
}

static int io_inherited(void *ctx)
{
	php_mailer_stream_io *io = ctx;

	return io->stream && io->pid != php_mailer_pid();
}

static void io_busy(void *ctx, int busy)
{
	php_mailer_stream_io *io = ctx;

	io->busy = busy != 0;
	/* in persistent memory: a request that dies now leaves a session that
	 * the next one must not resume */
	if (io->holding) {
		php_mailer_persistent_set_busy(io->persistent_id, busy);
	}
}

const mailer_io php_mailer_stream_io_ops = {
	.connect = io_connect,
	.connect_start = io_connect_start,
	.connect_finish = io_connect_finish,
	.read_some = io_read_some,
	.write_some = io_write_some,
	.tls_step = io_tls_step,
	.descriptor = io_descriptor,
	.wait = NULL, /* the core's driver polls the descriptor */
	.close = io_close,
	.resume = io_resume,
	.established = io_established,
	.inherited = io_inherited,
	.busy = io_busy,
	.pending = io_pending,
};
