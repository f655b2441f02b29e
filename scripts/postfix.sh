#!/usr/bin/env bash
# A private Postfix instance on loopback for the integration tests (tests/postfix/).
#
#   bash scripts/postfix.sh start    install Postfix + Cyrus SASL when missing, (re)create and start
#   bash scripts/postfix.sh stop     stop our instance (never the system one) and remove ports.env
#   bash scripts/postfix.sh status   exit 0 and print ports.env when our instance runs
#
# Everything lives under MAILER_POSTFIX_DIR (default /tmp/mailer-postfix): etc/ (main.cf, master.cf,
# sasl/, sasldb2, certificates), queue/, data/, log/maillog, Maildir/ and ports.env, which the tests
# read. Services, on free ports picked at start on 127.0.0.1 (and ::1 when available):
#   relay        plain SMTP, no TLS, no AUTH
#   submission   STARTTLS required, then SASL AUTH (PLAIN, LOGIN, CRAM-MD5) required
#   smtps        implicit TLS (wrapper mode), same AUTH
# Every accepted recipient is delivered into one Maildir through a virtual catch-all, except the
# domain in MAILER_POSTFIX_REJECT_DOMAIN, refused at RCPT with 550 5.1.1.
# ports.env (shell syntax, single-quoted values): MAILER_POSTFIX_{DIR,HOST,IPV6,RELAY_PORT,
# SUBMISSION_PORT,SMTPS_PORT,CA,USER,PASS,MAILDIR,REJECT_DOMAIN,LOG}. It exists only while the
# instance runs, so the tests skip (saying why) when it was never started.
# Needs root (Postfix's master runs as root). Every wait is bounded.
set -euo pipefail

dir="${MAILER_POSTFIX_DIR:-/tmp/mailer-postfix}"
case "$dir" in
/?*) dir="${dir%/}" ;;
*) echo "postfix.sh: MAILER_POSTFIX_DIR must be an absolute path other than /" >&2; exit 2 ;;
esac
# The path goes unquoted into main.cf and master.cf.
if [[ "$dir" =~ [^A-Za-z0-9_./-] ]]; then
	echo "postfix.sh: MAILER_POSTFIX_DIR may hold only [A-Za-z0-9_./-]: $dir" >&2
	exit 2
fi
etc="$dir/etc"
env_file="$dir/ports.env"
pid_file="$dir/queue/pid/master.pid"
user=mailer
realm=mailer.test
reject_domain=rejected.test

log() { echo "postfix.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# The live master's PID from our own pid file, or nothing. The PID must still be Postfix's master
# (a recycled PID is not ours to signal).
master_pid() {
	local pid
	[ -r "$pid_file" ] || return 1
	pid=$(tr -dc 0-9 <"$pid_file")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '/master' || return 1
	echo "$pid"
}

install_packages() {
	local pkgs=(postfix sasl2-bin libsasl2-modules libsasl2-modules-db openssl) missing=() p
	for p in "${pkgs[@]}"; do
		dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing ${missing[*]}"
	# "No configuration": the package writes no /etc/postfix/main.cf, so its init script has no
	# system instance to start; policy-rc.d (containers) blocks the start attempt anyway.
	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	local apt=(env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get -y -q -o Dpkg::Use-Pty=0)
	local out
	out=$(mktemp "${TMPDIR:-/tmp}/mailer-postfix-apt.XXXXXX")
	if ! { "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >"$out" 2>&1 \
		|| { "${apt[@]}" update >>"$out" 2>&1 \
			&& "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >>"$out" 2>&1; }; }; then
		tail -n 30 "$out" >&2
		rm -f "$out"
		die "apt-get install ${missing[*]} failed"
	fi
	rm -f "$out"
}

# A TCP port free on 127.0.0.1 (and on ::1 when $ipv6), not in the list given.
free_port() {
	php -n -r '
		$v6 = $argv[1] === "1"; $taken = array_slice($argv, 2);
		for ($i = 0; $i < 50; $i++) {
			$s = @stream_socket_server("tcp://127.0.0.1:0", $en, $es);
			if (!$s) { break; }
			$port = (int)substr(strrchr(stream_socket_get_name($s, false), ":"), 1);
			$ok = !in_array((string)$port, $taken, true);
			if ($ok && $v6) {
				$s6 = @stream_socket_server("tcp://[::1]:$port", $en, $es);
				$ok = (bool)$s6;
				$s6 && fclose($s6);
			}
			fclose($s);
			if ($ok) { echo $port, "\n"; exit(0); }
		}
		exit(1);' "$ipv6" "$@"
}

ipv6_works() {
	php -n -r 'exit(@stream_socket_server("tcp://[::1]:0") ? 0 : 1);'
}

make_certs() {
	local t="$etc/tls"
	mkdir -p "$t"
	cat >"$t/openssl.cnf" <<-'EOF'
		[ req ]
		distinguished_name = dn
		[ dn ]
		[ v3_ca ]
		basicConstraints = critical, CA:TRUE
		keyUsage = critical, keyCertSign, cRLSign
		subjectKeyIdentifier = hash
		[ v3_server ]
		basicConstraints = critical, CA:FALSE
		keyUsage = critical, digitalSignature, keyEncipherment
		extendedKeyUsage = serverAuth
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid
		subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
	EOF
	(
		umask 077
		openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 30 -config "$t/openssl.cnf" \
			-extensions v3_ca -subj "/O=php-mailer tests/CN=php-mailer Postfix test CA" \
			-keyout "$t/ca.key" -out "$t/ca.pem"
		openssl req -new -newkey rsa:2048 -nodes -sha256 -config "$t/openssl.cnf" \
			-subj "/O=php-mailer tests/CN=localhost" -keyout "$t/server.key" -out "$t/server.csr"
		openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial \
			-sha256 -days 30 -extfile "$t/openssl.cnf" -extensions v3_server -out "$t/server.pem"
	) >"$dir/log/openssl.log" 2>&1 || { cat "$dir/log/openssl.log" >&2; die "certificate creation failed"; }
	chmod 644 "$t/ca.pem" "$t/server.pem"
}

write_config() {
	local relay=$1 submission=$2 smtps=$3 uid=$4 gid=$5 protocols=$6
	cat >"$etc/main.cf" <<-EOF
		# Generated by scripts/postfix.sh; recreated at every start.
		compatibility_level = 3.6
		config_directory = $etc
		queue_directory = $dir/queue
		data_directory = $dir/data
		mail_owner = postfix
		setgid_group = postdrop
		myhostname = postfix.mailer.test
		mydomain = mailer.test
		myorigin = \$myhostname
		inet_interfaces = loopback-only
		inet_protocols = $protocols
		mynetworks = 127.0.0.0/8 [::1]/128
		# Nothing is local: every domain is a virtual mailbox domain (the catch-all).
		mydestination =
		local_recipient_maps =
		alias_maps =
		alias_database =
		relay_domains =
		relayhost =
		biff = no
		# Logging goes to a file of ours, not to syslog.
		maillog_file = $dir/log/maillog
		maillog_file_prefixes = $dir/log
		smtpd_banner = \$myhostname ESMTP Postfix (php-mailer test instance)

		virtual_mailbox_domains = regexp:$etc/virtual_domains
		virtual_mailbox_base = $dir
		virtual_mailbox_maps = regexp:$etc/virtual_mailboxes
		virtual_uid_maps = static:$uid
		virtual_gid_maps = static:$gid
		virtual_minimum_uid = 1
		virtual_destination_concurrency_limit = 20

		# Advertised so that every client feature meets a real implementation.
		smtputf8_enable = yes
		smtpd_discard_ehlo_keywords =
		message_size_limit = 20480000

		# Tests send hundreds of messages in a burst and provoke errors on purpose: no throttling.
		in_flow_delay = 0
		smtpd_error_sleep_time = 0
		smtpd_soft_error_limit = 100
		smtpd_hard_error_limit = 200
		smtpd_client_connection_count_limit = 0
		smtpd_client_connection_rate_limit = 0
		smtpd_client_message_rate_limit = 0
		smtpd_client_auth_rate_limit = 0
		smtpd_peername_lookup = no
		# Headers arrive as sent, so tests can compare them byte for byte.
		local_header_rewrite_clients =

		smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
		smtpd_recipient_restrictions = check_recipient_access regexp:$etc/recipient_access

		smtpd_tls_cert_file = $etc/tls/server.pem
		smtpd_tls_key_file = $etc/tls/server.key
		smtpd_tls_security_level = may
		smtpd_tls_loglevel = 1
		# The Received header then names the TLS version, which tests check.
		smtpd_tls_received_header = yes
		smtpd_tls_session_cache_database =
		smtp_tls_security_level = none

		smtpd_sasl_type = cyrus
		# Cyrus reads smtpd.conf (for the path "smtpd") from this directory. Debian 12's Postfix
		# looked in \$config_directory/sasl by itself; Debian 13's does not, so it is named.
		smtpd_sasl_path = smtpd
		cyrus_sasl_config_path = $etc/sasl
		smtpd_sasl_local_domain = $realm
		smtpd_sasl_security_options = noanonymous
		smtpd_sasl_tls_security_options = noanonymous
		broken_sasl_auth_clients = no
	EOF

	# Ports in master.cf, so one main.cf serves three differently configured listeners.
	# chroot is off ("n") for every service: the SASL config, sasldb and maps live outside any jail.
	cat >"$etc/master.cf" <<-EOF
		# Generated by scripts/postfix.sh; recreated at every start.
		# service type  private unpriv  chroot  wakeup  maxproc command
		$relay      inet  n       -       n       -       -       smtpd
		  -o syslog_name=postfix/relay
		  -o smtpd_tls_security_level=none
		  -o smtpd_sasl_auth_enable=no
		  -o smtpd_recipient_restrictions=check_recipient_access,regexp:$etc/recipient_access,permit_mynetworks,reject
		$submission      inet  n       -       n       -       -       smtpd
		  -o syslog_name=postfix/submission
		  -o smtpd_tls_security_level=encrypt
		  -o smtpd_tls_auth_only=yes
		  -o smtpd_sasl_auth_enable=yes
		  -o smtpd_client_restrictions=
		  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
		  -o smtpd_recipient_restrictions=check_recipient_access,regexp:$etc/recipient_access,permit_sasl_authenticated,reject
		$smtps      inet  n       -       n       -       -       smtpd
		  -o syslog_name=postfix/smtps
		  -o smtpd_tls_wrappermode=yes
		  -o smtpd_tls_security_level=encrypt
		  -o smtpd_sasl_auth_enable=yes
		  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
		  -o smtpd_recipient_restrictions=check_recipient_access,regexp:$etc/recipient_access,permit_sasl_authenticated,reject
		pickup    unix  n       -       n       60      1       pickup
		cleanup   unix  n       -       n       -       0       cleanup
		qmgr      unix  n       -       n       300     1       qmgr
		tlsmgr    unix  -       -       n       1000?   1       tlsmgr
		rewrite   unix  -       -       n       -       -       trivial-rewrite
		bounce    unix  -       -       n       -       0       bounce
		defer     unix  -       -       n       -       0       bounce
		trace     unix  -       -       n       -       0       bounce
		verify    unix  -       -       n       -       1       verify
		flush     unix  n       -       n       1000?   0       flush
		proxymap  unix  -       -       n       -       -       proxymap
		proxywrite unix -       -       n       -       1       proxymap
		smtp      unix  -       -       n       -       -       smtp
		relay     unix  -       -       n       -       -       smtp
		showq     unix  n       -       n       -       -       showq
		error     unix  -       -       n       -       -       error
		retry     unix  -       -       n       -       -       error
		discard   unix  -       -       n       -       -       discard
		local     unix  -       n       n       -       -       local
		virtual   unix  -       n       n       -       -       virtual
		anvil     unix  -       -       n       -       1       anvil
		scache   unix  -       -       n       -       1       scache
		postlog   unix-dgram n  -       n       -       1       postlogd
	EOF

	# Catch-all: any domain, any local part, one Maildir ($virtual_mailbox_base/Maildir/).
	printf '/./ OK\n' >"$etc/virtual_domains"
	printf '/./ Maildir/\n' >"$etc/virtual_mailboxes"
	printf '/@%s$/ 550 5.1.1 no such mailbox (test policy)\n' \
		"${reject_domain//./\\.}" >"$etc/recipient_access"

	mkdir -p "$etc/sasl"
	cat >"$etc/sasl/smtpd.conf" <<-EOF
		pwcheck_method: auxprop
		auxprop_plugin: sasldb
		mech_list: PLAIN LOGIN CRAM-MD5
		sasldb_path: $etc/sasldb2
	EOF
}

# Postfix's daemons run as the postfix user: every directory above ours must let them through
# (a 0700 parent, as mktemp -d makes, fails later with a bare "Permission denied" on master.lock).
check_reachable() {
	local p=$1 mode owner
	while :; do
		if [ -e "$p" ]; then
			mode=$(stat -c %a "$p") owner=$(stat -c %U "$p")
			if [ $((8#$mode & 1)) -eq 0 ] && [ "$owner" != postfix ]; then
				die "$p (mode $mode) is not searchable by the postfix user: chmod o+x it or choose another MAILER_POSTFIX_DIR"
			fi
		fi
		[ "$p" = / ] && break
		p=$(dirname "$p")
	done
}

cmd_status() {
	local pid
	if pid=$(master_pid) && [ -f "$env_file" ]; then
		echo "running (master PID $pid) in $dir"
		cat "$env_file"
		return 0
	fi
	echo "not running ($dir)"
	return 1
}

cmd_stop() {
	local pid i
	if pid=$(master_pid); then
		timeout 30 postfix -c "$etc" stop >/dev/null 2>&1 || true
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "master $pid still running after 10 s; SIGKILL"
			kill -9 "$pid" 2>/dev/null || true
		fi
	fi
	rm -f "$env_file"
	echo "postfix.sh: stopped ($dir)"
}

cmd_start() {
	local t0=$SECONDS
	[ "$(id -u)" -eq 0 ] || die "must run as root (Postfix's master and package installation need it)"
	if cmd_status >/dev/null; then
		log "already running in $dir"
		cat "$env_file"
		return 0
	fi
	cmd_stop >/dev/null
	install_packages
	command -v php >/dev/null || die "php is needed to pick free ports"

	check_reachable "$dir"

	# Only what we create: the directory itself may be shared with other things.
	rm -rf "$etc" "$dir/queue" "$dir/data" "$dir/log" "$dir/Maildir"
	mkdir -p "$dir" "$etc" "$dir/queue" "$dir/data" "$dir/log"
	chmod 755 "$dir" "$etc" "$dir/queue"
	chown postfix "$dir/data"

	# Deliver as the caller when it is an ordinary user (so it can read and delete messages),
	# else as postfix: virtual(8) refuses uid 0.
	local uid gid
	uid=${SUDO_UID:-$(id -u)}
	gid=${SUDO_GID:-$(id -g)}
	if [ "$uid" -eq 0 ]; then
		uid=$(id -u postfix)
		gid=$(id -g postfix)
	fi
	mkdir -p "$dir/Maildir/new" "$dir/Maildir/cur" "$dir/Maildir/tmp"
	chown -R "$uid:$gid" "$dir/Maildir"
	chmod 755 "$dir/Maildir" "$dir/Maildir/new" "$dir/Maildir/cur" "$dir/Maildir/tmp"

	make_certs

	local protocols=ipv4 ipv6=0
	if ipv6_works; then
		protocols=all
		ipv6=1
	fi

	local pass attempt relay submission smtps out ok=0
	pass="pw-$(openssl rand -hex 8)"
	for attempt in 1 2 3; do
		relay=$(free_port) || die "no free port"
		submission=$(free_port "$relay") || die "no free port"
		smtps=$(free_port "$relay" "$submission") || die "no free port"
		write_config "$relay" "$submission" "$smtps" "$uid" "$gid" "$protocols"

		rm -f "$etc/sasldb2"
		printf '%s' "$pass" | saslpasswd2 -p -c -f "$etc/sasldb2" -u "$realm" "$user" \
			|| die "saslpasswd2 failed"
		chown root:postfix "$etc/sasldb2"
		chmod 640 "$etc/sasldb2"

		if ! out=$(timeout 60 postfix -c "$etc" check 2>&1); then
			echo "$out" >&2
			die "postfix check failed (config in $etc)"
		fi
		[ -n "$out" ] && log "postfix check: $out"
		if ! out=$(timeout 60 postfix -c "$etc" start 2>&1); then
			echo "$out" >&2
			tail -n 20 "$dir/log/maillog" >&2 2>/dev/null || true
			die "postfix start failed"
		fi
		# master binds its inet listeners before "start" returns; a port taken meanwhile shows up
		# as a fatal in the log and a dead master: then try new ports.
		if wait_ready "$relay" "$submission" "$smtps"; then
			ok=1
			break
		fi
		log "attempt $attempt: instance not ready; retrying with other ports"
		tail -n 5 "$dir/log/maillog" >&2 2>/dev/null || true
		cmd_stop >/dev/null
	done
	[ "$ok" = 1 ] || die "could not start Postfix (see $dir/log/maillog)"

	check_ehlo "$relay"

	local tmp="$env_file.tmp"
	cat >"$tmp" <<-EOF
		MAILER_POSTFIX_DIR='$dir'
		MAILER_POSTFIX_HOST='127.0.0.1'
		MAILER_POSTFIX_IPV6='$ipv6'
		MAILER_POSTFIX_RELAY_PORT='$relay'
		MAILER_POSTFIX_SUBMISSION_PORT='$submission'
		MAILER_POSTFIX_SMTPS_PORT='$smtps'
		MAILER_POSTFIX_CA='$etc/tls/ca.pem'
		MAILER_POSTFIX_USER='$user'
		MAILER_POSTFIX_PASS='$pass'
		MAILER_POSTFIX_MAILDIR='$dir/Maildir'
		MAILER_POSTFIX_REJECT_DOMAIN='$reject_domain'
		MAILER_POSTFIX_LOG='$dir/log/maillog'
	EOF
	mv "$tmp" "$env_file"
	log "started in $((SECONDS - t0)) s: relay $relay, submission $submission, smtps $smtps ($env_file)"
}

# Waits (bounded) until the master is alive and all three ports accept connections.
wait_ready() {
	local i p up
	for ((i = 0; i < 100; i++)); do
		master_pid >/dev/null || return 1
		up=0
		for p in "$@"; do
			if timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null; then
				up=$((up + 1))
			fi
		done
		[ "$up" -eq $# ] && return 0
		sleep 0.1
	done
	return 1
}

# The relay port must advertise every extension the client implements.
check_ehlo() {
	local reply kw missing=()
	reply=$(timeout 10 php -n -r '
		$s = stream_socket_client("tcp://127.0.0.1:" . $argv[1], $en, $es, 5) or exit(1);
		stream_set_timeout($s, 5);
		$read = function () use ($s) { $r = ""; while (($l = fgets($s)) !== false) { $r .= $l; if (($l[3] ?? "") === " ") break; } return $r; };
		$read();
		fwrite($s, "EHLO check.test\r\n");
		echo $read();
		fwrite($s, "QUIT\r\n");' "$1") || die "no EHLO reply on the relay port $1"
	for kw in PIPELINING SIZE 8BITMIME SMTPUTF8 DSN ENHANCEDSTATUSCODES CHUNKING; do
		grep -q "^250[- ]$kw" <<<"$reply" || missing+=("$kw")
	done
	[ ${#missing[@]} -eq 0 ] || { echo "$reply" >&2; die "EHLO lacks ${missing[*]}"; }
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
