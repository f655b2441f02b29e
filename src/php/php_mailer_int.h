/* Declarations shared by the Zend glue (src/php). */
#ifndef PHP_MAILER_INT_H
#define PHP_MAILER_INT_H

#include "php.h"
#include "core/session/session.h"
#include "core/util/error.h"
#include "core/mime/address.h"

extern zend_class_entry *php_mailer_ce;
extern zend_class_entry *php_mailer_message_ce;
extern zend_class_entry *php_mailer_exception_ce;
extern zend_class_entry *php_mailer_connection_exception_ce;
extern zend_class_entry *php_mailer_authentication_exception_ce;
extern zend_class_entry *php_mailer_recipient_exception_ce;

/* The mailer_io implementation on php_stream. */
typedef struct php_mailer_stream_io {
	php_stream *stream;  /* the connection, or NULL. Ours alone: it is kept out of EG(regular_list),
							so no resource of it reaches userland and only we close it */
	HashTable *options;  /* the "context" option's snapshot (owned by the Mailer object), or NULL */
	char *host;          /* the host being connected to, for the TLS peer name */
	char *persistent_id; /* NULL unless the "persistent" option is on */
	zend_long pid;       /* the process that opened stream: in any other, it is never used */
	bool holding;        /* this object holds the persistent session under persistent_id */
	bool detach;         /* close() lets go of a held persistent session instead of closing it */
	bool busy;           /* replies are owed or a transaction is open (mailer_io.busy) */
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

/* Options of the constructor, parsed. */
typedef struct php_mailer_options {
	mailer_tls_mode tls;
	zval context; /* the "context" option's snapshot (php_mailer_context_snapshot), or IS_UNDEF */
	double timeout;
	zend_string *helo;
	mailer_auth_mech auth;
	bool allow_insecure_auth;
	zval debug_handler; /* IS_UNDEF when not given */
	bool pipelining;
	bool chunking;
	bool partial;
	zend_string *dsn_notify; /* NULL when not given */
	zend_string *dsn_ret;
	zend_string *dsn_envid;
	bool persistent;
	zend_string *pool; /* the "persistent" option's pool id, NULL when true or not given */
	struct mailer_dkim_signer *dkim; /* the "dkim" signers (keys loaded), NULL when not given */
	size_t dkim_count;
} php_mailer_options;

/* Throws and returns FAILURE on a bad option. arg_num is the options argument's position. */
zend_result php_mailer_options_parse(HashTable *options, uint32_t arg_num, php_mailer_options *out);
void php_mailer_options_free(php_mailer_options *opts);
/* The "dkim" option (src/php/dkim_options.c): throws and returns FAILURE on a bad signer or key. */
zend_result php_mailer_dkim_option_parse(zval *value, uint32_t arg_num, php_mailer_options *out);
void php_mailer_dkim_option_free(php_mailer_options *opts);

/* Throws the exception that err describes (ValueError for MAILER_ERR_INVALID) and clears err. */
void php_mailer_throw(mailer_error *err);

/* Appends every address of a string|array argument (lists allowed in each string).
 * Throws a ValueError and returns FAILURE on a bad one. */
zend_result php_mailer_addresses_from_zval(zval *value, const char *what, mailer_address_list *out);

/* For Mailer::send() and toString(): the core message of a Mailer\Message,
 * checked (From, a recipient) and prepared; NULL after throwing a ValueError.
 * what names the caller in the error. Until php_mailer_message_release(), the
 * Message refuses changes. */
struct mailer_message;
struct mailer_message *php_mailer_message_acquire(zend_object *obj, const char *what);
void php_mailer_message_release(zend_object *obj);

#endif
