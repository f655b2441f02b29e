#include "core/send/pipeline.h"
#include "core/util/alloc.h"
#include "core/util/dotstuff.h"

#include <string.h>

static mailer_status message_size(void *ctx, long long *size, mailer_error *err)
{
	return mailer_message_measure(ctx, size, err);
}

void mailer_pipeline_from_message(mailer_pipeline *p, const mailer_message *m)
{
	memset(p, 0, sizeof(*p));
	p->emit = mailer_message_write;
	p->emit_ctx = (void *)m; /* the writer only reads it */
	p->size = message_size;
	p->size_ctx = (void *)m;
}

static mailer_status raw_emit(void *ctx, const mailer_sink *sink, mailer_error *err)
{
	const mailer_raw_data *raw = ctx;

	(void)err;
	return mailer_sink_write(sink, raw->data, raw->len);
}

/* In memory: counting its normalised octets reads no source. */
static mailer_status raw_size(void *ctx, long long *size, mailer_error *err)
{
	size_t counted = 0;
	mailer_sink counter = {mailer_sink_count, &counted};
	mailer_dotstuff *norm = mailer_malloc(sizeof(*norm));

	(void)err;
	mailer_dotstuff_init(norm, &counter, 0);
	mailer_dotstuff_write(norm, ((const mailer_raw_data *)ctx)->data,
						  ((const mailer_raw_data *)ctx)->len);
	mailer_dotstuff_finish(norm);
	mailer_free(norm);
	*size = (long long)counted;
	return MAILER_OK;
}

void mailer_pipeline_from_raw(mailer_pipeline *p, const char *data, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->raw.data = data;
	p->raw.len = len;
	p->emit = raw_emit;
	p->emit_ctx = &p->raw;
	p->size = raw_size;
	p->size_ctx = &p->raw;
}

mailer_status mailer_pipeline_add_stage(mailer_pipeline *p, const mailer_send_stage *stage,
										mailer_error *err)
{
	p->stage = *stage;
	return stage->wrap(stage->ctx, p->emit, p->emit_ctx, p->size, p->size_ctx, &p->emit,
					   &p->emit_ctx, &p->size, &p->size_ctx, err);
}

static mailer_status signed_size(void *ctx, long long *size, mailer_error *err)
{
	(void)err;
	*size = mailer_dkim_size(ctx);
	return MAILER_OK;
}

mailer_status mailer_pipeline_sign(mailer_pipeline *p, const mailer_dkim_signer *signers,
								   size_t count, long long now, mailer_error *err)
{
	p->dkim = mailer_dkim_prepare(signers, count, p->emit, p->emit_ctx, now, err);
	if (!p->dkim) {
		if (err->kind != MAILER_ERR_INVALID && err->stage == MAILER_STAGE_NONE) {
			err->stage = MAILER_STAGE_DATA; /* the message's own data failed; nothing was sent */
		}
		return MAILER_FAIL;
	}
	p->emit = mailer_dkim_emit;
	p->emit_ctx = p->dkim;
	p->size = signed_size;
	p->size_ctx = p->dkim;
	return MAILER_OK;
}

mailer_status mailer_pipeline_send(mailer_pipeline *p, mailer_smtp *s, const mailer_envelope *env,
								   mailer_error *err)
{
	return mailer_smtp_send_sized(s, env, p->emit, p->emit_ctx, p->size, p->size_ctx, err);
}

mailer_status mailer_pipeline_write(mailer_pipeline *p, const mailer_sink *out, mailer_error *err)
{
	/* the session's CRLF normalisation, without dot-stuffing */
	mailer_dotstuff *norm = mailer_malloc(sizeof(*norm));
	mailer_sink in = {mailer_dotstuff_sink, norm};
	mailer_status rc;

	mailer_dotstuff_init(norm, out, 0);
	rc = p->emit(p->emit_ctx, &in, err);
	if (rc == MAILER_OK) {
		rc = mailer_dotstuff_finish(norm);
	}
	mailer_free(norm);
	return rc;
}

void mailer_pipeline_free(mailer_pipeline *p)
{
	mailer_dkim_free(p->dkim);
	if (p->stage.free) {
		p->stage.free(p->stage.ctx);
	}
	memset(p, 0, sizeof(*p));
}
