/* The header writers (RFC 5322 folding, RFC 2047 encoded words, RFC 2231
 * parameters). The first byte picks the writer, the second a field name or
 * flag, the rest is the value. Beyond not crashing, every output must be
 * lines of at most 998 octets of printable ASCII (UTF-8 addr-specs aside),
 * with encoded words of at most 75 chars, and decode back to the input. */
#define _GNU_SOURCE /* memmem */
#include "core/mime/address.h"
#include "core/util/alloc.h"
#include "fuzz.h"
#include "core/mime/header.h"
#include "core/util/utf8.h"

#include <string.h>
#include <strings.h>

#define LINE_HARD 998
#define EW_MAX 75

/* ---- output checks ---- */

/* Folded lines of at most 998 octets, each continuation starting with WSP and
 * holding more than whitespace; printable ASCII (or 8-bit when allowed). */
static void check_lines(const mailer_buf *out, int allow_8bit)
{
	const char *p = mailer_buf_cstr(out), *end = p + out->len;
	int first = 1;

	FUZZ_CHECK(out->len >= 2 && end[-2] == '\r' && end[-1] == '\n');
	while (p < end) {
		const char *eol = p, *q;
		int blank = 1;

		while (eol < end && *eol != '\r' && *eol != '\n') {
			eol++;
		}
		FUZZ_CHECK(eol + 1 < end && eol[0] == '\r' && eol[1] == '\n'); /* no bare CR or LF */
		FUZZ_CHECK(eol - p <= LINE_HARD);
		FUZZ_CHECK(first || p[0] == ' ' || p[0] == '\t');
		for (q = p; q < eol; q++) {
			unsigned char c = (unsigned char)*q;

			FUZZ_CHECK(c == '\t' || (c >= 0x20 && c < 0x7f) || (allow_8bit && c >= 0x80));
			blank &= c == ' ' || c == '\t';
		}
		FUZZ_CHECK(!blank || (first && eol == p));
		first = 0;
		p = eol + 2;
	}
}

/* Every "=?UTF-8?" the writer produced starts an encoded word of at most 75 chars. */
static void check_encoded_words(const mailer_buf *out)
{
	const char *p = mailer_buf_cstr(out), *end = p + out->len;

	while ((p = memmem(p, (size_t)(end - p), "=?UTF-8?", 8)) != NULL) {
		const char *q = p + 8, *close;

		FUZZ_CHECK(q + 2 < end && (*q == 'B' || *q == 'Q') && q[1] == '?');
		close = memmem(q + 2, (size_t)(end - q - 2), "?=", 2);
		FUZZ_CHECK(close != NULL && close + 2 - p <= EW_MAX);
		FUZZ_CHECK(memchr(p, ' ', (size_t)(close - p)) == NULL &&
				   memchr(p, '\r', (size_t)(close - p)) == NULL);
		p = close + 2;
	}
}

/* ---- an independent decoder ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	return -1;
}

static int b64val(char c)
{
	const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *hit = c ? strchr(alphabet, c) : NULL;

	return hit ? (int)(hit - alphabet) : -1;
}

/* 1 when s[0..len) has the shape of one UTF-8 encoded word: "=?UTF-8?B?...?=". */
static int ew_syntax(const char *s, size_t len)
{
	return len >= 12 && memcmp(s, "=?", 2) == 0 && memcmp(s + len - 2, "?=", 2) == 0 &&
		   strncasecmp(s + 2, "UTF-8?", 6) == 0 && strchr("BbQq", s[8]) && s[8] && s[9] == '?' &&
		   memchr(s + 10, '?', len - 12) == NULL;
}

/* Decodes one encoded word (of ew_syntax's shape), checking it is well formed. */
static void ew_decode(mailer_buf *out, const char *s, size_t len)
{
	size_t i, bits = 0;
	unsigned long acc = 0;
	char kind = s[8];

	s += 10;
	len -= 12;
	if (kind == 'Q' || kind == 'q') {
		for (i = 0; i < len; i++) {
			if (s[i] == '_') {
				mailer_buf_appendc(out, ' ');
			} else if (s[i] == '=') {
				FUZZ_CHECK(i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0);
				mailer_buf_appendc(out, (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2])));
				i += 2;
			} else {
				FUZZ_CHECK(s[i] > ' ' && s[i] < 0x7f);
				mailer_buf_appendc(out, s[i]);
			}
		}
		return;
	}
	FUZZ_CHECK(len % 4 == 0);
	for (i = 0; i < len; i++) {
		if (s[i] == '=') {
			FUZZ_CHECK(i + 2 >= len && (i + 1 == len || s[i + 1] == '='));
			continue;
		}
		FUZZ_CHECK(b64val(s[i]) >= 0);
		acc = acc << 6 | (unsigned long)b64val(s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			mailer_buf_appendc(out, (char)(acc >> bits & 0xff));
		}
	}
}

/* RFC 2047 §6.2 on an unfolded value: encoded words are decoded, and the
 * whitespace between two adjacent ones is dropped. */
static void rfc2047_decode(mailer_buf *out, const char *s, size_t len)
{
	size_t i = 0;
	int last_ew = 0;

	while (i < len) {
		size_t ws = i, start;
		int ew;

		while (i < len && (s[i] == ' ' || s[i] == '\t')) {
			i++;
		}
		start = i;
		while (i < len && s[i] != ' ' && s[i] != '\t') {
			i++;
		}
		ew = ew_syntax(s + start, i - start);
		if (!(ew && last_ew)) {
			mailer_buf_append(out, s + ws, start - ws);
		}
		if (ew) {
			ew_decode(out, s + start, i - start);
		} else {
			mailer_buf_append(out, s + start, i - start);
		}
		last_ew = ew;
	}
}

/* The field's value: CRLFs of folding removed, "Name: " dropped. */
static void unfold_value(mailer_buf *out, const mailer_buf *field, size_t name_len)
{
	size_t i;

	for (i = name_len + 1; i + 2 < field->len; i++) {
		if (field->data[i] == '\r' && field->data[i + 1] == '\n') {
			i++;
			continue;
		}
		mailer_buf_appendc(out, field->data[i]);
	}
	/* the single space after the colon is syntax, not value */
	if (out->len && out->data[0] == ' ') {
		memmove(out->data, out->data + 1, out->len);
		out->len--;
	}
}

static int has_ew_marker(const char *s, size_t len)
{
	return memmem(s, len, "=?", 2) != NULL;
}

/* ---- unstructured ---- */

static void fuzz_unstructured(unsigned char opt, const char *v, size_t len)
{
	char name[80] = "Subject";
	mailer_buf out, value, decoded;
	size_t n;

	if (!mailer_header_value_valid(v, len)) {
		return; /* the writer's contract: validated values only */
	}
	if (opt & 0x80) {
		/* extra headers may have names of up to 76 chars */
		n = 2 + (opt & 0x7f) % 75;
		memset(name, 'A', n);
		memcpy(name, "X-", 2);
		name[n] = '\0';
	}
	n = strlen(name);
	mailer_buf_init(&out);
	mailer_buf_init(&value);
	mailer_buf_init(&decoded);
	mailer_header_write_unstructured(&out, name, v, len);
	FUZZ_CHECK(out.len > n && memcmp(out.data, name, n) == 0 && out.data[n] == ':');
	check_lines(&out, 0);
	check_encoded_words(&out);
	unfold_value(&value, &out, n);
	rfc2047_decode(&decoded, mailer_buf_cstr(&value), value.len);
	FUZZ_CHECK(decoded.len == len && memcmp(mailer_buf_cstr(&decoded), v, len) == 0);
	mailer_buf_free(&out);
	mailer_buf_free(&value);
	mailer_buf_free(&decoded);
}

/* ---- addresses ---- */

#define MAX_ITEMS 16

/* Items are separated by LF, a name from its address by CR: neither can
 * appear in a valid name or address. */
static void fuzz_addresses(const char *v, size_t len)
{
	mailer_address items[MAX_ITEMS];
	mailer_address_list back;
	mailer_buf out, value, decoded;
	mailer_error err;
	size_t count = 0, i;
	const char *p = v, *end = v + len;
	int ascii = 1, marker = 0;

	while (p < end && count < MAX_ITEMS) {
		const char *lf = memchr(p, '\n', (size_t)(end - p)), *e = lf ? lf : end;
		const char *cr = memchr(p, '\r', (size_t)(e - p));
		const char *addr = cr ? cr + 1 : p;

		if (!mailer_addr_spec_valid(addr, (size_t)(e - addr)) ||
			(cr && !mailer_header_value_valid(p, (size_t)(cr - p)))) {
			goto out;
		}
		items[count].name = cr && cr > p ? mailer_strndup(p, (size_t)(cr - p)) : NULL;
		items[count].addr = mailer_strndup(addr, (size_t)(e - addr));
		ascii &= mailer_is_ascii(items[count].addr);
		/* a name or address may hold "=?" of its own: then only ours are checked below */
		marker |= has_ew_marker(p, (size_t)(e - p));
		count++;
		p = lf ? lf + 1 : end;
	}
	mailer_buf_init(&out);
	mailer_buf_init(&value);
	mailer_buf_init(&decoded);
	mailer_address_list_init(&back);
	mailer_error_init(&err);
	mailer_header_write_addresses(&out, "To", items, count);
	check_lines(&out, !ascii);
	if (!marker) {
		check_encoded_words(&out);
	}
	if (count) {
		/* what the writer wrote, read back by our own parser, is what it was given */
		unfold_value(&value, &out, 2);
		if (mailer_address_parse_list(&back, mailer_buf_cstr(&value), value.len, &err) !=
			MAILER_OK) {
			fprintf(stderr, "written: [%s]\nreparse: %s\n", mailer_buf_cstr(&out), err.message);
			FUZZ_CHECK(!"the parser refuses what the writer wrote");
		}
		FUZZ_CHECK(back.count == count);
		for (i = 0; i < count; i++) {
			const char *want = items[i].name, *got = back.items[i].name;

			FUZZ_CHECK(strcmp(back.items[i].addr, items[i].addr) == 0);
			if (!want || !got) {
				FUZZ_CHECK(!want && !got);
				continue;
			}
			if (strcmp(want, got) != 0) {
				mailer_buf_reset(&decoded);
				rfc2047_decode(&decoded, got, strlen(got));
				FUZZ_CHECK(strcmp(mailer_buf_cstr(&decoded), want) == 0);
			}
		}
	}
	mailer_error_clear(&err);
	mailer_address_list_free(&back);
	mailer_buf_free(&out);
	mailer_buf_free(&value);
	mailer_buf_free(&decoded);
out:
	for (i = 0; i < count; i++) {
		mailer_free(items[i].name);
		mailer_free(items[i].addr);
	}
}

/* ---- MIME parameters ---- */

static void pct_decode(mailer_buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			FUZZ_CHECK(i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0);
			mailer_buf_appendc(out, (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2])));
			i += 2;
		} else {
			mailer_buf_appendc(out, s[i]);
		}
	}
}

static void unquote(mailer_buf *out, const char *s, size_t len)
{
	size_t i;

	FUZZ_CHECK(len >= 2 && s[0] == '"' && s[len - 1] == '"');
	for (i = 1; i + 1 < len; i++) {
		if (s[i] == '\\') {
			i++;
		} else {
			FUZZ_CHECK(s[i] != '"');
		}
		mailer_buf_appendc(out, s[i]);
	}
}

static const char *const param_names[] = {"filename", "name", "boundary", "charset"};

/* Reads the parameters back: the RFC 2231 (or plain) value, and the legacy
 * encoded-word one when there is one, must both equal the input. */
static void fuzz_param(unsigned char opt, const char *v, size_t len)
{
	const char *param = param_names[opt % 4];
	size_t plen = strlen(param), prefix;
	int legacy = (opt >> 2) & 1, have_legacy = 0, printable = 1;
	unsigned next_section = 0;
	mailer_buf out, value, legacy_value, piece;
	const char *p, *end;

	for (prefix = 0; prefix < len; prefix++) {
		printable &= (unsigned char)v[prefix] >= 0x20 && (unsigned char)v[prefix] < 0x7f;
	}
	mailer_buf_init(&out);
	mailer_buf_init(&value);
	mailer_buf_init(&legacy_value);
	mailer_buf_init(&piece);
	mailer_buf_appends(&out, "Content-Disposition: attachment");
	prefix = out.len;
	mailer_header_write_param(&out, param, v, len, legacy);
	mailer_buf_append(&out, "\r\n", 2);
	check_lines(&out, 0);
	if (!has_ew_marker(v, len)) {
		check_encoded_words(&out);
	}
	p = out.data + prefix;
	end = out.data + out.len - 2;
	while (p < end) {
		const char *next, *eq, *val;
		size_t k;

		FUZZ_CHECK(end - p > 4 && memcmp(p, ";\r\n\t", 4) == 0);
		p += 4;
		next = memmem(p, (size_t)(end - p), ";\r\n\t", 4);
		next = next ? next : end;
		/* unfold (only the legacy form folds inside a value) */
		mailer_buf_reset(&piece);
		for (k = 0; p + k < next; k++) {
			if (p[k] == '\r') {
				FUZZ_CHECK(p[k + 1] == '\n' && p[k + 2] == ' ');
				k++;
				continue;
			}
			mailer_buf_appendc(&piece, p[k]);
		}
		p = next;
		FUZZ_CHECK(piece.len > plen && memcmp(piece.data, param, plen) == 0);
		eq = memchr(piece.data, '=', piece.len);
		FUZZ_CHECK(eq != NULL);
		val = eq + 1;
		k = (size_t)(piece.data + piece.len - val);
		if (eq == piece.data + plen) {
			/* param=token, param="quoted", or the legacy param="=?UTF-8?B?...?=" */
			if (legacy && !printable && !have_legacy) {
				mailer_buf tmp;

				mailer_buf_init(&tmp);
				unquote(&tmp, val, k);
				rfc2047_decode(&legacy_value, mailer_buf_cstr(&tmp), tmp.len);
				mailer_buf_free(&tmp);
				have_legacy = 1;
			} else if (val[0] == '"') {
				unquote(&value, val, k);
			} else {
				mailer_buf_append(&value, val, k);
			}
			continue;
		}
		if (eq == piece.data + plen + 1 && piece.data[plen] == '*') {
			/* param*=utf-8''%XX */
			FUZZ_CHECK(k >= 7 && memcmp(val, "utf-8''", 7) == 0);
			pct_decode(&value, val + 7, k - 7);
			continue;
		}
		/* param*N="..." or param*N*=... (N counting from 0, utf-8'' in the first) */
		{
			const char *num = piece.data + plen + 1;
			unsigned section = 0;
			int extended;

			FUZZ_CHECK(piece.data[plen] == '*' && num < eq && *num >= '0' && *num <= '9');
			while (*num >= '0' && *num <= '9') {
				section = section * 10 + (unsigned)(*num++ - '0');
			}
			FUZZ_CHECK(section == next_section++);
			extended = *num == '*';
			FUZZ_CHECK(num + extended == eq);
			if (!extended) {
				unquote(&value, val, k);
			} else if (section == 0) {
				FUZZ_CHECK(k >= 7 && memcmp(val, "utf-8''", 7) == 0);
				pct_decode(&value, val + 7, k - 7);
			} else {
				pct_decode(&value, val, k);
			}
		}
	}
	FUZZ_CHECK(value.len == len && memcmp(mailer_buf_cstr(&value), v, len) == 0);
	FUZZ_CHECK(have_legacy == (legacy && !printable));
	if (have_legacy) {
		FUZZ_CHECK(legacy_value.len == len && memcmp(mailer_buf_cstr(&legacy_value), v, len) == 0);
	}
	mailer_buf_free(&out);
	mailer_buf_free(&value);
	mailer_buf_free(&legacy_value);
	mailer_buf_free(&piece);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t live = fuzz_alloc_live();

	if (size < 2) {
		return 0;
	}
	switch (data[0] % 3) {
	case 0:
		fuzz_unstructured(data[1], (const char *)data + 2, size - 2);
		break;
	case 1:
		fuzz_addresses((const char *)data + 2, size - 2);
		break;
	default:
		fuzz_param(data[1], (const char *)data + 2, size - 2);
		break;
	}
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
