/* mailer_io on php_stream: TCP through PHP's transports, TLS through PHP's
 * OpenSSL stream crypto, so every "ssl" and "socket" context option a user
 * knows from stream_socket_client() applies here too. */
#include "php_mailer_int.h"
#include "php_network.h"
#include "ext/standard/file.h"
#include "zend_exceptions.h"
#include "persistent.h"
#include "portable.h"

#include <string.h>

/* PHP's stream layer reports failures as warnings and notices; the core
 * reports them as exceptions instead, so the layer is kept quiet around each
 * call, and TLS warnings are captured to become the exception's message. */
#define QUIET_BEGIN()                                                                              \
	int saved_error_reporting_ = EG(error_reporting);                                              \
	EG(error_reporting) = 0
#define QUIET_END() EG(error_reporting) = saved_error_reporting_

void php_mailer_stream_io_init(php_mailer_stream_io *io)
{
	ZVAL_UNDEF(&io->stream);
	ZVAL_UNDEF(&io->context);
	io->user_context = NULL;
	io->host = NULL;
	io->persistent_id = NULL;
	io->holding = false;
	io->detach = false;
}

static php_stream *current_stream(php_mailer_stream_io *io)
{
	/* At request shutdown PHP closes every resource before it frees objects:
	 * a stream closed that way has a NULL pointer behind our reference. */
	if (Z_TYPE(io->stream) != IS_RESOURCE || Z_RES(io->stream)->ptr == NULL) {
		return NULL;
	}
	return (php_stream *)Z_RES(io->stream)->ptr;
}

static void io_close(void *ctx)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);

	if (io->holding && io->detach && stream) {
		/* keep the session for the next object or request: only let go */
		php_mailer_persistent_release(io->persistent_id);
	} else if (stream) {
		QUIET_BEGIN();
		php_stream_free(stream, (stream->is_persistent ? PHP_STREAM_FREE_CLOSE_PERSISTENT : PHP_STREAM_FREE_CLOSE) |
									PHP_STREAM_FREE_KEEP_RSRC);
		QUIET_END();
		if (io->holding) {
			php_mailer_persistent_forget(io->persistent_id);
		}
	}
	io->holding = false;
	zval_ptr_dtor(&io->stream);
	ZVAL_UNDEF(&io->stream);
	zval_ptr_dtor(&io->context);
	ZVAL_UNDEF(&io->context);
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

/* A persistent session kept from an earlier object or request, if it is
 * still there, free, and alive; a dead one is closed and forgotten. */
static int resume_persistent(php_mailer_stream_io *io)
{
	php_stream *stream = NULL;

	if (!php_mailer_persistent_available(io->persistent_id)) {
		return 0;
	}
	if (php_stream_from_persistent_id(io->persistent_id, &stream) != PHP_STREAM_PERSISTENT_SUCCESS) {
		php_mailer_persistent_forget(io->persistent_id);
		return 0;
	}
	if (php_stream_set_option(stream, PHP_STREAM_OPTION_CHECK_LIVENESS, 0, NULL) == PHP_STREAM_OPTION_RETURN_ERR) {
		QUIET_BEGIN();
		php_stream_pclose(stream);
		QUIET_END();
		php_mailer_persistent_forget(io->persistent_id);
		return 0;
	}
	ZVAL_RES(&io->stream, stream->res);
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

static void copy_wrapper_options(php_stream_context *context, const char *wrapper, HashTable *options)
{
	zend_string *option;
	zval *value;

	ZEND_HASH_FOREACH_STR_KEY_VAL(options, option, value) {
		if (option) {
			php_stream_context_set_option(context, wrapper, ZSTR_VAL(option), value);
		}
	} ZEND_HASH_FOREACH_END();
}

/* A private context for one connection: the user's options, plus our defaults
 * where the user set nothing. The user's context is never modified. */
static php_stream_context *make_context(php_mailer_stream_io *io, const char *host)
{
	php_stream_context *context = php_stream_context_alloc();
	zval value;

	ZVAL_RES(&io->context, context->res); /* we hold the allocation's reference */
	if (io->user_context) {
		php_stream_context *user = zend_fetch_resource_ex(io->user_context, NULL, php_le_stream_context());
		zend_string *wrapper;
		zval *options;

		if (user) {
			ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL(user->options), wrapper, options) {
				if (wrapper && Z_TYPE_P(options) == IS_ARRAY) {
					copy_wrapper_options(context, ZSTR_VAL(wrapper), Z_ARRVAL_P(options));
				}
			} ZEND_HASH_FOREACH_END();
		}
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

static int enable_tls(php_mailer_stream_io *io, php_stream *stream, mailer_error *err)
{
	php_stream_context *context = Z_TYPE(io->context) == IS_RESOURCE ? Z_RES(io->context)->ptr : NULL;
	zval *method_option = context ? php_stream_context_get_option(context, "ssl", "crypto_method") : NULL;
	zend_long method = STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT;
	zend_error_handling saved;
	int ok;

	/* TLS 1.2 is the floor unless the context asks for something else */
	if (method_option) {
		method = zval_get_long(method_option) | 1;
	} else if (context && (php_stream_context_get_option(context, "ssl", "min_proto_version") ||
						   php_stream_context_get_option(context, "ssl", "max_proto_version"))) {
		method = STREAM_CRYPTO_METHOD_ANY_CLIENT;
	}
	zend_replace_error_handling(EH_THROW, zend_ce_exception, &saved);
	ok = php_stream_xport_crypto_setup(stream, (php_stream_xport_crypt_method_t)method, NULL) == 0 &&
		 php_stream_xport_crypto_enable(stream, 1) == 1;
	zend_restore_error_handling(&saved);
	if (!ok || EG(exception)) {
		const char *why = "TLS handshake failed";
		zend_string *message = NULL;

		if (EG(exception)) {
			zval rv;
			zval *msg = zend_read_property_ex(EG(exception)->ce, EG(exception), ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv);
			message = zval_get_string(msg);
			zend_clear_exception();
			why = ZSTR_VAL(message);
		}
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "TLS with %s failed: %s", io->host, why);
		if (message) {
			zend_string_release(message);
		}
		return -1;
	}
	return 0;
}

/* The id to create a new persistent connection under, or NULL for a plain one
 * (when another object of this request holds the session). A stream left
 * under the id without its state is of no use and is closed first. */
static const char *fresh_persistent_id(php_mailer_stream_io *io)
{
	php_stream *old = NULL;

	if (!io->persistent_id || php_mailer_persistent_held(io->persistent_id)) {
		return NULL;
	}
	if (php_stream_from_persistent_id(io->persistent_id, &old) == PHP_STREAM_PERSISTENT_SUCCESS) {
		QUIET_BEGIN();
		php_stream_pclose(old);
		QUIET_END();
	}
	php_mailer_persistent_forget(io->persistent_id);
	return io->persistent_id;
}

static int io_connect(void *ctx, const char *host, int port, int implicit_tls, double timeout, mailer_error *err)
{
	php_mailer_stream_io *io = ctx;
	php_stream_context *context;
	php_stream *stream;
	const char *persistent_id;
	zend_string *uri, *errstr = NULL;
	struct timeval tv = seconds_to_timeval(timeout);
	int errcode = 0;

	io_close(io);
	io->host = estrdup(host);
	/* a second object of the same request never shares a held session: it
	 * gets a connection of its own */
	if (io->persistent_id && resume_persistent(io)) {
		return MAILER_IO_RESUMED;
	}
	persistent_id = fresh_persistent_id(io);
	context = make_context(io, host);
	uri = strchr(host, ':') ? strpprintf(0, "tcp://[%s]:%d", host, port) : strpprintf(0, "tcp://%s:%d", host, port);
	QUIET_BEGIN();
	stream = php_stream_xport_create(ZSTR_VAL(uri), ZSTR_LEN(uri), 0, STREAM_XPORT_CLIENT | STREAM_XPORT_CONNECT,
									 persistent_id, &tv, context, &errstr, &errcode);
	QUIET_END();
	zend_string_release(uri);
	if (!stream) {
		mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_CONNECT, "could not connect to %s%s%s:%d: %s",
						 strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "", port,
						 errstr ? ZSTR_VAL(errstr) : "unknown error");
		if (errstr) {
			zend_string_release(errstr);
		}
		io_close(io);
		return -1;
	}
	if (errstr) {
		zend_string_release(errstr);
	}
	/* the stream's resource reference is ours: it is never handed to userland */
	ZVAL_RES(&io->stream, stream->res);
	io->holding = persistent_id != NULL;
	if (implicit_tls && enable_tls(io, stream, err) != 0) {
		err->stage = MAILER_STAGE_CONNECT;
		io_close(io);
		return -1;
	}
	return 0;
}

/* The socket under a plain or OpenSSL stream (both start with php_netstream_data_t). */
static php_socket_t stream_socket(php_stream *stream)
{
	php_netstream_data_t *sock = (php_netstream_data_t *)stream->abstract;

	return sock ? sock->socket : SOCK_ERR;
}

/* Waits until the socket is ready for events, at most until deadline. PHP's
 * own waits start again with their full timeout after each signal, so a
 * signal every half second kept a blocking read waiting for ever; this one
 * keeps the deadline. 1 ready, 0 deadline passed, -1 failed (and, when
 * writing, an error or hang-up on the socket). */
static int wait_socket(php_stream *stream, short events, double deadline)
{
	php_pollfd p;
	double left;
	int n, i;

	p.fd = stream_socket(stream);
	if (p.fd == SOCK_ERR) {
		return -1;
	}
	for (i = 0; i < 1000000; i++) {
		left = deadline - mailer_monotonic_seconds();
		if (left <= 0) {
			return 0;
		}
		p.events = events;
		p.revents = 0;
		n = php_poll2(&p, 1, left > 86400.0 ? 86400000 : (int)(left * 1000.0) + 1);
		if (n > 0) {
			return (events & POLLOUT) && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) ? -1 : 1;
		}
		if (n < 0 && php_socket_errno() != EINTR) {
			return -1;
		}
		/* a signal, or woken a little early: wait for what is left */
	}
	return -1;
}

/* The stream is non-blocking during each read and write, so that only
 * wait_socket() waits; blocking again in between, as the TLS handshake and a
 * persistent stream's next user expect. */
static int set_blocking(php_stream *stream, int blocking)
{
	return php_stream_set_option(stream, PHP_STREAM_OPTION_BLOCKING, blocking, NULL);
}

static long io_read(void *ctx, char *buf, size_t len, double timeout)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);
	double deadline = mailer_monotonic_seconds() + timeout;
	long rc = MAILER_IO_ERROR;
	ssize_t n;
	int was, i;

	if (!stream) {
		return MAILER_IO_ERROR;
	}
	was = set_blocking(stream, 0);
	for (i = 0; i < 1000000; i++) {
		/* PHP's read buffer, and OpenSSL's, are drained before any wait */
		QUIET_BEGIN();
		n = php_stream_read(stream, buf, len);
		QUIET_END();
		if (n > 0) {
			rc = (long)n;
			break;
		}
		if (n < 0) {
			rc = MAILER_IO_ERROR;
			break;
		}
		if (stream->eof) {
			rc = MAILER_IO_EOF;
			break;
		}
		n = wait_socket(stream, POLLIN, deadline);
		if (n <= 0) {
			rc = n == 0 ? MAILER_IO_TIMEOUT : MAILER_IO_ERROR;
			break;
		}
	}
	if (was == 1) {
		set_blocking(stream, 1);
	}
	return rc;
}

static int io_write(void *ctx, const char *data, size_t len, double timeout)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);
	double deadline = mailer_monotonic_seconds() + timeout;
	size_t off = 0;
	int rc = 0, was, stuck = 0, w;
	ssize_t n;

	if (!stream) {
		return MAILER_IO_ERROR;
	}
	was = set_blocking(stream, 0);
	while (off < len) {
		/* after a would-block the same bytes go again: OpenSSL wants that */
		QUIET_BEGIN();
		n = php_stream_write(stream, data + off, len - off);
		QUIET_END();
		if (n > 0) {
			off += (size_t)n;
			stuck = 0;
			continue;
		}
		/* OpenSSL streams report a failed write as 0, like a full socket:
		 * a socket that is writable but takes nothing, again and again, failed */
		if (n < 0 || ++stuck > 100) {
			rc = MAILER_IO_ERROR;
			break;
		}
		w = wait_socket(stream, POLLOUT, deadline);
		if (w <= 0) {
			rc = w == 0 ? MAILER_IO_TIMEOUT : MAILER_IO_ERROR;
			break;
		}
	}
	if (was == 1) {
		set_blocking(stream, 1);
	}
	return rc;
}

static int io_start_tls(void *ctx, double timeout, mailer_error *err)
{
	php_mailer_stream_io *io = ctx;
	php_stream *stream = current_stream(io);

	(void)timeout; /* the handshake is bounded by the connect timeout given at creation */
	if (!stream) {
		return mailer_error_set(err, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS, "not connected");
	}
	return enable_tls(io, stream, err);
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
		php_mailer_persistent_store(io->persistent_id, caps, tls_active);
	}
}

const mailer_io php_mailer_stream_io_ops = {
	io_connect, io_read, io_write, io_start_tls, io_close, io_resume, io_established, io_pending,
};
