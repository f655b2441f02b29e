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

  MAILER_CORE_SOURCES="src/core/portable.c src/core/buf.c src/core/sink.c src/core/error.c src/core/reply.c src/core/caps.c \
    src/core/hosts.c src/core/sasl.c src/core/smtp.c src/core/smtp_wire.c src/core/smtp_auth.c src/core/smtp_txn.c src/core/scram.c src/core/idna.c src/core/base64.c src/core/qp.c src/core/dotstuff.c \
    src/core/address.c src/core/header.c src/core/mimetype.c src/core/mime.c src/core/message.c \
    src/core/dkim.c src/core/dkim_canon.c src/core/dkim_key.c"
  MAILER_PHP_SOURCES="src/php/alloc.c src/php/exceptions.c src/php/stream_io.c src/php/options.c src/php/persistent.c \
    src/php/mailer_class.c src/php/compose.c src/php/file_source.c src/php/message_class.c \
    src/php/dkim_options.c"

  PHP_NEW_EXTENSION(mailer, src/mailer.c $MAILER_CORE_SOURCES $MAILER_PHP_SOURCES, $ext_shared,, $MAILER_CFLAGS)
  PHP_ADD_BUILD_DIR([$ext_builddir/src])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/core])
  PHP_ADD_BUILD_DIR([$ext_builddir/src/php])
  PHP_ADD_INCLUDE([$ext_srcdir])
  PHP_ADD_INCLUDE([$ext_srcdir/src/core])
  PHP_ADD_INCLUDE([$ext_srcdir/src/php])
  dnl phpize builds only ($ext_builddir is "." there, as in PHP_NEW_EXTENSION): make test
  dnl keeps PHP's extension_dir (see Makefile.frag).
  if test "$ext_builddir" = "."; then
    PHP_ADD_MAKEFILE_FRAGMENT([$ext_srcdir/Makefile.frag])
  fi
fi
