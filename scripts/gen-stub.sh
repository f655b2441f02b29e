#!/bin/sh
# Regenerates stubs/mailer_arginfo.h from stubs/mailer.stub.php offline:
# gen_stub.php wants to download PHP-Parser; Debian's php-parser package serves instead.
set -eu
cd "$(dirname "$0")/.."
[ -d /usr/share/php/PhpParser ] || { apt-get install -y php-parser >/dev/null; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cp /usr/lib/php/*/build/gen_stub.php "$d"/
mkdir "$d/PHP-Parser-4.15.1"
ln -s /usr/share/php "$d/PHP-Parser-4.15.1/lib"
php "$d/gen_stub.php" stubs/mailer.stub.php
