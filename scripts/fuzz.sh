#!/usr/bin/env bash
# Bounded libFuzzer runs of the core's harnesses (tests/fuzz/fuzz_*.c), with ASan and UBSan.
#
#   bash scripts/fuzz.sh            60 seconds per target
#   bash scripts/fuzz.sh 300        300 seconds per target
#   FUZZ_TARGETS="smtp reply" bash scripts/fuzz.sh 30      only these targets
#   FUZZ_JOBS=1 bash scripts/fuzz.sh                        one target at a time (default: one per CPU)
#
# For each target it first replays every input kept in tests/fuzz/regressions/<target>/, then
# fuzzes from the committed seeds (tests/fuzz/corpus/<target>/) plus what earlier runs found
# (tests/fuzz/work/<target>/, not committed) with -max_total_time=N -rss_limit_mb=1024
# -timeout=10. A target passes when both finish without a crash, leak, sanitizer report,
# timeout or broken invariant. Its last line is "fuzz: N passed, N failed (M runs)": N counts
# targets (one case each), M the inputs the passing ones ran; the exit status is non-zero when
# any target failed. A failing input is left in tests/fuzz/work/artifacts/<target>/ and the log
# in tests/fuzz/work/logs/<target>.log.
#
# Installs clang and its fuzzer runtime (Debian 12) when missing; that needs root or sudo.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
'' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;;
esac
fuzz=tests/fuzz
work=$fuzz/work

# ---- tools ---------------------------------------------------------------------------------
can_build_fuzzer() {
	local d rc
	command -v clang >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || return 1
	d=$(mktemp -d)
	printf '#include <stddef.h>\n#include <stdint.h>\n#include <openssl/evp.h>\n%s\n' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' >"$d/t.c"
	clang -fsanitize=fuzzer,address,undefined -o "$d/t" "$d/t.c" -lcrypto >/dev/null 2>&1
	rc=$?
	rm -rf "$d"
	return $rc
}

if ! can_build_fuzzer; then
	echo "fuzz: installing clang, its fuzzer runtime and OpenSSL headers"
	sudo=()
	[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo=(sudo)
	"${sudo[@]}" apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
			clang libclang-rt-14-dev libssl-dev libc6-dev make >/dev/null
	if ! can_build_fuzzer; then
		echo "fuzz: cannot build a libFuzzer binary (clang with -fsanitize=fuzzer, libssl-dev)" >&2
		echo "fuzz: 0 passed, 1 failed"
		exit 1
	fi
fi

# ---- build ---------------------------------------------------------------------------------
jobs="${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}"
if ! make -s -C "$fuzz" -j"$jobs"; then
	echo "fuzz: the harnesses do not build" >&2
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
read -r -a targets <<<"${FUZZ_TARGETS:-$(make -s -C "$fuzz" list)}"

# ---- one target ----------------------------------------------------------------------------
# Inputs bigger than libFuzzer's default 4 KB: a server's reply may be long, and so may a header.
max_len() {
	case "$1" in
	smtp) echo 65536 ;;
	*) echo 8192 ;;
	esac
}

run_target() { # run_target NAME: writes its log, returns non-zero on failure
	local t=$1 bin=$fuzz/build/fuzz_$1 log=$work/logs/$1.log dict=() regressions=()
	mkdir -p "$work/$t" "$work/artifacts/$t" "$work/logs"
	case "$t" in
	reply | caps | smtp) dict=(-dict="$fuzz/dict/smtp.dict") ;;
	esac
	if [ -d "$fuzz/regressions/$t" ]; then
		mapfile -t regressions < <(find "$fuzz/regressions/$t" -type f | sort)
	fi
	{
		if [ ${#regressions[@]} -gt 0 ]; then
			echo "== replaying ${#regressions[@]} regression inputs"
			"$bin" -rss_limit_mb=1024 -timeout=10 "${regressions[@]}" || return 1
		fi
		echo "== fuzzing for $seconds s"
		"$bin" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 -max_len="$(max_len "$t")" \
			-print_final_stats=1 -artifact_prefix="$work/artifacts/$t/" "${dict[@]}" \
			"$work/$t" "$fuzz/corpus/$t" || return 1
	} >"$log" 2>&1
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

echo "fuzz: ${#targets[@]} targets, $seconds s each, $jobs at a time"
for t in "${targets[@]}"; do
	rm -f "$work/logs/$t.status"
	if [ ! -x "$fuzz/build/fuzz_$t" ]; then
		echo "fuzz: $t: no such harness" >&2
		continue
	fi
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	# the status goes through a file: wait -n may already have reaped the job
	(
		run_target "$t"
		echo $? >"$work/logs/$t.status"
	) &
done
wait

passed=0 failed=0 runs=0
for t in "${targets[@]}"; do
	if [ "$(cat "$work/logs/$t.status" 2>/dev/null)" = 0 ]; then
		passed=$((passed + 1))
		execs=$(grep -a 'stat::number_of_executed_units' "$work/logs/$t.log" | tail -n 1 | awk '{print $2}')
		runs=$((runs + ${execs:-0}))
		echo "fuzz: $t: ok (${execs:-?} runs)"
	else
		failed=$((failed + 1))
		echo "fuzz: $t: FAILED; log $work/logs/$t.log, input in $work/artifacts/$t/"
		grep -a -m1 -E 'ERROR: |invariant failed|SUMMARY' "$work/logs/$t.log" 2>/dev/null | sed 's/^/  /'
		echo "  once src/core is fixed, keep the input in $fuzz/regressions/$t/"
	fi
done
echo "fuzz: $passed passed, $failed failed ($runs runs)"
[ "$failed" -eq 0 ]
