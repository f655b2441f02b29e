/* The two S/MIME transforms, each a sink in front of another sink: what is
 * written to it is an entity (its Content-* fields, a blank line, its body),
 * what comes out is a new entity wrapping it. They stack: the signer's output
 * can be the encrypter's input (signed, then encrypted). */
#ifndef MAILER_CORE_SMIME_CMS_H
#define MAILER_CORE_SMIME_CMS_H

#include "core/smime/smime.h"

typedef struct mailer_smime_signer mailer_smime_signer;
typedef struct mailer_smime_encrypter mailer_smime_encrypter;

/* multipart/signed (RFC 8551 section 3.5.3): the entity as it is, then its
 * detached CMS signature (SHA-256, signing time, the certificate chain).
 * Writes the multipart's header at once. NULL with err set on failure. */
mailer_smime_signer *mailer_smime_signer_start(const mailer_smime_config *c, const mailer_sink *out,
											   mailer_error *err);
/* A mailer_sink_fn (ctx is the signer): the entity, in pieces. */
mailer_status mailer_smime_signer_write(void *ctx, const char *data, size_t len);
/* Signs and writes the signature part and the closing boundary. */
mailer_status mailer_smime_signer_finish(mailer_smime_signer *s, mailer_error *err);
void mailer_smime_signer_free(mailer_smime_signer *s);

/* application/pkcs7-mime (RFC 8551 section 3.3): the entity encrypted for
 * every recipient, streamed as BER and base64. */
mailer_smime_encrypter *mailer_smime_encrypter_start(const mailer_smime_config *c,
													 const mailer_sink *out, mailer_error *err);
mailer_status mailer_smime_encrypter_write(void *ctx, const char *data, size_t len);
mailer_status mailer_smime_encrypter_finish(mailer_smime_encrypter *e, mailer_error *err);
void mailer_smime_encrypter_free(mailer_smime_encrypter *e);

#endif
