/* The core's allocation shim for the fuzzers: libc, plus a count of the bytes
 * the core holds, so a harness can check that memory stays bounded and that
 * nothing leaks. malloc_usable_size() gives the requested size under ASan, so
 * no header is needed and ASan still sees every overflow. */
#include "core/util/alloc.h"
#include "fuzz.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t live, peak;

static void *counted(void *ptr)
{
	if (!ptr) {
		fputs("out of memory\n", stderr);
		abort();
	}
	live += malloc_usable_size(ptr);
	if (live > peak) {
		peak = live;
	}
	return ptr;
}

size_t fuzz_alloc_live(void)
{
	return live;
}

size_t fuzz_alloc_peak(void)
{
	return peak;
}

void fuzz_alloc_reset(void)
{
	peak = live;
}

void *mailer_malloc(size_t size)
{
	return counted(malloc(size ? size : 1));
}

void *mailer_calloc(size_t count, size_t size)
{
	return counted(calloc(count ? count : 1, size ? size : 1));
}

void *mailer_realloc(void *ptr, size_t size)
{
	if (ptr) {
		live -= malloc_usable_size(ptr);
	}
	return counted(realloc(ptr, size ? size : 1));
}

void mailer_free(void *ptr)
{
	if (ptr) {
		live -= malloc_usable_size(ptr);
		free(ptr);
	}
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
