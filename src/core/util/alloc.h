/* Allocation shim: the core never calls malloc directly. Inside PHP these map to
 * emalloc and friends (src/php/alloc.c); in tests/unit they map to libc. An
 * allocation failure never returns NULL to the core (emalloc bails out, the
 * libc shim aborts), so callers need not check. */
#ifndef MAILER_CORE_UTIL_ALLOC_H
#define MAILER_CORE_UTIL_ALLOC_H

#include <stddef.h>

void *mailer_malloc(size_t size);
void *mailer_calloc(size_t count, size_t size);
void *mailer_realloc(void *ptr, size_t size);
void mailer_free(void *ptr);
char *mailer_strndup(const char *s, size_t len);
char *mailer_strdup(const char *s);
/* Overwrite secrets before their memory is released. */
void mailer_secure_zero(void *ptr, size_t len);

#endif
