#include "core/mime/header.h"
#include "core/util/alloc.h"
#include "core/util/utf8.h"

#include <string.h>

#define LINE_SOFT 78   /* RFC 5322: lines SHOULD stay within 78 characters */
#define LINE_EW 76     /* RFC 2047: a line holding an encoded word */
#define LINE_HARD 998  /* RFC 5322: lines MUST stay within 998 */
#define PARAM_LINE 77  /* a parameter line leaves room for the ';' that may follow it */
#define EW_MAX 75      /* RFC 2047: longest encoded word */
#define EW_OVERHEAD 12 /* "=?UTF-8?B?" and "?=" */
#define WS_MAX 900     /* longer whitespace runs go inside encoded words to keep lines short */

int mailer_header_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len > 76) {
		return 0;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 33 || c > 126 || c == ':') {
			return 0;
		}
	}
	return 1;
}

mailer_status mailer_header_name_check(const char *name, size_t len, mailer_error *err)
{
	if (mailer_header_name_valid(name, len)) {
		return MAILER_OK;
	}
	return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
							"header name \"%.*s\" is not a valid RFC 5322 field name (printable "
							"ASCII without spaces or colons, at most 76 characters)",
							(int)(len > 60 ? 60 : len), name);
}

int mailer_header_value_valid(const char *value, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (value[i] == '\r' || value[i] == '\n' || value[i] == '\0') {
			return 0;
		}
	}
	return mailer_utf8_valid(value, len);
}

/* Steps over one character; a stray byte counts as one so bad input cannot stall us. */
static size_t char_step(const char *s, size_t len)
{
	size_t n = mailer_utf8_char_len(s, len);

	return n ? n : 1;
}

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_atext(unsigned char c)
{
	return is_alnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* ---- encoded words (RFC 2047) ---- */

/* How an encoded word is written: B, or Q for text (RFC 2047 5(1): any
 * printable but "=", "?" and "_") or for a phrase (5(3): far fewer). */
enum ew_kind { EW_B, EW_Q_TEXT, EW_Q_PHRASE };

static int q_literal(unsigned char c, enum ew_kind kind)
{
	if (kind == EW_Q_TEXT) {
		return c > ' ' && c < 0x7f && c != '=' && c != '?' && c != '_';
	}
	return is_alnum(c) || (c && strchr("!*+-/", c) != NULL);
}

static size_t q_size(const char *s, size_t len, enum ew_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		n += (q_literal((unsigned char)s[i], kind) || s[i] == ' ') ? 1 : 3;
	}
	return n;
}

static size_t b_size(size_t len)
{
	return (len + 2) / 3 * 4;
}

static void b64_append(mailer_buf *out, const char *s, size_t len)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 | p[i + 2];

		mailer_buf_appendc(out, digits[v >> 18]);
		mailer_buf_appendc(out, digits[(v >> 12) & 63]);
		mailer_buf_appendc(out, digits[(v >> 6) & 63]);
		mailer_buf_appendc(out, digits[v & 63]);
	}
	if (i < len) {
		unsigned long v =
			(unsigned long)p[i] << 16 | (i + 1 < len ? (unsigned long)p[i + 1] << 8 : 0);

		mailer_buf_appendc(out, digits[v >> 18]);
		mailer_buf_appendc(out, digits[(v >> 12) & 63]);
		mailer_buf_appendc(out, i + 1 < len ? digits[(v >> 6) & 63] : '=');
		mailer_buf_appendc(out, '=');
	}
}

static void ew_append(mailer_buf *out, const char *s, size_t len, enum ew_kind kind)
{
	static const char hex[] = "0123456789ABCDEF";
	int q = kind != EW_B;
	size_t i;

	mailer_buf_appends(out, q ? "=?UTF-8?Q?" : "=?UTF-8?B?");
	if (!q) {
		b64_append(out, s, len);
	}
	for (i = 0; q && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ') {
			mailer_buf_appendc(out, '_');
		} else if (q_literal(c, kind)) {
			mailer_buf_appendc(out, (char)c);
		} else {
			mailer_buf_appendc(out, '=');
			mailer_buf_appendc(out, hex[c >> 4]);
			mailer_buf_appendc(out, hex[c & 15]);
		}
	}
	mailer_buf_appends(out, "?=");
}

/* How many bytes of s, in whole characters, one encoded word of at most cap chars holds. */
static size_t ew_fit(const char *s, size_t len, size_t cap, enum ew_kind kind)
{
	size_t n = 0, qlen = 0;

	while (n < len) {
		size_t step = char_step(s + n, len - n);

		if (kind != EW_B) {
			size_t add = q_size(s + n, step, kind);

			if (EW_OVERHEAD + qlen + add > cap) {
				break;
			}
			qlen += add;
		} else if (EW_OVERHEAD + b_size(n + step) > cap) {
			break;
		}
		n += step;
	}
	return n;
}

/* ---- folding ---- */

typedef struct fold {
	mailer_buf *out;
	size_t col;  /* length of the current line so far */
	int ew_line; /* the current line holds an encoded word */
	int started; /* a unit follows the field name: folding is allowed from now on */
} fold;

static void fold_init(fold *f, mailer_buf *out, size_t col)
{
	f->out = out;
	f->col = col;
	f->ew_line = 0;
	f->started = 0;
}

/* Appends sep and text, breaking the line before sep when the line would get
 * too long. Never before the first unit: a fold right after the colon would
 * add a leading space to the value. */
static void fold_put(fold *f, const char *sep, size_t seplen, const char *text, size_t len, int ew)
{
	size_t limit = (ew || f->ew_line) ? LINE_EW : LINE_SOFT;

	if (f->started && seplen && f->col + seplen + len > limit) {
		mailer_buf_append(f->out, "\r\n", 2);
		f->col = 0;
		f->ew_line = 0;
	}
	mailer_buf_append(f->out, sep, seplen);
	mailer_buf_append(f->out, text, len);
	f->col += seplen + len;
	f->started = 1;
	f->ew_line |= ew;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Writes s as encoded words, the first after sep, the others after a space
 * that decoders drop. Each word fills what is left of its line. keep_whole
 * moves a text that fits one word to the next line rather than splitting it:
 * some decoders (Python before gh-128110) wrongly keep the space between
 * encoded words in a display name. */
static void put_encoded(fold *f, const char *sep, size_t seplen, const char *s, size_t len,
						enum ew_kind q, int keep_whole)
{
	mailer_buf ew;
	size_t pos = 0;

	mailer_buf_init(&ew);
	while (pos < len) {
		size_t used = f->col + seplen, n;

		n = ew_fit(s + pos, len - pos, used < LINE_EW ? min_size(EW_MAX, LINE_EW - used) : 0, q);
		if (n < len - pos && keep_whole && f->started &&
			ew_fit(s + pos, len - pos, EW_MAX, q) == len - pos) {
			n = 0;
		}
		if (n == 0) {
			/* nothing fits on this line: size the word for a fresh one, fold_put folds */
			n = ew_fit(s + pos, len - pos,
					   seplen < LINE_EW ? min_size(EW_MAX, LINE_EW - seplen) : 0, q);
			if (n == 0) {
				n = ew_fit(s + pos, len - pos, EW_MAX, q);
			}
		}
		mailer_buf_reset(&ew);
		ew_append(&ew, s + pos, n, q);
		fold_put(f, sep, seplen, ew.data, ew.len, 1);
		pos += n;
		sep = " ";
		seplen = 1;
	}
	mailer_buf_free(&ew);
}

/* ---- unstructured fields ---- */

typedef struct word {
	size_t start, end;
	int encode;
} word;

/* Words that cannot be written as they are: 8-bit or control bytes, or
 * something a decoder would take for an encoded word. */
static int word_needs_encoding(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || (c == '=' && i + 1 < len && s[i + 1] == '?')) {
			return 1;
		}
	}
	return 0;
}

/* The end of the run of words to encode together that starts at w[i]. */
static size_t run_end(const word *w, size_t count, size_t i)
{
	size_t k = i + 1;

	while (w[i].encode && k < count && w[k].encode) {
		k++;
	}
	return k;
}

static size_t words_split(const char *s, size_t len, word *w)
{
	size_t i = 0, n = 0;

	while (i < len) {
		while (i < len && is_wsp(s[i])) {
			i++;
		}
		if (i == len) {
			break;
		}
		if (w) {
			w[n].start = i;
		}
		while (i < len && !is_wsp(s[i])) {
			i++;
		}
		if (w) {
			w[n].end = i;
			w[n].encode = 0;
		}
		n++;
	}
	return n;
}

void mailer_header_write_unstructured(mailer_buf *out, const char *name, const char *value,
									  size_t len)
{
	size_t nlen = strlen(name), count, i, k, qsum = 0, bsum = 0;
	word *w;
	fold f;
	enum ew_kind q;

	mailer_buf_append(out, name, nlen);
	mailer_buf_appendc(out, ':');
	if (len == 0) {
		/* no trailing space: relays may strip it and break DKIM */
		mailer_buf_append(out, "\r\n", 2);
		return;
	}
	mailer_buf_appendc(out, ' ');
	fold_init(&f, out, nlen + 2);
	count = words_split(value, len, NULL);
	if (count == 0) {
		/* only whitespace, which survives only inside an encoded word */
		put_encoded(&f, "", 0, value, len,
					q_size(value, len, EW_Q_TEXT) <= b_size(len) ? EW_Q_TEXT : EW_B, 0);
		mailer_buf_append(out, "\r\n", 2);
		return;
	}
	w = mailer_malloc(count * sizeof(*w));
	words_split(value, len, w);
	/* Leading and trailing whitespace would be lost (or stripped by relays),
	 * long whitespace and long words would overflow a line: encode them. */
	w[0].encode = w[0].start > 0;
	w[count - 1].encode |= w[count - 1].end < len;
	for (i = 0; i < count; i++) {
		size_t before = i ? w[i].start - w[i - 1].end : nlen + 2;

		if (word_needs_encoding(value + w[i].start, w[i].end - w[i].start) ||
			before + w[i].end - w[i].start > LINE_HARD) {
			w[i].encode = 1;
		}
		if (i && before > WS_MAX) {
			w[i - 1].encode = w[i].encode = 1;
		}
	}
	/* One encoding for the whole field, whichever is shorter. A run of encoded
	 * words is encoded as one text, spaces included. */
	for (i = 0; i < count; i = k) {
		size_t s0 = i ? w[i].start : 0, s1;

		k = run_end(w, count, i);
		s1 = k == count ? len : w[k - 1].end;
		if (w[i].encode) {
			qsum += q_size(value + s0, s1 - s0, EW_Q_TEXT);
			bsum += b_size(s1 - s0);
		}
	}
	q = qsum <= bsum ? EW_Q_TEXT : EW_B;
	for (i = 0; i < count; i = k) {
		const char *sep = value + (i ? w[i - 1].end : 0);
		size_t seplen = i ? w[i].start - w[i - 1].end : 0, s0 = i ? w[i].start : 0, s1;

		k = run_end(w, count, i);
		if (w[i].encode) {
			/* the first run takes the leading whitespace, the last the trailing */
			s1 = k == count ? len : w[k - 1].end;
			put_encoded(&f, sep, seplen, value + s0, s1 - s0, q, 0);
		} else {
			fold_put(&f, sep, seplen, value + w[i].start, w[i].end - w[i].start, 0);
		}
	}
	mailer_free(w);
	mailer_buf_append(out, "\r\n", 2);
}

/* ---- address fields ---- */

enum name_form { NAME_ATOMS, NAME_QUOTED, NAME_ENCODED };

static enum name_form name_form(const char *s, size_t len)
{
	size_t i, run = 0;
	int atoms = 1;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f) {
			return NAME_ENCODED;
		}
		if (c == ' ') {
			/* atoms collapse runs of spaces and lose leading/trailing ones */
			if (i == 0 || i + 1 == len || s[i + 1] == ' ') {
				atoms = 0;
			}
			run = 0;
		} else {
			atoms &= is_atext(c);
			run += (c == '"' || c == '\\') ? 2 : 1;
			if (run > WS_MAX) {
				return NAME_ENCODED; /* a word too long for any line */
			}
		}
	}
	return atoms ? NAME_ATOMS : NAME_QUOTED;
}

/* A quoted-string, folded at runs of spaces inside it (not at its ends, which
 * would leave a line of only whitespace or change the value). */
static void put_quoted(fold *f, const char *sep, size_t seplen, const char *s, size_t len)
{
	mailer_buf q;
	size_t i, piece = 0, end;

	mailer_buf_init(&q);
	mailer_buf_appendc(&q, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			mailer_buf_appendc(&q, '\\');
		}
		mailer_buf_appendc(&q, s[i]);
	}
	mailer_buf_appendc(&q, '"');
	for (i = 2; i + 1 < q.len; i = end) {
		end = i + 1;
		if (q.data[i] != ' ' || q.data[i - 1] == ' ' || q.data[i - 1] == '"') {
			continue;
		}
		while (end < q.len && q.data[end] == ' ') {
			end++;
		}
		if (end + 1 < q.len) {
			fold_put(f, sep, seplen, q.data + piece, i - piece, 0);
			sep = q.data + i;
			seplen = end - i;
			piece = end;
		}
	}
	fold_put(f, sep, seplen, q.data + piece, q.len - piece, 0);
	mailer_buf_free(&q);
}

static void put_name(fold *f, const char *name, size_t len)
{
	const char *sep = f->started ? " " : "";
	size_t i, start = 0;

	switch (name_form(name, len)) {
	case NAME_ATOMS:
		for (i = 0; i <= len; i++) {
			if (i == len || name[i] == ' ') {
				fold_put(f, sep, strlen(sep), name + start, i - start, 0);
				sep = " ";
				start = i + 1;
			}
		}
		break;
	case NAME_QUOTED:
		put_quoted(f, sep, strlen(sep), name, len);
		break;
	case NAME_ENCODED:
		put_encoded(f, sep, strlen(sep), name, len,
					q_size(name, len, EW_Q_PHRASE) <= b_size(len) ? EW_Q_PHRASE : EW_B, 1);
		break;
	}
}

void mailer_header_write_addresses(mailer_buf *out, const char *name, const mailer_address *items,
								   size_t count)
{
	mailer_buf unit;
	size_t i;
	fold f;

	mailer_buf_appends(out, name);
	if (count == 0) {
		mailer_buf_appends(out, ": undisclosed-recipients:;\r\n");
		return;
	}
	mailer_buf_append(out, ": ", 2);
	fold_init(&f, out, strlen(name) + 2);
	mailer_buf_init(&unit);
	for (i = 0; i < count; i++) {
		int named = items[i].name && items[i].name[0];

		if (named) {
			put_name(&f, items[i].name, strlen(items[i].name));
		}
		mailer_buf_reset(&unit);
		mailer_buf_appends(&unit, named ? "<" : "");
		mailer_buf_appends(&unit, items[i].addr);
		mailer_buf_appends(&unit, named ? ">" : "");
		if (i + 1 < count) {
			/* counted with the unit, so it never hangs past the limit */
			mailer_buf_appendc(&unit, ',');
		}
		fold_put(&f, f.started ? " " : "", f.started ? 1 : 0, unit.data, unit.len, 0);
	}
	mailer_buf_free(&unit);
	mailer_buf_append(out, "\r\n", 2);
}

/* ---- MIME parameters (RFC 2045, 2231) ---- */

/* RFC 2231 attribute-char: an RFC 2045 token char other than '*', '\'' and
 * '%'. Values are written bare only when made of these: some parsers
 * (Python's) misread a bare value holding the characters RFC 2231 gave a meaning. */
static int is_attr_char(unsigned char c)
{
	return c > 32 && c < 127 && strchr("()<>@,;:\\\"/[]?=*'%", c) == NULL;
}

static void pct_append(mailer_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_attr_char(c)) {
			mailer_buf_appendc(out, (char)c);
		} else {
			mailer_buf_appendc(out, '%');
			mailer_buf_appendc(out, hex[c >> 4]);
			mailer_buf_appendc(out, hex[c & 15]);
		}
	}
}

/* Printable ASCII: a token or quoted-string, or quoted RFC 2231 continuations
 * when that line would be too long. */
static void param_ascii(mailer_buf *out, const char *param, const char *value, size_t len,
						int legacy)
{
	size_t i, pos = 0, line_start, first, quoted = 2;
	unsigned section = 0;
	int token = len > 0;

	for (i = 0; i < len; i++) {
		token &= is_attr_char((unsigned char)value[i]);
		quoted += (value[i] == '"' || value[i] == '\\') ? 2 : 1;
	}
	i = 2 + strlen(param) + (token ? len : quoted);
	if (i + 1 <= LINE_SOFT || (legacy && i < LINE_HARD)) {
		mailer_buf_appendf(out, ";\r\n\t%s=%s", param, token ? "" : "\"");
		for (i = 0; i < len; i++) {
			if (!token && (value[i] == '"' || value[i] == '\\')) {
				mailer_buf_appendc(out, '\\');
			}
			mailer_buf_appendc(out, value[i]);
		}
		mailer_buf_appends(out, token ? "" : "\"");
		return;
	}
	while (pos < len) {
		mailer_buf_append(out, ";\r\n", 3);
		line_start = out->len;
		mailer_buf_appendf(out, "\t%s*%u=\"", param, section++);
		first = out->len;
		do {
			int esc = value[pos] == '"' || value[pos] == '\\';

			/* +1 for the closing quote; at least one character per section */
			if (out->len - line_start + (esc ? 3 : 2) > PARAM_LINE && out->len > first) {
				break;
			}
			if (esc) {
				mailer_buf_appendc(out, '\\');
			}
			mailer_buf_appendc(out, value[pos++]);
		} while (pos < len);
		mailer_buf_appendc(out, '"');
	}
}

/* param="=?UTF-8?B?...?=": not standard, but what old clients read. */
static void param_legacy(mailer_buf *out, const char *param, const char *value, size_t len)
{
	size_t pos = 0, line_start, col, n;

	mailer_buf_append(out, ";\r\n", 3);
	line_start = out->len;
	mailer_buf_appendf(out, "\t%s=\"", param);
	while (pos < len) {
		if (pos) {
			mailer_buf_append(out, "\r\n", 2);
			line_start = out->len;
			mailer_buf_appendc(out, ' ');
		}
		col = out->len - line_start + 2; /* room for the closing quote and a ';' */
		n = ew_fit(value + pos, len - pos, col < LINE_EW ? min_size(EW_MAX, LINE_EW - col) : 0,
				   EW_B);
		if (n == 0) {
			n = ew_fit(value + pos, len - pos, EW_MAX, EW_B);
		}
		ew_append(out, value + pos, n, EW_B);
		pos += n;
	}
	mailer_buf_appendc(out, '"');
}

/* param*=utf-8''%XX..., or param*0*=utf-8''..., param*1*=... continuations
 * that never split a character (some decoders decode each section alone). */
static void param_extended(mailer_buf *out, const char *param, const char *value, size_t len)
{
	mailer_buf enc;
	size_t pos = 0, line_start, first;
	unsigned section = 0;

	mailer_buf_init(&enc);
	pct_append(&enc, value, len);
	if (strlen(param) + enc.len + 10 + 1 <= LINE_SOFT) {
		mailer_buf_appendf(out, ";\r\n\t%s*=utf-8''%s", param, enc.data);
		mailer_buf_free(&enc);
		return;
	}
	while (pos < len) {
		mailer_buf_append(out, ";\r\n", 3);
		line_start = out->len;
		mailer_buf_appendf(out, "\t%s*%u*=%s", param, section, section ? "" : "utf-8''");
		section++;
		first = out->len;
		do {
			size_t step = char_step(value + pos, len - pos);

			mailer_buf_reset(&enc);
			pct_append(&enc, value + pos, step);
			if (out->len - line_start + enc.len > PARAM_LINE && out->len > first) {
				break;
			}
			mailer_buf_append(out, enc.data, enc.len);
			pos += step;
		} while (pos < len);
	}
	mailer_buf_free(&enc);
}

void mailer_header_write_param(mailer_buf *out, const char *param, const char *value, size_t len,
							   int also_legacy)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)value[i] < 0x20 || (unsigned char)value[i] >= 0x7f) {
			break;
		}
	}
	if (i == len) {
		param_ascii(out, param, value, len, also_legacy);
		return;
	}
	if (also_legacy) {
		param_legacy(out, param, value, len);
	}
	param_extended(out, param, value, len);
}
