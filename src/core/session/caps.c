#include "core/session/caps.h"
#include "core/util/alloc.h"
#include "core/util/portable.h"

#include <string.h>

void mailer_caps_init(mailer_caps *caps)
{
	caps->items = NULL;
	caps->count = 0;
	caps->flags = 0;
}

void mailer_caps_free(mailer_caps *caps)
{
	size_t i;

	for (i = 0; i < caps->count; i++) {
		mailer_free(caps->items[i].keyword);
		mailer_free(caps->items[i].params);
	}
	mailer_free(caps->items);
	mailer_caps_init(caps);
}

static char ascii_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static int is_keyword_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static void caps_add(mailer_caps *caps, const char *kw, size_t kw_len, const char *params,
					 size_t params_len)
{
	mailer_cap *cap;
	size_t i;

	for (i = 0; i < caps->count; i++) {
		if (strlen(caps->items[i].keyword) == kw_len &&
			mailer_ascii_ncasecmp(caps->items[i].keyword, kw, kw_len) == 0) {
			return; /* first one wins, e.g. "AUTH PLAIN" before an old "AUTH=PLAIN" */
		}
	}
	caps->items = mailer_realloc(caps->items, (caps->count + 1) * sizeof(*caps->items));
	cap = &caps->items[caps->count++];
	cap->keyword = mailer_strndup(kw, kw_len);
	for (i = 0; i < kw_len; i++) {
		cap->keyword[i] = ascii_upper(cap->keyword[i]);
	}
	cap->params = mailer_strndup(params, params_len);
}

void mailer_caps_parse(mailer_caps *caps, const mailer_reply *ehlo)
{
	size_t i, kw_len;
	const char *text, *params;
	size_t len;

	mailer_caps_free(caps);
	for (i = 1; mailer_reply_line(ehlo, i, &text, &len); i++) {
		kw_len = 0;
		while (kw_len < len && is_keyword_char(text[kw_len])) {
			kw_len++;
		}
		if (kw_len == 0) {
			continue;
		}
		params = text + kw_len;
		len -= kw_len;
		/* old servers write "AUTH=LOGIN PLAIN" */
		if (len && (params[0] == ' ' || params[0] == '=')) {
			params++;
			len--;
		} else if (len) {
			continue; /* not a keyword line */
		}
		while (len && (params[len - 1] == ' ' || params[len - 1] == '\t')) {
			len--;
		}
		caps_add(caps, text, kw_len, params, len);
	}
	mailer_caps_update_flags(caps);
}

void mailer_caps_update_flags(mailer_caps *caps)
{
	static const struct {
		const char *keyword;
		unsigned flag;
	} known[] = {
		{"PIPELINING", MAILER_CAP_PIPELINING},
		{"CHUNKING", MAILER_CAP_CHUNKING},
		{"SIZE", MAILER_CAP_SIZE},
		{"8BITMIME", MAILER_CAP_8BITMIME},
		{"SMTPUTF8", MAILER_CAP_SMTPUTF8},
		{"DSN", MAILER_CAP_DSN},
	};
	size_t i;

	caps->flags = 0;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (mailer_caps_has(caps, known[i].keyword)) {
			caps->flags |= known[i].flag;
		}
	}
}

const char *mailer_caps_get(const mailer_caps *caps, const char *keyword)
{
	size_t i, n = strlen(keyword);

	for (i = 0; i < caps->count; i++) {
		if (strlen(caps->items[i].keyword) == n &&
			mailer_ascii_ncasecmp(caps->items[i].keyword, keyword, n) == 0) {
			return caps->items[i].params;
		}
	}
	return NULL;
}

int mailer_caps_has(const mailer_caps *caps, const char *keyword)
{
	return mailer_caps_get(caps, keyword) != NULL;
}

int mailer_caps_has_auth(const mailer_caps *caps, const char *mechanism)
{
	const char *p = mailer_caps_get(caps, "AUTH");
	size_t n = strlen(mechanism), w;

	if (!p) {
		return 0;
	}
	while (*p) {
		while (*p == ' ') {
			p++;
		}
		w = strcspn(p, " ");
		if (w == n && mailer_ascii_ncasecmp(p, mechanism, n) == 0) {
			return 1;
		}
		p += w;
	}
	return 0;
}
