# `make test` in a phpize build (config.m4 adds this fragment only there).
# PHP's rule runs the tests under `php -n` with extension_dir pointed at modules/, which holds
# only this module: a test then cannot dl() a shared PHP extension it needs (the Symfony bridge
# tests load mbstring, intl, iconv and ctype). This keeps PHP's own extension_dir, given after
# modules/ on run-tests' command line so it wins, and loads this module by its full path.
PHP_TEST_SHARED_EXTENSIONS = -d extension_dir=$(EXTENSION_DIR) -d extension=$(phplibdir)/mailer.$(SHLIB_DL_SUFFIX_NAME)
