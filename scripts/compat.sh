#!/usr/bin/env bash
# Builds and tests php-mailer on the other PHP versions Debian ships, each inside a throwaway
# Debian root made by debootstrap (root only; Debian's archive must answer):
#   8.4   Debian 13 (trixie) and its default PHP
#   8.5   Debian unstable, php8.5-* from experimental
#   8.6   Debian unstable, experimental's default PHP (a release candidate when this was written)
#   sid   Debian unstable's own PHP, for its frameworks: Symfony 7.4 and Laravel 13 (tests/bridge,
#         tests/frameworks, the Messenger fault test). The 8.4 root (Debian 13) runs the same with
#         Symfony 6.4 and Laravel 10 beside the whole suite; Debian 12's Symfony 5.4 is the host's.
# (PHP 8.2 is Debian 12's own and is what scripts/test.sh builds on the host.)
# PHP 8.1 and 8.3 are in no Debian release this archive carries, and no source of their headers
# is reachable here, so they cannot be built. For them, a narrower check (no root needed):
#   8.1   symbols: every PHP function modules/mailer.so (built on the host) calls is exported by
#   8.3   a real PHP 8.1 / 8.3 binary, from the npm registry (@libphp/amazon-linux-2-v81, -v83).
#         This catches an API that a newer PHP added (PHP 8.1 has no zend_string_toupper(), for
#         one); it cannot catch a changed macro or structure.
#
# Inside each root, the tracked files of this working tree are copied to /src/php-mailer, the
# target's PHP is installed, its version checked (php, php-cgi, php-config), and the README's test
# command runs with --quick: unit tests built by that release's compiler, the build with
# --enable-mailer-dev (-Wall -Wextra -Werror and more), a private Postfix, and every phpt test.
# The root runs in its own mount and PID namespace (unshare): the /proc and /dev mounts, and
# every process started inside (Postfix, test servers), end with it; the directory is then removed.
#
#   bash scripts/compat.sh              8.1 8.3 8.4 8.5 sid
#   bash scripts/compat.sh 8.6          the targets named
#   MAILER_DEBIAN_MIRROR=http://...     another Debian mirror (default http://deb.debian.org/debian)
#   MAILER_COMPAT_KEEP=1                keep each root (its path is printed) to look inside
#
# The last line is "compat: N passed, N failed, N skipped (versions)": each target is one case.
# It passes when everything inside passed (the suite's own count, or the symbols checked, is
# shown on its line); a target whose PHP Debian's archive or the npm registry does not provide
# (any more), or a root that cannot be made for want of the archive, is skipped, with the
# reason; a target whose PHP is not the one asked for, or that fails to build or test, fails.
set -uo pipefail
cd "$(dirname "$0")/.."
root_dir=$PWD

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(8.1 8.3 8.4 8.5 sid)
mirror=${MAILER_DEBIAN_MIRROR:-http://deb.debian.org/debian}

log() { echo "compat: $*" >&2; }

total_p=0 total_f=0 total_s=0
results=()
result() { # result TARGETS PASSED FAILED SKIPPED NOTE: the counts inside; each target is one case
	local outcome t inside=
	# what ran inside, when anything did: the suite's own counts, or the symbols checked
	[ $(($2 + $3)) -gt 1 ] && inside="(inside: $2 passed, $3 failed, $4 skipped)  "
	if [ "$3" -gt 0 ]; then
		outcome=failed
	elif [ "$2" -gt 0 ]; then
		outcome=passed
	elif [ "$4" -gt 0 ]; then
		outcome=skipped
	else
		outcome=failed # nothing ran
	fi
	for t in $1; do
		case $outcome in
		passed) total_p=$((total_p + 1)) ;;
		failed) total_f=$((total_f + 1)) ;;
		skipped) total_s=$((total_s + 1)) ;;
		esac
		results+=("$(printf '  PHP %-4s %-7s  %s%s' "$t" "$outcome" "$inside" "$5")")
	done
}
summary() {
	echo
	echo "===== compat summary ====="
	local l
	for l in "${results[@]}"; do echo "$l"; done
	echo "compat: $total_p passed, $total_f failed, $total_s skipped (versions)"
}

# ---- PHP 8.1 and 8.3: the functions the module calls, against real binaries -----------------
# Symbols that the PHP 8.2 headers the module was compiled with make it call from their inline
# functions and macros; compiled against the target's own headers they do not arise:
#   __zend_strdup         8.2's pestrdup(); 8.1's calls strdup()
#   smart_str_ferealloc   Debian's PHP headers (smart_str growth); upstream builds export none
header_symbols="__zend_strdup smart_str_ferealloc"

symbols_target() {
	local ver=$1 pkg start=$SECONDS
	case "$ver" in
	8.1) pkg=@libphp/amazon-linux-2-v81@0.0.12 ;;
	8.3) pkg=@libphp/amazon-linux-2-v83@0.0.14 ;;
	esac
	echo
	echo "===== PHP $ver: the functions modules/mailer.so calls, against $pkg ====="
	# The module of this tree: built (or rebuilt) when missing or older than a source.
	if { [ ! -f modules/mailer.so ] || [ -n "$(find src php_mailer.h config.m4 -newer modules/mailer.so -print -quit)" ]; } \
		&& ! bash scripts/build.sh; then
		result "$ver" 0 1 0 "symbols: the module could not be built"
		return
	fi
	if ! command -v npm >/dev/null 2>&1 || ! command -v nm >/dev/null 2>&1; then
		log "installing npm and binutils"
		{ apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -y -q install --no-install-recommends npm binutils; } \
			</dev/null >/dev/null 2>&1
	fi
	local work
	work=$(mktemp -d "${TMPDIR:-/tmp}/mailer-compat-$ver.XXXXXX")
	# npm checks the tarball against the registry's integrity hash.
	if ! (cd "$work" && npm pack --loglevel=error "$pkg" >npm.log 2>&1 && tar -xzf ./*.tgz 2>>npm.log); then
		cat "$work/npm.log"
		result "$ver" 0 0 1 "skipped: npm pack $pkg failed: $(grep -m1 -o 'reason: .*\|errno .*' "$work/npm.log" || echo 'see above')"
		rm -rf "$work"
		return
	fi
	local php=$work/package/native/php/php version
	version=$(LD_LIBRARY_PATH=$work/package/native/lib "$php" -n -r 'echo PHP_VERSION;' 2>&1)
	if [[ "$version" != "$ver".* ]]; then
		result "$ver" 0 1 0 "symbols: $pkg is PHP '$version', not $ver"
		rm -rf "$work"
		return
	fi
	# Unversioned undefined symbols are PHP's (libc's and libcrypto's carry @VERSION).
	local needed exported missing=() n=0 sym
	needed=$(nm -D --undefined-only "$root_dir/modules/mailer.so" | awk '$1 == "U" && $2 !~ /@/ { print $2 }' | sort -u)
	exported=$(nm -D --defined-only "$php" | awk '{ print $3 }' | sort -u)
	for sym in $needed; do
		n=$((n + 1))
		if ! grep -qx -- "$sym" <<<"$exported" && [[ " $header_symbols " != *" $sym "* ]]; then
			missing+=("$sym")
		fi
	done
	echo "PHP $version: $n functions called, $((n - ${#missing[@]})) exported or header-made (${header_symbols})"
	if [ ${#missing[@]} -gt 0 ]; then
		echo "missing from PHP $version: ${missing[*]}"
		result "$ver" $((n - ${#missing[@]})) ${#missing[@]} 0 "symbols only, PHP $version: missing ${missing[*]}, $((SECONDS - start)) s"
	else
		result "$ver" "$n" 0 0 "symbols only (not built: no $ver headers here): all $n functions exported by PHP $version, $((SECONDS - start)) s"
	fi
	rm -rf "$work"
}

chroot_targets=()
for t in "${targets[@]}"; do
	case "$t" in
	8.1 | 8.3) symbols_target "$t" ;;
	*) chroot_targets+=("$t") ;;
	esac
done
targets=("${chroot_targets[@]}")
if [ ${#targets[@]} -eq 0 ]; then
	summary
	[ "$total_f" -eq 0 ]
	exit
fi

# ---- PHP 8.4 and later: built and tested in a Debian root ---------------------------------
if [ "$(id -u)" -ne 0 ]; then
	log "needs root (debootstrap, chroot, namespaces)"
	result "${targets[*]}" 0 1 0 "not root"
	summary
	exit 1
fi
for tool in debootstrap unshare chroot git; do
	command -v "$tool" >/dev/null 2>&1 && continue
	if [ "$tool" = debootstrap ]; then
		log "installing debootstrap"
		DEBIAN_FRONTEND=noninteractive apt-get -y -q install --no-install-recommends debootstrap \
			</dev/null >/dev/null 2>&1 \
			|| { apt-get -q update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive \
				apt-get -y -q install --no-install-recommends debootstrap </dev/null >/dev/null 2>&1; }
	fi
	command -v "$tool" >/dev/null 2>&1 || { log "$tool is missing"; result "${targets[*]}" 0 1 0 "$tool missing"; summary; exit 1; }
done
[ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1 \
	|| { log "not a git checkout: the tracked files are what gets copied"; result "${targets[*]}" 0 1 0 "no git"; summary; exit 1; }

# The script run inside the root, as its PID 1's child: $1 target, $2 the install steps before
# deps.sh, separated by "|" (each the arguments of one apt-get install; may be empty).
# shellcheck disable=SC2016
inner='
set -euo pipefail
want=$1 pre=$2
# $3: the frameworks (scripts/frameworks.sh) installed and tested too, or not; $4: the phpt tests
export DEBIAN_FRONTEND=noninteractive MAILER_FRAMEWORKS=$3
[ -n "$4" ] && export TESTS=$4
apt-get -q update >/tmp/apt.log 2>&1 || { tail -n 20 /tmp/apt.log; echo "compat: unavailable: apt-get update failed"; exit 100; }
IFS="|" read -r -a steps <<<"$pre"
for step in "${steps[@]}"; do
	# shellcheck disable=SC2086
	apt-get -y -q install --no-install-recommends $step </dev/null >/tmp/apt.log 2>&1 \
		|| { tail -n 30 /tmp/apt.log; echo "compat: unavailable: apt-get install $step failed"; exit 100; }
done
cd /src/php-mailer
bash scripts/deps.sh test </dev/null
# deps.sh may have brought the default PHP of the release beside the target (php-cli and so on):
# the commands of the target are chosen, then checked.
for name in php php-cgi php-config phpize; do
	if [ -n "$want" ] && [ -x "/usr/bin/$name$want" ]; then
		update-alternatives --quiet --set "$name" "/usr/bin/$name$want"
	fi
done
[ -n "$want" ] && for v in "$(php -n -r "echo PHP_VERSION;")" "$(php-cgi -n -v | sed -n "1s/^PHP \([^ ]*\).*/\1/p")" \
	"$(php-config --version)"; do
	case "$v" in
	"$want".*) ;;
	*) echo "compat: wanted PHP $want, found $v (php, php-cgi, php-config: $(php -n -r "echo PHP_VERSION;"), $(php-cgi -n -v | head -n 1), $(php-config --version))"; exit 3 ;;
	esac
done
echo "compat: PHP $(php -n -r "echo PHP_VERSION;") ($(php-config --extension-dir)), $(gcc --version | head -n 1), $(. /etc/os-release; echo "$PRETTY_NAME")$([ "$3" = 1 ] && bash scripts/frameworks.sh deps >/dev/null </dev/null && dpkg-query -W -f=", Symfony Mailer \${Version}" php-symfony-mailer && dpkg-query -W -f=", Laravel \${Version}" php-laravel-framework 2>/dev/null)"
exec bash scripts/test.sh --quick
'

run_target() {
	local ver=$1 suite pre="" extra="" want=$1 frameworks=0 tests=""
	case "$ver" in
	# Debian 13's PHP, and its Symfony 6.4 and Laravel 10 in the same root (every test: the
	# bridge's and tests/frameworks among them, and the Messenger fault test)
	8.4) suite=trixie frameworks=1 ;;
	# Debian unstable's own PHP (whatever it is) with its Symfony 7.4 and Laravel 13: the bridge's
	# tests, the applications of tests/frameworks and the Messenger fault test
	sid) suite=sid want="" frameworks=1 tests="tests/bridge tests/frameworks" ;;
	# experimental's php-common (for 8.6) Breaks php8.5-common: unstable's goes in first, alone,
	# or the solver reaches for experimental's.
	8.5) suite=sid extra=experimental
		pre="php-common|php8.5-cli/experimental php8.5-dev/experimental php8.5-cgi/experimental php8.5-mbstring/experimental php8.5-intl/experimental" ;;
	8.6) suite=sid extra=experimental
		pre="php-common/experimental php-cli/experimental php-dev/experimental php-cgi/experimental php8.6-mbstring/experimental php8.6-intl/experimental" ;;
	*) log "unknown target $ver (known: 8.1 8.3 8.4 8.5 8.6 sid)"; result "$ver" 0 1 0 "unknown target"; return ;;
	esac

	local start=$SECONDS base out
	base=$(mktemp -d "${TMPDIR:-/tmp}/mailer-compat-$ver.XXXXXX")
	# It becomes the root's "/": Postfix's own users must be able to search it.
	chmod 755 "$base"
	out=$base.log
	echo
	echo "===== PHP $ver: Debian $suite${extra:+ + $extra} in $base ====="
	log "debootstrap $suite"
	if ! debootstrap --variant=minbase --include=ca-certificates "$suite" "$base" "$mirror" >"$out" 2>&1; then
		tail -n 20 "$out" >&2
		result "$ver" 0 0 1 "skipped: debootstrap $suite failed (Debian's archive unreachable?)"
		cleanup_root "$base"
		return
	fi
	{
		echo "deb $mirror $suite main"
		[ -n "$extra" ] && echo "deb $mirror $extra main"
	} >"$base/etc/apt/sources.list"
	# A mirror may be a frozen snapshot whose unstable and experimental Release files have
	# expired; signatures are still checked, only their freshness is not.
	echo 'Acquire::Check-Valid-Until "false";' >"$base/etc/apt/apt.conf.d/99mailer-compat"
	cp /etc/resolv.conf "$base/etc/resolv.conf"
	# No package's maintainer script may start a daemon in the root (Postfix is started by the tests).
	printf '#!/bin/sh\nexit 101\n' >"$base/usr/sbin/policy-rc.d"
	chmod 755 "$base/usr/sbin/policy-rc.d"
	mkdir -p "$base/src/php-mailer"
	git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$base/src/php-mailer"

	log "PHP $ver: installing and testing (the README's test command, --quick)"
	# unshare makes every mount private in the new namespace, starting at "/". Inside a chroot
	# "/" is no mount point and that fails: there the root directory is made a private mount of
	# its own instead, so that nothing mounted under it is seen outside.
	local propagation=private bound=0
	if ! mountpoint -q /; then
		mount --bind "$base" "$base" && mount --make-private "$base" && bound=1 propagation=unchanged
	fi
	unshare --mount --propagation "$propagation" --pid --fork --kill-child --mount-proc="$base/proc" \
		bash -c 'mount --rbind /dev "$1/dev" && exec chroot "$1" /usr/bin/env -i \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			CI="${CI:-}" FUZZ_SECONDS="${FUZZ_SECONDS:-}" TESTS="${TESTS:-}" \
			bash -c "$2" inner "$3" "$4" "$5" "$6"' unshare "$base" "$inner" "$want" "$pre" "$frameworks" "$tests" </dev/null 2>&1 | tee "$out"
	local rc=${PIPESTATUS[0]} last p f s note
	[ "$bound" = 1 ] && umount "$base"
	last=$(tail -n 1 "$out")
	if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
		note="$(grep -m1 '^compat: PHP ' "$out" | sed 's/^compat: //'); status $rc"
		[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1 note="$note (non-zero status without a counted failure)"
	else
		if [ "$rc" -eq 100 ]; then
			# The archive, not the code: it no longer carries this PHP, or was unreachable.
			p=0 f=0 s=1 note="skipped: $(grep -m1 '^compat: unavailable' "$out" | sed 's/^compat: unavailable: //')"
		else
			p=0 f=1 s=0 note="no summary line (status $rc): $(grep -m1 '^compat: wanted' "$out" || echo see above)"
		fi
	fi
	result "$ver" "$p" "$f" "$s" "$note, $((SECONDS - start)) s"
	cleanup_root "$base"
}

cleanup_root() {
	local base=$1
	if [ -n "${MAILER_COMPAT_KEEP:-}" ]; then
		log "kept $base (and $base.log)"
		return
	fi
	# The mounts lived in the private namespace; never delete through a mount that survived.
	if findmnt -rn -o TARGET | grep -q "^$base\(/\|$\)"; then
		log "something is still mounted under $base: left in place"
		return
	fi
	rm -rf --one-file-system "$base" "$base.log"
}

for t in "${targets[@]}"; do
	run_target "$t"
done
summary
[ "$total_f" -eq 0 ]
