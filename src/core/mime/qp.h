/* Quoted-printable (RFC 2045 §6.7) as a streaming encoder, and the choice of a
 * Content-Transfer-Encoding for text. */
#ifndef MAILER_CORE_MIME_QP_H
#define MAILER_CORE_MIME_QP_H

#include "core/util/status.h"

#include <stddef.h>

#include "core/util/sink.h"

typedef enum { MAILER_CTE_7BIT, MAILER_CTE_8BIT, MAILER_CTE_QP, MAILER_CTE_BASE64 } mailer_cte;

/* MAILER_CTE_7BIT when every byte is 1..127, there is no bare CR and no line
 * (the last, unterminated one included) is longer than max_line octets without
 * its LF or CRLF; MAILER_CTE_QP otherwise. */
mailer_cte mailer_text_choose_cte(const char *data, size_t len, size_t max_line);
/* "7bit", "8bit", "quoted-printable", "base64". */
const char *mailer_cte_name(mailer_cte cte);

#define MAILER_QP_STREAM_BUFSIZE 8192

/* Streaming encoder. LF and CRLF become CRLF hard breaks, a bare CR is =0D;
 * lines are at most 76 chars (soft breaks "=\r\n", never inside an =XX);
 * space/tab ending a line or the input is =20/=09; a '.' starting a line is
 * =2E, so no output line needs dot-stuffing. The output ends with a line break
 * only when the input did: the CRLF before a MIME boundary is the caller's.
 * Meant for text: line breaks are not kept byte for byte, so binary data
 * belongs in base64. Self-contained (no heap, no destructor), ~8 KB. */
typedef struct mailer_qp_stream {
	mailer_sink out; /* copied at init */
	size_t col;      /* chars on the current output line */
	size_t len;      /* bytes in buf */
	int pend;        /* last byte, held until the next shows whether it ends a line; -1 none */
	int cr;          /* a CR was read: LF next makes a hard break, anything else makes =0D */
	int failed;      /* the sink failed: every later call fails too */
	char buf[MAILER_QP_STREAM_BUFSIZE];
} mailer_qp_stream;

void mailer_qp_stream_init(mailer_qp_stream *s, const mailer_sink *out);
/* MAILER_OK, or MAILER_FAIL once the sink has failed. */
mailer_status mailer_qp_stream_write(mailer_qp_stream *s, const char *data, size_t len);
/* Encodes what is held back and flushes. MAILER_OK or MAILER_FAIL. */
mailer_status mailer_qp_stream_finish(mailer_qp_stream *s);
/* mailer_qp_stream_write as a mailer_sink_fn (ctx is the mailer_qp_stream *). */
mailer_status mailer_qp_stream_sink(void *ctx, const char *data, size_t len);

#endif
