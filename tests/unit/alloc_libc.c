/* The core's allocation shim for the plain-C unit tests and fuzzers: libc. */
#include "core/util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *checked(void *ptr)
{
	if (!ptr) {
		fputs("out of memory\n", stderr);
		abort();
	}
	return ptr;
}

void *mailer_malloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *mailer_calloc(size_t count, size_t size)
{
	return checked(calloc(count ? count : 1, size ? size : 1));
}

void *mailer_realloc(void *ptr, size_t size)
{
	return checked(realloc(ptr, size ? size : 1));
}

void mailer_free(void *ptr)
{
	free(ptr);
}

char *mailer_strndup(const char *s, size_t len)
{
	char *copy = mailer_malloc(len + 1);

	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

char *mailer_strdup(const char *s)
{
	return mailer_strndup(s, strlen(s));
}

void mailer_secure_zero(void *ptr, size_t len)
{
	volatile unsigned char *p = ptr;

	while (len--) {
		*p++ = 0;
	}
}
