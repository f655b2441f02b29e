#!/usr/bin/env bash
# The delay proxies' accuracy, side by side: COUNT round trips of 32 octets through
# bench/delay_proxy.c (at real-time priority when root may set it, and at normal priority) and
# through the older bench/delay_proxy.php, 5 ms each way, measured by `delay_proxy --pingpong`
# (see bench/README.md, "The instruments").
#
#   bash bench/proxy_accuracy.sh [COUNT=1000]
#
# Every proxy it starts is stopped by its PID; each lives 120 s at most in any case.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
count=${1:-1000}
[[ "$count" =~ ^[1-9][0-9]{0,5}$ ]] || { echo "usage: $0 [COUNT]" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/mailer-proxy-accuracy.XXXXXX")
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cc -O2 -Wall -o "$work/delay_proxy" "$here/delay_proxy.c"
free_ports() {
	php -n -r '$p = []; while (count($p) < 2) { $s = stream_socket_server("tcp://127.0.0.1:0");
		$p[] = (int)substr(strrchr(stream_socket_get_name($s, false), ":"), 1); $keep[] = $s; }
		echo implode(" ", $p), "\n";'
}
rt=()
chrt -f 1 true 2>/dev/null && rt=(chrt -f 1)
echo "$(date -u '+%F %T UTC'), $(uptime | sed 's/.*load/load/'), $count round trips of 32 octets, 5 ms each way"
for proxy in c-rt c php; do
	[ "$proxy" = c-rt ] && [ ${#rt[@]} -eq 0 ] && continue
	read -r listen echo_port < <(free_ports)
	case "$proxy" in
	c-rt) "${rt[@]}" "$work/delay_proxy" "$listen" "$echo_port" 5 120 >"$work/out" 2>&1 & ;;
	c) "$work/delay_proxy" "$listen" "$echo_port" 5 120 >"$work/out" 2>&1 & ;;
	php) php "$here/delay_proxy.php" "$listen" "$echo_port" 5 120 >"$work/out" 2>&1 & ;;
	esac
	pid=$!
	for _ in $(seq 50); do grep -q ready "$work/out" && break; sleep 0.1; done
	echo "== $(case $proxy in c-rt) echo "delay_proxy.c, ${rt[*]}" ;; c) echo "delay_proxy.c, normal priority" ;; php) echo delay_proxy.php ;; esac)"
	timeout 120 "$work/delay_proxy" --pingpong "$listen" "$echo_port" "$count" 32 | sed 's/^pingpong: /  /'
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=""
	grep -h '^delay_proxy:' "$work/out" | sed 's/^delay_proxy: /  proxy: /' || true
done
