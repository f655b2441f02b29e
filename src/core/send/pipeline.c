#include "core/send/pipeline.h"
#include "core/util/alloc.h"
#include "core/util/dotstuff.h"

#include <string.h>

void mailer_pipeline_from_message(mailer_pipeline *p, const mailer_message *m)
{
	memset(p, 0, sizeof(*p));
	mailer_message_producer(m, &p->base);
	p->out = &p->base;
}

void mailer_pipeline_from_raw(mailer_pipeline *p, const char *data, size_t len)
{
	memset(p, 0, sizeof(*p));
	mailer_producer_memory(&p->base, data, len);
	p->out = &p->base;
}

mailer_status mailer_pipeline_add_stage(mailer_pipeline *p, const mailer_send_stage *stage,
										mailer_error *err)
{
	p->stage = *stage;
	if (stage->wrap(stage->ctx, p->out, &p->staged, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	p->out = &p->staged;
	return MAILER_OK;
}

mailer_status mailer_pipeline_sign(mailer_pipeline *p, const mailer_dkim_signer *signers,
								   size_t count, long long now, mailer_error *err)
{
	p->dkim = mailer_dkim_prepare(signers, count, p->out, now, err);
	if (!p->dkim) {
		if (err->kind != MAILER_ERR_INVALID && err->stage == MAILER_STAGE_NONE) {
			err->stage = MAILER_STAGE_DATA; /* the message's own data failed; nothing was sent */
		}
		return MAILER_FAIL;
	}
	mailer_dkim_producer(p->dkim, &p->signed_);
	p->out = &p->signed_;
	return MAILER_OK;
}

const mailer_producer *mailer_pipeline_producer(const mailer_pipeline *p)
{
	return p->out;
}

mailer_status mailer_pipeline_send(mailer_pipeline *p, mailer_smtp *s, const mailer_envelope *env,
								   mailer_error *err)
{
	return mailer_smtp_send(s, env, p->out, err);
}

mailer_status mailer_pipeline_write(mailer_pipeline *p, const mailer_sink *out, mailer_error *err)
{
	/* the session's CRLF normalisation, without dot-stuffing */
	mailer_dotstuff *norm = mailer_malloc(sizeof(*norm));
	mailer_sink in = {mailer_dotstuff_sink, norm};
	mailer_status rc;

	mailer_dotstuff_init(norm, out, 0);
	rc = mailer_producer_drain(p->out, &in, err);
	if (rc == MAILER_OK) {
		rc = mailer_dotstuff_finish(norm);
	}
	mailer_free(norm);
	return rc;
}

void mailer_pipeline_free(mailer_pipeline *p)
{
	/* outermost first: each stage's producer borrows the one it wraps */
	if (p->signed_.ops) {
		mailer_producer_free(&p->signed_);
	}
	mailer_dkim_free(p->dkim);
	if (p->staged.ops) {
		mailer_producer_free(&p->staged);
	}
	if (p->stage.free) {
		p->stage.free(p->stage.ctx);
	}
	if (p->base.ops) {
		mailer_producer_free(&p->base);
	}
	memset(p, 0, sizeof(*p));
}
