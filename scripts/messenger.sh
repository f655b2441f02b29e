#!/usr/bin/env bash
# Symfony Messenger workers over Redis sending mail through the extension to Postfix
# (tests/bridge/messenger/queue.php does the PHP side).
#
#   bash scripts/messenger.sh fault [COUNT]     the fault test (a stage of scripts/test.sh):
#       COUNT messages (default 300) enqueued, 2 workers with the native transport (persistent
#       connection) and the idempotency guard (bridge/symfony/src/Messenger/); worker w1 is
#       killed with SIGKILL at random points and restarted, Redis is killed and restarted once.
#       Checks, by Message-ID in Postfix's Maildir: every message delivered exactly once, except
#       those the guard lists as uncertain (delivered once or not at all, never twice).
#   bash scripts/messenger.sh fault [COUNT] batch
#       the same with the workers' handler Messenger\SendEmailBatchHandler (batches of
#       MESSENGER_BATCH, default 20, each sent with one sendMany()) behind PendingOnceReceiver.
#   bash scripts/messenger.sh batch [COUNT]     the batch handler's stage of scripts/test.sh:
#       COUNT messages (default 300), the last 5 of them to the domain Postfix refuses, 2 workers
#       with SendEmailBatchHandler (batches of 50) and the guard. Checks, by Message-ID in the
#       Maildir: every deliverable message delivered exactly once; nothing uncertain; batches of
#       more than one message. By the Worker's events (on every Messenger version): each
#       deliverable one handled once, the refused ones failed once each and not retried; and each
#       worker ended with its summary line. MAILER_QUEUE_GUARD=0: the same without the guard.
#   bash scripts/messenger.sh bench COUNT WORKERS native|symfony [guard|noguard] [batch]
#       COUNT messages enqueued, then WORKERS workers started at once; prints one line
#       "bench: ... msgs/s ... cpu ms/msg" (bench/messenger.sh runs the matrix); "batch": the
#       workers' handler is SendEmailBatchHandler (batches of MESSENGER_BATCH, default 50, each
#       sendMany() on MESSENGER_CONNECTIONS sessions, default 1).
#   MESSENGER_FSYNC=everysec (any mode): Redis's appendfsync (default always); for the bench, to
#       see what the sync of every queue write costs.
#
# redis-server (Debian's) is started here on a loopback port picked at start, in a private
# directory (appendonly, fsync at every write: the queue and the states survive its restart), and
# stopped by its PID. Postfix is the instance of scripts/postfix.sh under MAILER_POSTFIX_DIR when
# it runs (scripts/test.sh starts one), otherwise one started here and stopped at the end.
# Needs root (Postfix; packages installed when missing). Every wait is bounded.
# Last line: "messenger: N passed, N failed" (each check one).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-fault}

log() { echo "messenger: $*" >&2; }
passed=0 failed=0
check() { # check NAME CONDITION-STATUS DETAIL
	if [ "$2" = 0 ]; then
		passed=$((passed + 1)); echo "  ok    $1 ${3:-}"
	else
		failed=$((failed + 1)); echo "  FAIL  $1 ${3:-}"
	fi
}
result() { echo "messenger: $passed passed, $failed failed"; }

pkgs=(redis-server php-redis php-symfony-mailer php-symfony-messenger php-symfony-redis-messenger)
missing=()
for p in "${pkgs[@]}"; do
	dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	# policy-rc.d may be missing: the package's own redis-server must not start.
	if ! { apt-get -q update && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get -y -q install \
		--no-install-recommends "${missing[@]}"; } </dev/null >/tmp/mailer-messenger-apt.log 2>&1; then
		tail -n 20 /tmp/mailer-messenger-apt.log
		check "packages ${missing[*]}" 1; result; exit 1
	fi
fi
[ -f modules/mailer.so ] || bash scripts/build.sh >/dev/null || { check build 1; result; exit 1; }

work=$(mktemp -d /tmp/mailer-messenger.XXXXXX)
chmod 755 "$work"
redis_pid= own_postfix=0
workers=()
cleanup() {
	local pid
	for pid in "${workers[@]}"; do
		[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	stop_redis
	if [ "$own_postfix" = 1 ]; then
		MAILER_POSTFIX_DIR=$work/postfix bash scripts/postfix.sh stop >/dev/null 2>&1
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# PHP with what Symfony and php-redis need, under -n like the test suite.
ext_dir=$(php -n -r 'echo ini_get("extension_dir");')
php_cmd=(php -n -d "extension=$root/modules/mailer.so")
# MAILER_SYMFONY_DIR (bridge/symfony/tests/bootstrap.php): another Symfony tree, a compat root's
# /usr/share/php say, tried on this PHP; its autoloaders find each other on the include path.
[ -n "${MAILER_SYMFONY_DIR:-}" ] && php_cmd+=(-d "include_path=.:$MAILER_SYMFONY_DIR")
for e in igbinary msgpack redis mbstring intl iconv ctype; do
	[ -f "$ext_dir/$e.so" ] && ! php -n -m | grep -qix "$e" && php_cmd+=(-d "extension=$e")
done
queue() { "${php_cmd[@]}" tests/bridge/messenger/queue.php "$@"; }

redis_port=$(php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')
start_redis() {
	local i
	redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes --appendfsync "${MESSENGER_FSYNC:-always}" \
		--save '' --daemonize no --logfile "$work/redis.log" >/dev/null 2>&1 &
	redis_pid=$!
	for i in $(seq 100); do
		redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && return 0
		sleep 0.05
	done
	log "redis-server did not answer on port $redis_port"; tail -n 5 "$work/redis.log" >&2
	return 1
}
stop_redis() { # SIGKILL: what survives is what the append-only file had
	if [ -n "$redis_pid" ]; then
		kill -9 "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; redis_pid=
	fi
}
start_redis || { check "redis-server" 1; result; exit 1; }
export MAILER_REDIS=127.0.0.1:$redis_port

pf_env=${MAILER_POSTFIX_DIR:-/tmp/mailer-postfix}/ports.env
if [ ! -f "$pf_env" ] || ! MAILER_POSTFIX_DIR=$(dirname "$pf_env") bash scripts/postfix.sh status >/dev/null 2>&1; then
	log "starting a Postfix instance of its own"
	own_postfix=1
	MAILER_POSTFIX_DIR=$work/postfix bash scripts/postfix.sh start </dev/null >"$work/postfix-start.log" 2>&1 \
		|| { cat "$work/postfix-start.log"; check "postfix" 1; result; exit 1; }
	pf_env=$work/postfix/ports.env
fi
# shellcheck disable=SC1090
. "$pf_env"
relay=$MAILER_POSTFIX_RELAY_PORT
maildir=$MAILER_POSTFIX_MAILDIR

# Message-IDs of the run's messages in the Maildir, one per delivered file.
delivered_ids() {
	grep -rl --include='*' -e "^X-Queue-Run: $1\$" "$maildir/new" "$maildir/cur" 2>/dev/null \
		| xargs -r grep -h -m1 -i '^Message-ID:' | sed 's/^[^:]*: *//; s/\r$//'
}
wait_delivered() { # wait_delivered TAG COUNT SECONDS: Postfix's queue to the Maildir
	local i n=0
	for i in $(seq $(($3 * 10))); do
		n=$(delivered_ids "$1" | wc -l)
		[ "$n" -ge "$2" ] && break
		sleep 0.1
	done
	sleep 0.5   # anything still in Postfix's queue that would make a duplicate
	delivered_ids "$1" | wc -l
}

cpu_of() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null; }

case "$mode" in
fault)
	count=${2:-300}
	tag="fault-$$-$RANDOM"
	deadline=$((SECONDS + 180))
	handler="one at a time"
	if [ "${3:-}" = batch ]; then
		export MAILER_QUEUE_BATCH=${MESSENGER_BATCH:-20}
		handler="batch handler, batches of $MAILER_QUEUE_BATCH"
		# redeliver_timeout above a batch's time: a live worker's held entries are not claimed
		claim=10
	fi
	echo "== fault test: $count messages, 2 workers ($handler), w1 killed at random points, Redis restarted once"
	queue enqueue "$count" "$tag" >/dev/null || { check enqueue 1; result; exit 1; }
	export MAILER_QUEUE_DSN="native+smtp://127.0.0.1:$relay?persistent=1" MAILER_QUEUE_IDLE=0 MAILER_QUEUE_CLAIM=${claim:-2}
	# php itself in the background (not a function's subshell): its PID is the one killed
	start_worker() { "${php_cmd[@]}" tests/bridge/messenger/queue.php work "$1" >>"$work/$1.log" 2>&1 & workers[$2]=$!; }
	start_worker w1 0
	start_worker w2 1
	kills=0 redis_restarts=0 worker_restarts=0 done=0
	status='{}'
	while [ $SECONDS -lt $deadline ]; do
		# a random point: 50 to 650 ms
		sleep "0.$(printf '%03d' $((50 + RANDOM % 600)))"
		status=$(queue status 2>/dev/null || echo '{}')
		settled=$(php -n -r '$s = json_decode($argv[1], true) ?: []; echo ($s["accepted"] ?? 0) + ($s["uncertain"] ?? 0);' "$status")
		if [ "$settled" -ge "$count" ]; then done=1; break; fi
		if [ "$redis_restarts" = 0 ] && [ "$settled" -ge $((count / 2)) ]; then
			log "killing and restarting Redis ($settled settled)"
			stop_redis; sleep 0.3; start_redis || break
			redis_restarts=1
		elif [ "$kills" -lt 12 ] && kill -0 "${workers[0]}" 2>/dev/null; then
			kill -9 "${workers[0]}" 2>/dev/null; wait "${workers[0]}" 2>/dev/null
			kills=$((kills + 1))
			start_worker w1 0
		fi
		# a worker that stopped by itself (Redis gone under it) is restarted
		for i in 0 1; do
			if ! kill -0 "${workers[$i]}" 2>/dev/null; then
				wait "${workers[$i]}" 2>/dev/null
				worker_restarts=$((worker_restarts + 1))
				start_worker "w$((i + 1))" "$i"
			fi
		done
	done
	for pid in "${workers[@]}"; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
	workers=()
	echo "   $((SECONDS)) s; w1 killed $kills times; Redis restarted $redis_restarts time; workers restarted after an error $worker_restarts times; states $status"
	check "every message settled (accepted or uncertain) within the time" $((1 - done)) "($settled of $count)"
	check "w1 was killed mid-run and Redis restarted" $([ "$kills" -gt 0 ] && [ "$redis_restarts" = 1 ]; echo $?)

	queue uncertain >"$work/uncertain.json"
	# the uncertain ones may never arrive: wait for the others only (a duplicate would come with them)
	n_unc=$(php -n -r 'echo count(json_decode(file_get_contents($argv[1]), true) ?: []);' "$work/uncertain.json")
	n=$(wait_delivered "$tag" $((count - n_unc)) 60)
	ids=$(delivered_ids "$tag" | sort)
	dups=$(uniq -d <<<"$ids" | grep -c . )
	distinct=$(uniq <<<"$ids" | grep -c .)
	uncertain=$(php -n -r 'echo implode("\n", array_keys(json_decode(file_get_contents($argv[1]), true) ?: []));' "$work/uncertain.json")
	n_uncertain=$(grep -c . <<<"$uncertain")
	# the uncertain ones that Postfix did get (once): an operator finds them in its log by Message-ID
	n_uncertain_delivered=0
	while read -r id; do
		[ -z "$id" ] && continue
		if grep -qxF -- "$id" <<<"$ids"; then n_uncertain_delivered=$((n_uncertain_delivered + 1)); fi
		echo "   uncertain: $id  (Postfix's log: $(grep -cF "message-id=$id" "$MAILER_POSTFIX_LOG" 2>/dev/null) line)"
	done <<<"$uncertain"
	echo "   delivered files $n, distinct Message-IDs $distinct, duplicates $dups, uncertain $n_uncertain ($n_uncertain_delivered of them delivered)"
	check "no Message-ID delivered twice" $([ "$dups" = 0 ]; echo $?) "($dups duplicates)"
	check "every message delivered once except the uncertain ones" \
		$([ $((distinct - n_uncertain_delivered)) -eq $((count - n_uncertain)) ]; echo $?) \
		"($distinct delivered = $count - $n_uncertain uncertain + $n_uncertain_delivered uncertain delivered)"
	check "every delivered Message-ID is one the run enqueued" \
		$([ "$(grep -vc "@example.org>\$" <<<"$ids")" = 0 ] || [ -z "$ids" ]; echo $?)
	;;
batch)
	count=${2:-300} refused=5
	tag="batch-$$-$RANDOM"
	echo "== batch handler: $count messages ($refused to $MAILER_POSTFIX_REJECT_DOMAIN, refused), 2 workers, batches of 50"
	export MAILER_QUEUE_DSN="native+smtp://127.0.0.1:$relay?persistent=1" MAILER_QUEUE_BATCH=50 MAILER_QUEUE_IDLE=2 MAILER_QUEUE_CLAIM=30
	export MAILER_POSTFIX_REJECT_DOMAIN
	queue enqueue "$count" "$tag" "$refused" >/dev/null || { check enqueue 1; result; exit 1; }
	for i in 1 2; do
		"${php_cmd[@]}" tests/bridge/messenger/queue.php work "w$i" >"$work/w$i.out" 2>"$work/w$i.log" &
		workers+=($!)
	done
	# the workers stop after 2 idle seconds; bounded all the same
	for i in $(seq 1200); do
		alive=0
		for pid in "${workers[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ "$alive" = 0 ] && break
		sleep 0.1
	done
	for pid in "${workers[@]}"; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
	workers=()
	check "the workers stopped by themselves (queue empty)" "$alive"
	good=$((count - refused))
	n=$(wait_delivered "$tag" "$good" 60)
	ids=$(delivered_ids "$tag" | sort)
	dups=$(uniq -d <<<"$ids" | grep -c .)
	distinct=$(uniq <<<"$ids" | grep -c .)
	# the workers' log (info left out) and anything else they printed (a PHP error goes to stdout)
	cat "$work"/w*.log | grep -v '^w[12] info' | head -n 20
	cat "$work"/w*.out | grep -v '^worker ' | head -n 20
	batches=$(grep -ho 'Batch of [0-9]* emails' "$work"/w*.log | awk '{ n++; s += $3; if ($3 > m) m = $3 } END { printf "%d batches, %d messages, largest %d", n, s, m }')
	refused_final=$(grep -c "^failed .*UnrecoverableMessageHandlingException 550 final\$" "$work"/w*.log | awk -F: '{ s += $NF } END { print s + 0 }')
	retried=$(grep -c " retried\$" "$work"/w*.log | awk -F: '{ s += $NF } END { print s + 0 }')
	queue uncertain >"$work/uncertain.json"
	n_uncertain=$(php -n -r 'echo count(json_decode(file_get_contents($argv[1]), true) ?: []);' "$work/uncertain.json")
	handled=$(awk '/^worker /{ h += $4 } END { print h + 0 }' "$work"/w*.out)
	echo "   $batches; delivered files $n, distinct Message-IDs $distinct, duplicates $dups; handled $handled; refused and final $refused_final; retried $retried; uncertain $n_uncertain"
	check "every deliverable message delivered exactly once" $([ "$distinct" = "$good" ] && [ "$dups" = 0 ]; echo $?) "($distinct of $good, $dups duplicates)"
	check "none uncertain (the guard's states)" $([ "$n_uncertain" = 0 ]; echo $?) "(uncertain $n_uncertain)"
	# The counts come from the Worker's handled/failed events, on every Messenger version: a
	# deliverable message counted as failed (retried) would be one Messenger resends.
	check "the $refused refused messages nacked once each and not retried" $([ "$refused_final" = "$refused" ] && [ "$retried" = 0 ]; echo $?) "($refused_final final, $retried retried)"
	check "the deliverable ones acknowledged as sent" $([ "$handled" = "$good" ]; echo $?) "(handled $handled)"
	check "each worker ended with its summary line (no fatal error)" $([ "$(grep -c '^worker ' "$work"/w*.out | awk -F: '{ s += $NF } END { print s + 0 }')" = 2 ]; echo $?)
	check "sent in batches of more than one (one sendMany() each)" $(grep -q 'Batch of \([2-9]\|[1-9][0-9]\)[0-9]* emails' "$work"/w*.log; echo $?) "($batches)"
	;;
bench)
	count=${2:-5000} nworkers=${3:-1} kind=${4:-native} guard=${5:-guard} mode=${6:-single}
	tag="bench-$$-$RANDOM"
	case "$kind" in
	native) export MAILER_QUEUE_DSN="native+smtp://127.0.0.1:$relay?persistent=1" ;;
	symfony) export MAILER_QUEUE_DSN="smtp://127.0.0.1:$relay" ;;
	*) log "kind: native or symfony"; exit 2 ;;
	esac
	[ "$guard" = guard ] && export MAILER_QUEUE_GUARD=1 || export MAILER_QUEUE_GUARD=0
	if [ "$mode" = batch ]; then
		[ "$kind" = native ] || { log "batch: native only (sendMany())"; exit 2; }
		export MAILER_QUEUE_BATCH=${MESSENGER_BATCH:-50} MAILER_QUEUE_CLAIM=30
		export MAILER_QUEUE_CONNECTIONS=${MESSENGER_CONNECTIONS:-1}
	fi
	export MAILER_QUEUE_IDLE=1
	queue enqueue "$count" "$tag" >/dev/null || { check enqueue 1; result; exit 1; }
	start=$(date +%s.%N)
	for i in $(seq "$nworkers"); do
		"${php_cmd[@]}" tests/bridge/messenger/queue.php work "w$i" >"$work/w$i.log" 2>&1 &
		workers+=($!)
	done
	for pid in "${workers[@]}"; do wait "$pid"; done
	workers=()
	end=$(date +%s.%N)
	handled=$(awk '/^worker /{ h += $4 } END { print h + 0 }' "$work"/w*.log)
	cpu=$(awk '/^worker /{ c += $NF } END { print c + 0 }' "$work"/w*.log)
	n=$(wait_delivered "$tag" "$count" 120)
	# the batch handler's batches: how many, their mean size
	batches=$(grep -ho 'Batch of [0-9]* emails' "$work"/w*.log | awk '{ n++; s += $3 } END { if (n) printf "  batches %d of %.0f", n, s / n }')
	# the idle second each worker waits before it stops is not sending time
	php -n -r 'list(, $kind, $guard, $w, $count, $handled, $n, $start, $end, $cpu, $batches) = $argv; $t = $end - $start - 1.0;
		printf("bench: %-13s %-7s workers=%d messages=%d handled=%d delivered=%d  %.1f s  %.0f msgs/s  cpu %.3f ms/msg%s\n",
			$kind, $guard, $w, $count, $handled, $n, $t, $count / $t, 1000 * $cpu / $count, $batches);' \
		"$kind$([ "$mode" = batch ] && echo "+batch$([ "${MAILER_QUEUE_CONNECTIONS:-1}" != 1 ] && echo "/c$MAILER_QUEUE_CONNECTIONS")")" "$guard" "$nworkers" "$count" "$handled" "$n" "$start" "$end" "$cpu" "$batches"
	check "all $count delivered once" $([ "$n" = "$count" ] && [ "$handled" = "$count" ]; echo $?) "(handled $handled, delivered $n)"
	;;
*) echo "usage: $0 fault [COUNT] [batch] | batch [COUNT] | bench COUNT WORKERS native|symfony [guard|noguard] [batch]" >&2; exit 2 ;;
esac
result
[ "$failed" = 0 ]
