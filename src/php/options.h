/* The Mailer constructor's options (options.c; the "dkim" option in dkim_options.c, "smime" in
 * smime_options.c). */
#ifndef PHP_MAILER_OPTIONS_H
#define PHP_MAILER_OPTIONS_H

#include "php.h"
#include "core/auth/sasl.h"
#include "core/session/hosts.h"
#include "core/session/session.h"

struct mailer_dkim_signer;
struct mailer_smime_config;

typedef struct php_mailer_options {
	mailer_tls_mode tls;
	zval context; /* the "context" option's snapshot (php_mailer_context_snapshot), or IS_UNDEF */
	zend_string *helo;
	/* timeout, auth, allow_insecure_auth, pipelining, chunking and partial go straight
	 * into the session's mailer_smtp_config (php_mailer_options_parse()) */
	zval debug_handler; /* IS_UNDEF when not given */
	zval auth_token;    /* the "auth_token" callable, IS_UNDEF when not given */
	bool
		debug_logger; /* debug_handler is a PSR-3 logger (Psr\Log\LoggerInterface), not a callable */
	zend_string *dsn_notify; /* NULL when not given */
	zend_string *dsn_ret;
	zend_string *dsn_envid;
	bool persistent;
	zend_string *pool; /* the "persistent" option's pool id, NULL when true or not given */
	struct mailer_dkim_signer *dkim; /* the "dkim" signers (keys loaded), NULL when not given */
	size_t dkim_count;
	struct mailer_smime_config *smime; /* the "smime" option (keys loaded), NULL when not given */
} php_mailer_options;

/* Throws and returns FAILURE on a bad option. arg_num is the options argument's position.
 * The session's settings (timeout, auth, ...) are filled in cfg, defaults included; its
 * hosts, helo and credentials are left alone. */
zend_result php_mailer_options_parse(HashTable *options, uint32_t arg_num, php_mailer_options *out,
									 mailer_smtp_config *cfg);
void php_mailer_options_free(php_mailer_options *opts);
/* The "auth_token" option with the constructor's user name and password: a ValueError
 * (FAILURE) when they do not fit together. */
zend_result php_mailer_auth_token_check(const php_mailer_options *opts, const zend_string *user,
										const zend_string *pass);
/* A mailer_token_fn (auth_token.c), ctx the options: calls the "auth_token" callable. */
mailer_status php_mailer_auth_token_fetch(void *ctx, int refresh, mailer_buf *out);
/* The "dkim" option (dkim_options.c): throws and returns FAILURE on a bad signer or key. */
zend_result php_mailer_dkim_option_parse(zval *value, uint32_t arg_num, php_mailer_options *out);
void php_mailer_dkim_option_free(php_mailer_options *opts);
/* The "smime" option (smime_options.c): throws and returns FAILURE on a bad certificate or key. */
zend_result php_mailer_smime_option_parse(zval *value, uint32_t arg_num, php_mailer_options *out);
void php_mailer_smime_option_free(php_mailer_options *opts);

#endif
