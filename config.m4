dnl config.m4 for extension mailer

PHP_ARG_ENABLE([mailer],
  [whether to enable mailer support],
  [AS_HELP_STRING([--enable-mailer], [Enable the mailer extension (SMTP client)])])

PHP_ARG_ENABLE([mailer-dev],
  [whether to build mailer with strict developer warnings],
  [AS_HELP_STRING([--enable-mailer-dev], [mailer: compile with -Wall -Wextra -Werror and more (for developers)])],
  [no], [no])

if test "$PHP_MAILER" != "no"; then
  dnl libcrypto: HMAC for CRAM-MD5, random Message-IDs, DKIM.
  PKG_CHECK_MODULES([OPENSSL], [libcrypto >= 1.1.1], [
    PHP_EVAL_INCLINE($OPENSSL_CFLAGS)
    PHP_EVAL_LIBLINE($OPENSSL_LIBS, MAILER_SHARED_LIBADD)
  ], [
    PHP_SETUP_OPENSSL(MAILER_SHARED_LIBADD, [], [
      AC_MSG_ERROR([mailer needs OpenSSL's libcrypto (install libssl-dev)])
    ])
  ])
  PHP_SUBST(MAILER_SHARED_LIBADD)

  MAILER_CFLAGS="-DZEND_ENABLE_STATIC_TSRMLS_CACHE=1"
  if test "$PHP_MAILER_DEV" != "no"; then
    MAILER_CFLAGS="$MAILER_CFLAGS -Wall -Wextra -Wno-unused-parameter -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wimplicit-fallthrough -Wvla -Wwrite-strings -Wpointer-arith -Wundef -Wcast-align"
    dnl The strict flags judge our code. PHP's own headers are read as system headers, whose
    dnl warnings are not reported: PHP 8.6's trip -Wundef and -Wshadow. (phpize builds only:
    dnl INCLUDES is php-config --includes there.)
    for mailer_inc in $INCLUDES; do
      case "$mailer_inc" in
        -I*) MAILER_CFLAGS="$MAILER_CFLAGS -isystem `echo "$mailer_inc" | sed 's/^-I//'`" ;;
      esac
    done
  fi

  dnl src/core, one folder per layer (scripts/check-includes.py checks which may include which)
  MAILER_CORE_SOURCES="src/core/util/portable.c src/core/util/buf.c src/core/util/sink.c \
    src/core/util/error.c src/core/util/utf8.c src/core/util/idna.c src/core/util/base64.c \
    src/core/util/dotstuff.c src/core/util/producer.c \
    src/core/mime/address.c src/core/mime/header.c src/core/mime/qp.c \
    src/core/mime/mimetype.c src/core/mime/mime.c src/core/mime/mime_reader.c \
    src/core/mime/message.c src/core/mime/date.c src/core/mime/fields.c \
    src/core/auth/sasl.c src/core/auth/plain.c src/core/auth/login.c src/core/auth/cram_md5.c \
    src/core/auth/scram.c src/core/auth/xoauth2.c src/core/auth/oauthbearer.c \
    src/core/session/reply.c src/core/session/caps.c src/core/session/hosts.c \
    src/core/session/body.c \
    src/core/session/session.c src/core/session/wire.c src/core/session/driver.c src/core/session/flight.c src/core/session/setup.c src/core/session/auth.c src/core/session/txn.c \
    src/core/crypto/pem.c \
    src/core/dkim/dkim.c src/core/dkim/canon.c src/core/dkim/key.c \
    src/core/send/envelope.c src/core/send/pipeline.c src/core/send/batch.c \
    src/core/smime/keys.c src/core/smime/spool.c src/core/smime/cms.c src/core/smime/smime.c"
  MAILER_PHP_SOURCES="src/php/alloc.c src/php/exceptions.c src/php/stream_io.c src/php/options.c \
    src/php/persistent.c src/php/mailer_class.c src/php/compose.c src/php/file_source.c \
    src/php/message_class.c src/php/dkim_options.c src/php/auth_token.c src/php/smime_options.c \
    src/php/send_many.c src/php/result_class.c src/php/pem_text.c"

  PHP_NEW_EXTENSION(mailer, src/mailer.c $MAILER_CORE_SOURCES $MAILER_PHP_SOURCES, $ext_shared,, $MAILER_CFLAGS)
  PHP_ADD_BUILD_DIR([$ext_builddir/src])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/util])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/mime])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/auth])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/session])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/crypto])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/dkim])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/send])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core/smime])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/php])
  dnl Includes are written from src/ ("core/mime/header.h", "php/compose.h"); the top directory
  dnl holds php_mailer.h and stubs/.
  PHP_ADD_INCLUDE([$ext_srcdir])
  PHP_ADD_INCLUDE([$ext_srcdir/src])
  dnl phpize builds only ($ext_builddir is "." there, as in PHP_NEW_EXTENSION): make test
  dnl keeps PHP's extension_dir (see Makefile.frag).
  if test "$ext_builddir" = "."; then
    PHP_ADD_MAKEFILE_FRAGMENT([$ext_srcdir/Makefile.frag])
  fi
fi
