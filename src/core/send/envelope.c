#include "core/send/envelope.h"
#include "core/util/alloc.h"
#include "core/util/portable.h"

#include <string.h>

static void add_rcpt(mailer_send_envelope *e, const char *addr)
{
	size_t i;

	for (i = 0; i < e->env.rcpt_count; i++) {
		if (strlen(e->rcpts[i]) == strlen(addr) &&
			mailer_ascii_ncasecmp(e->rcpts[i], addr, strlen(addr)) == 0) {
			return;
		}
	}
	e->rcpts[e->env.rcpt_count++] = addr;
}

static void add_list(mailer_send_envelope *e, const mailer_address_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		add_rcpt(e, l->items[i].addr);
	}
}

static mailer_status start(mailer_send_envelope *e, const char *from, size_t total,
						   mailer_error *err)
{
	memset(e, 0, sizeof(*e));
	if (total == 0) {
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the message has no recipients");
	}
	e->env.from = from;
	e->rcpts = mailer_calloc(total, sizeof(*e->rcpts));
	e->env.rcpts = e->rcpts;
	return MAILER_OK;
}

mailer_status mailer_envelope_from_message(mailer_send_envelope *e, const mailer_message *m,
										   mailer_error *err)
{
	if (m->from.count == 0) {
		memset(e, 0, sizeof(*e));
		return mailer_error_set(err, MAILER_ERR_INVALID, MAILER_STAGE_NONE,
								"the message has no From address");
	}
	if (start(e, m->from.items[0].addr, m->to.count + m->cc.count + m->bcc.count, err) !=
		MAILER_OK) {
		return MAILER_FAIL;
	}
	add_list(e, &m->to);
	add_list(e, &m->cc);
	add_list(e, &m->bcc);
	e->env.utf8_headers = mailer_message_header_utf8(m);
	e->env.body_8bit = mailer_message_is_8bit(m);
	return MAILER_OK;
}

mailer_status mailer_envelope_from_lists(mailer_send_envelope *e, const char *from,
										 const mailer_address_list *to, const char *data,
										 size_t len, mailer_error *err)
{
	size_t i;

	if (start(e, from, to->count, err) != MAILER_OK) {
		return MAILER_FAIL;
	}
	add_list(e, to);
	/* the header is the caller's; its addresses are the envelope's, as a writer would put them */
	e->env.utf8_headers = mailer_address_field_utf8(to);
	if (*from) {
		mailer_address_list sender = {NULL, 0};
		mailer_address one = {NULL, (char *)from};

		sender.items = &one;
		sender.count = 1;
		e->env.utf8_headers |= mailer_address_field_utf8(&sender);
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)data[i] >= 0x80) {
			e->env.body_8bit = 1;
			break;
		}
	}
	return MAILER_OK;
}

void mailer_send_envelope_free(mailer_send_envelope *e)
{
	mailer_free(e->rcpts);
	memset(e, 0, sizeof(*e));
}
