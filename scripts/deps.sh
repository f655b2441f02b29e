#!/usr/bin/env bash
# Installs the Debian packages php-mailer needs, and only those that are missing.
#
#   bash scripts/deps.sh build   compiler, PHP headers, OpenSSL (build and run the extension)
#   bash scripts/deps.sh test    the above + php-cgi (the debug tests of a web SAPI), valgrind, clang
#                                with its sanitizer runtime, clang-format (the format check), python3 (the
#                                independent MIME parser), python3-dkim and openssl (DKIM signatures verified by dkimpy, keys made by the CLI),
#                                php-symfony-mailer and php-symfony-twig-bridge (tests/bridge: the Symfony transport),
#                                php-parser (stub regeneration; optional, not an error if absent).
#                                Postfix for tests/postfix is installed by scripts/postfix.sh.
#
# Idempotent: packages are checked with dpkg -s, and apt-get update runs only when something is
# missing. Installing needs root (or sudo). Tested on Debian 12 (bookworm).
set -euo pipefail

set_name="${1:-build}"

# libc6-dev is only a Recommends of gcc, and the clang sanitizer runtime one of clang: we install
# without recommends, so both are named here.
build_pkgs=(php-cli php-dev libssl-dev pkg-config gcc libc6-dev make autoconf)
test_pkgs=(php-cgi php-psr-log valgrind clang libclang-rt-dev clang-format python3 python3-dkim openssl php-symfony-mailer php-symfony-twig-bridge)
optional_pkgs=(php-parser)

case "$set_name" in
build) want=("${build_pkgs[@]}"); optional=() ;;
test) want=("${build_pkgs[@]}" "${test_pkgs[@]}"); optional=("${optional_pkgs[@]}") ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

missing=()
for p in "${want[@]}"; do installed "$p" || missing+=("$p"); done
missing_opt=()
for p in "${optional[@]}"; do installed "$p" || missing_opt+=("$p"); done

if [ ${#missing[@]} -eq 0 ] && [ ${#missing_opt[@]} -eq 0 ]; then
	exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=(sudo)
	elif [ ${#missing[@]} -eq 0 ]; then
		echo "deps: optional packages missing (${missing_opt[*]}); not root, skipping" >&2
		exit 0
	else
		echo "deps: missing packages (${missing[*]}) and not root: run as root or install them" >&2
		exit 1
	fi
fi

apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0)
log=$(mktemp "${TMPDIR:-/tmp}/mailer-deps.XXXXXX")
trap 'rm -f "$log"' EXIT

echo "deps: installing ${missing[*]} ${missing_opt[*]}"
if ! "${apt[@]}" update >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	echo "deps: apt-get update failed" >&2
	exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
	if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		echo "deps: apt-get install ${missing[*]} failed" >&2
		exit 1
	fi
fi
if [ ${#missing_opt[@]} -gt 0 ]; then
	"${apt[@]}" install --no-install-recommends "${missing_opt[@]}" </dev/null >"$log" 2>&1 \
		|| echo "deps: optional ${missing_opt[*]} not installed (only needed to regenerate stubs)" >&2
fi
