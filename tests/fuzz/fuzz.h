/* Shared by the libFuzzer harnesses: a check that aborts (so libFuzzer keeps
 * the input), the allocation counters of alloc_fuzz.c, and helpers to cut an
 * input into pieces the way a network or a caller would. */
#ifndef MAILER_FUZZ_H
#define MAILER_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An assertion that survives -DNDEBUG and says which invariant broke. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                           \
		if (!(cond)) {                                                                             \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
			abort();                                                                               \
		}                                                                                          \
	} while (0)

/* Bytes the core holds through the allocation shim right now, and the most it
 * held since the last fuzz_alloc_reset(). */
size_t fuzz_alloc_live(void);
size_t fuzz_alloc_peak(void);
void fuzz_alloc_reset(void);

/* Every input must give back all it took from the shim: a leak is reported at
 * once, with the input, rather than by LeakSanitizer at exit. */
#define FUZZ_CHECK_NO_LEAK(live_before) FUZZ_CHECK(fuzz_alloc_live() == (live_before))

/* A small deterministic generator for chunk sizes, seeded from the input. */
typedef struct fuzz_rng {
	uint64_t state;
} fuzz_rng;

static inline void fuzz_rng_init(fuzz_rng *r, uint64_t seed)
{
	r->state = seed * 0x9e3779b97f4a7c15u + 1;
}

static inline uint64_t fuzz_rng_next(fuzz_rng *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545f4914f6cdd1du;
}

/* A chunk size in 1..max, small ones most often: the boundaries are where
 * streaming encoders go wrong. */
static inline size_t fuzz_rng_chunk(fuzz_rng *r, size_t max)
{
	uint64_t v = fuzz_rng_next(r);
	size_t n;

	switch (v & 3) {
	case 0:
		n = 1;
		break;
	case 1:
		n = (size_t)(v >> 8) % 8 + 1;
		break;
	case 2:
		n = (size_t)(v >> 8) % 100 + 1;
		break;
	default:
		n = (size_t)(v >> 8) % 20000 + 1;
		break;
	}
	return n < max ? n : max;
}

#endif
