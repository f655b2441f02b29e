#!/usr/bin/env bash
# Installs the extension the ways users do, each from a clean export of the committed tree, and
# smoke-tests every installed copy:
#   1. package.xml is current (scripts/package.php --check), `pecl package` builds mailer-X.Y.Z.tgz
#      and `pecl install` builds and installs it;
#   2. composer.json is valid (`composer validate`), and the extension builds as PIE would from it:
#      phpize, configure with every option composer.json declares, make, make install;
#   3. config.w32 mirrors config.m4 (scripts/check-w32.js, with node);
#   4. src/core compiles for 64-bit Windows with MinGW-w64 (-Werror).
# Prints "package: N passed, N failed" and exits non-zero on any failure. Needs root (it installs
# into PHP's extension directory) and the packages of scripts/deps.sh test, plus php-pear and composer.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }
ko() { failed=$((failed + 1)); echo "FAILED: $*"; }

for pkg in php-pear composer; do
	dpkg -s "$pkg" >/dev/null 2>&1 || need="${need:-} $pkg"
done
if [ -n "${need:-}" ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need >/dev/null 2>&1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mailer-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
extdir=$(php-config --extension-dir)

smoke() { # smoke WHAT: the installed module loads by name and reports its version
	local version info
	version=$(php -n -d extension=mailer -r 'echo Mailer::VERSION;' 2>&1)
	info=$(php -n -d extension=mailer --ri mailer 2>&1)
	if [ "$version" = "$(sed -n 's/#define PHP_MAILER_VERSION "\(.*\)"/\1/p' php_mailer.h)" ] &&
		[[ "$info" == *OpenSSL* ]]; then
		ok "$1: extension=mailer loads, version $version"
	else
		ko "$1: the installed module does not load: $version"
	fi
}

# 1. PECL
if php scripts/package.php --check; then ok "package.xml is up to date"; else ko "package.xml is out of date"; fi
mkdir -p "$work/pecl" && git archive HEAD | tar -x -C "$work/pecl"
cp package.xml "$work/pecl/"   # the checked one, identical to the committed file when current
if (cd "$work/pecl" && pecl package package.xml >"$work/pecl.log" 2>&1); then
	tgz=$(ls "$work"/pecl/mailer-*.tgz)
	ok "pecl package: $(basename "$tgz")"
	rm -f "$extdir/mailer.so"
	if pecl install -f "$tgz" </dev/null >"$work/pecl-install.log" 2>&1 && [ -f "$extdir/mailer.so" ]; then
		ok "pecl install $(basename "$tgz")"
		smoke "pecl"
	else
		ko "pecl install (log below)"; tail -20 "$work/pecl-install.log"
	fi
else
	ko "pecl package (log below)"; cat "$work/pecl.log"
fi

# 2. PIE: what `pie install` does with composer.json (phpize, configure with the declared options, make, make install)
if composer validate --no-check-publish --no-check-lock --no-interaction composer.json >"$work/composer.log" 2>&1; then
	ok "composer validate"
else
	ko "composer validate"; cat "$work/composer.log"
fi
mkdir -p "$work/pie" && git archive HEAD | tar -x -C "$work/pie"
options=$(php -r '$j = json_decode(file_get_contents("composer.json"), true);
	foreach ($j["php-ext"]["configure-options"] ?? [] as $o) echo "--", $o["name"], " ";')
rm -f "$extdir/mailer.so"
if (cd "$work/pie" && phpize && ./configure $options && make -j"$(nproc)" && make install) >"$work/pie.log" 2>&1; then
	ok "PIE-style build (configure $options)"
	smoke "pie"
else
	ko "PIE-style build (log below)"; tail -30 "$work/pie.log"
fi

# 3. Windows: config.w32 evaluated against stand-ins for configure.js (no Windows machine here)
command -v node >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs \
	</dev/null >/dev/null 2>&1
if out=$(node scripts/check-w32.js 2>&1); then
	ok "config.w32 mirrors config.m4: $(grep -c '^ok:' <<<"$out") checks"
	echo "$out" | sed 's/^/    /'
else
	ko "config.w32 (output below)"; echo "$out"
fi

# 4. Windows: the plain-C core compiled for 64-bit Windows (MinGW-w64 from Debian: LLP64 and the
# _WIN32 branches of src/core/util/portable.c; the PHP glue needs PHP's Windows headers, MSVC is not here)
dpkg -s gcc-mingw-w64-x86-64-win32 >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends gcc-mingw-w64-x86-64-win32 </dev/null >/dev/null 2>&1
if command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
	# OpenSSL's headers are the same on every platform but for the generated configuration
	mkdir -p "$work/ossl" && cp -r /usr/include/openssl "$work/ossl/" \
		&& cp /usr/include/"$(gcc -print-multiarch)"/openssl/* "$work/ossl/openssl/"
	win_failed=0 win_n=0
	for f in src/core/*/*.c; do
		win_n=$((win_n + 1))
		x86_64-w64-mingw32-gcc -std=c11 -D__USE_MINGW_ANSI_STDIO=1 -fsyntax-only -Wall -Wextra -Werror \
			-Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla -Wundef \
			-Isrc -I"$work/ossl" "$f" >>"$work/mingw.log" 2>&1 || win_failed=1
	done
	if [ "$win_failed" = 0 ]; then
		ok "src/core compiles for 64-bit Windows (MinGW-w64, -Werror): $win_n files"
	else
		ko "src/core for 64-bit Windows (MinGW-w64)"; head -40 "$work/mingw.log"
	fi
else
	ko "MinGW-w64 (gcc-mingw-w64-x86-64-win32) could not be installed"
fi

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
