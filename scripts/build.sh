#!/usr/bin/env bash
# Builds the extension in the repository and smoke-loads it.
#
#   bash scripts/build.sh           phpize + ./configure --enable-mailer + make
#   bash scripts/build.sh --dev     ... --enable-mailer-dev (strict warnings, -Werror); same as MAILER_DEV=1
#
# Reruns phpize/configure only when needed (no configure yet, config.m4 changed, other flags);
# otherwise just make. Quiet on success; on failure prints the end of the log. Then checks that
# `php -n -d extension=modules/mailer.so` loads it (--re) and reports its version (--ri).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

dev="${MAILER_DEV:-0}"
for arg in "$@"; do
	case "$arg" in
	--dev) dev=1 ;;
	*) echo "usage: $0 [--dev]" >&2; exit 2 ;;
	esac
done

flags="--enable-mailer"
[ "$dev" = 1 ] && flags="$flags --enable-mailer-dev"

log=$(mktemp "${TMPDIR:-/tmp}/mailer-build.XXXXXX")
trap 'rm -f "$log"' EXIT

step() { # step NAME CMD...: runs CMD into the log; on failure shows the log's end and exits
	local name=$1
	shift
	if ! "$@" >>"$log" 2>&1; then
		echo "build: $name failed:" >&2
		# Compiler diagnostics first (make -j interleaves them with long libtool lines), then the end.
		grep -E -A4 '(error|warning):' "$log" | head -n 80 >&2
		echo "build: last lines of the $name log:" >&2
		tail -n 25 "$log" >&2
		exit 1
	fi
}

if [ ! -x configure ] || [ config.m4 -nt configure ]; then
	step phpize phpize
	rm -f config.status
fi
# config.status --config prints the arguments configure last ran with.
if [ ! -x config.status ] || [ "$(./config.status --config 2>/dev/null)" != "$flags" ] \
	|| [ configure -nt config.status ] || [ ! -f Makefile ]; then
	# shellcheck disable=SC2086 # two plain words
	step configure ./configure $flags
	# Objects built with other flags must not survive a flag change.
	step "make clean" make clean
fi
step make make -j"$(nproc)"

so="$root/modules/mailer.so"
[ -f "$so" ] || { echo "build: $so is missing after make" >&2; exit 1; }

# Smoke test: a stub method without its PHP_METHOD links but refuses to load.
if ! out=$(php -n -d display_startup_errors=1 -d extension="$so" --re mailer 2>&1) \
	|| grep -qiE 'warning|error' <<<"$(php -n -d display_startup_errors=1 -d extension="$so" -r '' 2>&1)"; then
	echo "build: $so does not load:" >&2
	php -n -d display_startup_errors=1 -d extension="$so" -r '' >&2 || true
	echo "$out" | head -n 20 >&2
	exit 1
fi
version=$(sed -n 's/^#define PHP_MAILER_VERSION "\(.*\)"/\1/p' php_mailer.h)
info=$(php -n -d extension="$so" --ri mailer 2>&1) || true
if ! grep -q "^Version => $version\$" <<<"$info"; then
	echo "build: php --ri mailer does not report version $version:" >&2
	echo "$info" >&2
	exit 1
fi
echo "build: modules/mailer.so $version ok ($( [ "$dev" = 1 ] && echo 'dev flags' || echo 'release flags'))"
