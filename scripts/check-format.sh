#!/usr/bin/env bash
# Checks that the C sources are formatted as .clang-format says (run by scripts/test.sh, stage
# "format"): clang-format --dry-run --Werror over src/, php_mailer.h, tests/unit and tests/fuzz.
# The generated stubs/*_arginfo.h are never named. Debian 12's clang-format 14 is the reference
# (deps.sh installs it); another version may format some constructs differently.
#
#   bash scripts/check-format.sh          check; the last line is "format: 1 passed, 0 failed (...)"
#   bash scripts/check-format.sh --fix    reformat those files in place
set -uo pipefail
cd "$(dirname "$0")/.."

fix=0
case "${1:-}" in
--fix) fix=1 ;;
"") ;;
*) echo "usage: $0 [--fix]" >&2; exit 2 ;;
esac

cf=$(command -v clang-format-14 || command -v clang-format) || {
	echo "format: 0 passed, 1 failed (clang-format is not installed: apt-get install clang-format)"
	exit 1
}
version=$("$cf" --version | sed -n 's/.*clang-format version \([0-9.]*\).*/\1/p')
# Another major version formats some constructs otherwise (clang-format 19 spaces a cast before a
# comparison differently): the check means something only with the reference, so elsewhere (the
# compat roots: Debian 13 and unstable) it is skipped, not failed.
if [ "$fix" = 0 ] && [ "${version%%.*}" != 14 ]; then
	echo "format: 0 passed, 0 failed, 1 skipped (clang-format $version is not the reference 14)"
	exit 0
fi

mapfile -t files < <({
	echo php_mailer.h
	find src tests/unit tests/fuzz \( -name build -o -name build-asan -o -name corpus -o -name regressions \) -prune \
		-o -type f -name '*.[ch]' -print
} | sort)

if [ "$fix" = 1 ]; then
	"$cf" -i "${files[@]}"
	echo "format: ${#files[@]} files formatted (clang-format $version)"
	exit 0
fi
if out=$("$cf" --dry-run --Werror "${files[@]}" 2>&1); then
	echo "format: 1 passed, 0 failed (${#files[@]} files, clang-format $version)"
	exit 0
fi
# clang-format prints each change as file:line:col: error: code should be clang-formatted
echo "$out" | head -n 60
n=$(grep -c 'error: code should be clang-formatted' <<<"$out")
echo "(fix with: bash scripts/check-format.sh --fix)"
echo "format: 0 passed, 1 failed (${#files[@]} files, clang-format $version: $n places differ)"
exit 1
