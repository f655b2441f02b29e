/* The "auth_token" option at work: the core asks for the OAuth2 token at each
 * authentication (mailer_smtp_config.token) and this calls the user's callable,
 * fn(bool $refresh): string. It runs during a send, so the Mailer is busy (re-entrant
 * calls get an Error), and whatever it throws (exit() included) stops the session
 * before the token would go out: the exception is the caller's. */
#include "php/options.h"
#include "zend_exceptions.h"

/* A token goes inside a SASL message framed by ^A and into a base64 line: a control
 * character would change the framing, and an empty token is no token. */
static bool token_ok(const zend_string *token)
{
	size_t i;

	if (ZSTR_LEN(token) == 0) {
		return false;
	}
	for (i = 0; i < ZSTR_LEN(token); i++) {
		unsigned char c = (unsigned char)ZSTR_VAL(token)[i];

		if (c < 0x20 || c == 0x7f) {
			return false;
		}
	}
	return true;
}

mailer_status php_mailer_auth_token_fetch(void *ctx, int refresh, mailer_buf *out)
{
	php_mailer_options *opts = ctx;
	zval fn, arg, rv;
	mailer_status rc = MAILER_FAIL;

	if (EG(exception)) {
		return MAILER_FAIL; /* PHP code earlier in the send (a debug handler) threw */
	}
	/* held for the call: nothing the callable does can free it under us */
	ZVAL_COPY(&fn, &opts->auth_token);
	ZVAL_BOOL(&arg, refresh);
	ZVAL_UNDEF(&rv);
	if (call_user_function(NULL, NULL, &fn, &rv, 1, &arg) == SUCCESS && !EG(exception) &&
		!Z_ISUNDEF(rv)) {
		if (Z_TYPE(rv) != IS_STRING) {
			/* the value is a secret, or could be: only its type is named */
			zend_type_error("Mailer: option \"auth_token\": the callable must return a string, %s "
							"returned",
							zend_zval_type_name(&rv));
		} else if (!token_ok(Z_STR(rv))) {
			zend_value_error("Mailer: option \"auth_token\": the callable returned an empty "
							 "token or one with control characters");
		} else {
			mailer_buf_append(out, Z_STRVAL(rv), Z_STRLEN(rv));
			rc = MAILER_OK;
		}
	}
	zval_ptr_dtor(&rv);
	zval_ptr_dtor(&fn);
	return rc;
}
