#include "persistent.h"
#include "zend_list.h"
#include "main/snprintf.h"
#include "main/spprintf.h"

#include <openssl/evp.h>

typedef struct php_mailer_pstate {
	int tls_active;
	size_t count;
	char **keywords; /* persistent memory, like everything here */
	char **params;
	uint64_t held_in; /* the request that holds the session, 0 when free */
} php_mailer_pstate;

static int le_mailer_pstate;
/* Requests served by this process: an entry held in an earlier request (one
 * that ended without letting go, e.g. after a fatal error) counts as free. */
ZEND_TLS uint64_t request_number;

static void pstate_free(php_mailer_pstate *st)
{
	size_t i;

	for (i = 0; i < st->count; i++) {
		pefree(st->keywords[i], 1);
		pefree(st->params[i], 1);
	}
	if (st->keywords) {
		pefree(st->keywords, 1);
		pefree(st->params, 1);
	}
	pefree(st, 1);
}

static ZEND_RSRC_DTOR_FUNC(pstate_dtor)
{
	if (res->ptr) {
		pstate_free(res->ptr);
		res->ptr = NULL;
	}
}

void php_mailer_persistent_minit(int module_number)
{
	le_mailer_pstate = zend_register_list_destructors_ex(NULL, pstate_dtor, "mailer persistent session", module_number);
}

void php_mailer_persistent_rinit(void)
{
	request_number++;
}

static zend_string *key_for(const char *id)
{
	return zend_string_concat2("mailer-session:", sizeof("mailer-session:") - 1, id, strlen(id));
}

static php_mailer_pstate *find(const char *id)
{
	zend_string *key = key_for(id);
	zend_resource *res = zend_hash_find_ptr(&EG(persistent_list), key);

	zend_string_release(key);
	return res && res->type == le_mailer_pstate ? res->ptr : NULL;
}

int php_mailer_persistent_available(const char *id)
{
	php_mailer_pstate *st = find(id);

	return st && st->held_in != request_number;
}

int php_mailer_persistent_held(const char *id)
{
	php_mailer_pstate *st = find(id);

	return st && st->held_in == request_number;
}

void php_mailer_persistent_take(const char *id, mailer_caps *caps, int *tls_active)
{
	php_mailer_pstate *st = find(id);
	size_t i;

	mailer_caps_free(caps);
	if (!st) {
		return;
	}
	st->held_in = request_number;
	*tls_active = st->tls_active;
	caps->items = st->count ? ecalloc(st->count, sizeof(*caps->items)) : NULL;
	for (i = 0; i < st->count; i++) {
		caps->items[i].keyword = estrdup(st->keywords[i]);
		caps->items[i].params = estrdup(st->params[i]);
	}
	caps->count = st->count;
	mailer_caps_update_flags(caps);
}

void php_mailer_persistent_store(const char *id, const mailer_caps *caps, int tls_active)
{
	php_mailer_pstate *st = pecalloc(1, sizeof(*st), 1);
	zend_string *key = key_for(id);
	size_t i;

	st->tls_active = tls_active;
	st->count = caps->count;
	if (caps->count) {
		st->keywords = pecalloc(caps->count, sizeof(char *), 1);
		st->params = pecalloc(caps->count, sizeof(char *), 1);
	}
	for (i = 0; i < caps->count; i++) {
		st->keywords[i] = pestrdup(caps->items[i].keyword, 1);
		st->params[i] = pestrdup(caps->items[i].params, 1);
	}
	st->held_in = request_number;
	zend_hash_del(&EG(persistent_list), key);
	/* this variant copies the key into persistent memory, as the list needs */
	zend_register_persistent_resource(ZSTR_VAL(key), ZSTR_LEN(key), st, le_mailer_pstate);
	zend_string_release(key);
}

void php_mailer_persistent_release(const char *id)
{
	php_mailer_pstate *st = find(id);

	if (st) {
		st->held_in = 0;
	}
}

void php_mailer_persistent_forget(const char *id)
{
	zend_string *key = key_for(id);

	zend_hash_del(&EG(persistent_list), key);
	zend_string_release(key);
}

char *php_mailer_persistent_id(const char *pool, const char *const *parts, size_t count)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char out[2 * 32 + 1];
	size_t j;

	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	for (j = 0; j < count; j++) {
		/* length-prefixed, so ("ab", "c") and ("a", "bc") differ */
		size_t n = strlen(parts[j]);
		EVP_DigestUpdate(md, &n, sizeof(n));
		EVP_DigestUpdate(md, parts[j], n);
	}
	EVP_DigestFinal_ex(md, digest, &len);
	EVP_MD_CTX_free(md);
	for (i = 0; i < len && i < 32; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * i] = '\0';
	{
		char *id = NULL;
		spprintf(&id, 0, "mailer:%s:%s", pool ? pool : "", out);
		return id;
	}
}
