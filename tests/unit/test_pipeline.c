/* The send pipeline (core/send/pipeline.h) over a scripted session: an attachment
 * source that counts its passes is read once without DKIM and twice with it,
 * whatever the server offers (SIZE, CHUNKING, neither), and the size announced
 * (SIZE=, BDAT) is the size of what is sent, computed from the source's size or
 * counted by DKIM; a source of unknown size goes with DATA and without SIZE. */
#include "unit.h"
#include "core/send/envelope.h"
#include "core/send/pipeline.h"
#include "core/util/alloc.h"

#include <openssl/evp.h>
#include <stdlib.h>

/* ---- a server that answers one line per read ---- */

typedef struct line_io {
	mailer_buf script;
	size_t pos;
	mailer_buf written;
} line_io;

static int io_connect(void *ctx, const char *host, int port, int implicit_tls, double timeout,
					  mailer_error *err)
{
	(void)ctx, (void)host, (void)port, (void)implicit_tls, (void)timeout, (void)err;
	return 0;
}

static long io_read(void *ctx, char *buf, size_t len)
{
	line_io *io = ctx;
	const char *p = io->script.data + io->pos, *lf;
	size_t n;

	if (io->pos >= io->script.len) {
		return MAILER_IO_EOF;
	}
	lf = memchr(p, '\n', io->script.len - io->pos);
	n = lf ? (size_t)(lf - p) + 1 : io->script.len - io->pos;
	n = n < len ? n : len;
	memcpy(buf, p, n);
	io->pos += n;
	return (long)n;
}

static long io_write(void *ctx, const char *data, size_t len)
{
	mailer_buf_append(&((line_io *)ctx)->written, data, len);
	return (long)len;
}

static int io_tls_step(void *ctx, mailer_error *err)
{
	(void)ctx, (void)err;
	return -1;
}

static intptr_t io_descriptor(void *ctx)
{
	(void)ctx;
	return -1;
}

/* Reads and writes never block here: a wait is never needed, and fails if it comes. */
static int io_wait(void *ctx, int what, double deadline)
{
	(void)ctx, (void)what, (void)deadline;
	return -1;
}

static void io_close(void *ctx)
{
	(void)ctx;
}

static const mailer_io line_ops = {
	.connect = io_connect,
	.read_some = io_read,
	.write_some = io_write,
	.tls_step = io_tls_step,
	.descriptor = io_descriptor,
	.wait = io_wait,
	.close = io_close,
};

/* ---- a source that counts ---- */

typedef struct counting_source {
	size_t size;
	int size_known;
	size_t pos;
	int opens, reads, size_asked;
} counting_source;

static char byte_at(size_t i)
{
	return (char)((i * 7 + i / 251) & 0xff);
}

static mailer_status src_open(void *ctx, mailer_error *err)
{
	counting_source *c = ctx;

	(void)err;
	c->opens++;
	c->pos = 0;
	return MAILER_OK;
}

static long src_read(void *ctx, char *buf, size_t len, mailer_error *err)
{
	counting_source *c = ctx;
	size_t n = c->size - c->pos < len ? c->size - c->pos : len, i;

	(void)err;
	c->reads++;
	for (i = 0; i < n; i++) {
		buf[i] = byte_at(c->pos + i);
	}
	c->pos += n;
	return (long)n;
}

static void src_close(void *ctx)
{
	(void)ctx;
}

static void src_free(void *ctx)
{
	(void)ctx;
}

static long long src_size(void *ctx)
{
	counting_source *c = ctx;

	c->size_asked++;
	return c->size_known ? (long long)c->size : MAILER_SIZE_UNKNOWN;
}

static const mailer_source_ops counting_ops = {src_open, src_read, src_close, src_free, src_size};

static EVP_PKEY *ed25519(void)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	EVP_PKEY *key = NULL;

	if (!pc || EVP_PKEY_keygen_init(pc) != 1 || EVP_PKEY_keygen(pc, &key) != 1) {
		abort();
	}
	EVP_PKEY_CTX_free(pc);
	return key;
}

static void build(mailer_message *m, counting_source *c)
{
	mailer_file_spec spec;
	mailer_bytes text = {"see the file\n.dot line\n", 23, NULL, NULL};
	mailer_error err;

	mailer_message_init(m);
	mailer_error_init(&err);
	CHECK(mailer_address_parse_one(&m->from, "a@example.org", 13, &err) == MAILER_OK);
	CHECK(mailer_address_parse_one(&m->to, "b@example.net", 13, &err) == MAILER_OK);
	CHECK(mailer_mime_set_body(&m->mime, MAILER_PART_TEXT, &text, 1, &err) == MAILER_OK);
	memset(&spec, 0, sizeof(spec));
	spec.kind = MAILER_PART_ATTACHMENT;
	spec.source.ops = &counting_ops;
	spec.source.ctx = c;
	spec.filename = "data.bin";
	spec.filename_len = 8;
	CHECK(mailer_mime_add_file(&m->mime, &spec, &err) == MAILER_OK);
	CHECK(mailer_message_prepare(m, &err) == MAILER_OK);
	mailer_error_clear(&err);
}

/* The number after "name" in the client's bytes, or -1. */
static long long number_after(const mailer_buf *b, const char *name)
{
	const char *p = strstr(mailer_buf_cstr(b), name);

	return p ? strtoll(p + strlen(name), NULL, 10) : -1;
}

/* One send: caps "S" SIZE, "C" CHUNKING; the source's size known or not; DKIM or not. */
static void send_once(const char *caps, int size_known, int dkim, size_t file_size)
{
	int chunking = strchr(caps, 'C') != NULL, size_cap = strchr(caps, 'S') != NULL;
	counting_source c = {file_size, size_known, 0, 0, 0, 0};
	mailer_dkim_signer signer;
	mailer_send_envelope env;
	mailer_pipeline p;
	mailer_message m;
	mailer_sink to_buf;
	mailer_buf expected;
	mailer_smtp s;
	mailer_error err;
	line_io io;
	long long announced;
	int sized = size_known || dkim;

	build(&m, &c);
	memset(&io, 0, sizeof(io));
	mailer_buf_init(&io.script);
	mailer_buf_init(&io.written);
	mailer_buf_appends(&io.script, "220 mx\r\n");
	mailer_buf_appends(&io.script, chunking ? "250-mx\r\n250-CHUNKING\r\n" : "250-mx\r\n");
	mailer_buf_appends(&io.script, size_cap ? "250 SIZE 100000000\r\n" : "250 HELP\r\n");
	mailer_buf_appends(&io.script, "250 ok\r\n250 ok\r\n");
	mailer_buf_appends(&io.script, chunking && sized ? "250 done\r\n" : "354 go\r\n250 done\r\n");
	mailer_smtp_init(&s, &line_ops, &io);
	mailer_hosts_parse("mx.test", 7, 25, MAILER_TLS_NONE, &s.cfg.hosts, &s.cfg.host_count, NULL);
	s.cfg.helo = mailer_strdup("client.test");
	s.cfg.user = mailer_strdup("");
	s.cfg.pass = mailer_strdup("");
	s.cfg.timeout = 5;
	mailer_error_init(&err);
	mailer_dkim_signer_init(&signer);
	signer.domain = mailer_strdup("example.org");
	signer.selector = mailer_strdup("s");
	signer.alg = MAILER_DKIM_ED25519_SHA256;
	signer.key = ed25519();

	CHECK(mailer_envelope_from_message(&env, &m, &err) == MAILER_OK);
	mailer_pipeline_from_message(&p, &m);
	if (dkim) {
		CHECK(mailer_pipeline_sign(&p, &signer, 1, 1700000000, &err) == MAILER_OK);
	}
	CHECK(mailer_pipeline_send(&p, &s, &env.env, &err) == MAILER_OK);
	if (err.message) {
		fprintf(stderr, "%s %d %d: %s\n", caps, size_known, dkim, err.message);
	}
	/* the promise: once without DKIM, twice with it, SIZE and BDAT or not */
	if (c.opens != (dkim ? 2 : 1)) {
		fprintf(stderr, "caps \"%s\", size %s, %s: %d passes\n", caps,
				size_known ? "known" : "unknown", dkim ? "DKIM" : "no DKIM", c.opens);
	}
	CHECK(c.opens == (dkim ? 2 : 1));
	/* the size was asked of the source only when no DKIM pass counted it and it was wanted */
	CHECK(c.size_asked == (!dkim && (chunking || size_cap) ? 1 : 0));

	/* what the protocol announced is what the pipeline gives (one more, uncounted pass) */
	mailer_buf_init(&expected);
	to_buf.write = mailer_sink_to_buf;
	to_buf.ctx = &expected;
	CHECK(mailer_pipeline_write(&p, &to_buf, &err) == MAILER_OK);
	announced = number_after(&io.written, chunking ? "BDAT " : " SIZE=");
	if (chunking && sized) {
		CHECK(announced == (long long)expected.len);
		CHECK(strstr(mailer_buf_cstr(&io.written), "\r\nDATA\r\n") == NULL);
	} else {
		CHECK(strstr(mailer_buf_cstr(&io.written), "\r\nDATA\r\n") != NULL);
		CHECK(strstr(mailer_buf_cstr(&io.written), "BDAT") == NULL);
	}
	if (size_cap && sized) {
		CHECK(number_after(&io.written, " SIZE=") == (long long)expected.len);
	} else {
		CHECK(strstr(mailer_buf_cstr(&io.written), "SIZE=") == NULL);
	}
	CHECK(expected.len > file_size * 4 / 3);

	mailer_buf_free(&expected);
	mailer_pipeline_free(&p);
	mailer_send_envelope_free(&env);
	mailer_dkim_signer_free(&signer);
	mailer_error_clear(&err);
	mailer_smtp_free(&s);
	mailer_buf_free(&io.script);
	mailer_buf_free(&io.written);
	mailer_message_free(&m);
}

static void test_reads(const char *caps)
{
	static const size_t sizes[] = {0, 1, 57, 200000};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		send_once(caps, 1, 0, sizes[i]);
		send_once(caps, 1, 1, sizes[i]);
		send_once(caps, 0, 0, sizes[i]);
		send_once(caps, 0, 1, sizes[i]);
	}
}

/* The computed size is the written size, for file sizes across base64's line and group
 * boundaries (and the empty file), with no pass over the source. */
static void test_measure(void)
{
	size_t n;

	for (n = 0; n < 400; n += (n < 120 ? 1 : 37)) {
		counting_source c = {n, 1, 0, 0, 0, 0};
		mailer_message m;
		mailer_pipeline p;
		mailer_buf out;
		mailer_sink to_buf = {mailer_sink_to_buf, &out};
		mailer_error err;
		long long size = -5;

		build(&m, &c);
		mailer_error_init(&err);
		CHECK(mailer_message_measure(&m, &size, &err) == MAILER_OK);
		CHECK(c.opens == 0 && c.size_asked == 1);
		mailer_buf_init(&out);
		mailer_pipeline_from_message(&p, &m);
		CHECK(mailer_pipeline_write(&p, &to_buf, &err) == MAILER_OK);
		if (size != (long long)out.len) {
			fprintf(stderr, "file of %zu octets: computed %lld, written %zu\n", n, size, out.len);
		}
		CHECK(size == (long long)out.len);
		c.size_known = 0;
		CHECK(mailer_message_measure(&m, &size, &err) == MAILER_OK);
		CHECK(size == MAILER_SIZE_UNKNOWN && err.kind == MAILER_ERR_NONE);
		mailer_pipeline_free(&p);
		mailer_buf_free(&out);
		mailer_message_free(&m);
	}
}

/* A stage (where S/MIME plugs in): here one that puts a field in front of the message.
 * It sits between the writer and DKIM, so DKIM signs what it writes, and its size
 * function builds on the writer's. */
typedef struct prefix_stage {
	const mailer_producer *inner;
	size_t pos; /* of the prefix handed out */
	int wrapped, freed, sized;
} prefix_stage;

#define PREFIX "X-Stage: yes\r\n"

static mailer_status prefix_rewind(void *ctx, mailer_error *err)
{
	prefix_stage *st = ctx;

	st->pos = 0;
	return mailer_producer_rewind(st->inner, err);
}

static long prefix_read(void *ctx, char *buf, size_t cap, mailer_error *err)
{
	prefix_stage *st = ctx;
	size_t n = strlen(PREFIX) - st->pos;

	if (n == 0) {
		return mailer_producer_read(st->inner, buf, cap, err);
	}
	n = n < cap ? n : cap;
	memcpy(buf, &PREFIX[st->pos], n);
	st->pos += n;
	return (long)n;
}

static long long prefix_size(void *ctx)
{
	prefix_stage *st = ctx;
	long long size;

	st->sized++;
	size = mailer_producer_size(st->inner);
	return size >= 0 ? size + (long long)strlen(PREFIX) : size;
}

static void prefix_producer_free(void *ctx)
{
	(void)ctx;
}

static const mailer_producer_ops prefix_ops = {prefix_rewind, prefix_read, prefix_size,
											   prefix_producer_free};

static mailer_status prefix_wrap(void *ctx, const mailer_producer *inner, mailer_producer *out,
								 mailer_error *err)
{
	prefix_stage *st = ctx;

	(void)err;
	st->wrapped++;
	st->inner = inner;
	out->ops = &prefix_ops;
	out->ctx = st;
	return MAILER_OK;
}

static void prefix_free(void *ctx)
{
	((prefix_stage *)ctx)->freed++;
}

static void test_stage_hook(int dkim)
{
	counting_source c = {1000, 1, 0, 0, 0, 0};
	prefix_stage st;
	mailer_send_stage stage = {prefix_wrap, prefix_free, &st};
	mailer_dkim_signer signer;
	mailer_message m;
	mailer_pipeline p;
	mailer_buf out;
	mailer_sink to_buf = {mailer_sink_to_buf, &out};
	mailer_error err;
	long long size = -5;
	const char *dkim_field;

	memset(&st, 0, sizeof(st));
	build(&m, &c);
	mailer_error_init(&err);
	mailer_buf_init(&out);
	mailer_dkim_signer_init(&signer);
	signer.domain = mailer_strdup("example.org");
	signer.selector = mailer_strdup("s");
	signer.alg = MAILER_DKIM_ED25519_SHA256;
	signer.key = ed25519();
	mailer_pipeline_from_message(&p, &m);
	CHECK(mailer_pipeline_add_stage(&p, &stage, &err) == MAILER_OK);
	CHECK(st.wrapped == 1);
	if (dkim) {
		CHECK(mailer_pipeline_sign(&p, &signer, 1, 1700000000, &err) == MAILER_OK);
		CHECK(c.opens == 1);
	}
	size = mailer_producer_size(mailer_pipeline_producer(&p));
	/* the writer's size is asked through the stage only without DKIM, which counts */
	CHECK(st.sized == (dkim ? 0 : 1));
	CHECK(mailer_pipeline_write(&p, &to_buf, &err) == MAILER_OK);
	CHECK(size == (long long)out.len);
	dkim_field = strstr(mailer_buf_cstr(&out), "DKIM-Signature:");
	if (dkim) {
		/* DKIM comes after the stage: its field first, then what the stage wrote */
		CHECK(dkim_field == mailer_buf_cstr(&out));
		CHECK(strstr(mailer_buf_cstr(&out), "\r\n" PREFIX "Date: ") != NULL);
	} else {
		CHECK(dkim_field == NULL);
		CHECK(strncmp(mailer_buf_cstr(&out), PREFIX "Date: ", strlen(PREFIX) + 6) == 0);
	}
	CHECK(c.opens == (dkim ? 2 : 1));
	mailer_pipeline_free(&p);
	CHECK(st.freed == 1);
	mailer_dkim_signer_free(&signer);
	mailer_buf_free(&out);
	mailer_error_clear(&err);
	mailer_message_free(&m);
}

int main(void)
{
	RUN(test_measure());
	RUN(test_reads(""));
	RUN(test_reads("S"));
	RUN(test_reads("C"));
	RUN(test_reads("SC"));
	RUN(test_stage_hook(0));
	RUN(test_stage_hook(1));
	UNIT_DONE();
}
