/* The core's allocation shim inside PHP: the request allocator, so a leak in
 * the core shows up in PHP's own leak reports and under valgrind. */
#include "php.h"
#include "core/util/alloc.h"

void *mailer_malloc(size_t size)
{
	return emalloc(size);
}

void *mailer_calloc(size_t count, size_t size)
{
	return ecalloc(count, size);
}

void *mailer_realloc(void *ptr, size_t size)
{
	return erealloc(ptr, size);
}

void mailer_free(void *ptr)
{
	if (ptr) {
		efree(ptr);
	}
}

char *mailer_strndup(const char *s, size_t len)
{
	return estrndup(s, len);
}

char *mailer_strdup(const char *s)
{
	return estrdup(s);
}

void mailer_secure_zero(void *ptr, size_t len)
{
	ZEND_SECURE_ZERO(ptr, len);
}
