#include "php/persistent.h"
#include "php/stream_io.h"
#include "zend_exceptions.h"
#include "zend_list.h"
#include "main/snprintf.h"
#include "main/spprintf.h"

#include <openssl/evp.h>

typedef struct php_mailer_pstate {
	char *id;      /* the persistent stream's id (persistent memory, like everything here) */
	zend_long pid; /* the process that opened the connection */
	bool busy;     /* set-up under way, replies owed or a transaction open */
	int tls_active;
	size_t count;
	char **keywords;
	char **params;
	uint64_t held_in; /* the request that holds the session, 0 when free */
} php_mailer_pstate;

static int le_mailer_pstate;
/* Requests served by this process: an entry held in an earlier request (one
 * that ended without letting go, e.g. after a fatal error) counts as free. */
ZEND_TLS uint64_t request_number;

static void pstate_free_caps(php_mailer_pstate *st)
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
	st->keywords = st->params = NULL;
	st->count = 0;
}

static ZEND_RSRC_DTOR_FUNC(pstate_dtor)
{
	php_mailer_pstate *st = res->ptr;

	if (!st) {
		return;
	}
	/* A forked child ending: PHP closes the pooled stream next (the list is
	 * destroyed in reverse order of insertion, and the stream was inserted
	 * before its state), and for TLS that writes a close_notify into the
	 * parent's session. Take the socket away from it first. */
	if (st->pid != php_mailer_pid()) {
		zend_resource *le = zend_hash_str_find_ptr(&EG(persistent_list), st->id, strlen(st->id));

		if (le && le->type == php_file_le_pstream() && le->ptr) {
			php_mailer_stream_silence(le->ptr);
		}
	}
	pstate_free_caps(st);
	pefree(st->id, 1);
	pefree(st, 1);
	res->ptr = NULL;
}

void php_mailer_persistent_minit(int module_number)
{
	le_mailer_pstate = zend_register_list_destructors_ex(
		NULL, pstate_dtor, "mailer persistent session", module_number);
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

php_mailer_psession php_mailer_persistent_state(const char *id)
{
	php_mailer_pstate *st = find(id);

	if (!st) {
		return PHP_MAILER_PSESSION_NONE;
	}
	/* in a forked child, "held" means held by the parent's object, inherited
	 * with it: that object abandons it when it is used */
	if (st->held_in == request_number) {
		return PHP_MAILER_PSESSION_HELD;
	}
	if (st->busy || st->pid != php_mailer_pid()) {
		return PHP_MAILER_PSESSION_UNUSABLE;
	}
	return PHP_MAILER_PSESSION_CLEAN;
}

void php_mailer_persistent_open(const char *id)
{
	php_mailer_pstate *st = pecalloc(1, sizeof(*st), 1), *old;
	zend_string *key = key_for(id);

	st->id = pestrdup(id, 1);
	st->pid = php_mailer_pid();
	st->busy = true;
	st->held_in = request_number;
	if ((old = find(id)) != NULL) {
		/* (callers forget the old state first) the stream under id is the new
		 * one now: the old state's destructor must not take its socket away */
		old->pid = st->pid;
	}
	zend_hash_del(&EG(persistent_list), key);
	/* this variant copies the key into persistent memory, as the list needs */
	zend_register_persistent_resource(ZSTR_VAL(key), ZSTR_LEN(key), st, le_mailer_pstate);
	zend_string_release(key);
}

void php_mailer_persistent_established(const char *id, const mailer_caps *caps, int tls_active)
{
	php_mailer_pstate *st = find(id);
	size_t i;

	if (!st) {
		return;
	}
	pstate_free_caps(st);
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
	st->busy = false;
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

void php_mailer_persistent_set_busy(const char *id, int busy)
{
	php_mailer_pstate *st = find(id);

	if (st) {
		st->busy = busy != 0;
	}
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

/* ---- the pool key ---- */

/* Arrays in a stream context are shallow (peer_fingerprint is the deepest),
 * and the snapshot already refused deeper ones: this only bounds the recursion. */
#define KEY_MAX_DEPTH 32

typedef struct key_entry {
	zend_ulong h;
	zend_string *key; /* NULL for an integer key */
	zval *value;
} key_entry;

static int key_entry_compare(const void *a, const void *b)
{
	const key_entry *x = a, *y = b;

	if (!x->key && !y->key) {
		zend_long xh = (zend_long)x->h, yh = (zend_long)y->h;

		return xh < yh ? -1 : xh > yh;
	}
	if (!x->key || !y->key) {
		return x->key ? 1 : -1; /* integer keys first */
	}
	return zend_binary_strcmp(ZSTR_VAL(x->key), ZSTR_LEN(x->key), ZSTR_VAL(y->key),
							  ZSTR_LEN(y->key));
}

void php_mailer_persistent_key_str(smart_str *key, const char *s, size_t len)
{
	uint64_t n = len;

	smart_str_appendc(key, 'S');
	smart_str_appendl(key, (const char *)&n, sizeof(n));
	smart_str_appendl(key, s, len);
}

void php_mailer_persistent_key_secret(smart_str *key, const char *s, size_t len)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(s, len, digest, &n, EVP_sha256(), NULL);
	smart_str_appendc(key, 'H');
	smart_str_appendl(key, (const char *)digest, n);
}

static void path_add(smart_str *path, const key_entry *e)
{
	if (e->key) {
		smart_str_appends(path, "[\"");
		smart_str_append(path, e->key);
		smart_str_appends(path, "\"]");
	} else {
		smart_str_appendc(path, '[');
		smart_str_append_long(path, (zend_long)e->h);
		smart_str_appendc(path, ']');
	}
}

static zend_result key_value(smart_str *key, zval *value, smart_str *path, int depth,
							 uint32_t arg_num, const char *what)
{
	ZVAL_DEREF(value);
	switch (Z_TYPE_P(value)) {
	case IS_NULL:
		smart_str_appendc(key, 'N');
		return SUCCESS;
	case IS_FALSE:
		smart_str_appendc(key, 'F');
		return SUCCESS;
	case IS_TRUE:
		smart_str_appendc(key, 'T');
		return SUCCESS;
	case IS_LONG: {
		int64_t n = (int64_t)Z_LVAL_P(value);
		smart_str_appendc(key, 'I');
		smart_str_appendl(key, (const char *)&n, sizeof(n));
		return SUCCESS;
	}
	case IS_DOUBLE: {
		double d = Z_DVAL_P(value);
		smart_str_appendc(key, 'D');
		smart_str_appendl(key, (const char *)&d, sizeof(d));
		return SUCCESS;
	}
	case IS_STRING:
		php_mailer_persistent_key_str(key, Z_STRVAL_P(value), Z_STRLEN_P(value));
		return SUCCESS;
	case IS_ARRAY: {
		HashTable *ht = Z_ARRVAL_P(value);
		uint32_t n = zend_hash_num_elements(ht), i = 0;
		key_entry *entries;
		zend_result rc = SUCCESS;
		zend_string *k;
		zend_ulong h;
		zval *v;

		if (depth >= KEY_MAX_DEPTH) {
			smart_str_0(path);
			zend_argument_value_error(arg_num,
									  "%s%s is nested more than %d levels deep, too deep "
									  "to compare for a persistent connection",
									  what, path->s ? ZSTR_VAL(path->s) : "", KEY_MAX_DEPTH);
			return FAILURE;
		}
		smart_str_appendc(key, 'A');
		smart_str_appendl(key, (const char *)&n, sizeof(n));
		entries = n ? safe_emalloc(n, sizeof(*entries), 0) : NULL;
		ZEND_HASH_FOREACH_KEY_VAL(ht, h, k, v) {
			entries[i].h = h;
			entries[i].key = k;
			entries[i].value = v;
			i++;
		}
		ZEND_HASH_FOREACH_END();
		if (n > 1) {
			qsort(entries, n, sizeof(*entries), key_entry_compare);
		}
		for (i = 0; i < n && rc == SUCCESS; i++) {
			size_t path_len = path->s ? ZSTR_LEN(path->s) : 0;

			if (entries[i].key) {
				zend_string *name = entries[i].key;

				php_mailer_persistent_key_str(key, ZSTR_VAL(name), ZSTR_LEN(name));
			} else {
				int64_t ik = (int64_t)(zend_long)entries[i].h;
				smart_str_appendc(key, 'I');
				smart_str_appendl(key, (const char *)&ik, sizeof(ik));
			}
			path_add(path, &entries[i]);
			rc = key_value(key, entries[i].value, path, depth + 1, arg_num, what);
			if (path->s) {
				ZSTR_LEN(path->s) = path_len;
			}
		}
		if (entries) {
			efree(entries);
		}
		return rc;
	}
	default:
		/* an object's identity or state says nothing reliable about the
		 * connection it would give: two Mailers could not be told apart */
		smart_str_0(path);
		zend_argument_value_error(arg_num,
								  "%s%s is %s %s, which a persistent connection cannot "
								  "compare (the pool key covers the whole configuration); "
								  "give a scalar or an array, or leave \"persistent\" off",
								  what, path->s ? ZSTR_VAL(path->s) : "",
								  Z_TYPE_P(value) == IS_OBJECT ? "an object of class" : "a",
								  Z_TYPE_P(value) == IS_OBJECT ? ZSTR_VAL(Z_OBJCE_P(value)->name)
															   : zend_zval_type_name(value));
		return FAILURE;
	}
}

zend_result php_mailer_persistent_key_zval(smart_str *key, zval *value, uint32_t arg_num,
										   const char *what)
{
	smart_str path = {0};
	zend_result rc = key_value(key, value, &path, 0, arg_num, what);

	smart_str_free(&path);
	return rc;
}

char *php_mailer_persistent_id(const char *pool, const smart_str *key)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char out[2 * 32 + 1];
	char *id = NULL;

	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	if (key->s) {
		EVP_DigestUpdate(md, ZSTR_VAL(key->s), ZSTR_LEN(key->s));
	}
	EVP_DigestFinal_ex(md, digest, &len);
	EVP_MD_CTX_free(md);
	for (i = 0; i < len && i < 32; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * i] = '\0';
	spprintf(&id, 0, "mailer:%s:%s", pool ? pool : "", out);
	return id;
}
