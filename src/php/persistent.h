/* Persistent connections: what must outlive a request besides the socket
 * itself (which PHP keeps as a persistent stream under the same id): the
 * session's capabilities and TLS state, in persistent memory. */
#ifndef PHP_MAILER_PERSISTENT_H
#define PHP_MAILER_PERSISTENT_H

#include "php.h"
#include "caps.h"

void php_mailer_persistent_minit(int module_number);
/* Called at each request start: marks every entry taken in earlier requests as free. */
void php_mailer_persistent_rinit(void);
/* 1 when a session is kept under id and no live object of this request holds it. */
int php_mailer_persistent_available(const char *id);
/* 1 when an object of this request holds the session kept under id. */
int php_mailer_persistent_held(const char *id);
/* Takes the kept session: copies its state into caps and *tls_active, marks it held. */
void php_mailer_persistent_take(const char *id, mailer_caps *caps, int *tls_active);
/* Keeps (or replaces) the state of a session just established, held by the caller. */
void php_mailer_persistent_store(const char *id, const mailer_caps *caps, int tls_active);
/* The holder let go of a healthy session: the next object may take it. */
void php_mailer_persistent_release(const char *id);
/* The session is gone (closed or broken): forget its state. */
void php_mailer_persistent_forget(const char *id);
/* The id for a configuration: a digest, so the password never sits in a key.
 * The caller frees it with efree(). */
char *php_mailer_persistent_id(const char *pool, const char *const *parts, size_t count);

#endif
