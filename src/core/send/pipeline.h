/* One send pipeline for every way a message leaves (sendmail(), send(),
 * sendRaw(), sign(), toString()):
 *
 *   message writer or raw data -> [stage: S/MIME] -> [DKIM] -> CRLF normalisation
 *       -> dot-stuffing (DATA) or BDAT framing -> session
 *                                            or -> a sink (sign(), toString())
 *
 * Each stage wraps the one before as a restartable writer (a mailer_emit_fn:
 * every pass gives the same bytes) with a size function, so the session learns
 * the size without a pass over the attachments: the writer computes it from the
 * sources' sizes, DKIM counts it in the pass it signs, and when it cannot be
 * known the session uses DATA without SIZE. An attachment is thus read once
 * without DKIM and twice with it. The glue converts zvals and calls this. */
#ifndef MAILER_CORE_SEND_PIPELINE_H
#define MAILER_CORE_SEND_PIPELINE_H

#include "core/dkim/dkim.h"
#include "core/mime/message.h"
#include "core/session/session.h"
#include "core/util/sink.h"

/* A stage between the message writer and DKIM: where S/MIME plugs in. wrap() gets
 * the writer so far (inner, with its size function) and gives the stage's own:
 * a writer that produces the transformed message on every pass, and a size
 * function that answers MAILER_SIZE_UNKNOWN when it cannot compute one. The
 * stage's ctx belongs to the pipeline once added (free() is called once). */
typedef struct mailer_send_stage {
	mailer_status (*wrap)(void *ctx, mailer_emit_fn inner, void *inner_ctx,
						  mailer_size_fn inner_size, void *inner_size_ctx, mailer_emit_fn *emit,
						  void **emit_ctx, mailer_size_fn *size, void **size_ctx,
						  mailer_error *err);
	void (*free)(void *ctx);
	void *ctx;
} mailer_send_stage;

typedef struct mailer_raw_data {
	const char *data;
	size_t len;
} mailer_raw_data;

typedef struct mailer_pipeline {
	mailer_emit_fn emit; /* the outermost stage so far */
	void *emit_ctx;
	mailer_size_fn size;
	void *size_ctx;
	mailer_raw_data raw;     /* the data of mailer_pipeline_from_raw() (borrowed) */
	mailer_send_stage stage; /* wrap NULL: none */
	mailer_dkim_ctx *dkim;   /* NULL: not signed */
} mailer_pipeline;

/* The writer of a prepared message (borrowed: it must outlive the pipeline). */
void mailer_pipeline_from_message(mailer_pipeline *p, const mailer_message *m);
/* A message the caller built (borrowed), sent as it is but for CRLF normalisation. */
void mailer_pipeline_from_raw(mailer_pipeline *p, const char *data, size_t len);
/* Adds the stage between the writer and DKIM (before mailer_pipeline_sign()). Either
 * way the stage's ctx is the pipeline's. */
mailer_status mailer_pipeline_add_stage(mailer_pipeline *p, const mailer_send_stage *stage,
										mailer_error *err);
/* Signs with every signer, at Unix time now: one pass over the message, which also
 * counts its size. On failure err says why; a failure of the message's own data
 * (a source) has stage MAILER_STAGE_DATA. */
mailer_status mailer_pipeline_sign(mailer_pipeline *p, const mailer_dkim_signer *signers,
								   size_t count, long long now, mailer_error *err);
/* One transaction on the session (see mailer_smtp_send_sized()). */
mailer_status mailer_pipeline_send(mailer_pipeline *p, mailer_smtp *s, const mailer_envelope *env,
								   mailer_error *err);
/* The message as send() transmits it (CRLF line ends, before dot-stuffing), into out. */
mailer_status mailer_pipeline_write(mailer_pipeline *p, const mailer_sink *out, mailer_error *err);
void mailer_pipeline_free(mailer_pipeline *p);

#endif
