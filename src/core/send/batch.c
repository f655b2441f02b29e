/* Bulk sending, the reference driver: one session, one item at a time, each
 * through the blocking transaction. It fixes the fates and the retry rule that
 * a driver of many sessions (pipelining across messages) must keep. */
#include "core/send/batch.h"
#include "core/util/alloc.h"
#include "core/util/portable.h"

#include <ctype.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif

static void sleep_seconds(double seconds)
{
	if (seconds <= 0) {
		return;
	}
#ifdef _WIN32
	Sleep((DWORD)(seconds * 1000.0) + 1);
#else
	{
		struct timespec ts;
		ts.tv_sec = (time_t)seconds;
		ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL); /* a signal cutting it short only sends a little early */
	}
#endif
}

static int is_id_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_' || c == '@';
}

static char *word_after(const char *text, size_t len, const char *marker)
{
	const char *p = text, *end = text + len, *start;
	size_t mlen = strlen(marker);

	for (; p + mlen <= end; p++) {
		if (mailer_ascii_ncasecmp(p, marker, mlen) == 0) {
			start = p + mlen;
			for (p = start; p < end && is_id_char(*p); p++) {
			}
			return p > start ? mailer_strndup(start, (size_t)(p - start)) : NULL;
		}
	}
	return NULL;
}

char *mailer_batch_queue_id(const mailer_reply *r)
{
	/* Postfix, Sendmail ("... Message accepted for delivery" has none), Exim, qmail */
	static const char *const markers[] = {"queued as ", "id=", "queued as: ", "qp "};
	const char *text;
	size_t len, i;
	char *id;

	if (!MAILER_REPLY_OK(r) || !mailer_reply_line(r, r->lines ? r->lines - 1 : 0, &text, &len)) {
		return NULL;
	}
	for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		if ((id = word_after(text, len, markers[i])) != NULL) {
			return id;
		}
	}
	return NULL;
}

/* Was the item's data completely written? Only then may the server have it. */
static int data_written(const mailer_error *err)
{
	return err->stage == MAILER_STAGE_EOD && err->code == 0;
}

static mailer_batch_status fate(const mailer_error *err)
{
	if (err->code >= 400) {
		return MAILER_BATCH_REJECTED;
	}
	if (err->kind == MAILER_ERR_RECIPIENT) {
		return MAILER_BATCH_REJECTED;
	}
	return data_written(err) ? MAILER_BATCH_UNCERTAIN : MAILER_BATCH_FAILED;
}

/* The connection dropped before the data was all written: a new connection may do. */
static int retryable(const mailer_error *err)
{
	return err->kind == MAILER_ERR_CONNECTION && err->code == 0 && !data_written(err) &&
		   (err->stage == MAILER_STAGE_MAIL || err->stage == MAILER_STAGE_RCPT ||
			err->stage == MAILER_STAGE_DATA);
}

static void count(mailer_batch_summary *sum, mailer_batch_status st)
{
	switch (st) {
	case MAILER_BATCH_SENT:
		sum->sent++;
		break;
	case MAILER_BATCH_REJECTED:
		sum->rejected++;
		break;
	case MAILER_BATCH_FAILED:
		sum->failed++;
		break;
	case MAILER_BATCH_UNCERTAIN:
		sum->uncertain++;
		break;
	}
}

mailer_status mailer_batch_run(const mailer_batch_config *cfg, const mailer_batch_ops *ops,
							   void *ctx, mailer_batch_summary *summary)
{
	mailer_batch_item *item;
	mailer_batch_result r;
	mailer_smtp *s = NULL;
	mailer_error err;
	double next_slot = 0;
	char *queue_id;
	int got;

	memset(summary, 0, sizeof(*summary));
	for (;;) {
		got = ops->next(ctx, &item);
		if (got <= 0) {
			return got == 0 ? MAILER_OK : MAILER_FAIL;
		}
		memset(&r, 0, sizeof(r));
		mailer_error_init(&err);
		if (!s) {
			s = ops->session(ctx, 0, &err);
		}
		if (cfg->max_per_second > 0) {
			double now = mailer_monotonic_seconds();
			if (next_slot > now) {
				sleep_seconds(next_slot - now);
				now = next_slot;
			}
			next_slot = now + 1.0 / cfg->max_per_second;
		}
		r.attempts = 0;
		while (s) {
			r.attempts++;
			if (mailer_pipeline_send(item->pipeline, s, &item->env, &err) == MAILER_OK) {
				break;
			}
			if (err.kind == MAILER_ERR_ABORTED) {
				mailer_error_clear(&err);
				return MAILER_FAIL;
			}
			if (r.attempts > 1 || !retryable(&err)) {
				break;
			}
			mailer_error_clear(&err);
		}
		queue_id = NULL;
		if (err.kind == MAILER_ERR_NONE) {
			r.status = MAILER_BATCH_SENT;
			r.reply = &s->reply;
			r.queue_id = queue_id = mailer_batch_queue_id(&s->reply);
		} else {
			r.status = fate(&err);
			r.error = &err;
		}
		if (s) {
			r.rcpts = s->rcpts;
			r.rcpt_count = s->rcpt_count;
		}
		count(summary, r.status);
		got = ops->result(ctx, item, &r) == MAILER_OK;
		mailer_free(queue_id);
		mailer_error_clear(&err);
		if (!got) {
			return MAILER_FAIL;
		}
	}
}
