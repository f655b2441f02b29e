/* php-mailer: module entry, class registration and phpinfo. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "ext/standard/info.h"
#include "ext/spl/spl_exceptions.h"
#include "zend_attributes.h"
#include "php_mailer.h"
#include "php/classes.h"
#include "php/result_class.h"
#include "stubs/mailer_arginfo.h"
#include "php/persistent.h"

#include <openssl/opensslv.h>
#include <openssl/crypto.h>

void php_mailer_register_handlers(zend_class_entry *ce);
void php_mailer_message_register_handlers(zend_class_entry *ce);

PHP_MINIT_FUNCTION(mailer)
{
	php_mailer_register_handlers(register_class_Mailer());
	php_mailer_message_register_handlers(register_class_Mailer_Message());
	php_mailer_exception_ce = register_class_Mailer_Exception(spl_ce_RuntimeException);
	php_mailer_connection_exception_ce =
		register_class_Mailer_ConnectionException(php_mailer_exception_ce);
	php_mailer_authentication_exception_ce =
		register_class_Mailer_AuthenticationException(php_mailer_exception_ce);
	php_mailer_recipient_exception_ce =
		register_class_Mailer_RecipientException(php_mailer_exception_ce);
	php_mailer_result_ce = register_class_Mailer_Result();
	php_mailer_persistent_minit(module_number);
	return SUCCESS;
}

PHP_RINIT_FUNCTION(mailer)
{
#if defined(ZTS) && defined(COMPILE_DL_MAILER)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	php_mailer_persistent_rinit();
	return SUCCESS;
}

PHP_MINFO_FUNCTION(mailer)
{
	php_info_print_table_start();
	php_info_print_table_row(2, "mailer support", "enabled");
	php_info_print_table_row(2, "Version", PHP_MAILER_VERSION);
	php_info_print_table_row(2, "OpenSSL (built with)", OPENSSL_VERSION_TEXT);
	php_info_print_table_row(2, "OpenSSL (running)", OpenSSL_version(OPENSSL_VERSION));
	php_info_print_table_row(2, "TLS", "STARTTLS, implicit TLS (through PHP's OpenSSL streams)");
	php_info_print_table_row(2, "SASL mechanisms",
							 "SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN, XOAUTH2, OAUTHBEARER");
	php_info_print_table_row(
		2, "ESMTP", "PIPELINING, CHUNKING, SIZE, 8BITMIME, SMTPUTF8, DSN, ENHANCEDSTATUSCODES");
	php_info_print_table_row(2, "DKIM", "rsa-sha256, ed25519-sha256");
	php_info_print_table_row(
		2, "S/MIME", "sign (multipart/signed, sha-256), encrypt (aes-256-gcm, aes-256-cbc)");
	php_info_print_table_end();
}

zend_module_entry mailer_module_entry = {STANDARD_MODULE_HEADER_EX,
										 NULL,
										 NULL,
										 "mailer",
										 NULL,
										 PHP_MINIT(mailer),
										 NULL,
										 PHP_RINIT(mailer),
										 NULL,
										 PHP_MINFO(mailer),
										 PHP_MAILER_VERSION,
										 STANDARD_MODULE_PROPERTIES};

#ifdef COMPILE_DL_MAILER
#ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
#endif
ZEND_GET_MODULE(mailer)
#endif
