/* The S/MIME stage (see smime.h): splits the writer's output into the
 * top-level fields and the entity, sends the entity through the signer and/or
 * the encrypter (cms.h), and spools the result for every later pass. */
#include "core/smime/smime.h"
#include "core/smime/cms.h"
#include "core/smime/spool.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"
#include "core/util/dotstuff.h"
#include "core/util/portable.h"

#include <openssl/x509v3.h>
#include <string.h>

struct mailer_smime_ctx {
	mailer_spool spool;
};

/* One prepare pass. */
typedef struct smime_pass {
	const mailer_smime_config *config;
	mailer_buf head; /* the header section until its blank line is seen */
	int in_body;
	mailer_error err; /* why the stage refused (the writer only sees a failed sink) */
	mailer_smime_signer *signer;
	mailer_smime_encrypter *encrypter;
	mailer_sink entity; /* where the entity goes: the signer or the encrypter */
	mailer_spool *spool;
	mailer_dotstuff crlf; /* the writer's output, CRLF line ends */
} smime_pass;

static int name_is(const char *field, size_t name_len, const char *name)
{
	return strlen(name) == name_len && mailer_ascii_ncasecmp(field, name, name_len) == 0;
}

/* The address of a From field's value: inside the last <...>, else the value
 * itself, without folding or surrounding white space. Caller frees. */
static char *from_address(const char *value, size_t len)
{
	const char *lt = NULL, *gt, *p, *end = value + len;
	mailer_buf b;

	for (p = value; p < end; p++) {
		if (*p == '<') {
			lt = p;
		}
	}
	if (lt && (gt = memchr(lt, '>', (size_t)(end - lt))) != NULL) {
		value = lt + 1;
		end = gt;
	}
	mailer_buf_init(&b);
	for (p = value; p < end; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
			mailer_buf_appendc(&b, *p);
		}
	}
	return mailer_buf_detach(&b, NULL);
}

/* RFC 8550 section 3: the signing certificate names the From address. An
 * error rather than a warning: clients show such a message as forged. */
static mailer_status check_from(smime_pass *p, const char *value, size_t len)
{
	char *addr, names[512];
	mailer_status rc = MAILER_OK;

	addr = from_address(value, len);
	if (X509_check_email(p->config->sign_cert, addr, strlen(addr), 0) != 1) {
		mailer_smime_cert_emails(p->config->sign_cert, names, sizeof(names));
		rc = mailer_error_set(&p->err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
							  "S/MIME: the signing certificate does not name the From address "
							  "<%s> (it names: %s); mail clients would show the signature as "
							  "not the sender's",
							  addr, *names ? names : "no e-mail address");
	}
	mailer_free(addr);
	return rc;
}

/* Signed content crosses relays untouched only when it is 7-bit (RFC 8551 section 3.1.2). */
static mailer_status check_7bit(smime_pass *p, const char *data, size_t len, const char *where)
{
	size_t i;

	if (!p->config->sign_cert) {
		return MAILER_OK;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c >= 0x80 || c == 0) {
			return mailer_error_set(&p->err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
									"S/MIME: the %s holds 8-bit or NUL bytes, which relays may "
									"change and so break the signature; use quoted-printable or "
									"base64 (a Mailer\\Message does)",
									where);
		}
	}
	return MAILER_OK;
}

/* The header section is complete (head holds it, each field CRLF-terminated):
 * the top-level fields and MIME-Version go to the spool, the Content-* fields
 * start the entity. */
static mailer_status start_entity(smime_pass *p, const char *head, size_t len)
{
	const char *field = head, *end = head + len, *next, *colon;
	const mailer_sink spool = {mailer_spool_write, p->spool};
	int from_seen = 0;
	mailer_buf content;
	mailer_status rc = MAILER_OK;

	mailer_buf_init(&content);
	while (field < end && rc == MAILER_OK) {
		/* a field ends at a CRLF not followed by folding white space */
		next = field;
		do {
			next = memchr(next, '\n', (size_t)(end - next));
			next = next ? next + 1 : end;
		} while (next < end && (*next == ' ' || *next == '\t'));
		colon = memchr(field, ':', (size_t)(next - field));
		if (!colon) {
			rc = mailer_error_set(&p->err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								  "S/MIME: the message's header has a line that is not a field");
			break;
		}
		if ((size_t)(colon - field) >= 8 && mailer_ascii_ncasecmp(field, "Content-", 8) == 0) {
			rc = check_7bit(p, field, (size_t)(next - field), "header of the entity");
			mailer_buf_append(&content, field, (size_t)(next - field));
		} else if (!name_is(field, (size_t)(colon - field), "MIME-Version")) {
			if (name_is(field, (size_t)(colon - field), "From")) {
				from_seen = 1;
				if (p->config->sign_cert) {
					rc = check_from(p, colon + 1, (size_t)(next - colon - 1));
				}
			}
			if (rc == MAILER_OK &&
				mailer_sink_write(&spool, field, (size_t)(next - field)) != MAILER_OK) {
				rc = MAILER_FAIL;
			}
		}
		field = next;
	}
	if (rc == MAILER_OK && !from_seen && p->config->sign_cert) {
		rc = mailer_error_set(&p->err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
							  "S/MIME: the message has no From field to match the signing "
							  "certificate");
	}
	if (rc == MAILER_OK) {
		rc = mailer_sink_write(&spool, "MIME-Version: 1.0\r\n", 19);
	}
	if (rc == MAILER_OK && p->config->recipients) {
		if (!(p->encrypter = mailer_smime_encrypter_start(p->config, &spool, &p->err))) {
			rc = MAILER_FAIL;
		}
		p->entity.write = mailer_smime_encrypter_write;
		p->entity.ctx = p->encrypter;
	}
	if (rc == MAILER_OK && p->config->sign_cert) {
		/* signed, then encrypted: the multipart/signed is what is encrypted */
		const mailer_sink to = p->encrypter ? p->entity : spool;
		if (!(p->signer = mailer_smime_signer_start(p->config, &to, &p->err))) {
			rc = MAILER_FAIL;
		}
		p->entity.write = mailer_smime_signer_write;
		p->entity.ctx = p->signer;
	}
	if (rc == MAILER_OK) {
		mailer_buf_append(&content, "\r\n", 2);
		rc = mailer_sink_write(&p->entity, content.data, content.len);
	}
	mailer_buf_free(&content);
	return rc;
}

static mailer_status body(smime_pass *p, const char *data, size_t len)
{
	if (check_7bit(p, data, len, "body") != MAILER_OK) {
		return MAILER_FAIL;
	}
	return mailer_sink_write(&p->entity, data, len);
}

/* Gathers the header section, then passes the body on. The header is copied
 * in bounded pieces, so a large write (sendRaw()'s whole message) is not
 * copied: what follows the blank line goes on from the caller's bytes. */
#define SPLIT_PIECE 4096

static mailer_status split(void *ctx, const char *data, size_t len)
{
	smime_pass *p = ctx;
	size_t from, i, n, head_len = (size_t)-1;
	const char *h;

	if (p->err.kind != MAILER_ERR_NONE) {
		return MAILER_FAIL;
	}
	while (!p->in_body && len > 0) {
		n = len < SPLIT_PIECE ? len : SPLIT_PIECE;
		from = p->head.len > 3 ? p->head.len - 3 : 0;
		mailer_buf_append(&p->head, data, n);
		data += n;
		len -= n;
		h = p->head.data;
		/* an empty header section: the blank line comes first */
		if (p->head.len >= 2 && h[0] == '\r' && h[1] == '\n') {
			head_len = 0;
		}
		for (i = from; head_len == (size_t)-1 && i + 4 <= p->head.len; i++) {
			if (memcmp(h + i, "\r\n\r\n", 4) == 0) {
				head_len = i + 2;
			}
		}
		if (head_len == (size_t)-1) {
			if (p->head.len > MAILER_SMIME_HEADER_MAX) {
				return mailer_error_set(&p->err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
										"S/MIME: the message's header is larger than %d octets",
										MAILER_SMIME_HEADER_MAX);
			}
			continue;
		}
		p->in_body = 1;
		if (start_entity(p, h, head_len) != MAILER_OK ||
			body(p, h + head_len + 2, p->head.len - head_len - 2) != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	return len ? body(p, data, len) : MAILER_OK;
}

/* The writer has finished: a message without a blank line is all header. */
static mailer_status finish(smime_pass *p, mailer_error *err)
{
	if (!p->in_body) {
		p->in_body = 1;
		if (start_entity(p, p->head.data ? p->head.data : "", p->head.len) != MAILER_OK) {
			return MAILER_FAIL;
		}
	}
	if (p->signer && mailer_smime_signer_finish(p->signer, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (p->encrypter && mailer_smime_encrypter_finish(p->encrypter, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	return MAILER_OK;
}

static void spool_error(const mailer_spool *s, mailer_error *err)
{
	mailer_error_clear(err);
	mailer_error_set(err, MAILER_ERR_SOURCE, MAILER_STAGE_NONE,
					 "S/MIME: cannot write the message's temporary file: %s", strerror(s->error));
}

mailer_smime_ctx *mailer_smime_prepare(const mailer_smime_config *c, mailer_emit_fn emit,
									   void *emit_ctx, mailer_error *err)
{
	mailer_smime_ctx *ctx = mailer_calloc(1, sizeof(*ctx));
	smime_pass *p = mailer_calloc(1, sizeof(*p));
	mailer_sink splitter = {split, p}, in = {mailer_dotstuff_sink, &p->crlf};
	mailer_status rc;

	mailer_spool_init(&ctx->spool, MAILER_SMIME_SPOOL_MEMORY);
	p->config = c;
	p->spool = &ctx->spool;
	mailer_buf_init(&p->head);
	mailer_error_init(&p->err);
	mailer_dotstuff_init(&p->crlf, &splitter, 0);
	rc = emit(emit_ctx, &in, err);
	if (rc == MAILER_OK && mailer_dotstuff_finish(&p->crlf) != MAILER_OK) {
		rc = MAILER_FAIL;
	}
	if (rc == MAILER_OK && p->err.kind == MAILER_ERR_NONE) {
		rc = finish(p, err);
	}
	if (p->err.kind != MAILER_ERR_NONE) {
		/* the stage's own reason, not the writer's "could not be written" */
		mailer_error_clear(err);
		*err = p->err;
		mailer_error_init(&p->err);
		rc = MAILER_FAIL;
	} else if (ctx->spool.error) {
		spool_error(&ctx->spool, err);
		rc = MAILER_FAIL;
	}
	mailer_smime_signer_free(p->signer);
	mailer_smime_encrypter_free(p->encrypter);
	mailer_buf_free(&p->head);
	mailer_free(p);
	if (rc != MAILER_OK) {
		if (err->kind == MAILER_ERR_NONE) {
			mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE,
							 "S/MIME: the message could not be signed or encrypted");
		}
		mailer_smime_free(ctx);
		return NULL;
	}
	return ctx;
}

mailer_status mailer_smime_emit(void *ctx, const mailer_sink *sink, mailer_error *err)
{
	return mailer_spool_replay(&((mailer_smime_ctx *)ctx)->spool, sink, err);
}

static mailer_status producer_rewind(void *ctx, mailer_error *err)
{
	return mailer_spool_rewind(&((mailer_smime_ctx *)ctx)->spool, err);
}

static long producer_read(void *ctx, char *buf, size_t cap, mailer_error *err)
{
	return mailer_spool_read(&((mailer_smime_ctx *)ctx)->spool, buf, cap, err);
}

static long long producer_size(void *ctx)
{
	return (long long)((mailer_smime_ctx *)ctx)->spool.size;
}

static void producer_free(void *ctx)
{
	(void)ctx; /* the stage's owner frees the context */
}

static const mailer_producer_ops spool_ops = {producer_rewind, producer_read, producer_size,
											  producer_free};

void mailer_smime_producer(mailer_smime_ctx *ctx, mailer_producer *out)
{
	out->ops = &spool_ops;
	out->ctx = ctx;
}

unsigned long long mailer_smime_size(const mailer_smime_ctx *ctx)
{
	return ctx->spool.size;
}

void mailer_smime_free(mailer_smime_ctx *ctx)
{
	if (!ctx) {
		return;
	}
	mailer_spool_free(&ctx->spool);
	mailer_free(ctx);
}
