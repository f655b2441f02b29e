/* DKIM signing: the hashing pass, the DKIM-Signature fields, and the emit
 * wrapper that writes them before the message and checks every later pass
 * against what was signed. */
#include "core/dkim/dkim.h"
#include "core/util/alloc.h"
#include "core/util/base64.h"
#include "core/util/dotstuff.h"
#include "core/util/portable.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

/* Fold the DKIM-Signature field at this column where possible (RFC 5322 §2.1.1). */
#define DKIM_LINE 78

/* Signed when present (From always), in this order, unless "headers" says otherwise. */
static const char *const default_headers[] = {"From",         "To",           "Cc",
											  "Subject",      "Date",         "Message-ID",
											  "MIME-Version", "Content-Type", "Reply-To"};

/* One pass over the message: line ends normalised as the session sends
 * them, the header section kept, the body canonicalised into a SHA-256 per
 * canonicalisation some signer uses. */
typedef struct dkim_scan {
	mailer_dotstuff norm;
	mailer_buf header;
	int in_body;
	int want[2]; /* indexed by mailer_dkim_canon */
	EVP_MD_CTX *md[2];
	mailer_dkim_body body[2];
	mailer_error *err; /* the pass's error, for failures inside the sinks */
} dkim_scan;

struct mailer_dkim_ctx {
	const mailer_dkim_signer *signers;
	size_t count;
	mailer_producer inner;    /* the message signed (borrowed) */
	mailer_buf fields;        /* the DKIM-Signature fields */
	mailer_buf signed_header; /* the header section that was signed */
	unsigned char bh[2][SHA256_DIGEST_LENGTH];
	dkim_scan scan;
	/* a later pass: the fields handed out so far, then the message, with its
	 * last byte held back until the pass is verified, so a changed message is
	 * never complete */
	size_t fields_read;
	char held;
	int holding;
	int done;
};

typedef struct dkim_field {
	const char *start; /* "Name: value" with its folds, without the final CRLF */
	size_t len;
	size_t name_len;
	int used;
} dkim_field;

/* ---- the hashing pass ---- */

static mailer_status digest_sink(void *ctx, const char *data, size_t len)
{
	return EVP_DigestUpdate((EVP_MD_CTX *)ctx, data, len) == 1 ? MAILER_OK : MAILER_FAIL;
}

static mailer_status scan_fail(dkim_scan *s, mailer_error_kind kind, const char *what)
{
	if (s->err && s->err->kind == MAILER_ERR_NONE) {
		mailer_error_set(s->err, kind, MAILER_STAGE_NONE, "%s", what);
	}
	return MAILER_FAIL;
}

static mailer_status scan_body(dkim_scan *s, const char *data, size_t len)
{
	int c;

	for (c = 0; c < 2; c++) {
		if (s->want[c] && mailer_dkim_body_write(&s->body[c], data, len) != MAILER_OK) {
			return scan_fail(s, MAILER_ERR_PROTOCOL, "DKIM: hashing the body failed in OpenSSL");
		}
	}
	return MAILER_OK;
}

static mailer_status too_big(dkim_scan *s)
{
	return scan_fail(s, MAILER_ERR_INVALID,
					 "the message's header section is larger than 1 MB; it cannot be DKIM-signed");
}

/* Adds up to a slice of data to the header section; returns how much of it
 * belonged there (the rest is body once s->in_body is set), or -1. */
static long scan_header(dkim_scan *s, const char *data, size_t len)
{
	size_t old = s->header.len, i;
	const char *h, *cr;

	mailer_buf_append(&s->header, data, len);
	h = s->header.data;
	if (s->header.len >= 2 && h[0] == '\r' && h[1] == '\n') {
		/* no header fields at all: the body starts after this empty line */
		s->in_body = 1;
		s->header.len = 0;
		return (long)(2 - old);
	}
	for (i = old >= 3 ? old - 3 : 0; i + 4 <= s->header.len; i = (size_t)(cr - h) + 1) {
		cr = memchr(h + i, '\r', s->header.len - i - 3);
		if (!cr) {
			break;
		}
		if (memcmp(cr, "\r\n\r\n", 4) == 0) {
			s->in_body = 1;
			s->header.len = (size_t)(cr - h) + 2; /* the fields with their CRLFs */
			return s->header.len > MAILER_DKIM_HEADER_MAX ? too_big(s)
														  : (long)(s->header.len + 2 - old);
		}
	}
	return s->header.len > MAILER_DKIM_HEADER_MAX ? too_big(s) : (long)len;
}

/* Collects the header section up to the empty line, then streams the body.
 * The header is searched in slices, so a large write is never copied whole. */
static mailer_status scan_sink(void *ctx, const char *data, size_t len)
{
	dkim_scan *s = ctx;
	long used;

	while (len && !s->in_body) {
		if ((used = scan_header(s, data, len < 4096 ? len : 4096)) < 0) {
			return MAILER_FAIL;
		}
		data += used;
		len -= (size_t)used;
	}
	return len ? scan_body(s, data, len) : MAILER_OK;
}

static mailer_status scan_start(dkim_scan *s, mailer_error *err)
{
	mailer_sink to_scan = {scan_sink, s};
	int c;

	s->err = err;
	s->in_body = 0;
	mailer_buf_reset(&s->header);
	for (c = 0; c < 2; c++) {
		if (!s->want[c]) {
			continue;
		}
		if (EVP_DigestInit_ex(s->md[c], EVP_sha256(), NULL) != 1) {
			return mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE,
									"DKIM: SHA-256 is not available");
		}
		mailer_sink to_md = {digest_sink, s->md[c]};
		mailer_dkim_body_init(&s->body[c], (mailer_dkim_canon)c, &to_md);
	}
	mailer_dotstuff_init(&s->norm, &to_scan, 0);
	return MAILER_OK;
}

static mailer_status scan_finish(dkim_scan *s, unsigned char bh[2][SHA256_DIGEST_LENGTH])
{
	int c;

	if (mailer_dotstuff_finish(&s->norm) != MAILER_OK) {
		return MAILER_FAIL;
	}
	if (!s->in_body) {
		/* no empty line: all header, and an empty body */
		s->in_body = 1;
	}
	for (c = 0; c < 2; c++) {
		if (s->want[c] && (mailer_dkim_body_finish(&s->body[c]) != MAILER_OK ||
						   EVP_DigestFinal_ex(s->md[c], bh[c], NULL) != 1)) {
			return scan_fail(s, MAILER_ERR_PROTOCOL, "DKIM: hashing the body failed in OpenSSL");
		}
	}
	return MAILER_OK;
}

/* ---- signing ---- */

static dkim_field *parse_fields(const char *h, size_t len, size_t *count)
{
	const char *p = h, *end = h + len, *lf, *colon;
	dkim_field *f = NULL;
	size_t n = 0, cap = 0;

	while (p < end) {
		lf = memchr(p, '\n', (size_t)(end - p));
		lf = lf ? lf : end;
		if ((*p == ' ' || *p == '\t') && n) {
			/* a continuation line belongs to the field above */
			f[n - 1].len = (size_t)(lf - f[n - 1].start);
		} else {
			if (n == cap) {
				cap = cap ? cap * 2 : 32;
				f = mailer_realloc(f, cap * sizeof(*f));
			}
			f[n].start = p;
			f[n].len = (size_t)(lf - p);
			colon = memchr(p, ':', f[n].len);
			f[n].name_len = colon ? (size_t)(colon - p) : f[n].len;
			while (f[n].name_len && (p[f[n].name_len - 1] == ' ' || p[f[n].name_len - 1] == '\t')) {
				f[n].name_len--;
			}
			f[n].used = 0;
			n++;
		}
		p = lf < end ? lf + 1 : end;
	}
	/* the lengths above include the CR of each line's CRLF */
	for (cap = 0; cap < n; cap++) {
		if (f[cap].len && f[cap].start[f[cap].len - 1] == '\r') {
			f[cap].len--;
		}
	}
	*count = n;
	return f;
}

/* The lowest unused field of that name (RFC 6376 §5.4.2: instances are signed bottom up). */
static dkim_field *find_field(dkim_field *f, size_t n, const char *name)
{
	size_t len = strlen(name);

	while (n--) {
		if (!f[n].used && f[n].name_len == len &&
			mailer_ascii_ncasecmp(f[n].start, name, len) == 0) {
			return &f[n];
		}
	}
	return NULL;
}

/* Appends text to the field being built, after a space (space 1) or
 * nothing (0), or a fold when it would pass the line length, or always (2). */
static void add_tag(mailer_buf *b, size_t *col, const char *text, size_t len, int space)
{
	if (space == 2 || *col + (size_t)space + len > DKIM_LINE) {
		mailer_buf_append(b, "\r\n\t", 3);
		*col = 1;
	} else if (space) {
		mailer_buf_appendc(b, ' ');
		(*col)++;
	}
	mailer_buf_append(b, text, len);
	*col += len;
}

/* "name=value;" after a space or a fold (a value is at most 253 octets). */
static void add_value(mailer_buf *b, size_t *col, const char *name, const char *value,
					  const char *value2)
{
	char t[300];
	int n =
		snprintf(t, sizeof(t), "%s=%s%s%s;", name, value, value2 ? "/" : "", value2 ? value2 : "");

	add_tag(b, col, t, n > 0 && (size_t)n < sizeof(t) ? (size_t)n : strlen(t), 1);
}

static mailer_status sign_data(const mailer_dkim_signer *s, const unsigned char *data, size_t len,
							   unsigned char **sig, size_t *sig_len, mailer_error *err)
{
	unsigned char digest[SHA256_DIGEST_LENGTH];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	const unsigned char *msg = data;
	size_t msg_len = len;
	int ok;

	*sig = NULL;
	if (!md) {
		return mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE,
								"DKIM: out of memory in OpenSSL");
	}
	if (s->alg == MAILER_DKIM_ED25519_SHA256) {
		/* RFC 8463 §3: PureEdDSA over the SHA-256 of the signed data */
		SHA256(data, len, digest);
		msg = digest;
		msg_len = sizeof(digest);
		ok = EVP_DigestSignInit(md, NULL, NULL, NULL, s->key) == 1;
	} else {
		ok = EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, s->key) == 1; /* PKCS#1 v1.5 */
	}
	ok = ok && EVP_DigestSign(md, NULL, sig_len, msg, msg_len) == 1;
	if (ok) {
		*sig = mailer_malloc(*sig_len);
		ok = EVP_DigestSign(md, *sig, sig_len, msg, msg_len) == 1;
	}
	EVP_MD_CTX_free(md);
	if (!ok) {
		mailer_free(*sig);
		*sig = NULL;
		return mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE,
								"DKIM: signing with the %s key failed",
								mailer_dkim_alg_name(s->alg));
	}
	return MAILER_OK;
}

/* Appends one DKIM-Signature field for signer s to ctx->fields. */
static mailer_status sign_one(mailer_dkim_ctx *ctx, const mailer_dkim_signer *s, dkim_field *f,
							  size_t n, long long now, mailer_error *err)
{
	const char *const *names = s->headers ? (const char *const *)s->headers : default_headers;
	size_t count =
		s->headers ? s->header_count : sizeof(default_headers) / sizeof(default_headers[0]);
	char bh[48], t[24], item[96], *b64;
	mailer_buf data, field;
	unsigned char *sig;
	size_t i, col, sig_len, b64_len, done, listed = 0;
	dkim_field *hit;
	mailer_status rc;

	mailer_buf_init(&data);
	mailer_buf_init(&field);
	for (i = 0; i < n; i++) {
		f[i].used = 0;
	}
	mailer_buf_appends(&field, "DKIM-Signature:");
	col = field.len;
	add_tag(&field, &col, "v=1;", 4, 1);
	add_value(&field, &col, "a", mailer_dkim_alg_name(s->alg), NULL);
	add_value(&field, &col, "c", s->header_canon == MAILER_DKIM_RELAXED ? "relaxed" : "simple",
			  s->body_canon == MAILER_DKIM_RELAXED ? "relaxed" : "simple");
	add_value(&field, &col, "d", s->domain, NULL);
	add_value(&field, &col, "s", s->selector, NULL);
	snprintf(t, sizeof(t), "%lld", now);
	add_value(&field, &col, "t", t, NULL);
	/* h=: every name listed (one absent from the message signs its absence);
	 * by default only the fields present */
	for (i = 0; i < count; i++) {
		hit = find_field(f, n, names[i]);
		if (!hit && !s->headers) {
			continue;
		}
		if (hit) {
			hit->used = 1;
			mailer_dkim_canon_header(&data, s->header_canon, hit->start, hit->len);
		}
		/* names are at most 76 octets (validated), so the item fits */
		snprintf(item, sizeof(item), "%s%s", listed ? ":" : "h=", names[i]);
		add_tag(&field, &col, item, strlen(item), !listed);
		listed++;
	}
	add_tag(&field, &col, ";", 1, 0);
	b64_len = mailer_base64_encode(ctx->bh[s->body_canon], SHA256_DIGEST_LENGTH, bh + 3);
	memcpy(bh, "bh=", 3);
	bh[3 + b64_len] = ';';
	/* the hashes on lines of their own, for readers */
	add_tag(&field, &col, bh, 3 + b64_len + 1, 2);
	add_tag(&field, &col, "b=", 2, 2);
	/* the field itself is signed with an empty b= and without its CRLF (§3.7) */
	mailer_dkim_canon_header(&data, s->header_canon, field.data, field.len);
	data.len -= 2;
	rc = sign_data(s, (const unsigned char *)data.data, data.len, &sig, &sig_len, err);
	mailer_buf_free(&data);
	if (rc != MAILER_OK) {
		mailer_buf_free(&field);
		return MAILER_FAIL;
	}
	b64 = mailer_malloc(mailer_base64_encoded_len(sig_len) + 1);
	b64_len = mailer_base64_encode(sig, sig_len, b64);
	mailer_free(sig);
	for (done = 0; done < b64_len;) {
		size_t room = col < DKIM_LINE ? DKIM_LINE - col : 0, take;

		if (room < 8) {
			mailer_buf_append(&field, "\r\n\t", 3);
			col = 1;
			continue;
		}
		take = b64_len - done < room ? b64_len - done : room;
		mailer_buf_append(&field, b64 + done, take);
		col += take;
		done += take;
	}
	mailer_free(b64);
	mailer_buf_append(&field, "\r\n", 2);
	mailer_buf_append(&ctx->fields, field.data, field.len);
	mailer_buf_free(&field);
	return MAILER_OK;
}

/* ---- the context ---- */

void mailer_dkim_free(mailer_dkim_ctx *ctx)
{
	int c;

	if (!ctx) {
		return;
	}
	for (c = 0; c < 2; c++) {
		EVP_MD_CTX_free(ctx->scan.md[c]);
	}
	mailer_buf_free(&ctx->scan.header);
	mailer_buf_free(&ctx->signed_header);
	mailer_buf_free(&ctx->fields);
	mailer_free(ctx);
}

long long mailer_dkim_size(const mailer_dkim_ctx *ctx)
{
	return (long long)(ctx->fields.len + ctx->scan.norm.written);
}

mailer_dkim_ctx *mailer_dkim_prepare(const mailer_dkim_signer *signers, size_t count,
									 const mailer_producer *inner, long long now, mailer_error *err)
{
	mailer_dkim_ctx *ctx = mailer_calloc(1, sizeof(*ctx));
	dkim_field *f = NULL;
	size_t i, n = 0;
	int c;

	ctx->signers = signers;
	ctx->count = count;
	ctx->inner = *inner;
	mailer_buf_init(&ctx->fields);
	mailer_buf_init(&ctx->signed_header);
	mailer_buf_init(&ctx->scan.header);
	for (i = 0; i < count; i++) {
		ctx->scan.want[signers[i].body_canon] = 1;
	}
	for (c = 0; c < 2; c++) {
		if (ctx->scan.want[c] && !(ctx->scan.md[c] = EVP_MD_CTX_new())) {
			mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE,
							 "DKIM: out of memory in OpenSSL");
			goto fail;
		}
	}
	if (scan_start(&ctx->scan, err) != MAILER_OK) {
		goto fail;
	}
	if (mailer_producer_drain(inner, &(mailer_sink){mailer_dotstuff_sink, &ctx->scan.norm}, err) !=
			MAILER_OK ||
		scan_finish(&ctx->scan, ctx->bh) != MAILER_OK) {
		if (err->kind == MAILER_ERR_NONE) {
			mailer_error_set(err, MAILER_ERR_PROTOCOL, MAILER_STAGE_NONE,
							 "the message could not be written");
		}
		goto fail;
	}
	/* keep the signed header: later passes must give the same one */
	mailer_buf_append(&ctx->signed_header, mailer_buf_cstr(&ctx->scan.header),
					  ctx->scan.header.len);
	f = parse_fields(mailer_buf_cstr(&ctx->signed_header), ctx->signed_header.len, &n);
	if (!find_field(f, n, "From")) {
		mailer_error_set(
			err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
			"the message has no From field, which DKIM signing requires (RFC 6376 section 5.4)");
		goto fail;
	}
	for (i = 0; i < count; i++) {
		if (sign_one(ctx, &signers[i], f, n, now, err) != MAILER_OK) {
			goto fail;
		}
	}
	mailer_free(f);
	ctx->scan.err = NULL;
	return ctx;

fail:
	mailer_free(f);
	mailer_dkim_free(ctx);
	return NULL;
}

const char *mailer_dkim_fields(const mailer_dkim_ctx *ctx, size_t *len)
{
	*len = ctx->fields.len;
	return mailer_buf_cstr(&ctx->fields);
}

/* ---- later passes: the producer ---- */

static mailer_status signed_rewind(void *c, mailer_error *err)
{
	mailer_dkim_ctx *ctx = c;

	ctx->fields_read = 0;
	ctx->holding = 0;
	ctx->done = 0;
	if (scan_start(&ctx->scan, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	return mailer_producer_rewind(&ctx->inner, err);
}

/* The pass is over: it must have given what was signed. */
static mailer_status verify_pass(mailer_dkim_ctx *ctx, mailer_error *err)
{
	unsigned char bh[2][SHA256_DIGEST_LENGTH];
	int cn, same;

	if (scan_finish(&ctx->scan, bh) != MAILER_OK) {
		return MAILER_FAIL;
	}
	same = ctx->scan.header.len == ctx->signed_header.len &&
		   memcmp(mailer_buf_cstr(&ctx->scan.header), mailer_buf_cstr(&ctx->signed_header),
				  ctx->signed_header.len) == 0;
	for (cn = 0; cn < 2; cn++) {
		same = same && (!ctx->scan.want[cn] || memcmp(bh[cn], ctx->bh[cn], sizeof(bh[cn])) == 0);
	}
	if (!same) {
		return mailer_error_set(
			err, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA,
			"the message changed after it was DKIM-signed (was an attached file modified?); "
			"it was not delivered");
	}
	return MAILER_OK;
}

/* The next piece of the message: its bytes go out one behind, the last one held back
 * until the pass is verified. buf[0] gets the byte held before, if any; the rest of
 * buf what the inner producer gives, but its new last byte. */
static long signed_read_message(mailer_dkim_ctx *ctx, char *buf, size_t cap, mailer_error *err)
{
	size_t given, room;
	char one, *into;
	long n;

	ctx->scan.err = err;
	for (;;) {
		given = 0;
		if (ctx->holding) {
			buf[given++] = ctx->held;
		}
		/* a read of 1 while a byte is held: one more byte shows it was not the last */
		into = given < cap ? buf + given : &one;
		room = given < cap ? cap - given : 1;
		n = mailer_producer_read(&ctx->inner, into, room, err);
		if (n < 0) {
			return -1;
		}
		if (n == 0) {
			if (verify_pass(ctx, err) != MAILER_OK) {
				return -1;
			}
			ctx->done = 1;
			ctx->holding = 0;
			return (long)given;
		}
		if (mailer_dotstuff_write(&ctx->scan.norm, into, (size_t)n) != MAILER_OK) {
			return -1;
		}
		ctx->held = into[n - 1];
		ctx->holding = 1;
		given += into == &one ? 0 : (size_t)n - 1;
		if (given > 0) {
			return (long)given;
		}
	}
}

static long signed_read(void *c, char *buf, size_t cap, mailer_error *err)
{
	mailer_dkim_ctx *ctx = c;
	size_t n;

	if (ctx->fields_read < ctx->fields.len) {
		n = ctx->fields.len - ctx->fields_read;
		n = n < cap ? n : cap;
		memcpy(buf, ctx->fields.data + ctx->fields_read, n);
		ctx->fields_read += n;
		return (long)n;
	}
	return ctx->done ? 0 : signed_read_message(ctx, buf, cap, err);
}

static long long signed_size(void *c)
{
	return mailer_dkim_size(c);
}

static void signed_free(void *c)
{
	(void)c; /* the context's owner frees it (mailer_dkim_free) */
}

static const mailer_producer_ops signed_ops = {signed_rewind, signed_read, signed_size,
											   signed_free};

void mailer_dkim_producer(mailer_dkim_ctx *ctx, mailer_producer *out)
{
	out->ops = &signed_ops;
	out->ctx = ctx;
}
