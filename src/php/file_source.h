/* Attachments from files: the core's mailer_source implemented on php_stream. */
#ifndef PHP_MAILER_FILE_SOURCE_H
#define PHP_MAILER_FILE_SOURCE_H

#include "php.h"
#include "core/util/source.h"

/* Checks now that path names a readable file (not a directory, not a remote
 * URL, inside open_basedir) without reading it, and makes a source that opens
 * it again for each pass. Plain paths are made absolute, so a later chdir()
 * does not change the file. On failure throws a ValueError about argument
 * arg_num and returns FAILURE. On success *src owns a context (freed by its
 * free op) and *basename is the file's name for the recipient (caller
 * releases). */
zend_result php_mailer_file_source_create(zend_string *path, uint32_t arg_num, mailer_source *src,
										  zend_string **basename);

#endif
