/* Persistent connections: what must outlive a request besides the socket
 * itself (which PHP keeps as a persistent stream under the same id): the
 * session's capabilities and TLS state, whether it is clean, and which process
 * opened it, all in persistent memory. */
#ifndef PHP_MAILER_PERSISTENT_H
#define PHP_MAILER_PERSISTENT_H

#include "php.h"
#include "core/session/caps.h"
#include "zend_smart_str.h"

#ifdef PHP_WIN32
#include <process.h>
#define php_mailer_pid() ((zend_long)_getpid())
#else
#include <unistd.h>
#define php_mailer_pid() ((zend_long)getpid())
#endif

/* What a session kept under an id can be used for. */
typedef enum php_mailer_psession {
	PHP_MAILER_PSESSION_NONE,    /* nothing is kept under the id */
	PHP_MAILER_PSESSION_HELD,    /* a live object holds it: leave it alone */
	PHP_MAILER_PSESSION_CLEAN,   /* free, idle, opened by this process: may be resumed */
	PHP_MAILER_PSESSION_UNUSABLE /* free but left busy or opened by another process: discard */
} php_mailer_psession;

void php_mailer_persistent_minit(int module_number);
/* Called at each request start: marks every entry taken in earlier requests as free. */
void php_mailer_persistent_rinit(void);
php_mailer_psession php_mailer_persistent_state(const char *id);
/* A new connection was made under id: its state starts busy (the set-up is
 * under way), held by the caller, owned by this process. */
void php_mailer_persistent_open(const char *id);
/* The set-up is done: the session's state, to resume it later; no longer busy. */
void php_mailer_persistent_established(const char *id, const mailer_caps *caps, int tls_active);
/* Takes the kept session: copies its state into caps and *tls_active, marks it held. */
void php_mailer_persistent_take(const char *id, mailer_caps *caps, int *tls_active);
/* Records whether the session owes replies or is mid-transaction (see mailer_io.busy). */
void php_mailer_persistent_set_busy(const char *id, int busy);
/* The holder let go of a healthy session: the next object may take it. */
void php_mailer_persistent_release(const char *id);
/* The session is gone (closed or broken): forget its state. */
void php_mailer_persistent_forget(const char *id);

/* The pool key. The caller serialises the whole configuration into one
 * smart_str with these two (length-prefixed and typed, so no two different
 * configurations give the same bytes), then php_mailer_persistent_id() makes
 * the id from a digest of it, so the password never sits in a key. */
void php_mailer_persistent_key_str(smart_str *key, const char *s, size_t len);
/* A secret (the password): only its SHA-256 goes into the key, so no buffer of
 * the key, reallocated or not, ever holds the secret itself. */
void php_mailer_persistent_key_secret(smart_str *key, const char *s, size_t len);
/* A PHP value, arrays with their keys sorted (the order options were written
 * in does not matter). A value that cannot be compared (an object, a resource,
 * an array nested too deeply) throws a ValueError naming it, for what. */
zend_result php_mailer_persistent_key_zval(smart_str *key, zval *value, uint32_t arg_num,
										   const char *what);
/* The caller frees the id with efree(). */
char *php_mailer_persistent_id(const char *pool, const smart_str *key);

#endif
