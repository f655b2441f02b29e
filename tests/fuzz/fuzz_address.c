/* The RFC 5322 address parser: the input is what a user passes as From, To or
 * Cc ("a@x.org", "Name <a@x.org>", a comma-separated list...). */
#include "core/mime/address.h"
#include "fuzz.h"
#include "core/mime/header.h"
#include "core/util/idna.h"
#include "core/util/utf8.h"

#include <string.h>

/* What every parsed mailbox promises the header writer and the envelope. */
static void check_list(const mailer_address_list *l, size_t from)
{
	size_t i;

	for (i = from; i < l->count; i++) {
		const mailer_address *a = &l->items[i];

		FUZZ_CHECK(a->addr != NULL && mailer_addr_spec_valid(a->addr, strlen(a->addr)));
		FUZZ_CHECK(mailer_address_domain(a->addr) != NULL);
		FUZZ_CHECK(a->name == NULL ||
				   (a->name[0] && mailer_header_value_valid(a->name, strlen(a->name))));
	}
}

static int is_ascii_n(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80) {
			return 0;
		}
	}
	return 1;
}

/* A-labels for the envelope of a server without SMTPUTF8: an address with an
 * ASCII local part comes out all ASCII, and still an address. */
static void check_alabels(mailer_address_list *l, size_t from)
{
	size_t i;

	if (mailer_address_list_to_alabels(l) != MAILER_OK) {
		return;
	}
	for (i = from; i < l->count; i++) {
		const char *addr = l->items[i].addr, *at = strrchr(addr, '@');
		size_t j;

		for (j = 0; addr + j < at && (unsigned char)addr[j] < 0x80; j++) {
		}
		if (addr + j == at) {
			FUZZ_CHECK(mailer_is_ascii(addr));
		}
		FUZZ_CHECK(mailer_addr_spec_valid(addr, strlen(addr)));
	}
}

/* The input as a domain, label by label: an ASCII label is kept as it is, any
 * other becomes an ASCII "xn--" label of at most 63 octets. */
static void check_idna(const char *s, size_t len)
{
	const char *in = s, *in_end = s + len, *out, *out_end;
	mailer_buf b;

	mailer_buf_init(&b);
	if (mailer_idna_to_ascii(s, len, &b) == MAILER_OK) {
		FUZZ_CHECK(mailer_utf8_valid(s, len));
		out = mailer_buf_cstr(&b);
		out_end = out + b.len;
		for (;;) {
			const char *in_dot = memchr(in, '.', (size_t)(in_end - in)), *out_dot;
			size_t in_len, out_len;

			in_dot = in_dot ? in_dot : in_end;
			out_dot = memchr(out, '.', (size_t)(out_end - out));
			out_dot = out_dot ? out_dot : out_end;
			in_len = (size_t)(in_dot - in);
			out_len = (size_t)(out_dot - out);
			if (is_ascii_n(in, in_len)) {
				FUZZ_CHECK(in_len == out_len && memcmp(in, out, in_len) == 0);
			} else {
				FUZZ_CHECK(out_len > 4 && out_len <= 63 && memcmp(out, "xn--", 4) == 0);
				FUZZ_CHECK(is_ascii_n(out, out_len));
			}
			if (in_dot == in_end) {
				FUZZ_CHECK(out_dot == out_end);
				break;
			}
			FUZZ_CHECK(out_dot != out_end);
			in = in_dot + 1;
			out = out_dot + 1;
		}
	}
	mailer_buf_free(&b);
}

static void check_failure(const mailer_address_list *l, size_t before, const mailer_error *err)
{
	FUZZ_CHECK(l->count == before); /* all or nothing */
	FUZZ_CHECK(err->kind == MAILER_ERR_INVALID && err->message && err->message[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t live = fuzz_alloc_live(), before;
	mailer_address_list l;
	mailer_error err;
	int valid;

	mailer_address_list_init(&l);
	mailer_error_init(&err);
	/* a list that already holds one mailbox, as when To and Cc are merged */
	FUZZ_CHECK(mailer_address_parse_one(&l, "first@example.org", 17, &err) == MAILER_OK);
	before = l.count;
	if (mailer_address_parse_list(&l, s, size, &err) == MAILER_OK) {
		FUZZ_CHECK(l.count > before);
		check_list(&l, before);
		check_alabels(&l, before);
	} else {
		check_failure(&l, before, &err);
	}
	mailer_error_clear(&err);
	before = l.count;
	if (mailer_address_parse_one(&l, s, size, &err) == MAILER_OK) {
		FUZZ_CHECK(l.count == before + 1);
		check_list(&l, before);
	} else {
		check_failure(&l, before, &err);
	}
	mailer_error_clear(&err);
	check_idna(s, size);
	valid = mailer_addr_spec_valid(s, size);
	if (valid) {
		/* an addr-spec is also a mailbox, and the same one */
		before = l.count;
		FUZZ_CHECK(mailer_address_parse_one(&l, s, size, &err) == MAILER_OK);
		FUZZ_CHECK(l.count == before + 1 && l.items[before].name == NULL);
		FUZZ_CHECK(strlen(l.items[before].addr) == size &&
				   memcmp(l.items[before].addr, s, size) == 0);
		FUZZ_CHECK(size <= 254);
	}
	mailer_error_clear(&err);
	mailer_address_list_free(&l);
	FUZZ_CHECK_NO_LEAK(live);
	return 0;
}
