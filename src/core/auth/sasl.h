/* SASL mechanisms for SMTP AUTH (RFC 4954). These only build the client's
 * responses; the session drives the exchange. Every buffer that held a secret
 * is wiped by the caller with mailer_buf_wipe(). */
#ifndef MAILER_CORE_AUTH_SASL_H
#define MAILER_CORE_AUTH_SASL_H

#include "core/util/status.h"

#include "core/util/buf.h"

#include <stddef.h>

typedef enum mailer_auth_mech {
	MAILER_AUTH_AUTO = 0,
	MAILER_AUTH_PLAIN,
	MAILER_AUTH_LOGIN,
	MAILER_AUTH_CRAM_MD5,
	MAILER_AUTH_XOAUTH2,
	MAILER_AUTH_SCRAM_SHA_256,
	MAILER_AUTH_OAUTHBEARER
} mailer_auth_mech;

const char *mailer_auth_mech_name(mailer_auth_mech mech);
/* Case-insensitive; MAILER_OK and sets *mech, or MAILER_FAIL for an unknown name. */
mailer_status mailer_auth_mech_parse(const char *name, mailer_auth_mech *mech);

/* Appends base64(data). */
void mailer_sasl_base64(mailer_buf *out, const char *data, size_t len);
/* PLAIN (RFC 4616): base64("\0user\0pass"). */
void mailer_sasl_plain(mailer_buf *out, const char *user, const char *pass);
/* XOAUTH2: base64("user=U\1auth=Bearer T\1\1"). */
void mailer_sasl_xoauth2(mailer_buf *out, const char *user, const char *token);
/* Appends a user name as an RFC 5801 saslname ("," as "=2C", "=" as "=3D"),
 * as SCRAM and OAUTHBEARER carry it. */
void mailer_sasl_append_saslname(mailer_buf *out, const char *name);
/* OAUTHBEARER (RFC 7628): base64("n,a=U,\1host=H\1port=P\1auth=Bearer T\1\1"). */
void mailer_sasl_oauthbearer(mailer_buf *out, const char *user, const char *host, int port,
							 const char *token);
/* CRAM-MD5 (RFC 2195): base64(user " " hex(HMAC-MD5(pass, challenge))).
 * challenge is the base64 text of the server's 334 line. MAILER_FAIL when it does not decode. */
mailer_status mailer_sasl_cram_md5(mailer_buf *out, const char *user, const char *pass,
								   const char *challenge, size_t challenge_len);
/* Zeroes the buffer's memory and empties it. */
void mailer_buf_wipe(mailer_buf *buf);

#endif
