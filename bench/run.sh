#!/usr/bin/env bash
# The side-by-side benchmark in one command (see bench/README.md).
#
#   bash bench/run.sh              3 interleaved runs of every case × column (~10 min on 2 cores)
#   bash bench/run.sh --quick      1 run (~3 min)
#   bash bench/run.sh --bulk       the bulk cases instead (sendMany(), smtp-source -s 1/8/32, against
#                                  smtp-sink and a discarding Postfix, on loopback and at 10 ms)
#   options: --php-proxy (the old bench/delay_proxy.php instead of bench/delay_proxy.c, to compare
#            the instruments)  --runs=N  --so=PATH (use this mailer.so instead of building one)  --so-base=PATH (a
#            second build, e.g. of an older commit, as an "ext-base" column beside "ext")  --out=FILE (instead of
#            bench/results.md, or bench/results-bulk.md with --bulk)  --cases=keep,fresh,rcpt50,att20,att100,keep-5ms,rcpt50-5ms
#            --columns=ext,phpmailer,phpmailer-nodelay,...,original,smtp-source
#            bulk cases: bulk,bulk-10ms,bulk-postfix,bulk-postfix-10ms,bulk-chunk,bulk-chunk-10ms (--bulk
#            names all six); their
#            columns: ext,many-1,many-8,many-32,smtp-source,smtp-source-8,smtp-source-32,swift-nodelay,
#            phpmailer-nodelay
#
# It installs what is missing from Debian's packages (PHP's build tools, Postfix for smtp-sink and
# smtp-source, and the userland libraries as Debian packages them), builds a private release build of
# the working tree's extension (unless --so), starts smtp-sink on a free loopback port and the 5 ms
# delay proxy in front of it, runs bench/run.php, which prints the tables and writes
# bench/results.md, and stops what it started, by PID, also on failure or Ctrl-C. With bulk cases it
# also starts a second smtp-sink that dumps every transaction (its X-Rcpt-Args lines count the
# recipients), a private Postfix that discards (bench/postfix_discard.sh: CHUNKING), the CHUNKING
# sink (bench/chunk_sink.c), and a 5 ms proxy in front of each. The proxies are bench/delay_proxy.c
# (real-time priority when root: the network's delay must not wait for a core), whose accuracy
# is measured first (its --pingpong mode) and printed with the results.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=3
so=""
so_base=""
out=""
pass=()
cases=""
bulk=0
php_proxy=0
for arg in "$@"; do
	case "$arg" in
	--quick) runs=1 ;;
	--runs=*) runs=${arg#--runs=} ;;
	--so=*) so=$(realpath "${arg#--so=}") ;;
	--so-base=*) so_base=$(realpath "${arg#--so-base=}") ;;
	--out=*) out=$(realpath -m "${arg#--out=}") ;;
	--bulk) bulk=1 ;;
	--php-proxy) php_proxy=1 ;;
	--cases=*) cases=${arg#--cases=} ;;
	--columns=*) pass+=("$arg") ;;
	*) echo "usage: $0 [--quick] [--bulk] [--runs=N] [--so=PATH] [--so-base=PATH] [--out=FILE] [--cases=...] [--columns=...] [--php-proxy]" >&2; exit 2 ;;
	esac
done
[[ "$runs" =~ ^[1-9][0-9]?$ ]] || { echo "bench: --runs must be 1..99" >&2; exit 2; }
if [ "$bulk" = 1 ] && [ -z "$cases" ]; then
	cases=bulk,bulk-10ms,bulk-postfix,bulk-postfix-10ms,bulk-chunk,bulk-chunk-10ms
fi
# the bulk figures go to a file of their own: a --bulk run leaves the main tables as they are
[ -n "$out" ] || { [ "$bulk" = 1 ] && out="$here/results-bulk.md" || out="$here/results.md"; }
[ -n "$cases" ] && pass+=("--cases=$cases")
need_bulk_sink=0
need_postfix=0
need_chunk_sink=0
[[ ",$cases," =~ ,bulk-10ms, ]] && need_bulk_sink=1
[[ ",$cases," =~ ,bulk-postfix ]] && need_postfix=1
[[ ",$cases," =~ ,bulk-chunk ]] && need_chunk_sink=1

log() { echo "bench: $*" >&2; }

# ---- packages ----
bash "$root/scripts/deps.sh" build
installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }
want=(postfix libphp-phpmailer php-symfony-mailer php-swiftmailer php-net-smtp php-mail-mime php-mbstring php-intl)
missing=()
for p in "${want[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	# "No configuration": Postfix's package writes no main.cf, so its init script has no system
	# instance to start; we only need its smtp-sink and smtp-source programs.
	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	apt=(env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -y -q -o Dpkg::Use-Pty=0)
	aptlog=$(mktemp "${TMPDIR:-/tmp}/mailer-bench-apt.XXXXXX")
	if ! { "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >"$aptlog" 2>&1 \
		|| { "${apt[@]}" update >>"$aptlog" 2>&1 \
			&& "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >>"$aptlog" 2>&1; }; }; then
		tail -n 30 "$aptlog" >&2
		rm -f "$aptlog"
		log "apt-get install failed"
		exit 1
	fi
	rm -f "$aptlog"
fi
for prog in smtp-sink smtp-source; do
	command -v "$prog" >/dev/null || [ -x "/usr/sbin/$prog" ] || { log "$prog not found"; exit 1; }
done
export PATH="$PATH:/usr/sbin"

work=$(mktemp -d "${TMPDIR:-/tmp}/mailer-bench.XXXXXX")
sink_pid=""
proxy_pid=""
driver_pid=""
bsink_pid=""
bproxy_pid=""
pproxy_pid=""
csink_pid=""
cproxy_pid=""
postfix_dir=""
dump_dir=""
cleanup() {
	local pid
	for pid in $driver_pid $proxy_pid $sink_pid $bproxy_pid $bsink_pid $pproxy_pid $cproxy_pid $csink_pid; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in $driver_pid $proxy_pid $sink_pid $bproxy_pid $bsink_pid $pproxy_pid $cproxy_pid $csink_pid; do
		wait "$pid" 2>/dev/null || true
	done
	# each proxy's own accuracy over the whole bench (it prints it when stopped)
	for f in "$work"/*proxy.out; do
		# (|| true: under set -e a failing last command here would end the trap before Postfix is stopped)
		{ [ -f "$f" ] && grep -h '^delay_proxy:' "$f" | grep -v ' 0 chunks' | sed "s|^|bench: $(basename "$f" .out): |" >&2; } || true
	done
	if [ -n "$postfix_dir" ]; then
		bash "$here/postfix_discard.sh" stop "$postfix_dir" || true
		rm -rf "$postfix_dir"
	fi
	[ -n "$dump_dir" ] && rm -rf "$dump_dir"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the extension: a release build (-O2, no dev flags) of the working tree, apart from it ----
if [ -z "$so" ]; then
	build="${MAILER_BENCH_BUILD:-${TMPDIR:-/tmp}/php-mailer-bench-build}"
	mkdir -p "$build"
	if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
		# tracked and new files as they are now, uncommitted edits included; mtimes kept so make
		# rebuilds only what changed since the last bench
		(cd "$root" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xpf - -C "$build"
	else
		(cd "$root" && tar --exclude=./modules --exclude='*.lo' --exclude='*.o' -cf - .) | tar -xpf - -C "$build"
	fi
	log "building the extension (release flags) in $build"
	blog="$work/build.log"
	if ! (cd "$build" && { [ -x configure ] && [ configure -nt config.m4 ] || phpize; } \
		&& { [ -f Makefile ] && [ config.status -nt configure ] || ./configure --enable-mailer; } \
		&& make -j"$(nproc)") >"$blog" 2>&1; then
		tail -n 30 "$blog" >&2
		log "build failed"
		exit 1
	fi
	so="$build/modules/mailer.so"
fi
[ -f "$so" ] || { log "$so is missing"; exit 1; }

cc -O2 -o "$work/rusage" "$here/rusage.c"
# the bulk figures rest on the proxy and the CHUNKING sink: check them first (~3 s)
if [ "$bulk" = 1 ] || [[ "$cases" == *bulk* ]]; then
	php "$here/instruments_check.php" >"$work/instruments.txt" 2>&1 \
		|| { cat "$work/instruments.txt" >&2; log "bench/instruments_check.php failed"; exit 1; }
	log "instruments checked: $(grep -c '^ok' "$work/instruments.txt") checks of bench/instruments_check.php passed"
fi
cc -O2 -Wall -o "$work/delay_proxy" "$here/delay_proxy.c"
cc -O2 -Wall -o "$work/chunk_sink" "$here/chunk_sink.c"
# The proxy stands for the network: at real-time priority (when root may set it) its forwarding
# does not wait behind the clients and servers for a core. It spins only the last microseconds
# before a due time and sleeps otherwise (its CPU is measured per cell).
rt=()
# (not the PHP proxy: it was measured at normal priority, and it can take a whole core)
# MAILER_BENCH_PROXY_RT=0: normal priority (the proxy then costs about half the CPU, but on a busy
# machine its chunks leave up to milliseconds late)
[ "$php_proxy" = 0 ] && [ "${MAILER_BENCH_PROXY_RT:-1}" = 1 ] && chrt -f 1 true 2>/dev/null && rt=(chrt -f 1)
start_proxy() { # listen port, upstream port, output file; sets last_pid (the proxy's own: chrt execs
	# it, and it bounds its life itself, so that run.php can read its CPU time by that PID)
	if [ "$php_proxy" = 1 ]; then
		"${rt[@]}" php "$here/delay_proxy.php" "$1" "$2" 5 "$lifetime" >"$3" 2>&1 &
	else
		"${rt[@]}" "$work/delay_proxy" "$1" "$2" 5 "$lifetime" >"$3" 2>&1 &
	fi
	last_pid=$!
}

# ---- smtp-sink and the proxy, on ports free now ----
read -r sink_port proxy_port bsink_port bproxy_port pproxy_port csink_port cproxy_port ping_port ping_proxy_port \
	< <(php -n -r '
	$p = [];
	while (count($p) < 9) {
		$s = stream_socket_server("tcp://127.0.0.1:0");
		$p[] = (int)substr(strrchr(stream_socket_get_name($s, false), ":"), 1);
		$keep[] = $s; // held until both are picked, so they differ
	}
	echo implode(" ", $p), "\n";')
lifetime=3600 # a hard bound on both helpers' life, whatever happens to this script
user=()
[ "$(id -u)" -eq 0 ] && user=(-u nobody) # smtp-sink refuses to run as root
# -c: the counters run.php checks every cell against
timeout "$lifetime" smtp-sink -c "${user[@]}" "127.0.0.1:$sink_port" 256 >"$work/sink.log" 2>"$work/sink.err" &
sink_pid=$!
start_proxy "$proxy_port" "$sink_port" "$work/proxy.out"
proxy_pid=$last_pid
for _ in $(seq 100); do
	if php -n -r 'exit(@fsockopen("127.0.0.1", (int)$argv[1]) ? 0 : 1);' "$sink_port" && grep -q ready "$work/proxy.out"; then
		break
	fi
	sleep 0.1
done
php -n -r 'exit(@fsockopen("127.0.0.1", (int)$argv[1]) ? 0 : 1);' "$sink_port" || { cat "$work/sink.err" >&2; log "smtp-sink did not start"; exit 1; }
grep -q ready "$work/proxy.out" || { cat "$work/proxy.out" >&2; log "the delay proxy did not start"; exit 1; }
log "smtp-sink on 127.0.0.1:$sink_port, 5 ms proxy on 127.0.0.1:$proxy_port; $runs run(s)"

# ---- the bulk cases' servers, only when asked for ----
wait_port() { # port, what; bounded
	for _ in $(seq 100); do
		php -n -r 'exit(@fsockopen("127.0.0.1", (int)$argv[1]) ? 0 : 1);' "$1" && return 0
		sleep 0.1
	done
	log "$2 did not start on port $1"
	return 1
}
bulk_args=()
tmp_base() { # a tmpfs when there is one
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then echo /dev/shm; else echo "${TMPDIR:-/tmp}"; fi
}
if [ "$need_bulk_sink" = 1 ]; then
	# the dump (-D) holds one X-Rcpt-Args line per recipient: the recipient counter. On a tmpfs
	# when there is one (the sink writes it line by line); smtp-sink writes it as the user it
	# switched to.
	dump_dir=$(mktemp -d "$(tmp_base)/mailer-bench-dump.XXXXXX")
	[ ${#user[@]} -gt 0 ] && chown nobody "$dump_dir"
	timeout "$lifetime" smtp-sink -c -D "$dump_dir/transactions" "${user[@]}" "127.0.0.1:$bsink_port" 256 \
		>"$work/bsink.log" 2>"$work/bsink.err" &
	bsink_pid=$!
	wait_port "$bsink_port" "the dumping smtp-sink" || { cat "$work/bsink.err" >&2; exit 1; }
	start_proxy "$bproxy_port" "$bsink_port" "$work/bproxy.out"
	bproxy_pid=$last_pid
	wait_port "$bproxy_port" "the dumping sink's proxy" || { cat "$work/bproxy.out" >&2; exit 1; }
	bulk_args+=(--bulk-sink-port="$bsink_port" --bulk-sink-log="$work/bsink.log"
		--bulk-sink-dump="$dump_dir/transactions" --bulk-sink-proxy-port="$bproxy_port"
		--bulk-sink-proxy-pid="$bproxy_pid")
	log "dumping smtp-sink on 127.0.0.1:$bsink_port, its 5 ms proxy on 127.0.0.1:$bproxy_port"
fi
if [ "$need_postfix" = 1 ]; then
	# on a tmpfs when there is one: the queue's fsyncs are then not what is measured
	postfix_dir="$(tmp_base)/mailer-bench-postfix.$$.$RANDOM"
	read -r postfix_port postfix_log postfix_master < <(bash "$here/postfix_discard.sh" start "$postfix_dir") \
		|| { log "the discarding Postfix did not start"; exit 1; }
	start_proxy "$pproxy_port" "$postfix_port" "$work/pproxy.out"
	pproxy_pid=$last_pid
	wait_port "$pproxy_port" "Postfix's proxy" || { cat "$work/pproxy.out" >&2; exit 1; }
	bulk_args+=(--postfix-port="$postfix_port" --postfix-log="$postfix_log" --postfix-proxy-port="$pproxy_port"
		--postfix-proxy-pid="$pproxy_pid" --postfix-master-pid="$postfix_master")
	log "discarding Postfix (master $postfix_master, $postfix_dir) on 127.0.0.1:$postfix_port, its 5 ms proxy on 127.0.0.1:$pproxy_port"
fi

if [ "$need_chunk_sink" = 1 ]; then
	"$work/chunk_sink" -L "$lifetime" "$csink_port" >"$work/csink.log" 2>"$work/csink.err" &
	csink_pid=$!
	wait_port "$csink_port" "the CHUNKING sink" || { cat "$work/csink.err" >&2; exit 1; }
	start_proxy "$cproxy_port" "$csink_port" "$work/cproxy.out"
	cproxy_pid=$last_pid
	wait_port "$cproxy_port" "the CHUNKING sink's proxy" || { cat "$work/cproxy.out" >&2; exit 1; }
	bulk_args+=(--chunk-sink-port="$csink_port" --chunk-sink-log="$work/csink.log" --chunk-sink-pid="$csink_pid"
		--chunk-sink-proxy-port="$cproxy_port" --chunk-sink-proxy-pid="$cproxy_pid")
	log "CHUNKING sink (bench/chunk_sink.c) on 127.0.0.1:$csink_port, its 5 ms proxy on 127.0.0.1:$cproxy_port"
fi

# ---- the proxy's accuracy, measured as it runs: 300 round trips of 32 octets through a proxy of
# its own (the same binary and priority), before the cells ----
start_proxy "$ping_proxy_port" "$ping_port" "$work/ping-proxy.out"
ping_proxy_pid=$last_pid
wait_port "$ping_proxy_port" "the accuracy check's proxy" || exit 1
accuracy=$(timeout 60 "$work/delay_proxy" --pingpong "$ping_proxy_port" "$ping_port" 300 32 2>&1 | tr '\n' ';') \
	|| accuracy="the accuracy check failed: $accuracy"
kill "$ping_proxy_pid" 2>/dev/null || true
wait "$ping_proxy_pid" 2>/dev/null || true
accuracy+=$(grep -h '^delay_proxy:' "$work/ping-proxy.out" || true)
rm -f "$work/ping-proxy.out"
log "the delay proxy's accuracy: $accuracy"

# in the background and waited for, so a signal to this script runs the trap at once
php "$here/run.php" --so="$so" ${so_base:+--so-base="$so_base"} --sink-port="$sink_port" --sink-log="$work/sink.log" --proxy-port="$proxy_port" \
	--proxy-pid="$proxy_pid" --proxy-accuracy="$accuracy" --proxy-rt="${rt[*]:-none}" \
	--proxy-kind="$([ "$php_proxy" = 1 ] && echo bench/delay_proxy.php || echo bench/delay_proxy.c)" \
	--rusage="$work/rusage" --work="$work" --runs="$runs" --out="$out" "${bulk_args[@]}" "${pass[@]}" &
driver_pid=$!
wait "$driver_pid"
