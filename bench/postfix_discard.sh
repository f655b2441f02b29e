#!/usr/bin/env bash
# A private Postfix instance that accepts anything from loopback and discards it: the bulk
# benchmark's CHUNKING target (smtp-sink offers PIPELINING but not CHUNKING). Started and stopped
# by bench/run.sh; never the system's Postfix.
#
#   bash bench/postfix_discard.sh start DIR    prints "PORT LOG MASTER_PID" once smtpd answers
#   bash bench/postfix_discard.sh stop DIR     stops the master started in DIR, by its PID
#
# DIR must not exist yet at start (a fresh instance every bench) and its parents must be
# searchable by the postfix user. Config, queue and log all live in DIR; the queue is in DIR too,
# so put DIR on a tmpfs (bench/run.sh uses /dev/shm when it can): the server's fsyncs are then
# free and the client is what is measured. Every recipient goes to the discard transport, which
# logs "status=sent" for each recipient and qmgr logs "removed" for each message: the counters
# bench/run.php checks every cell against. Needs root (Postfix's master runs as root).
# POSTFIX_DISCARD_TUNED=0 leaves out the settings that make it faster (see write_config), to
# measure what they bring.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
case "$dir" in
/?*) dir="${dir%/}" ;;
*) echo "postfix_discard.sh: DIR must be an absolute path" >&2; exit 2 ;;
esac
[[ "$dir" =~ ^[A-Za-z0-9_./-]+$ ]] || { echo "postfix_discard.sh: DIR may hold only [A-Za-z0-9_./-]" >&2; exit 2; }
etc="$dir/etc"
pid_file="$dir/queue/pid/master.pid"
export PATH="$PATH:/usr/sbin"

log() { echo "postfix_discard.sh: $*" >&2; }

# The master's PID from our own pid file, only while it is still Postfix's master.
master_pid() {
	local pid
	[ -r "$pid_file" ] || return 1
	pid=$(tr -dc 0-9 <"$pid_file")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '/master' || return 1
	echo "$pid"
}

stop() {
	local pid i
	pid=$(master_pid) || return 0
	timeout 30 postfix -c "$etc" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	log "master $pid still running after 10 s; SIGKILL"
	kill -9 "$pid" 2>/dev/null || true
}

free_port() {
	php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0") or exit(1);
		echo (int)substr(strrchr(stream_socket_get_name($s, false), ":"), 1), "\n";'
}

write_config() {
	local port=$1
	cat >"$etc/main.cf" <<-EOF
		# Written by bench/postfix_discard.sh: accept from loopback, discard everything.
		compatibility_level = 3.6
		config_directory = $etc
		queue_directory = $dir/queue
		data_directory = $dir/data
		mail_owner = postfix
		setgid_group = postdrop
		myhostname = bench-discard.mailer.test
		inet_interfaces = loopback-only
		inet_protocols = ipv4
		mynetworks = 127.0.0.0/8
		mydestination =
		local_recipient_maps =
		alias_maps =
		alias_database =
		relay_domains =
		relayhost =
		biff = no
		default_transport = discard:bench
		relay_transport = discard:bench
		smtpd_relay_restrictions = permit_mynetworks, reject
		maillog_file = $dir/log/maillog
		maillog_file_prefixes = $dir/log
		# Offer everything (CHUNKING and PIPELINING are on by default; nothing is hidden).
		smtpd_discard_ehlo_keywords =
		# A benchmark sends bursts: no throttling, no waiting for the queue, no DNS.
		in_flow_delay = 0
		smtpd_client_connection_count_limit = 0
		smtpd_client_connection_rate_limit = 0
		smtpd_client_message_rate_limit = 0
		smtpd_peername_lookup = no
		smtpd_error_sleep_time = 0
		default_process_limit = 150
		default_destination_concurrency_limit = 20
	EOF
	[ "${POSTFIX_DISCARD_TUNED:-1}" = 1 ] && cat >>"$etc/main.cf" <<-EOF
		# As fast as Postfix goes, with every message still queued, handed to qmgr and delivered
		# (discarded) and logged as such ("removed", "status=sent": the counters).
		# Nothing to look up or rewrite: no canonical/virtual/masquerading, header or body checks,
		# milters, recipient validation, or rewriting of the headers' addresses; no MIME parsing.
		receive_override_options = no_address_mappings, no_header_body_checks, no_unknown_recipient_checks, no_milters
		smtpd_reject_unlisted_recipient = no
		smtpd_reject_unlisted_sender = no
		local_header_rewrite_clients =
		disable_mime_input_processing = yes
		enable_original_recipient = no
		# Processes live for the whole bench: by default cleanup and discard exit after 100
		# messages (max_use) and are forked and exec'd again.
		max_use = 1000000
		max_idle = 3600
		# No anvil round trip per connection and message for loopback clients.
		smtpd_client_event_limit_exceptions = 127.0.0.0/8
	EOF
	cat >"$etc/master.cf" <<-EOF
		# service type  private unpriv  chroot  wakeup  maxproc command
		127.0.0.1:$port inet n   -       n       -       -       smtpd
		cleanup   unix  n       -       n       -       0       cleanup
		qmgr      unix  n       -       n       300     1       qmgr
		rewrite   unix  -       -       n       -       -       trivial-rewrite
		bounce    unix  -       -       n       -       0       bounce
		defer     unix  -       -       n       -       0       bounce
		trace     unix  -       -       n       -       0       bounce
		verify    unix  -       -       n       -       1       verify
		proxymap  unix  -       -       n       -       -       proxymap
		showq     unix  n       -       n       -       -       showq
		error     unix  -       -       n       -       -       error
		retry     unix  -       -       n       -       -       error
		discard   unix  -       -       n       -       -       discard
		anvil     unix  -       -       n       -       1       anvil
		scache    unix  -       -       n       -       1       scache
		postlog   unix-dgram n  -       n       -       1       postlogd
	EOF
}

start() {
	[ "$(id -u)" -eq 0 ] || { log "must run as root (Postfix's master needs it)"; exit 1; }
	command -v postfix >/dev/null || { log "postfix is not installed"; exit 1; }
	[ ! -e "$dir" ] || { log "$dir exists: give a new directory"; exit 1; }
	mkdir -p "$etc" "$dir/queue" "$dir/data" "$dir/log"
	chmod 755 "$dir" "$etc" "$dir/queue"
	chown postfix "$dir/data"
	local port out attempt i
	for attempt in 1 2 3; do
		port=$(free_port) || { log "no free port"; exit 1; }
		write_config "$port"
		if ! out=$(timeout 60 postfix -c "$etc" check 2>&1); then
			echo "$out" >&2
			log "postfix check failed ($etc)"
			exit 1
		fi
		if ! out=$(timeout 60 postfix -c "$etc" start 2>&1); then
			echo "$out" >&2
			tail -n 20 "$dir/log/maillog" >&2 2>/dev/null || true
			log "postfix start failed"
			exit 1
		fi
		for ((i = 0; i < 100; i++)); do
			master_pid >/dev/null || break
			if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
				echo "$port $dir/log/maillog $(master_pid)"
				return 0
			fi
			sleep 0.1
		done
		log "attempt $attempt: smtpd not answering on $port; retrying with another port"
		stop
	done
	log "could not start Postfix (see $dir/log/maillog)"
	exit 1
}

case "$cmd" in
start) start ;;
stop) stop ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
