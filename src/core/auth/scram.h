/* SCRAM-SHA-256 (RFC 5802, RFC 7677), client side, with the server's
 * signature verified so a server that does not know the password is caught.
 * The user name is escaped (",", "="); SASLprep is not applied. The mechanism
 * (mailer_sasl_scram_sha256_mech, scram.c) runs these three steps. */
#ifndef MAILER_CORE_AUTH_SCRAM_H
#define MAILER_CORE_AUTH_SCRAM_H

#include "core/util/status.h"

#include "core/util/buf.h"

#include <stddef.h>

/* Refuse work factors that would stall the client (a hostile server's DoS). */
#define MAILER_SCRAM_MAX_ITERATIONS 1000000
/* The mechanism's state (scram.c) starts with its mailer_scram, so a test can fix the nonce
 * after start() with mailer_scram_client_first_nonce(). */

/* Longest client nonce (ours are 32 hex digits; a test may give its own). */
#define MAILER_SCRAM_NONCE_MAX 64

typedef struct mailer_scram {
	mailer_buf client_first_bare; /* "n=user,r=cnonce" */
	char nonce[MAILER_SCRAM_NONCE_MAX + 1];
	size_t nonce_len;
	unsigned char server_signature[32];
} mailer_scram;

void mailer_scram_init(mailer_scram *sc);
void mailer_scram_free(mailer_scram *sc);
/* Appends base64("n,,n=user,r=nonce"); MAILER_FAIL when no random bytes were available. */
mailer_status mailer_scram_client_first(mailer_scram *sc, const char *user, mailer_buf *out);
/* The same with a chosen nonce (printable, no ",", at most MAILER_SCRAM_NONCE_MAX): for test
 * vectors such as RFC 7677's. */
void mailer_scram_client_first_nonce(mailer_scram *sc, const char *user, const char *nonce,
									 mailer_buf *out);
/* Reads base64 server-first from challenge and appends base64 client-final.
 * Returns NULL, or why the challenge was refused. */
const char *mailer_scram_client_final(mailer_scram *sc, const char *pass, const char *challenge,
									  size_t len, mailer_buf *out);
/* Checks base64 server-final ("v=..."): MAILER_OK when the server proved it knows the password. */
mailer_status mailer_scram_verify_server(const mailer_scram *sc, const char *challenge, size_t len);

#endif
