#!/usr/bin/env bash
# The frameworks the bridge is tested under, from Debian's own packages (what a user of the
# release gets), for tests/bridge, tests/frameworks and scripts/messenger.sh:
#
#   bash scripts/frameworks.sh deps     install what is missing (root; apt-get update only then):
#       Symfony: php-symfony-mailer, -twig-bridge, -framework-bundle, -yaml, -messenger and its Redis
#                transport; redis-server and php-redis (the queue); composer (only for its
#                Composer\InstalledVersions, which FrameworkBundle 6.x+ calls)
#       Laravel: php-laravel-framework and php-sqlite3 (its database queue), only where the
#                release's Laravel sends with Symfony Mailer (10 and later: Debian 13 and later;
#                Debian 12 has 8, on SwiftMailer)
#   bash scripts/frameworks.sh versions print the versions installed
#
# scripts/test.sh runs "deps" before its stages; MAILER_FRAMEWORKS=0 skips it (the compat roots that
# test another PHP, not the frameworks). Which Symfony and Laravel: Debian 12 Symfony 5.4;
# Debian 13 Symfony 6.4, Laravel 10; Debian unstable Symfony 7.4, Laravel 13 (scripts/compat.sh).
set -euo pipefail

installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

case "${1:-deps}" in
deps)
	[ "${MAILER_FRAMEWORKS:-1}" = 0 ] && { echo "frameworks: MAILER_FRAMEWORKS=0, nothing installed"; exit 0; }
	want=(php-symfony-mailer php-symfony-twig-bridge php-symfony-framework-bundle php-symfony-yaml
		php-symfony-messenger php-symfony-redis-messenger php-redis redis-server composer)
	laravel=(php-laravel-framework php-sqlite3)
	missing=()
	for p in "${want[@]}" "${laravel[@]}"; do installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && exit 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "frameworks: missing ${missing[*]} and not root: their tests will skip" >&2
		exit 0
	fi
	log=$(mktemp "${TMPDIR:-/tmp}/mailer-frameworks.XXXXXX")
	trap 'rm -f "$log"' EXIT
	export DEBIAN_FRONTEND=noninteractive
	apt-get -q update >"$log" 2>&1 || { tail -n 20 "$log" >&2; echo "frameworks: apt-get update failed" >&2; exit 1; }
	# Laravel before 10 does not send with Symfony Mailer: not installed, its test skips.
	v=$(apt-cache policy php-laravel-framework 2>/dev/null | sed -n 's/^ *Candidate: *\([0-9]*\).*/\1/p')
	if [ -z "$v" ] || [ "$v" -lt 10 ]; then
		echo "frameworks: this release's Laravel is ${v:-absent}: not installed (10 or later sends with Symfony Mailer)"
		missing=("${missing[@]/php-laravel-framework/}")
		missing=("${missing[@]/php-sqlite3/}")
	fi
	# shellcheck disable=SC2068
	set -- ${missing[@]}
	[ $# -eq 0 ] && exit 0
	echo "frameworks: installing $*"
	# no package's maintainer script may start its daemon (redis-server): the tests start their own
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
		trap 'rm -f "$log" /usr/sbin/policy-rc.d' EXIT
	fi
	apt-get -y -q install --no-install-recommends "$@" </dev/null >"$log" 2>&1 \
		|| { tail -n 30 "$log" >&2; echo "frameworks: apt-get install $* failed" >&2; exit 1; }
	;;
versions)
	for p in php-symfony-mailer php-symfony-messenger php-laravel-framework php-redis redis-server; do
		printf '%-28s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo -)"
	done
	;;
*) echo "usage: $0 deps|versions" >&2; exit 2 ;;
esac
