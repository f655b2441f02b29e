#!/usr/bin/env bash
# The README's second command: the whole test suite. Installs what is missing (Debian 12, as
# root), builds with --enable-mailer-dev (strict warnings are errors), smoke-loads the module,
# then runs, each as a stage:
#   unit            make -C tests/unit run         plain-C tests of src/core
#   unit-valgrind   make -C tests/unit valgrind    the same under valgrind
#   unit-asan       make -C tests/unit asan        rebuilt with clang, ASan + UBSan
#   includes        scripts/check-includes.py       the layering of src/ (no include cycle, no PHP
#                                                   in src/core, allowed edges between its folders)
#   format          scripts/check-format.sh         clang-format --dry-run --Werror on src/, tests/unit...
#   postfix         scripts/postfix.sh start        private Postfix on loopback for tests/postfix (root)
#   phpt            run-tests.php on $TESTS         every test loads modules/mailer.so, php -n
#   phpt-valgrind   the same with run-tests -m      leaks and memory errors fail the test
#   docs            tests/docs/snippets.php         every PHP snippet of the docs runs (whole suite)
#   fuzz            scripts/fuzz.sh                 each libFuzzer harness for a bounded time
#   package         scripts/package-check.sh        pecl package/install and the PIE-style build
#   messenger       scripts/messenger.sh fault     Messenger workers over Redis to Postfix, killed
#                                                   at random (with TESTS=..., only if tests/bridge)
#   messenger-batch scripts/messenger.sh batch      the same workers with the batch handler (one
#                                                   sendMany() per batch): delivery, refusals
#   messenger-batch-fault  ... fault N batch        the fault test with the batch handler
#   compat          scripts/compat.sh               PHP 8.4 and 8.5 built and tested (--quick) in
#                                                   Debian roots (8.4's with Symfony 6.4 and Laravel 10;
#                                                   "sid": Symfony 7.4, Laravel 13); 8.1/8.3 symbols
# It prints a summary per stage and, as its very last line, "N passed, N failed, N skipped"
# summed over the stages; a stage that ran no test at all counts as one failure. Exit status 0
# only when nothing failed.
#
# What is counted: test cases, not assertions. A case is a C test function (one RUN() in
# tests/unit; its checks are shown beside, in the stage's note), a phpt file, a fuzz target, a
# check of scripts/package-check.sh, a PHP version of the compat stage, a check of the source
# (includes, format). unit-valgrind, unit-asan and phpt-valgrind run the cases of unit and phpt
# again under a memory checker:
# they are checks of the same cases, so they add no pass and no skip (their line says how many
# programs or phpts came out clean); what they find adds failures: one per C program that fails
# under the checker (its errors cannot be pinned on one function), one per phpt. On a green
# run "N passed" is thus the number of distinct cases; a failure in any stage makes "N failed"
# non-zero (a case failing in two stages counts twice there).
#
#   bash scripts/test.sh                   everything
#   bash scripts/test.sh --quick           skip the valgrind, ASan, fuzz, package and compat stages
#   COMPAT_TARGETS="8.4 8.6" bash scripts/test.sh    other PHP versions for the compat stage
#   TESTS="tests/smtp tests/tls" bash scripts/test.sh --quick     choose the phpt directories/files
#
# Test outputs (.diff, .out, .mem, ...) stay beside each failed phpt.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
for arg in "$@"; do
	case "$arg" in
	--quick) quick=1 ;;
	-h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: $0 [--quick]   (TESTS=dirs to choose phpt tests)" >&2; exit 2 ;;
	esac
done
read -r -a phpt_targets <<<"${TESTS:-tests}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mailer-test.XXXXXX")

# ---- bookkeeping ---------------------------------------------------------------------------
stage_lines=()
total_p=0 total_f=0 total_s=0
finished=0

record() { # record STAGE PASSED FAILED SKIPPED SECONDS NOTE
	local note=$6
	total_p=$((total_p + $2)) total_f=$((total_f + $3)) total_s=$((total_s + $4))
	stage_lines+=("$(printf '  %-14s %4d passed, %4d failed, %4d skipped  %5ss  %s' "$1" "$2" "$3" "$4" "$5" "$note")")
}
record_rerun() { # record_rerun STAGE FAILED SECONDS NOTE: reran counted cases; adds failures only
	total_f=$((total_f + $2))
	stage_lines+=("$(printf '  %-14s %12s %4d failed  %12s  %5ss  %s' "$1" "(rerun)" "$2" "" "$3" "$4")")
}
record_skipped() { # record_skipped STAGE WHY: the stage was not wanted; counts nothing
	stage_lines+=("$(printf '  %-14s %s' "$1" "not run: $2")")
}

postfix_started=0
stop_postfix() {
	if [ "$postfix_started" = 1 ]; then
		postfix_started=0
		if bash scripts/postfix.sh stop >/dev/null 2>&1; then
			rm -rf "$MAILER_POSTFIX_DIR"
		else
			echo "test: stopping Postfix failed (left in $MAILER_POSTFIX_DIR)" >&2
		fi
	fi
}

finish() {
	[ "$finished" = 1 ] && return
	finished=1
	stop_postfix
	rm -rf "$tmp"
	echo
	echo "===== summary ====="
	local l
	for l in "${stage_lines[@]}"; do echo "$l"; done
	echo "$total_p passed, $total_f failed, $total_s skipped"
}
on_exit() {
	local rc=$?
	if [ "$finished" = 0 ]; then
		record aborted 0 1 0 0 "the script stopped early (status $rc)"
		finish
		exit 1
	fi
}
trap on_exit EXIT
trap 'record interrupted 0 1 0 0 "interrupted"; finish; exit 130' INT TERM

banner() { echo; echo "===== $* ====="; }

# ---- stages --------------------------------------------------------------------------------
# unit_stage NAME TARGET count|rerun: make -C tests/unit TARGET. Reads each program's
# "file.c: N passed, N failed[, N skipped] (M checks...)" and the makefile's
# "file.c: FAILED (status N)" for a program that exited non-zero.
unit_stage() {
	local name=$1 target=$2 mode=$3 log="$tmp/$1.log" start=$SECONDS rc p f s c bad lost all
	banner "$name: make -C tests/unit $target"
	make -C tests/unit "$target" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# bad: programs that exited non-zero; lost: those of them with no failed case to show for it
	# (a crash, a valgrind or sanitizer report)
	read -r p f s c _ bad lost all < <(awk '
		/^[^ ]+\.c: [0-9]+ passed, [0-9]+ failed/ {
			p += $2; f += $4; n++; cases_failed[$1] = $4
			if ($5 == "failed,") { s += $6; c += substr($8, 2) } else { c += substr($6, 2) }
		}
		/^[^ ]+\.c: FAILED \(status [0-9]+\)$/ { bad++; failed_prog[$1] = 1 }
		END {
			all = n
			for (prog in failed_prog) {
				if (!(prog in cases_failed)) all++
				if (!(prog in cases_failed) || cases_failed[prog] == 0) lost++
			}
			print p + 0, f + 0, s + 0, c + 0, n + 0, bad + 0, lost + 0, all + 0
		}' "$log")
	local note
	if [ "$all" -eq 0 ]; then
		note="no test ran (make status $rc)"
		if [ "$mode" = rerun ]; then record_rerun "$name" 1 $((SECONDS - start)) "$note"; else
			record "$name" 0 1 0 $((SECONDS - start)) "$note"; fi
		return
	fi
	if [ "$mode" = rerun ]; then
		note="$((all - bad)) of $all programs clean (unit's $p cases again: not counted twice)"
		[ "$rc" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1 note="$note; make status $rc: see above"
		record_rerun "$name" "$bad" $((SECONDS - start)) "$note"
		return
	fi
	note="$all programs, $c checks"
	f=$((f + lost))
	[ "$lost" -gt 0 ] && note="$note; $lost programs failed outside any case (a crash?): see above"
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1 note="$note; no case passed"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 note="$note; make status $rc: see above"
	fi
	record "$name" "$p" "$f" "$s" $((SECONDS - start)) "$note"
}

# phpt_stage NAME count|rerun [run-tests options...]: runs the phpt tests of $TESTS with the
# built module.
phpt_stage() {
	local name=$1 mode=$2 log="$tmp/$1.log" start=$SECONDS rc
	shift 2
	banner "$name: run-tests.php $* ${phpt_targets[*]}"
	# phpize copies run-tests.php into the tree; php-dev ships it too.
	local runner= c
	for c in "$root/run-tests.php" /usr/lib/php/*/build/run-tests.php; do
		[ -f "$c" ] && { runner=$c; break; }
	done
	if [ -z "$runner" ]; then
		if [ "$mode" = rerun ]; then record_rerun "$name" 1 0 "run-tests.php not found"; else
			record "$name" 0 1 0 0 "run-tests.php not found (phpize copies it; php-dev ships it)"; fi
		return
	fi
	local display=(--no-progress --no-color)
	[ -t 1 ] && display=()
	# php-cgi runs the tests of a web SAPI (--CGI--) and several requests in one process
	TEST_PHP_EXECUTABLE=$(command -v php) TEST_PHP_CGI_EXECUTABLE=$(command -v php-cgi || true) \
		NO_INTERACTION=1 REPORT_EXIT_STATUS=1 \
		php -n "$runner" -n -d "extension=$root/modules/mailer.so" -q -j2 --show-diff "${display[@]}" \
		"$@" "${phpt_targets[@]}" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	local p f s
	read -r p f s < <(awk -F: '
		/^Tests passed /                                                      { p += $2 }
		/^Tests (failed|borked|warned|leaked) /                               { f += $2 }
		/^Tests skipped /                                                     { s += $2 }
		/^Expected (fail|leak) /                                              { s += $2 }
		END { print p + 0, f + 0, s + 0 }' "$log")
	local note="status $rc"
	if [ $((p + f)) -eq 0 ]; then
		f=$((f + 1)) note="no test ran (status $rc)"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 note="run-tests failed (status $rc) without counting a failure: see above"
	elif [ "$mode" = rerun ]; then
		note="$p of $((p + f)) phpts clean, $s skipped (phpt's cases again: not counted twice)"
	fi
	if [ "$mode" = rerun ]; then
		record_rerun "$name" "$f" $((SECONDS - start)) "$note"
	else
		record "$name" "$p" "$f" "$s" $((SECONDS - start)) "$note"
	fi
}

# ---- run -----------------------------------------------------------------------------------
banner "deps: bash scripts/deps.sh test"
start=$SECONDS
if ! bash scripts/deps.sh test </dev/null; then
	record deps 0 1 0 $((SECONDS - start)) "installing packages failed"
fi
# Symfony's framework and Messenger, Redis, Laravel where the release's sends with Symfony Mailer
if [ -f scripts/frameworks.sh ] && ! bash scripts/frameworks.sh deps </dev/null; then
	record deps 0 1 0 $((SECONDS - start)) "installing the frameworks' packages failed"
fi

banner "build: bash scripts/build.sh --dev"
start=$SECONDS
built=0
if bash scripts/build.sh --dev; then
	built=1
else
	record build 0 1 0 $((SECONDS - start)) "build or smoke-load failed"
fi

unit_stage unit run count
if [ "$quick" = 1 ]; then
	record_skipped unit-valgrind "--quick"
	record_skipped unit-asan "--quick"
else
	unit_stage unit-valgrind valgrind rerun
	unit_stage unit-asan asan rerun
fi

# The Postfix tests (tests/postfix/) need the private instance of scripts/postfix.sh (root only);
# it gets its own directory here so that it never meets another run's instance, and is stopped at
# the end. Without root, or without the instance, those tests skip.
if [ "$built" = 1 ] && [ -f scripts/postfix.sh ] \
	&& [ -n "$(find "${phpt_targets[@]}" \( -path '*/postfix/*' -o -name 'postfix_*' \) -name '*.phpt' -print -quit 2>/dev/null)" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		record_skipped postfix "needs root: the tests/postfix tests will skip"
	else
		banner "postfix: bash scripts/postfix.sh start"
		start=$SECONDS
		# Postfix's own users must reach it: not under $tmp (mode 0700).
		MAILER_POSTFIX_DIR=$(mktemp -d /tmp/mailer-postfix.XXXXXX) && chmod 755 "$MAILER_POSTFIX_DIR"
		export MAILER_POSTFIX_DIR
		postfix_started=1
		if ! bash scripts/postfix.sh start </dev/null; then
			record postfix 0 1 0 $((SECONDS - start)) "the Postfix instance did not start (its tests will skip)"
		fi
	fi
fi

if [ "$built" = 1 ]; then
	phpt_stage phpt count
	if [ "$quick" = 1 ]; then
		record_skipped phpt-valgrind "--quick"
	else
		# run-tests -m sets USE_ZEND_ALLOC=0 and ZEND_DONT_UNLOAD_MODULES=1 itself; exported here
		# too for clarity. Without --leak-check=full valgrind -q reports no leak at all (proved
		# with a deliberate emalloc leak). The helpers of tests/inc (SMTP servers, the MIME parser,
		# the DKIM verifier), python3 and the openssl CLI run in child processes that do not load
		# the extension: they are not traced. pcre.jit=0: valgrind
		# cannot follow JIT-compiled regular expressions and reports them as uninitialised reads.
		USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 \
			VALGRIND_OPTS="--leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --trace-children-skip=*/openssl,*/python3* --trace-children-skip-by-arg=*/tests/inc/*,genpkey,pkey ${VALGRIND_OPTS:-}" \
			phpt_stage phpt-valgrind rerun -m --set-timeout 300 --show-slow 30000 -d pcre.jit=0
	fi
else
	record phpt 0 1 0 0 "not run: the build failed"
	[ "$quick" = 1 ] || record_rerun phpt-valgrind 1 0 "not run: the build failed"
fi

# script_stage NAME PREFIX COMMAND...: runs a script whose last summary line is
# "PREFIX: N passed, N failed" (optionally ", N skipped"), each N a count of cases; what follows
# (e.g. " (N runs)") goes into the note.
script_stage() {
	local name=$1 prefix=$2 log="$tmp/$1.log" start=$SECONDS rc p=0 f=0 s=0 line extra=
	shift 2
	banner "$name: $*"
	"$@" </dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -a "^$prefix: [0-9]* passed, [0-9]* failed" "$log" | tail -n 1)
	if [[ "$line" =~ ^[^:]+:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?(.*)$ ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[4]:-0} extra=${BASH_REMATCH[5]# }
		extra=${extra#(} extra=${extra%)}
	fi
	local note="status $rc${extra:+; $extra}"
	if [ $((p + f + s)) -eq 0 ]; then
		f=1 note="no result line (status $rc)"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 note="status $rc without a counted failure: see above"
	fi
	record "$name" "$p" "$f" "$s" $((SECONDS - start)) "$note"
}

# The layering of src/ from its #include lines: no header cycle, no PHP in src/core, only the
# allowed edges between the core's folders (scripts/check-includes.py); one case
script_stage includes includes python3 scripts/check-includes.py
# The C sources as .clang-format says (clang-format --dry-run --Werror, scripts/check-format.sh); one case
script_stage format format bash scripts/check-format.sh

# Every ```php block of README.md, docs/, bridge/symfony/README.md and bench/README.md, run as a
# reader would against the scripted server (tests/docs/snippets.php); with the whole suite only.
if [ "$built" != 1 ]; then
	record docs 0 1 0 0 "not run: the build failed"
elif [ "${phpt_targets[*]}" = tests ]; then
	script_stage docs snippets php -n tests/docs/snippets.php
else
	record_skipped docs "TESTS picks phpt directories"
fi

# Messenger workers over Redis to Postfix: a worker killed at random points, Redis restarted; every
# message delivered once except those the idempotency guard lists as uncertain (root: Postfix)
if [ "$built" = 1 ] && [ -f scripts/messenger.sh ] && { [ -z "${TESTS:-}" ] || [[ " $TESTS " == *" tests/bridge "* ]]; }; then
	if [ "${MAILER_FRAMEWORKS:-1}" = 0 ]; then
		for st in messenger messenger-batch messenger-batch-fault; do record_skipped $st "MAILER_FRAMEWORKS=0"; done
	elif [ "$(id -u)" -ne 0 ]; then
		for st in messenger messenger-batch messenger-batch-fault; do record_skipped $st "needs root (Postfix)"; done
	else
		script_stage messenger messenger bash scripts/messenger.sh fault "${MESSENGER_COUNT:-300}"
		# Messenger\SendEmailBatchHandler: batches sent with one sendMany() each, then killed too
		script_stage messenger-batch messenger bash scripts/messenger.sh batch "${MESSENGER_COUNT:-300}"
		script_stage messenger-batch-fault messenger bash scripts/messenger.sh fault "${MESSENGER_COUNT:-300}" batch
	fi
fi

if [ "$quick" = 1 ]; then
	record_skipped fuzz "--quick"
	# The one cheap check of the package stage: package.xml lists what git tracks
	start=$SECONDS
	if php scripts/package.php --check >/dev/null 2>&1; then
		record package-list 1 0 0 $((SECONDS - start)) "package.xml lists the tracked files"
	else
		record package-list 0 1 0 $((SECONDS - start)) "package.xml is out of date: php scripts/package.php"
	fi
	record_skipped package "--quick (package-list ran)"
	record_skipped compat "--quick"
else
	# libFuzzer with ASan/UBSan, each target a bounded time (FUZZ_SECONDS, default 20: CI stays within its time with room for new stages)
	script_stage fuzz fuzz bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
	if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
		# pecl package + pecl install and the PIE-style build, each smoke-tested
		script_stage package package bash scripts/package-check.sh
		# Other PHP versions: each in a throwaway Debian root (needs root and Debian's archive)
		read -r -a compat_targets <<<"${COMPAT_TARGETS:-8.1 8.3 8.4 8.5 sid}"
		script_stage compat compat bash scripts/compat.sh "${compat_targets[@]}"
	else
		# Both work from what git tracks (package.xml's file list, clean exports, the copies).
		record_skipped package "not a git checkout with a commit"
		record_skipped compat "not a git checkout with a commit"
	fi
fi

finish
[ "$total_f" -eq 0 ]
