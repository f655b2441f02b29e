#include "core/mime/address.h"
#include "core/util/alloc.h"
#include "core/util/buf.h"
#include "core/mime/header.h"
#include "core/util/idna.h"
#include "core/util/utf8.h"

#include <stdio.h>
#include <string.h>

#define MAILER_QUOTE_MAX 60 /* bytes of the input shown in an error message */
#define NONE ((size_t)-1)

typedef char why_buf[80]; /* room for a reason that names a character */

void mailer_address_list_init(mailer_address_list *l)
{
	l->items = NULL;
	l->count = 0;
}

static void list_truncate(mailer_address_list *l, size_t count)
{
	while (l->count > count) {
		l->count--;
		mailer_free(l->items[l->count].name);
		mailer_free(l->items[l->count].addr);
	}
}

void mailer_address_list_free(mailer_address_list *l)
{
	list_truncate(l, 0);
	mailer_free(l->items);
	mailer_address_list_init(l);
}

static void list_push(mailer_address_list *l, mailer_buf *name, mailer_buf *addr)
{
	mailer_address *a;

	l->items = mailer_realloc(l->items, (l->count + 1) * sizeof(*l->items));
	a = &l->items[l->count++];
	a->name = name->len ? mailer_buf_detach(name, NULL) : NULL;
	a->addr = mailer_buf_detach(addr, NULL);
}

/* The input as shown in an error: quoted, cut at MAILER_QUOTE_MAX bytes without
 * splitting a character, control and invalid bytes escaped so the message is
 * printable and unambiguous. */
static void quote_input(mailer_buf *out, const char *s, size_t len)
{
	size_t i = 0, n;

	mailer_buf_appendc(out, '"');
	while (i < len && i < MAILER_QUOTE_MAX) {
		unsigned char c = (unsigned char)s[i];

		n = mailer_utf8_char_len(s + i, len - i);
		if (c >= 0x80 && n > 1) {
			if (i + n > MAILER_QUOTE_MAX) {
				break;
			}
			mailer_buf_append(out, s + i, n);
			i += n;
			continue;
		}
		switch (c) {
		case '\r':
			mailer_buf_appends(out, "\\r");
			break;
		case '\n':
			mailer_buf_appends(out, "\\n");
			break;
		case '\0':
			mailer_buf_appends(out, "\\0");
			break;
		case '\t':
			mailer_buf_appends(out, "\\t");
			break;
		case '"':
		case '\\':
			mailer_buf_appendc(out, '\\');
			mailer_buf_appendc(out, (char)c);
			break;
		default:
			if (c < 0x20 || c >= 0x7f) {
				mailer_buf_appendf(out, "\\x%02X", c);
			} else {
				mailer_buf_appendc(out, (char)c);
			}
		}
		i++;
	}
	if (i < len) {
		mailer_buf_appends(out, "...");
	}
	mailer_buf_appendc(out, '"');
}

static mailer_status fail(mailer_error *err, const char *what, const char *s, size_t len,
						  const char *reason)
{
	mailer_buf b;

	mailer_buf_init(&b);
	mailer_buf_appendf(&b, "invalid %s ", what);
	quote_input(&b, s, len);
	mailer_buf_appendf(&b, ": %s", reason);
	mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE, "%s", b.data);
	mailer_buf_free(&b);
	return MAILER_FAIL;
}

/* A reason naming a byte: 'x' when printable, '\xNN' otherwise. */
static const char *bad_char(char *why, size_t size, char c, const char *where)
{
	unsigned char u = (unsigned char)c;

	if (u == ' ') {
		snprintf(why, size, "unexpected space in %s", where);
	} else if (u > ' ' && u < 0x7f) {
		snprintf(why, size, "invalid character '%c' in %s", c, where);
	} else {
		snprintf(why, size, "invalid character '\\x%02X' in %s", u, where);
	}
	return why;
}

static int is_atext(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80) {
		return 1;
	}
	return c && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static int is_label_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		   c >= 0x80;
}

/* Steps over one character; a stray byte counts as one. */
static size_t char_step(const char *s, size_t len)
{
	size_t n = mailer_utf8_char_len(s, len);

	return n ? n : 1;
}

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static const char *line_break_check(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' || s[i] == '\n') {
			return "contains a line break";
		}
		if (s[i] == '\0') {
			return "contains a NUL byte";
		}
	}
	return mailer_utf8_valid(s, len) ? NULL : "invalid UTF-8";
}

static int ipv4_valid(const char *s, size_t len)
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned value = 0, digits = 0;

		if (part && (i >= len || s[i++] != '.')) {
			return 0;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			value = value * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || value > 255) {
			return 0;
		}
	}
	return i == len;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* RFC 4291 text form: eight groups, or fewer around one "::", optionally
 * ending in an IPv4 address worth two groups. */
static int ipv6_valid(const char *s, size_t len)
{
	size_t i = 0, groups = 0;
	int compressed = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		compressed = 1;
		i = 2;
	} else if (len && s[0] == ':') {
		return 0;
	}
	while (i < len) {
		size_t start = i;

		while (i < len && is_hex(s[i]) && i - start < 5) {
			i++;
		}
		if (i < len && s[i] == '.') {
			if (!ipv4_valid(s + start, len - start)) {
				return 0;
			}
			groups += 2;
			break;
		}
		if (i == start || i - start > 4) {
			return 0;
		}
		groups++;
		if (i == len) {
			break;
		}
		if (s[i++] != ':' || i == len) {
			return 0;
		}
		if (s[i] == ':') {
			if (compressed) {
				return 0;
			}
			compressed = 1;
			i++;
		}
	}
	return compressed ? groups <= 7 : groups == 8;
}

/* Checks a dot-atom; in a domain each atom is also a hostname label. */
static const char *dot_atom_check(const char *s, size_t len, int domain, why_buf why)
{
	const char *where = domain ? "domain" : "local part";
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			unsigned char c = (unsigned char)s[i];

			if (domain ? !is_label_char(c) : !is_atext(c)) {
				return bad_char(why, sizeof(why_buf), s[i], where);
			}
			continue;
		}
		if (i == start) {
			snprintf(why, sizeof(why_buf), "%s in %s",
					 i == 0 ? "leading dot" : (i == len ? "trailing dot" : "consecutive dots"),
					 where);
			return why;
		}
		if (domain) {
			if (i - start > 63) {
				return "domain label longer than 63 octets";
			}
			if (s[start] == '-') {
				return "domain label starts with a hyphen";
			}
			if (s[i - 1] == '-') {
				return "domain label ends with a hyphen";
			}
		}
		start = i + 1;
	}
	return NULL;
}

static const char *domain_check(const char *s, size_t len, why_buf why)
{
	if (len == 0) {
		return "missing domain";
	}
	if (s[0] != '[') {
		return dot_atom_check(s, len, 1, why);
	}
	if (s[len - 1] != ']') {
		return memchr(s, ']', len) ? "unexpected text after domain literal"
								   : "unterminated domain literal";
	}
	if (len > 6 && (s[1] | 0x20) == 'i' && (s[2] | 0x20) == 'p' && (s[3] | 0x20) == 'v' &&
		s[4] == '6' && s[5] == ':') {
		return ipv6_valid(s + 6, len - 7) ? NULL : "invalid IPv6 address literal";
	}
	return ipv4_valid(s + 1, len - 2) ? NULL : "invalid IPv4 address literal";
}

/* Why s is not a valid addr-spec, or NULL when it is. */
static const char *addr_spec_check(const char *s, size_t len, why_buf why)
{
	const char *reason = line_break_check(s, len);
	const char *at;
	size_t local_len;

	if (reason) {
		return reason;
	}
	if (len == 0) {
		return "empty address";
	}
	if (s[0] == '"') {
		size_t i = 1;

		while (i < len && s[i] != '"') {
			unsigned char c = (unsigned char)s[i];

			if (c == '\\' && i + 1 < len && (unsigned char)s[i + 1] >= 0x20 && s[i + 1] != 0x7f) {
				i++;
			} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
				return bad_char(why, sizeof(why_buf), s[i], "local part");
			}
			i += char_step(s + i, len - i);
		}
		if (i >= len) {
			return "unterminated quoted string";
		}
		if (i == 1) {
			return "empty local part";
		}
		local_len = i + 1;
		if (local_len == len) {
			return "missing '@'";
		}
		if (s[local_len] != '@') {
			return bad_char(why, sizeof(why_buf), s[local_len],
							"address after the quoted local part");
		}
	} else {
		at = memchr(s, '@', len);
		if (!at) {
			return "missing '@'";
		}
		local_len = (size_t)(at - s);
		if (local_len == 0) {
			return "empty local part";
		}
		if ((reason = dot_atom_check(s, local_len, 0, why)) != NULL) {
			return reason;
		}
	}
	if ((reason = domain_check(s + local_len + 1, len - local_len - 1, why)) != NULL) {
		return reason;
	}
	if (local_len > 64) {
		return "local part longer than 64 octets";
	}
	if (len > 254) {
		return "address longer than 254 octets";
	}
	return NULL;
}

int mailer_addr_spec_valid(const char *s, size_t len)
{
	why_buf why;

	return addr_spec_check(s, len, why) == NULL;
}

const char *mailer_address_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at ? at + 1 : NULL;
}

/* Steps over the quoted string at s[*i] (which is '"'); 0 when unterminated. */
static int skip_quoted(const char *s, size_t len, size_t *i)
{
	size_t j;

	for (j = *i + 1; j < len; j++) {
		if (s[j] == '\\') {
			j++;
		} else if (s[j] == '"') {
			*i = j + 1;
			return 1;
		}
	}
	return 0;
}

/* Steps over the (possibly nested) comment at s[*i]; 0 when unterminated. */
static int skip_comment(const char *s, size_t len, size_t *i)
{
	size_t j, depth = 0;

	for (j = *i; j < len; j++) {
		if (s[j] == '\\') {
			j++;
		} else if (s[j] == '(') {
			depth++;
		} else if (s[j] == ')' && --depth == 0) {
			*i = j + 1;
			return 1;
		}
	}
	return 0;
}

/* Steps over whitespace and comments; returns 0 on an unterminated comment. */
static int skip_cfws(const char *s, size_t len, size_t *i)
{
	while (*i < len) {
		if (is_wsp(s[*i])) {
			(*i)++;
		} else if (s[*i] == '(') {
			if (!skip_comment(s, len, i)) {
				return 0;
			}
		} else {
			break;
		}
	}
	return 1;
}

/* The addr-spec with comments turned into spaces and surrounding whitespace
 * dropped; the structure scan has already checked quotes and comments. */
static void addr_strip(mailer_buf *out, const char *s, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		start = i;
		if (s[i] == '"') {
			if (!skip_quoted(s, len, &i)) {
				i = len; /* not reached: checked by the structure scan */
			}
			mailer_buf_append(out, s + start, i - start);
		} else if (s[i] == '(') {
			if (!skip_comment(s, len, &i)) {
				i = len;
			}
			mailer_buf_appendc(out, ' ');
		} else {
			mailer_buf_appendc(out, s[i++]);
		}
	}
	if (out->len == 0) {
		return;
	}
	start = 0;
	while (start < out->len && is_wsp(out->data[start])) {
		start++;
	}
	while (out->len > start && is_wsp(out->data[out->len - 1])) {
		out->len--;
	}
	memmove(out->data, out->data + start, out->len - start);
	out->len -= start;
	out->data[out->len] = '\0';
}

/* Decodes a display name (RFC 5322 phrase, plus "." as obs-phrase allows):
 * words joined by single spaces, quoted strings unquoted. */
static const char *phrase_parse(mailer_buf *out, const char *s, size_t len, why_buf why)
{
	size_t i = 0, words = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (is_wsp(s[i])) {
			i++;
		} else if (c == '(') {
			if (!skip_comment(s, len, &i)) {
				return "unterminated comment";
			}
		} else if (c == '"' || is_atext(c) || c == '.') {
			if (words++) {
				mailer_buf_appendc(out, ' ');
			}
			if (c != '"') {
				while (i < len && (is_atext((unsigned char)s[i]) || s[i] == '.')) {
					mailer_buf_appendc(out, s[i++]);
				}
				continue;
			}
			for (i++; i < len && s[i] != '"'; i++) {
				c = (unsigned char)s[i];
				if (c == '\\' && i + 1 < len) {
					c = (unsigned char)s[++i];
				}
				if ((c < 0x20 && c != '\t') || c == 0x7f) {
					return bad_char(why, sizeof(why_buf), (char)c, "display name");
				}
				mailer_buf_appendc(out, (char)c);
			}
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			return bad_char(why, sizeof(why_buf), s[i], "display name");
		} else {
			snprintf(why, sizeof(why_buf), "unexpected '%c' in display name (quote the name)", c);
			return why;
		}
	}
	return NULL;
}

/* Finds the top-level "<...>" of a name-addr: *lt and *gt stay NONE for a bare addr-spec. */
static const char *mailbox_scan(const char *s, size_t len, size_t *lt, size_t *gt)
{
	size_t i = 0;

	*lt = *gt = NONE;
	while (i < len) {
		switch (s[i]) {
		case '"':
			if (!skip_quoted(s, len, &i)) {
				return "unterminated quoted string";
			}
			continue;
		case '(':
			if (!skip_comment(s, len, &i)) {
				return "unterminated comment";
			}
			continue;
		case ')':
			return "unbalanced ')'";
		case '>':
			return *lt == NONE ? "'>' without '<'" : "unexpected '>'";
		case '<':
			if (*lt != NONE) {
				return "unexpected '<'";
			}
			*lt = i++;
			while (i < len && s[i] != '>') {
				if (s[i] == '"') {
					if (!skip_quoted(s, len, &i)) {
						return "unterminated quoted string";
					}
				} else if (s[i] == '(') {
					if (!skip_comment(s, len, &i)) {
						return "unterminated comment";
					}
				} else if (s[i] == '<') {
					return "unexpected '<'";
				} else {
					i++;
				}
			}
			if (i == len) {
				return "missing '>'";
			}
			*gt = i++;
			if (!skip_cfws(s, len, &i)) {
				return "unterminated comment";
			}
			if (i < len) {
				return "unexpected text after '>'";
			}
			continue;
		default:
			i++;
		}
	}
	return NULL;
}

mailer_status mailer_address_parse_one(mailer_address_list *l, const char *s, size_t len,
									   mailer_error *err)
{
	mailer_buf name, addr;
	why_buf why;
	const char *reason;
	size_t lt = NONE, gt = NONE;

	mailer_buf_init(&name);
	mailer_buf_init(&addr);
	reason = line_break_check(s, len);
	if (!reason) {
		reason = mailbox_scan(s, len, &lt, &gt);
	}
	if (!reason) {
		if (lt == NONE) {
			addr_strip(&addr, s, len);
			reason = addr.len ? addr_spec_check(addr.data, addr.len, why) : "empty address";
		} else {
			addr_strip(&addr, s + lt + 1, gt - lt - 1);
			reason = addr.len ? addr_spec_check(addr.data, addr.len, why)
							  : "no address between '<' and '>'";
			if (!reason) {
				reason = phrase_parse(&name, s, lt, why);
			}
		}
	}
	if (reason) {
		mailer_buf_free(&name);
		mailer_buf_free(&addr);
		return fail(err, "address", s, len, reason);
	}
	list_push(l, &name, &addr);
	mailer_buf_free(&name);
	return MAILER_OK;
}

mailer_status mailer_address_parse_list(mailer_address_list *l, const char *s, size_t len,
										mailer_error *err)
{
	size_t old_count = l->count, start = 0, i = 0, end, j;
	int angle = 0;

	while (i <= len) {
		if (i < len && s[i] != ',') {
			if (s[i] == '"') {
				if (!skip_quoted(s, len, &i)) {
					i = len; /* the element reports it */
				}
			} else if (s[i] == '(') {
				if (!skip_comment(s, len, &i)) {
					i = len;
				}
			} else {
				angle = s[i] == '<' ? 1 : (s[i] == '>' ? 0 : angle);
				i++;
			}
			continue;
		}
		if (i < len && angle) {
			i++;
			continue;
		}
		j = start;
		if (!skip_cfws(s, i, &j) || j < i) {
			end = i;
			while (end > j && is_wsp(s[end - 1])) {
				end--;
			}
			if (mailer_address_parse_one(l, s + j, end - j, err) != MAILER_OK) {
				list_truncate(l, old_count);
				return MAILER_FAIL;
			}
		}
		start = ++i;
	}
	if (l->count == old_count) {
		return fail(err, "address list", s, len, "no address");
	}
	return MAILER_OK;
}

mailer_status mailer_address_list_to_alabels(mailer_address_list *l)
{
	size_t i;
	const char *addr, *at, *p;
	mailer_buf b;

	for (i = 0; i < l->count; i++) {
		addr = l->items[i].addr;
		at = strrchr(addr, '@');
		if (!at || mailer_is_ascii(at + 1)) {
			continue;
		}
		for (p = addr; p < at && (unsigned char)*p < 0x80; p++) {
		}
		if (p < at) {
			continue; /* a UTF-8 local part needs SMTPUTF8 anyway: keep the U-labels */
		}
		mailer_buf_init(&b);
		mailer_buf_append(&b, addr, (size_t)(at - addr) + 1);
		/* A-labels are longer than the U-labels they replace: the address
		 * must still fit RFC 5321's limit, or it would fail on the wire */
		if (mailer_idna_to_ascii(at + 1, strlen(at + 1), &b) != MAILER_OK || b.len > 254) {
			mailer_buf_free(&b);
			return MAILER_FAIL;
		}
		mailer_free(l->items[i].addr);
		l->items[i].addr = mailer_buf_detach(&b, NULL);
	}
	return MAILER_OK;
}

void mailer_address_list_copy_alabels(const mailer_address_list *l, mailer_address_list *out)
{
	mailer_address_list one;
	size_t i;

	mailer_address_list_init(out);
	out->items = l->count ? mailer_calloc(l->count, sizeof(*out->items)) : NULL;
	for (i = 0; i < l->count; i++) {
		one.items = &out->items[i];
		one.count = 1;
		out->items[i].name = l->items[i].name ? mailer_strdup(l->items[i].name) : NULL;
		out->items[i].addr = mailer_strdup(l->items[i].addr);
		out->count++;
		mailer_address_list_to_alabels(&one);
	}
}
