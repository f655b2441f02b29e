#!/usr/bin/env bash
# The README's first command: installs what is missing (Debian 12, as root), builds the extension,
# starts a local SMTP capture server on 127.0.0.1 (an ephemeral port), sends one real message to
# it with examples/quickstart.php, and prints the message exactly as the server received it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/deps.sh build
bash scripts/build.sh

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mailer-demo.XXXXXX")
server_pid=
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for SECONDS TEST...: polls TEST every 0.1 s until it succeeds or time runs out.
wait_for() {
	local tenths=$(($1 * 10))
	shift
	while [ "$tenths" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}
server_running() { kill -0 "$server_pid" 2>/dev/null; }
server_stopped() { ! server_running; }
port_known() { head -n 1 "$tmp/server.out" | grep -q '^PORT [0-9][0-9]*$'; }

php -n tests/inc/capture_server.php >"$tmp/server.out" 2>"$tmp/server.err" </dev/null &
server_pid=$!
if ! wait_for 10 port_known; then
	echo "demo: the capture server did not report its port:" >&2
	cat "$tmp/server.out" "$tmp/server.err" >&2
	exit 1
fi
port=$(head -n 1 "$tmp/server.out" | cut -d' ' -f2)
echo "demo: capture server (pid $server_pid) listening on 127.0.0.1:$port"
echo
echo "== examples/quickstart.php (debug on) =="
status=0
php -n -d extension="$root/modules/mailer.so" examples/quickstart.php "$port" || status=$?
echo
if ! wait_for 15 server_stopped; then
	echo "demo: the capture server did not finish the session within 15 s" >&2
	[ "$status" -ne 0 ] || status=1
fi
echo "== what the server received =="
tail -n +2 "$tmp/server.out"
if [ -s "$tmp/server.err" ]; then
	echo "== capture server errors =="
	cat "$tmp/server.err"
fi
if [ "$status" -eq 0 ] && ! grep -q '^===== end of message 1 =====$' "$tmp/server.out"; then
	echo "demo: no message arrived" >&2
	status=1
fi
exit "$status"
