#!/usr/bin/env bash
# Messenger workers over Redis delivering to Postfix: COUNT emails (default 5000) enqueued, then
# 1, 2 and 4 workers, with the native transport (native+smtp://, persistent connection, the
# idempotency guard) beside Symfony's own smtp:// transport (no guard: it has no BeforeDataEvent),
# and the native transport with Messenger\SendEmailBatchHandler ("native+batch": batches of
# MESSENGER_BATCH, default 50, each sent with one sendMany()), with and without the guard, and
# without the guard on 4 sessions ("native+batch/c4": sendMany()'s connections option).
# MESSENGER_FSYNC=everysec runs Redis without a sync at every write (scripts/messenger.sh).
# Prints messages/s (from the workers' start to the last one's end, less the idle second each waits
# before it stops) and the workers' CPU per message (user + system, from getrusage).
# Not part of CI. Needs root (Postfix) and Debian's Redis/Messenger packages
# (scripts/frameworks.sh deps installs them); each run is scripts/messenger.sh bench.
#
#   bash bench/messenger.sh [COUNT] [WORKER COUNTS...]      e.g. bash bench/messenger.sh 5000 1 2 4
set -uo pipefail
cd "$(dirname "$0")/.."
count=${1:-5000}
shift || true
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(1 2 4)

bash scripts/frameworks.sh deps >/dev/null || exit 1
[ -f modules/mailer.so ] || bash scripts/build.sh >/dev/null || exit 1
# one Postfix for every run (scripts/messenger.sh uses it when it runs)
export MAILER_POSTFIX_DIR
MAILER_POSTFIX_DIR=$(mktemp -d /tmp/mailer-bench-postfix.XXXXXX) && chmod 755 "$MAILER_POSTFIX_DIR"
trap 'bash scripts/postfix.sh stop >/dev/null 2>&1; rm -rf "$MAILER_POSTFIX_DIR"' EXIT
bash scripts/postfix.sh start >/dev/null || { echo "bench: Postfix did not start" >&2; exit 1; }

echo "Messenger over Redis to Postfix: $count emails, $(nproc) cores, PHP $(php -n -r 'echo PHP_VERSION;'), Symfony $(dpkg-query -W -f='${Version}' php-symfony-messenger), Redis appendfsync ${MESSENGER_FSYNC:-always}; $(uptime | sed 's/.*load/load/')"
for w in "${counts[@]}"; do
	for kind in "native guard" "native noguard" "native guard batch" "native noguard batch" "native noguard batch 4" "symfony noguard"; do
		read -r -a k <<<"$kind"
		MESSENGER_CONNECTIONS=${k[3]:-1} bash scripts/messenger.sh bench "$count" "$w" "${k[@]:0:3}" 2>&1 | grep '^bench:'
	done
done
echo "done; $(uptime | sed 's/.*load/load/')"
