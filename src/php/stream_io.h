/* The core's mailer_io implemented on php_stream (stream_io.c): TCP and TLS
 * through PHP's stream transports, persistent sessions (persistent.c). */
#ifndef PHP_MAILER_STREAM_IO_H
#define PHP_MAILER_STREAM_IO_H

#include "php.h"
#include "core/session/session.h"

typedef struct php_mailer_stream_io {
	php_stream *stream;  /* the connection, or NULL. Ours alone: it is kept out of EG(regular_list),
							so no resource of it reaches userland and only we close it */
	HashTable *options;  /* the "context" option's snapshot (owned by the Mailer object), or NULL */
	char *host;          /* the host being connected to, for the TLS peer name */
	int port;            /* and its port, for connect_finish's errors */
	char *persistent_id; /* NULL unless the "persistent" option is on */
	zend_long pid;       /* the process that opened stream: in any other, it is never used */
	bool holding;        /* this object holds the persistent session under persistent_id */
	bool detach;         /* close() lets go of a held persistent session instead of closing it */
	bool busy;           /* replies are owed or a transaction is open (mailer_io.busy) */
	php_stream_context *tls_context; /* on the stream while a STARTTLS handshake is in steps */
	int stuck;                       /* writes in a row that took nothing (see io_write_some) */
	bool nonblocking;                /* the stream was made non-blocking (see make_nonblocking) */
} php_mailer_stream_io;

extern const mailer_io php_mailer_stream_io_ops;
void php_mailer_stream_io_init(php_mailer_stream_io *io);
void php_mailer_stream_io_free(php_mailer_stream_io *io);
/* Points the stream's socket descriptor at /dev/null, so that closing the
 * stream (a TLS close_notify included) writes nothing to the connection.
 * False when that was impossible: the stream must then not be closed. */
bool php_mailer_stream_silence(php_stream *stream);
/* The "context" option as the connection will use it: the context's "ssl" and
 * "socket" options copied now (references resolved), so that a later change to
 * the context changes neither the connection nor the persistent pool key. */
zend_result php_mailer_context_snapshot(zval *context, uint32_t arg_num, zval *out);

#endif
