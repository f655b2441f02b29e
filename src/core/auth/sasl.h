/* SASL mechanisms for SMTP AUTH (RFC 4954) as a table of vtables, as ext/random keeps its
 * algorithms: one mailer_sasl_mech per mechanism, each in a file of its own (plain.c,
 * login.c, cram_md5.c, scram.c, xoauth2.c, oauthbearer.c), looked up by name or chosen
 * from what the server offers (sasl.c). A mechanism only builds the client's responses;
 * the session runs the exchange, the same loop for every mechanism. Every buffer that
 * held a secret is wiped with mailer_buf_wipe() before it is freed. */
#ifndef MAILER_CORE_AUTH_SASL_H
#define MAILER_CORE_AUTH_SASL_H

#include "core/util/status.h"

#include "core/util/buf.h"

#include <stddef.h>

/* What a mechanism authenticates with; borrowed for the exchange. */
typedef struct mailer_sasl_creds {
	const char *user;
	const char *secret; /* the password, or the OAuth2 token (MAILER_SASL_BEARER) */
	const char *host;   /* the server as connected to, without brackets (OAUTHBEARER names it) */
	int port;
} mailer_sasl_creds;

/* The secret is an OAuth2 bearer token, not a password: "auth_token" supplies it, and
 * "auto" picks such a mechanism only then (a token cannot be told from a password). */
#define MAILER_SASL_BEARER 1u

typedef struct mailer_sasl_mech {
	const char *name; /* as in the EHLO AUTH line and the AUTH command */
	unsigned flags;
	size_t state_size; /* bytes of state per exchange, zeroed before start or the first step */
	/* The initial response (RFC 4954 §4), appended to out; NULL for a mechanism where the
	 * server speaks first. MAILER_FAIL with *why when it cannot be made (nothing was sent). */
	mailer_status (*start)(void *state, const mailer_sasl_creds *creds, mailer_buf *out,
						   const char **why);
	/* Answers a 334 challenge (challenge: its base64 text, len octets): MAILER_OK with the
	 * response line appended to out, or MAILER_FAIL to cancel the exchange ("*"), with *why
	 * saying why, or NULL when the server's final reply says it. NULL: the mechanism has
	 * nothing more to say (every challenge is cancelled). */
	mailer_status (*step)(void *state, const mailer_sasl_creds *creds, const char *challenge,
						  size_t len, mailer_buf *out, const char **why);
	/* Optional: whether a 235 is to be believed (SCRAM: only once the server proved that it
	 * knows the password). MAILER_FAIL with *why. */
	mailer_status (*accept)(void *state, const char **why);
	/* Optional: wipes and frees what the state holds (not the state itself). */
	void (*free)(void *state);
} mailer_sasl_mech;

extern const mailer_sasl_mech mailer_sasl_plain_mech;
extern const mailer_sasl_mech mailer_sasl_login_mech;
extern const mailer_sasl_mech mailer_sasl_cram_md5_mech;
extern const mailer_sasl_mech mailer_sasl_scram_sha256_mech;
extern const mailer_sasl_mech mailer_sasl_xoauth2_mech;
extern const mailer_sasl_mech mailer_sasl_oauthbearer_mech;

/* ---- the registry (sasl.c) ---- */

/* The mechanism of that name (case-insensitive), or NULL for an unknown one. */
const mailer_sasl_mech *mailer_sasl_find(const char *name);
/* Whether the server offers a mechanism (the session asks its EHLO capabilities). */
typedef int (*mailer_sasl_offered_fn)(const void *ctx, const char *name);
/* "auto": the first mechanism in order of preference that the server offers, among the
 * bearer mechanisms when bearer (OAUTHBEARER, XOAUTH2) or the others when not (SCRAM-SHA-256,
 * CRAM-MD5, PLAIN, LOGIN: strongest first). NULL when it offers none of them. */
const mailer_sasl_mech *mailer_sasl_choose(int bearer, mailer_sasl_offered_fn offered,
										   const void *ctx);
/* The names of every mechanism, for messages: "PLAIN, LOGIN, ..." */
const char *mailer_sasl_names(void);

/* ---- shared by the mechanisms ---- */

/* Appends base64(data). */
void mailer_sasl_base64(mailer_buf *out, const char *data, size_t len);
/* Appends a user name as an RFC 5801 saslname ("," as "=2C", "=" as "=3D"),
 * as SCRAM and OAUTHBEARER carry it. */
void mailer_sasl_append_saslname(mailer_buf *out, const char *name);
/* Zeroes the buffer's memory and empties it. */
void mailer_buf_wipe(mailer_buf *buf);

/* ---- each mechanism's encoding, also for tests and fuzzers ---- */

/* PLAIN (RFC 4616): base64("\0user\0pass"). */
void mailer_sasl_plain(mailer_buf *out, const char *user, const char *pass);
/* XOAUTH2: base64("user=U\1auth=Bearer T\1\1"). */
void mailer_sasl_xoauth2(mailer_buf *out, const char *user, const char *token);
/* OAUTHBEARER (RFC 7628): base64("n,a=U,\1host=H\1port=P\1auth=Bearer T\1\1"). */
void mailer_sasl_oauthbearer(mailer_buf *out, const char *user, const char *host, int port,
							 const char *token);
/* CRAM-MD5 (RFC 2195): base64(user " " hex(HMAC-MD5(pass, challenge))).
 * challenge is the base64 text of the server's 334 line. MAILER_FAIL when it does not decode. */
mailer_status mailer_sasl_cram_md5(mailer_buf *out, const char *user, const char *pass,
								   const char *challenge, size_t challenge_len);

#endif
