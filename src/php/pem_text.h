/* The text of an option that takes PEM (a DKIM key, S/MIME certificates and
 * keys): the value itself when it holds PEM, else the local file it names,
 * read through PHP streams (open_basedir applies). The core loads the text. */
#ifndef PHP_MAILER_PEM_TEXT_H
#define PHP_MAILER_PEM_TEXT_H

#include "php.h"

/* How an option's PEM value is named in the errors, so that each option keeps
 * its own texts: with at "option \"dkim\"", name ": \"key\"" and file "the key
 * file", "option \"dkim\": \"key\" must be EXPECTED", "option \"dkim\": the key
 * file \"...\" is a directory". */
typedef struct php_mailer_pem_texts {
	const char *name;     /* after at where the value is judged: ": \"key\"", or "" */
	const char *expected; /* "a PEM private key or the path of one" */
	const char *file;     /* "the key file", "the file" */
	size_t max;           /* the largest file read, in bytes (whole KB) */
} php_mailer_pem_texts;

/* The PEM text of the value that at names ("option \"smime\": \"sign\" \"cert\""),
 * or NULL after throwing a ValueError. The caller releases it (with
 * php_mailer_wipe_release() when it holds a key). */
zend_string *php_mailer_pem_text(zend_string *value, uint32_t arg_num, const char *at,
								 const php_mailer_pem_texts *texts);

/* Releases s, wiping it first when this was its last reference (a key, a
 * passphrase). NULL is ignored. */
void php_mailer_wipe_release(zend_string *s);

#endif
