/* php-mailer: the module's header. */
#ifndef PHP_MAILER_H
#define PHP_MAILER_H

extern zend_module_entry mailer_module_entry;
#define phpext_mailer_ptr &mailer_module_entry

#define PHP_MAILER_VERSION "0.1.0"

#if defined(ZTS) && defined(COMPILE_DL_MAILER)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

PHP_MINIT_FUNCTION(mailer);
PHP_RINIT_FUNCTION(mailer);
PHP_MINFO_FUNCTION(mailer);

#endif
