/* One send pipeline for every way a message leaves (sendmail(), send(),
 * sendRaw(), sendMany(), sign(), toString()):
 *
 *   message writer or raw data -> [stage: S/MIME] -> [DKIM] -> CRLF normalisation
 *       -> dot-stuffing (DATA) or BDAT framing -> session
 *                                            or -> a sink (sign(), toString())
 *
 * Each stage is a mailer_producer pulled by the one after it (every pass gives
 * the same bytes), with a size known without a pass where it can be: the writer
 * computes it from the sources' sizes, S/MIME from its spool, DKIM counts it in
 * the pass it signs; when it cannot be known the session uses DATA without SIZE.
 * An attachment is thus read once without DKIM and twice with it. The session
 * pulls the outermost producer as its socket takes more (see mailer_smtp_send()),
 * and normalises and dot-stuffs what it pulls. The glue converts zvals and calls
 * this. */
#ifndef MAILER_CORE_SEND_PIPELINE_H
#define MAILER_CORE_SEND_PIPELINE_H

#include "core/dkim/dkim.h"
#include "core/mime/message.h"
#include "core/session/session.h"
#include "core/util/producer.h"
#include "core/util/sink.h"

/* A stage between the message writer and DKIM: where S/MIME plugs in. wrap() gets
 * the producer so far (inner, borrowed: it outlives the stage's) and gives the
 * stage's own, which produces the transformed message on every pass and whose
 * size() answers MAILER_SIZE_UNKNOWN when it cannot compute one. The stage's ctx
 * belongs to the pipeline once added (free() is called once, after the stage's
 * producer is freed). */
typedef struct mailer_send_stage {
	mailer_status (*wrap)(void *ctx, const mailer_producer *inner, mailer_producer *out,
						  mailer_error *err);
	void (*free)(void *ctx);
	void *ctx;
} mailer_send_stage;

/* Filled in place by mailer_pipeline_from_*(), and not to be copied or moved
 * afterwards: its stages point into it. */
typedef struct mailer_pipeline {
	mailer_producer base;    /* the writer or the raw data */
	mailer_producer staged;  /* the stage's output (ops NULL: no stage) */
	mailer_producer signed_; /* DKIM's output (ops NULL: not signed) */
	mailer_producer *out;    /* the outermost of them */
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
/* The outermost producer: what the session sends. Its size() is the message's
 * after CRLF normalisation, or MAILER_SIZE_UNKNOWN. */
const mailer_producer *mailer_pipeline_producer(const mailer_pipeline *p);
/* One transaction on the session (see mailer_smtp_send()). */
mailer_status mailer_pipeline_send(mailer_pipeline *p, mailer_smtp *s, const mailer_envelope *env,
								   mailer_error *err);
/* The message as send() transmits it (CRLF line ends, before dot-stuffing), into out. */
mailer_status mailer_pipeline_write(mailer_pipeline *p, const mailer_sink *out, mailer_error *err);
void mailer_pipeline_free(mailer_pipeline *p);

#endif
