#!/usr/bin/env bash
# Mutation testing (not run by CI): each mutant of the catalogue below changes one security- or
# correctness-critical decision in src/ (a reply-code check, a TLS setting, an injection check,
# dot-stuffing, redaction, a size check, SASL verification, a persistent-session check, DKIM
# canonicalisation...), and the suite must notice. For each mutant, in a scratch copy of this
# working tree (the working tree itself is never touched): apply it, build (--dev), run the unit
# tests, then the phpt suite (scripts/test.sh --quick, with its private Postfix), and record
#   killed        a test failed (or the run went past its time bound: "timeout", counted as killed)
#   survived      everything passed: a decision no test checks
#   build-failed  the mutant does not compile (-Werror included); left out of the score
# The score is killed / (killed + survived), equivalent mutants (a "=" note in the catalogue, and
# survived) left out. docs/testing.md says how to read the survivors.
#
#   bash scripts/mutate.sh                   every mutant, each against unit + the whole quick suite
#   bash scripts/mutate.sh reply-range 'dot-*'   only these mutants (ids or shell patterns)
#   bash scripts/mutate.sh --select ...      each mutant against unit + its own phpt selection
#                                            (faster; the whole suite stays the reference)
#   bash scripts/mutate.sh --check           only check that every fragment matches exactly once
#                                            (and that every test of a selection exists)
#   bash scripts/mutate.sh --main ...        leave out the section marked PENDING (code other
#                                            branches are rewriting; refreshed after their merge)
#   bash scripts/mutate.sh --list            the catalogue: id, file, what the mutant breaks
#   bash scripts/mutate.sh --report          the table of the results recorded so far (--select: those)
#   bash scripts/mutate.sh --redo ...        run mutants again although a result is recorded
#   bash scripts/mutate.sh --fresh ...       forget every recorded result first
#   MUTATE_DIR=/path                         scratch tree and results (default: /tmp, per checkout)
#   MUTATE_TIMEOUT=900                       seconds allowed per mutant (build and tests)
#
# Resumable: results go to $MUTATE_DIR/results.tsv as each mutant ends; a mutant whose result is
# recorded (same file, fragment, replacement and test selection) is not run again unless --redo.
# A result recorded against an older tree is marked so in the report. Before the first mutant the
# unmutated copy must pass the same tests (once per tree state), or nothing would mean anything.
#
# A mutant is a file and an exact code fragment with its replacement, never a line number: the
# fragment must occur exactly once in the file, or the script stops and names it (--check does
# only that). Catalogue syntax, in the here-document at the end of this file:
#   @ ID FILE : SELECTION      SELECTION: phpt files or directories for --select ("-": none)
#   # what the mutant breaks   (one line, shown in the report)
#   - fragment line            one or more: the exact text, tabs included, joined by newlines
#   + replacement line         zero or more (none: the fragment is deleted)
#   = why it is equivalent     for a mutant that survives because no input can tell it from the
#                              original (one or more lines): the report shows it "equivalent",
#                              outside the score; a killed one is counted as killed all the same
#   ## section title           (a title with PENDING: the entries after it are left out by --main)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export LC_ALL=C # byte semantics for the fragment matching
shopt -u patsub_replacement 2>/dev/null || true

die() { echo "mutate: $*" >&2; exit 2; }

# ---- options -------------------------------------------------------------------------------
mode=full action=run redo=0 fresh=0 main_only=0 patterns=()
for arg in "$@"; do
	case "$arg" in
	--select) mode=select ;;
	--main) main_only=1 ;;
	--check) action=check ;;
	--list) action=list ;;
	--report) action=report ;;
	--redo) redo=1 ;;
	--fresh) fresh=1 ;;
	-h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option $arg (see --help)" ;;
	*) patterns+=("$arg") ;;
	esac
done
timeout_s=${MUTATE_TIMEOUT:-900}
case "$timeout_s" in '' | *[!0-9]*) die "MUTATE_TIMEOUT must be a number of seconds" ;; esac
dir=${MUTATE_DIR:-${TMPDIR:-/tmp}/mailer-mutate-$(printf '%s' "$root" | sha1sum | cut -c1-8)}
tree=$dir/tree
results=$dir/results.tsv

# ---- the catalogue -------------------------------------------------------------------------
ids=() files=() sels=() whys=() frags=() repls=() pendings=() equivs=()
parse_catalogue() {
	local line n=-1 in_frag=0 pending=0
	while IFS= read -r line; do
		case "$line" in
		'@ '*)
			n=$((n + 1))
			read -r _ 'ids[n]' 'files[n]' _ <<<"$line"
			sels[n]=${line#*: }
			[[ "$line" == *' : '* ]] || sels[n]=-
			whys[n]='' frags[n]='' repls[n]='' equivs[n]='' in_frag=0 pendings[n]=$pending
			;;
		'##'*) [[ "$line" == *PENDING* ]] && pending=1 ;; # a section title
		'# '*) [ "$n" -ge 0 ] && whys[n]=${line#\# } ;;
		'= '*)
			[ "$n" -ge 0 ] || die "catalogue: an equivalence note before the first @ line"
			equivs[n]+="${equivs[n]:+ }${line#= }"
			;;
		'- '* | '-')
			[ "$n" -ge 0 ] || die "catalogue: a fragment before the first @ line"
			if [ "$in_frag" = 1 ]; then frags[n]+=$'\n'"${line#- }"; else frags[n]=${line#- }; fi
			[ "$line" = - ] && frags[n]=${frags[n]%-}
			in_frag=1
			;;
		'+ '* | '+')
			[ "$n" -ge 0 ] || die "catalogue: a replacement before the first @ line"
			if [ "${repls_started[n]:-0}" = 1 ]; then repls[n]+=$'\n'"${line#+ }"; else repls[n]=${line#+ }; fi
			[ "$line" = + ] && repls[n]=${repls[n]%+}
			repls_started[n]=1
			;;
		'') ;;
		*) die "catalogue: cannot read the line: $line" ;;
		esac
	done < <(sed -n "/^: <<'__CATALOGUE__'\$/,/^__CATALOGUE__\$/p" "$0" | sed '1d; $d')
	local i seen=" "
	for i in "${!ids[@]}"; do
		[ -n "${frags[i]}" ] || die "catalogue: ${ids[i]} has no fragment"
		[[ "$seen" == *" ${ids[i]} "* ]] && die "catalogue: the id ${ids[i]} is used twice"
		seen+="${ids[i]} "
	done
}
declare -a repls_started=()

# count_in FILE FRAGMENT: how many times the fragment occurs (non-overlapping)
count_in() {
	local content rest
	[ -f "$1" ] || { echo 0; return; }
	IFS= read -r -d '' content <"$1"
	rest=${content//"$2"/}
	echo $(((${#content} - ${#rest}) / ${#2}))
}

# apply FILE FRAGMENT REPLACEMENT: rewrites the file (new mtime, so make rebuilds it)
apply() {
	local content
	IFS= read -r -d '' content <"$1"
	printf '%s' "${content%%"$2"*}$3${content#*"$2"}" >"$1"
}

chosen=()
choose() {
	local i p
	for i in "${!ids[@]}"; do
		[ "$main_only" = 1 ] && [ "${pendings[i]}" = 1 ] && continue
		if [ ${#patterns[@]} -eq 0 ]; then
			chosen+=("$i")
			continue
		fi
		for p in "${patterns[@]}"; do
			# shellcheck disable=SC2053 # a pattern on purpose
			if [[ "${ids[i]}" == $p ]]; then chosen+=("$i"); break; fi
		done
	done
	[ ${#chosen[@]} -gt 0 ] || die "no mutant matches: ${patterns[*]}"
}

# check_fragments BASE: every chosen fragment occurs exactly once in BASE/file
check_fragments() {
	local base=$1 i n t bad=0
	for i in "${chosen[@]}"; do
		n=$(count_in "$base/${files[i]}" "${frags[i]}")
		if [ "$n" != 1 ]; then
			bad=$((bad + 1))
			echo "mutate: ${ids[i]}: the fragment occurs $n times in ${files[i]} (must be once):" >&2
			sed 's/^/    /' <<<"${frags[i]}" >&2
		fi
		for t in ${sels[i]}; do
			if [ "$t" != - ] && [ ! -e "$base/$t" ]; then
				bad=$((bad + 1))
				echo "mutate: ${ids[i]}: the selection names $t, which does not exist" >&2
			fi
		done
	done
	[ "$bad" -lt 256 ] || bad=255
	return "$bad"
}

mutant_key() { # a digest of what defines mutant i's result
	printf '%s\0%s\0%s\0%s\0%s' "${files[$1]}" "${frags[$1]}" "${repls[$1]}" "$mode" \
		"$([ "$mode" = select ] && echo "${sels[$1]}")" | sha1sum | cut -c1-12
}

tree_hash() { # the state of the files that make the results (not this script, not the docs)
	git -C "$root" ls-files -z --cached --others --exclude-standard \
		| grep -zv -e '^scripts/mutate\.sh$' -e '^docs/' -e '\.md$' \
		| (cd "$root" && xargs -0 sha1sum 2>/dev/null) | sha1sum | cut -c1-12
}

# ---- results -------------------------------------------------------------------------------
# results.tsv: id key status seconds tree detail, a row per mutant run (appended)
last_result() { # last_result ID KEY: "key<TAB>status<TAB>seconds<TAB>tree<TAB>detail", the last row
	# of that id and key (the same mutant in the same mode), else the last of that id
	[ -f "$results" ] && awk -F'\t' -v id="$1" -v key="$2" '
		$1 == id { any = $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6; if ($2 == key) same = any }
		END { if (same != "") print same; else if (any != "") print any }' "$results"
}

report() {
	local i key status secs rtree detail k=0 s=0 e=0 t=0 b=0 n=0 now note md=$dir/report.md
	now=$(tree_hash)
	{
		echo "| mutant | file | what it breaks | result | s | killed by |"
		echo "|---|---|---|---|---|---|"
	} >"$md"
	printf '%-28s %-12s %5s  %s\n' mutant result s "file: what it breaks"
	for i in "${chosen[@]}"; do
		key='' status='' secs='' rtree='' detail=''
		IFS=$'\t' read -r key status secs rtree detail < <(last_result "${ids[i]}" "$(mutant_key "$i")")
		[ -n "$status" ] || status=not-run
		[ "$key" = "$(mutant_key "$i")" ] || [ "$status" = not-run ] || status="$status?"
		note=
		[ -n "$rtree" ] && [ "$rtree" != "$now" ] && note=" (older tree)"
		if [ "$status" = survived ] && [ -n "${equivs[i]}" ]; then
			status=equivalent detail=${equivs[i]}
		fi
		case "$status" in
		killed | timeout) k=$((k + 1)) ;;
		survived) s=$((s + 1)) ;;
		equivalent) e=$((e + 1)) ;;
		build-failed) b=$((b + 1)) ;;
		*) n=$((n + 1)) ;;
		esac
		[ "$status" = timeout ] && t=$((t + 1))
		printf '%-28s %-12s %5s  %s: %s%s\n' "${ids[i]}" "$status" "$secs" "${files[i]}" "${whys[i]}" "$note"
		printf '| %s | %s | %s | %s | %s | %s |\n' "${ids[i]}" "${files[i]}" "${whys[i]//|/\\|}" "$status$note" \
			"$secs" "${detail//|/\\|}" >>"$md"
	done
	echo
	echo "mutate: $k killed ($t by timeout), $s survived, $e equivalent (survived, explained in the"
	echo "        catalogue), $b build-failed, $n not run (or '?': the mutant changed since its result)"
	echo "        of ${#chosen[@]} mutants"
	if [ $((k + s)) -gt 0 ]; then
		echo "mutate: score $k/$((k + s)) = $(awk -v k="$k" -v n="$((k + s))" 'BEGIN { printf "%.1f%%", 100 * k / n }')"
	fi
	echo "mutate: table in $md"
}

# ---- the scratch tree ----------------------------------------------------------------------
sync_tree() { # the working tree's files into $tree; only those that differ are rewritten
	local f
	mkdir -p "$tree"
	while IFS= read -r -d '' f; do
		[ -f "$root/$f" ] || continue
		if ! cmp -s "$root/$f" "$tree/$f"; then
			mkdir -p "$(dirname "$tree/$f")"
			cp "$root/$f" "$tree/$f"
		fi
	done < <(git -C "$root" ls-files -z --cached --others --exclude-standard)
	# a source removed here must not linger there (tests/unit compiles src/core/*.c)
	while IFS= read -r f; do
		f=${f#"$tree"/}
		[ -f "$root/$f" ] || rm -f "$tree/$f"
	done < <(find "$tree/src" -type f \( -name '*.c' -o -name '*.h' \))
}

current= # the file under mutation, with its pristine content in $pristine
pristine=
restore() {
	if [ -n "$current" ]; then
		printf '%s' "$pristine" >"$tree/$current"
		current=
	fi
}

deadline=0
bounded() { # bounded LOG CMD...: CMD within what is left of the mutant's time; 124 on timeout
	local log=$1 left=$((deadline - SECONDS))
	shift
	[ "$left" -gt 0 ] || return 124
	timeout -k 20 "$left" "$@" >>"$log" 2>&1 </dev/null
}

# run_tests LOG PHPT...: build, unit, then the phpt suite (all of tests/ when no PHPT given).
# Sets outcome (passed, failed, timeout, build-failed) and why.
run_tests() {
	local log=$1 rc
	shift
	outcome=passed why=
	bounded "$log" bash "$tree/scripts/build.sh" --dev
	rc=$?
	[ "$rc" = 124 ] && { outcome=timeout why="building"; return; }
	[ "$rc" = 0 ] || { outcome=build-failed why="$(grep -m1 -E 'error:' "$log" | cut -c1-160)"; return; }
	bounded "$log" make -s -C "$tree/tests/unit" build
	rc=$?
	[ "$rc" = 124 ] && { outcome=timeout why="building the unit tests"; return; }
	[ "$rc" = 0 ] || { outcome=build-failed why="unit tests: $(grep -m1 -E 'error:' "$log" | cut -c1-160)"; return; }
	bounded "$log" make -s -C "$tree/tests/unit" run
	rc=$?
	[ "$rc" = 124 ] && { outcome=timeout why="unit tests"; return; }
	if [ "$rc" != 0 ]; then
		outcome=failed
		# the failed cases, or the programs that failed outside any (a crash)
		why=$(grep -E '^[^ ]+\.c: FAILED [a-z_]' "$log" | sed 's/: FAILED /: /' | head -n 3 | paste -sd ' ' -)
		[ -n "$why" ] || why=$(grep -E '^[^ ]+\.c: FAILED \(' "$log" | head -n 3 | paste -sd ' ' -)
		why="unit: ${why:-see the log}"
		return
	fi
	[ "$#" -eq 0 ] && [ "$mode" = select ] && return
	bounded "$log" env TESTS="$*" bash "$tree/scripts/test.sh" --quick
	rc=$?
	[ "$rc" = 124 ] && { outcome=timeout why="phpt tests"; return; }
	if [ "$rc" != 0 ]; then
		outcome=failed
		why=$(grep -E '^(FAIL|LEAK|BORK) .*\[tests/' "$log" | sed 's/.*\[\(tests\/[^]]*\)\].*/\1/' | sort -u | head -n 4 \
			| paste -sd ' ' -)
		[ -n "$why" ] || why=$(grep -E '^  [a-z-]+ +[0-9]+ passed, +[1-9][0-9]* failed' "$log" | head -n 2 | sed 's/  */ /g' | paste -sd ';' -)
		why="phpt: ${why:-see the log}"
	fi
}

phpt_args() { # phpt_args I: the phpt targets of mutant i in this mode (none: the whole suite)
	[ "$mode" = select ] || return 0
	[ "${sels[$1]}" = - ] || printf '%s\n' ${sels[$1]}
}

# ---- run -----------------------------------------------------------------------------------
# All in a function: bash has read it whole before it runs, so an edit of this file during
# a run (hours long) cannot change what the run does.
main() {
	parse_catalogue
	choose
	case "$action" in
	list)
		for i in "${chosen[@]}"; do
			printf '%-28s %-26s %s%s\n' "${ids[i]}" "${files[i]}" "${whys[i]}" \
				"$([ "${pendings[i]}" = 1 ] && echo ' [pending]')"
		done
		echo "${#chosen[@]} mutants"
		# a listed mutant that cannot apply is worth knowing at once
		check_fragments "$root" || { echo "mutate: some entries no longer apply (see above)" >&2; exit 1; }
		exit 0
		;;
	check)
		if check_fragments "$root"; then
			echo "mutate: all ${#chosen[@]} fragments match exactly once"
			exit 0
		fi
		echo "mutate: update those entries of the catalogue (scripts/mutate.sh, at the end)" >&2
		exit 1
		;;
	report)
		report
		exit 0
		;;
	esac

	check_fragments "$root" || die "update the catalogue first: fragments must match exactly once (see above)"
	mkdir -p "$dir"
	exec 9>"$dir/lock"
	flock -n 9 || die "another run is using $dir"
	[ "$fresh" = 1 ] && rm -f "$results"
	[ -f "$results" ] || printf 'id\tkey\tstatus\tseconds\ttree\tdetail\n' >"$results"
	trap 'restore' EXIT
	trap 'restore; echo; report; exit 130' INT TERM

	echo "mutate: scratch tree $tree (results: $results)"
	sync_tree
	hash=$(tree_hash)
	mkdir -p "$dir/logs"

	# The suite must pass on the unmutated tree (with the union of the selections in --select mode).
	base_sel=()
	if [ "$mode" = select ]; then
		# the union, without the files of a directory that is in it too
		mapfile -t base_sel < <(for i in "${chosen[@]}"; do phpt_args "$i"; done | sort -u \
			| awk '{ p[NR] = $0 } END { for (i = 1; i <= NR; i++) { keep = 1
				for (j = 1; j <= NR; j++) if (j != i && index(p[i], p[j] "/") == 1) keep = 0
				if (keep) print p[i] } }')
	fi
	base_key=$(printf '%s\0' "$hash" "$mode" "${base_sel[@]}" | sha1sum | cut -c1-12)
	if [ -f "$dir/baseline-$base_key.ok" ]; then
		echo "mutate: the unmutated tree passed these tests before (baseline $base_key)"
	else
		echo "mutate: baseline: the unmutated tree against ${base_sel[*]:-unit + the whole quick suite}"
		log=$dir/logs/baseline.log
		: >"$log"
		deadline=$((SECONDS + timeout_s * 2))
		start=$SECONDS
		run_tests "$log" "${base_sel[@]}"
		if [ "$outcome" != passed ]; then
			echo "mutate: the unmutated tree does not pass ($outcome: $why); log: $log" >&2
			die "fix that first: a mutant's failing test would mean nothing"
		fi
		echo "mutate: baseline passed in $((SECONDS - start)) s"
		touch "$dir/baseline-$base_key.ok"
	fi

	done_n=0
	for i in "${chosen[@]}"; do
		id=${ids[i]} key=$(mutant_key "$i")
		if [ "$redo" = 0 ]; then
			prev=$(last_result "$id" "$key")
			if [ "${prev%%$'\t'*}" = "$key" ]; then
				continue
			fi
		fi
		done_n=$((done_n + 1))
		log=$dir/logs/$id.log
		: >"$log"
		[ "$(count_in "$tree/${files[i]}" "${frags[i]}")" = 1 ] || die "$id: the scratch copy of ${files[i]} differs"
		current=${files[i]}
		IFS= read -r -d '' pristine <"$tree/$current"
		apply "$tree/$current" "${frags[i]}" "${repls[i]}"
		printf 'mutate: %-28s %s ... ' "$id" "${whys[i]}"
		mapfile -t sel < <(phpt_args "$i")
		deadline=$((SECONDS + timeout_s))
		start=$SECONDS
		run_tests "$log" "${sel[@]}"
		restore
		case "$outcome" in
		passed) status=survived why= ;;
		failed) status=killed ;;
		timeout) status=timeout why="no result within ${timeout_s} s ($why)" ;;
		*) status=$outcome ;;
		esac
		echo "$status ($((SECONDS - start)) s)${why:+: $why}"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$key" "$status" "$((SECONDS - start))" "$hash" \
			"${why//$'\t'/ }" >>"$results"
	done
	# the copy back to its pristine build, so the next run starts from a clean one
	[ "$done_n" -gt 0 ] && bash "$tree/scripts/build.sh" --dev >/dev/null 2>&1
	echo
	report
}

main "$@"
exit 0

# The catalogue. Keep each fragment short but unique in its file; say what the mutant breaks.
: <<'__CATALOGUE__'
## ---- replies (src/core/session/reply.c, src/core/session/wire.c) ----

@ reply-digits src/core/session/reply.c : tests/smtp/garbage_reply.phpt
# a reply whose third character is not a digit is accepted
- if (len < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) {
+ if (len < 3 || !is_digit(line[0]) || !is_digit(line[1])) {

@ reply-range src/core/session/reply.c : tests/smtp/garbage_reply.phpt
# reply codes starting with 1 (not defined by RFC 5321) are accepted
- if (line[0] < '2' || line[0] > '5' || line[1] > '5') {
+ if (line[0] < '1' || line[0] > '5' || line[1] > '5') {

@ reply-separator src/core/session/reply.c : tests/smtp/garbage_reply.phpt
# a code followed by neither a space nor a hyphen is accepted
- if (len > 3 && line[3] != ' ' && line[3] != '-') {
+ if (0 && len > 3 && line[3] != ' ' && line[3] != '-') {

@ reply-nul src/core/session/reply.c : tests/smtp/garbage_reply.phpt
# a NUL byte inside a reply line is accepted
- if (memchr(line, '\0', len)) {
+ if (memchr(line, '\0', 3)) {

@ reply-same-code src/core/session/reply.c : tests/smtp/multiline_capabilities.phpt
# the lines of a multi-line reply may carry different codes of the same class
- if (r->lines > 0 && code != r->code) {
+ if (r->lines > 0 && code / 100 != r->code / 100) {

@ reply-line-count src/core/session/reply.c : tests/smtp/huge_reply.phpt
# a reply of 10,000 continuation lines is read to its end (unbounded memory)
- if (r->lines >= MAILER_REPLY_LINES_MAX) {
+ if (r->lines >= MAILER_REPLY_LINES_MAX * 1000) {

@ reply-code-only-last src/core/session/reply.c : tests/smtp/multiline_capabilities.phpt
# a last line of only a code ("250") is taken for a continuation
- last = len == 3 || line[3] == ' ';
+ last = len > 3 && line[3] == ' ';

@ reply-enhanced-class src/core/session/reply.c : tests/smtp
# an enhanced status whose class differs from the reply's first digit is kept
- if (r->enhanced[0] && r->enhanced[0] != line[0]) {
+ if (0 && r->enhanced[0] && r->enhanced[0] != line[0]) {

@ wire-line-length src/core/session/wire.c : tests/smtp/huge_reply.phpt
# a reply line longer than the buffer is not reported as such (read with no room left)
- if (s->in_end >= sizeof(s->in)) {
+ if (s->in_end > sizeof(s->in)) {

@ wire-deadline src/core/session/wire.c : tests/smtp/reply_timeout.phpt tests/tls/tls_stall.phpt
# the timeout option is ten times longer than asked
- double deadline = mailer_smtp_now() + timeout;
+ double deadline = mailer_smtp_now() + timeout * 10;

@ wire-421-close src/core/session/wire.c : tests/smtp tests/esmtp
# a 421 reply (the server closes the channel) leaves the connection open for the next command
- if (s->reply.code == 421) {
+ if (0) {

## ---- the session: greeting, EHLO, STARTTLS, failover (src/core/session/session.c) ----

@ greeting-220 src/core/session/setup.c : tests/smtp/greeting_421.phpt tests/smtp/failover.phpt
# any 2xx greeting is taken for a 220
- if (s->reply.code != 220) {
- 		/* 421 or 554
+ if (s->reply.code / 100 != 2) {
+ 		/* 421 or 554

@ greeting-refused src/core/session/setup.c : tests/smtp/greeting_421.phpt tests/smtp/failover.phpt
# a greeting other than 220 (a 421, a 554) does not stop the session
- if (s->reply.code != 220) {
- 		/* 421 or 554
+ if (0) {
+ 		/* 421 or 554

@ ehlo-fallback-codes src/core/session/setup.c : tests/smtp/ehlo_refused_helo.phpt
# a 502 to EHLO is not taken for "EHLO not implemented": no HELO fallback
- code != 502 && code != 504
+ code != 503 && code != 504

@ helo-refused src/core/session/setup.c : tests/smtp
# a 4xx reply to HELO is taken for acceptance
- if (s->reply.code != 250) {
- 		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_EHLO,
+ if (s->reply.code >= 500) {
+ 		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_EHLO,

@ starttls-reply src/core/session/setup.c : tests/tls
# a 4xx reply to STARTTLS goes on to the TLS handshake as if it were 220
- if (s->reply.code != 220) {
- 		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS,
+ if (s->reply.code >= 500) {
+ 		mailer_smtp_reply_error(s, MAILER_ERR_CONNECTION, MAILER_STAGE_STARTTLS,

@ starttls-buffer src/core/session/setup.c : tests/tls
# plaintext bytes that came with the 220 to STARTTLS are read as if they came through TLS (injection)
- if (pending != 0) {
+ if (0) {

@ starttls-ehlo-again src/core/session/setup.c : tests/tls/starttls.phpt tests/auth/starttls_then_auth.phpt
# no EHLO after STARTTLS: the capabilities learnt in plaintext are kept (RFC 3207 4.2)
- 	mailer_caps_free(&s->caps);
- 	perform_ehlo(s, "EHLO");
- 	return STEP_ON;
- }
+ 	return after_ehlo(s, err);
+ }

@ starttls-required src/core/session/setup.c : tests/tls/starttls_required_absent.phpt
# tls=starttls towards a server without STARTTLS goes on in plaintext
- if (s->host->tls == MAILER_TLS_STARTTLS) {
+ if (0) {

@ starttls-auto src/core/session/setup.c : tests/tls tests/auth
# tls=auto no longer upgrades with STARTTLS when offered
- if (!s->tls_active && s->host->tls != MAILER_TLS_NONE) {
+ if (!s->tls_active && s->host->tls == MAILER_TLS_STARTTLS) {

@ starttls-handshake-failure src/core/session/setup.c : tests/tls
# a failed STARTTLS handshake is ignored and the session goes on
- if (rc != 0) {
- 		err->kind = MAILER_ERR_CONNECTION;
- 		err->stage = MAILER_STAGE_STARTTLS;
+ if (0) {
+ 		err->kind = MAILER_ERR_CONNECTION;
+ 		err->stage = MAILER_STAGE_STARTTLS;

@ auth-skipped-without-tls src/core/session/setup.c : tests/auth/cleartext_refused.phpt
# with a user name but no TLS, AUTH is silently skipped instead of refused
- if (s->cfg.user && s->cfg.user[0]) {
+ if (s->cfg.user && s->cfg.user[0] && s->tls_active) {

@ failover-first-only src/core/session/session.c : tests/smtp/failover.phpt
# only the first host of a list is tried
- for (i = 0; i < s->cfg.host_count; i++) {
+ for (i = 0; i < 1; i++) {

@ resume-rset-reply src/core/session/setup.c : tests/esmtp/persistent.phpt tests/esmtp/persistent_requests.phpt
# a resumed persistent session is used whatever the reply to the RSET probe
- if (s->reply.code != 250) {
- 		return failed(s); /* the caller connects again */
+ if (0) {
+ 		return failed(s); /* the caller connects again */

@ caps-auth-word src/core/session/caps.c : tests/auth/auto_mechanism.phpt tests/smtp/multiline_capabilities.phpt
# an AUTH mechanism matches any offered name it is a prefix of ("PLAIN" in "PLAINTEXT")
- if (w == n && mailer_ascii_ncasecmp(p, mechanism, n) == 0) {
+ if (w >= n && mailer_ascii_ncasecmp(p, mechanism, n) == 0) {

@ caps-old-auth-form src/core/session/caps.c : tests/smtp/multiline_capabilities.phpt
# the old "AUTH=LOGIN" form of a capability is ignored
- if (len && (params[0] == ' ' || params[0] == '=')) {
+ if (len && params[0] == ' ') {

## ---- the transaction (src/core/session/txn.c) ----

@ rcpt-all-or-nothing src/core/session/txn.c : tests/smtp/rcpt_refused.phpt tests/postfix/rcpt_refused.phpt
# a refused recipient no longer stops the transaction (the others get the message)
- if (t->accepted == 0 || (t->refused && !s->cfg.partial)) {
+ if (t->accepted == 0) {

@ rcpt-4xx-accepted src/core/session/txn.c : tests/smtp/rcpt_refused.phpt tests/esmtp
# a 4xx to RCPT is counted as an accepted recipient
- if (MAILER_REPLY_OK(&s->reply)) {
- 				t->outcome[t->next] = RCPT_ACCEPTED;
+ if (s->reply.code < 500) {
+ 				t->outcome[t->next] = RCPT_ACCEPTED;

@ rcpt-too-many-first src/core/session/txn.c : tests/esmtp/too_many_recipients.phpt
# a 452 to the first recipient is taken for "too many" and deferred (nothing was accepted)
- } else if (t->accepted > 0 && is_too_many(&s->reply)) {
+ } else if (is_too_many(&s->reply)) {

@ mail-4xx-accepted src/core/session/txn.c : tests/smtp tests/bridge/failures.phpt
# a 4xx to MAIL FROM is taken for acceptance
- mail_ok = MAILER_REPLY_OK(&s->reply);
+ mail_ok = s->reply.code < 500;

@ data-refused src/core/session/txn.c : tests/smtp tests/esmtp
# the message is sent although DATA got no 354 (e.g. a 554)
- if (!t->data_ready) {
- 			mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA, "DATA",
+ if (0) {
+ 			mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_DATA, "DATA",

@ data-abandon src/core/session/txn.c : tests/smtp/rcpt_refused.phpt tests/esmtp/pipelining.phpt
# after a 354 to a pipelined DATA whose recipients were refused, RSET is sent instead of dropping the connection
- if (t->data_ready) {
- 			abandon_data(s);
+ if (0) {
+ 			abandon_data(s);

@ rset-after-refusal src/core/session/txn.c : tests/smtp/rcpt_refused.phpt
# an aborted transaction is not reset: the next send on the connection starts inside it
- } else if (s->reply.code != 421) {
- 			reset_transaction(s);
+ } else if (0) {
+ 			reset_transaction(s);

@ eod-stage src/core/session/txn.c : tests/smtp/drop_after_eod.phpt
# a connection lost after the end of data is reported at stage "data" (not delivered) instead of "eod" (uncertain)
- err, MAILER_ERR_CONNECTION, MAILER_STAGE_EOD,
+ err, MAILER_ERR_CONNECTION, MAILER_STAGE_DATA,

@ eod-reply src/core/session/txn.c : tests/smtp tests/bridge/failures.phpt
# a 4xx to the end of data is taken for acceptance
- if (!MAILER_REPLY_OK(&s->reply)) {
- 		return mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_EOD,
+ if (s->reply.code >= 500) {
+ 		return mailer_smtp_reply_error(s, MAILER_ERR_PROTOCOL, MAILER_STAGE_EOD,

@ retry-after-mail src/core/session/txn.c : tests/smtp/drop_after_eod.phpt tests/smtp/reconnect_after_idle_close.phpt
# a reused connection lost after MAIL (at RCPT, DATA, even after the end of data) is retried: a duplicate
- if (reused && attempt == 0 && t.delivered == 0 && err->stage == MAILER_STAGE_MAIL &&
+ if (reused && attempt == 0 && t.delivered == 0 &&

@ retry-421-at-mail src/core/session/txn.c : tests/smtp/reconnect_after_idle_close.phpt
# a 421 to MAIL FROM on a reused connection is not retried on a new one
- return err->kind == MAILER_ERR_CONNECTION || (!s->connected && err->code == 421);
+ return (void)s, err->kind == MAILER_ERR_CONNECTION;

@ bdat-size-mismatch src/core/session/body.c : tests/esmtp/bdat.phpt tests/dkim/changed_after_signing.phpt
# a message that ended short of its BDAT size is not dropped (the held-back last octet of a shrunk one is never sent: the server waits)
- return b->bdat && b->seen != b->size ? MAILER_BODY_SHRANK : MAILER_BODY_ENDED;
+ return MAILER_BODY_ENDED;

@ bdat-dot-stuffed src/core/session/body.c : tests/esmtp/bdat.phpt tests/postfix/raw_byte_exact.phpt
# BDAT data is dot-stuffed (it must go as is)
- mailer_dotstuff_init(b->stuffer, &out, !bdat);
+ mailer_dotstuff_init(b->stuffer, &out, 1);

@ data-not-stuffed src/core/session/body.c : tests/smtp/data_byte_exact.phpt
# DATA is not dot-stuffed and gets no end-of-data line
- mailer_dotstuff_init(b->stuffer, &out, !bdat);
+ mailer_dotstuff_init(b->stuffer, &out, 0);

@ size-limit src/core/session/txn.c : tests/esmtp/size_limit.phpt tests/postfix/size_limit.phpt
# a message over the server's SIZE is sent anyway
- if (limit > 0 && t->size > limit) {
+ if (0 && limit > 0 && t->size > limit) {

@ size-limit-boundary src/core/session/txn.c : tests/esmtp/size_limit.phpt
# a message of exactly the server's SIZE is refused
- if (limit > 0 && t->size > limit) {
+ if (limit > 0 && t->size >= limit) {

@ size-announced src/core/session/txn.c : tests/esmtp/size_limit.phpt
# the size is not announced with MAIL FROM where SIZE is offered
- if (t->have_size && (s->caps.flags & MAILER_CAP_SIZE)) {
+ if (0) {

@ size-measured src/core/session/txn.c : tests/esmtp/size_limit.phpt
# the message's size is not asked for SIZE (only for BDAT): the limit is checked against 0
- if ((limit_text || uses_bdat(s)) && !t->have_size && !t->size_asked) {
+ if (uses_bdat(s) && !t->have_size && !t->size_asked) {

@ pipelining-unoffered src/core/session/txn.c : tests/esmtp/pipelining.phpt
# commands are pipelined to a server that does not offer PIPELINING
- return !s->cfg.no_pipelining && (s->caps.flags & MAILER_CAP_PIPELINING);
+ return !s->cfg.no_pipelining;

@ chunking-unoffered src/core/session/txn.c : tests/esmtp/bdat.phpt tests/smtp/send_basic.phpt
# BDAT is used with a server that does not offer CHUNKING
- return !s->cfg.no_chunking && (s->caps.flags & MAILER_CAP_CHUNKING);
+ return !s->cfg.no_chunking;

@ smtputf8-unoffered src/core/session/txn.c : tests/esmtp/smtputf8.phpt
# SMTPUTF8 is asked for from a server that does not offer it
- if ((s->caps.flags & MAILER_CAP_SMTPUTF8)) {
+ if (1) {

@ utf8-local-part src/core/session/txn.c : tests/esmtp/smtputf8.phpt
# a UTF-8 local part goes out in 8-bit without SMTPUTF8
- if ((unsigned char)addr[i] >= 0x80) {
+ if (0) {

@ 8bitmime-unoffered src/core/session/txn.c : tests/esmtp/8bitmime.phpt
# BODY=8BITMIME is sent to a server that does not offer 8BITMIME
- if (env->body_8bit && (s->caps.flags & MAILER_CAP_8BITMIME)) {
+ if (env->body_8bit) {

@ dsn-unoffered src/core/session/txn.c : tests/esmtp/dsn.phpt
# DSN parameters are sent to a server that does not offer DSN
- int dsn = (s->caps.flags & MAILER_CAP_DSN);
+ int dsn = 1;

@ dsn-xtext src/core/session/txn.c : tests/esmtp/dsn.phpt tests/postfix/dsn_success.phpt
# "+" is not encoded in an xtext (ENVID, ORCPT): the server decodes another value
- if (*p < 33 || *p > 126 || *p == '+' || *p == '=') {
+ if (*p < 33 || *p > 126 || *p == '=') {

## ---- dot-stuffing and line ends (src/core/util/dotstuff.c) ----

@ dot-stuff-chunk-start src/core/util/dotstuff.c : tests/smtp/data_byte_exact.phpt
# a dot at the start of a line that starts a new write is not doubled
- if (*p == '.' && d->stuff_dots) {
+ if (*p == '.' && d->stuff_dots && p > data) {

@ dot-end-of-data src/core/util/dotstuff.c : tests/smtp/send_basic.phpt
# the end of data is "<CRLF>" without the dot: the server waits for more
- ds_emit(d, ".\r\n", 3);
+ ds_emit(d, "\r\n", 2);

@ dot-final-line-end src/core/util/dotstuff.c : tests/smtp/data_byte_exact.phpt
# a message not ending in a line break gets its "." glued to the last line
- if (d->cr || !d->bol) {
+ if (d->cr) {

@ dot-bare-cr src/core/util/dotstuff.c : tests/smtp/data_byte_exact.phpt
# a bare CR is sent as is (not made CRLF)
- ds_emit(d, "\n", 1);
+ (void)0;

@ dot-bare-lf src/core/util/dotstuff.c : tests/smtp/data_byte_exact.phpt
# a bare LF is sent as is (not made CRLF)
- /* Bare LF: add the CR, the LF starts the next span. */
- 			ds_emit(d, span, (size_t)(q - span));
- 			ds_emit(d, "\r", 1);
+ /* Bare LF: add the CR, the LF starts the next span. */
+ 			ds_emit(d, span, (size_t)(q - span));

@ dot-split-crlf src/core/util/dotstuff.c : tests/smtp/data_byte_exact.phpt
# a CRLF split across two writes becomes CR CR LF
- ds_emit(d, "\r", 1);
- 			p++; /* the LF stays in the span */
+ ds_emit(d, "\r\r", 2);
+ 			p++; /* the LF stays in the span */

## ---- injection and input checks ----

@ header-value-crlf src/core/mime/header.c : tests/api/header_injection.phpt
# a CR in a header value passes the header check
- if (value[i] == '\r' || value[i] == '\n' || value[i] == '\0') {
+ if (value[i] == '\n' || value[i] == '\0') {

@ header-name-chars src/core/mime/header.c : tests/api/header_injection.phpt tests/api/message_invalid_input.phpt
# a space is accepted in a header field name
- if (c < 33 || c > 126 || c == ':') {
+ if (c < 32 || c > 126 || c == ':') {

@ header-name-length src/core/mime/header.c : tests/api/header_injection.phpt tests/api/message_invalid_input.phpt
# header field names of any length are accepted
- if (len == 0 || len > 76) {
+ if (len == 0) {

@ message-value-crlf src/core/mime/message.c : tests/api/header_injection.phpt tests/api/message_invalid_input.phpt
# a CR in a header value is reported as invalid UTF-8 rather than as a line break
- if (memchr(value, '\r', len) || memchr(value, '\n', len)) {
+ if (memchr(value, '\n', len)) {

@ message-value-utf8 src/core/mime/message.c : tests/api/message_invalid_input.phpt tests/api/header_injection.phpt
# header values that are not valid UTF-8 are accepted
- } else if (!mailer_header_value_valid(value, len)) {
+ } else if (0) {

@ message-id-format src/core/mime/message.c : tests/api/message_id_checks.phpt tests/api/message_headers.phpt
# a Message-ID without "@" is accepted
- if (!(at = memchr(s, '@', len)) || !dot_atom_text(s, (size_t)(at - s))) {
- 		return 0;
- 	}
+ if ((at = memchr(s, '@', len)) && !dot_atom_text(s, (size_t)(at - s))) {
+ 		return 0;
+ 	}
+ 	if (!at) {
+ 		return 1;
+ 	}

@ address-line-break src/core/mime/address.c : tests/api/header_injection.phpt
# a CR in an address is reported as a bad character rather than a line break
- if (s[i] == '\r' || s[i] == '\n') {
+ if (s[i] == '\n') {

@ address-quoted-control src/core/mime/address.c : tests/api/header_injection.phpt
# control characters are accepted in a quoted local part
- } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
+ } else if (c == 0x7f) {

@ address-local-64 src/core/mime/address.c : tests/api/header_injection.phpt
# a local part of 65 octets is accepted (RFC 5321 4.5.3.1.1: 64)
- if (local_len > 64) {
+ if (local_len > 65) {

@ address-length-254 src/core/mime/address.c : tests/api/header_injection.phpt
# an address of 255 octets is accepted (RFC 5321 path limit: 254)
- if (len > 254) {
+ if (len > 255) {

@ address-label-63 src/core/mime/address.c : tests/api/header_injection.phpt
# a domain label of 64 octets is accepted (RFC 1035: 63)
- if (i - start > 63) {
+ if (i - start > 64) {

@ host-chars src/core/session/hosts.c : tests/api/constructor_options.phpt
# CR, LF and spaces are accepted in a host name
- c == '.' || c == '_';
+ c == '.' || c == '_' || c == '\r' || c == '\n' || c == ' ';

@ helo-chars src/php/options.c : tests/api/constructor_options.phpt tests/api/helo_line_break.phpt
# CR and LF are accepted in the helo option (command injection into EHLO)
- c == '.' || c == '_' || c == ':' || c == '[' || c == ']';
+ c == '.' || c == '_' || c == ':' || c == '[' || c == ']' || c == '\r' || c == '\n';

## ---- line lengths and encodings ----

@ mime-998 src/core/mime/mime.c : tests/mime/body_encoding.phpt tests/mime/message_text_encoding.phpt
# 7bit bodies may have lines of up to 1998 octets (RFC 5322: 998)
- #define MAILER_7BIT_LINE_MAX 998
+ #define MAILER_7BIT_LINE_MAX 1998

@ qp-76 src/core/mime/qp.c : tests/mime/body_encoding.phpt tests/mime/message_text_encoding.phpt
# quoted-printable lines of 77 characters (RFC 2045: 76)
- #define QP_LINE 76
+ #define QP_LINE 77

@ base64-76 src/core/util/base64.c : tests/mime/message_parts_roundtrip.phpt
# base64 lines of 80 characters (RFC 2045: 76)
- #define B64_LINE 76
+ #define B64_LINE 80

@ header-998 src/core/mime/header.c : tests/mime
# a word too long for a 998-octet header line is not encoded (the line overflows)
- before + w[i].end - w[i].start > LINE_HARD) {
+ before + w[i].end - w[i].start > LINE_HARD * 2) {

@ header-whitespace-ends src/core/mime/header.c : tests/mime/message_unicode_headers.phpt
# leading whitespace of a header value is not encoded (relays strip it)
- w[0].encode = w[0].start > 0;
+ w[0].encode = 0;

## ---- DKIM (src/core/dkim/canon.c, dkim.c) ----

@ dkim-relaxed-name-case src/core/dkim/canon.c : tests/dkim/canonicalization.phpt
# relaxed header canonicalisation keeps the name's case
- mailer_buf_appendc(out, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
+ mailer_buf_appendc(out, c);

@ dkim-relaxed-leading-space src/core/dkim/canon.c : tests/dkim/canonicalization.phpt
# relaxed header canonicalisation keeps a space after the colon
- space = started;
+ space = started || 1;

@ dkim-body-trailing-lines src/core/dkim/canon.c : tests/dkim/canonicalization.phpt tests/dkim/tampered.phpt
# empty lines at the end of the body are hashed (both canonicalisations ignore them)
- b->empty_lines++;
+ rc = put(b, "\r\n", 2);

@ dkim-body-line-end-space src/core/dkim/canon.c : tests/dkim/canonicalization.phpt
# relaxed body: whitespace at the end of a line is kept
- b->wsp = 0; /* relaxed: whitespace at the end of a line goes */
+ (void)0;

@ dkim-simple-empty-body src/core/dkim/canon.c : tests/dkim
# simple body canonicalisation of an empty body is empty (RFC 6376 3.4.3: one CRLF)
- if (!b->written && b->canon == MAILER_DKIM_SIMPLE && put(b, "\r\n", 2) != MAILER_OK) {
+ if (0) {

@ dkim-changed-message src/core/dkim/dkim.c : tests/dkim/changed_after_signing.phpt
# a message that changed after it was signed is sent with the stale signature
- if (!same) {
+ if (0) {

@ dkim-requires-from src/core/dkim/dkim.c : tests/dkim/sendraw.phpt tests/dkim/sign_method.phpt
# a message without From is signed (RFC 6376 5.4: From must be signed)
- if (!find_field(f, n, "From")) {
+ if (0) {

@ dkim-signature-crlf src/core/dkim/dkim.c : tests/dkim
# the DKIM-Signature field is hashed with its final CRLF (RFC 6376 3.7: without)
- data.len -= 2;
+ (void)0;

## ---- the hardening fixes of issue 13, each undone at its mechanism ----
@ starttls-stream-buffer src/core/session/setup.c : tests/tls/starttls_injection_stream_buffer.phpt tests/tls/starttls.phpt
# (issue 13.1) bytes after the 220 to STARTTLS that wait in the I/O layer's buffer (php_stream's) are not looked for
- pending = s->in_end != s->in_start ? 1 : s->io->pending ? s->io->pending(s->io_ctx) : 0;
+ pending = s->in_end != s->in_start ? 1 : 0;

@ starttls-php-buffer src/php/stream_io.c : tests/tls/starttls_injection_stream_buffer.phpt tests/tls/starttls.phpt
# (issue 13.1) bytes already in php_stream's read buffer are not reported as pending (only the kernel's)
- if (stream->writepos > stream->readpos) {
+ if (0) {

@ persistent-busy-ignored src/php/persistent.c : tests/esmtp/persistent_death_error.phpt tests/esmtp/persistent_death_memory.phpt tests/esmtp/persistent_requests.phpt
# (issue 13.3) a pooled session left busy (replies owed, a transaction open) by a request that died is resumed
- if (st->busy || st->pid != php_mailer_pid()) {
+ if (st->pid != php_mailer_pid()) {
= Masked: a session a request leaves mid-exchange is kept from the next request by three layers
= after run_busy() has dropped it as a fatal error unwinds (bailout-drop-session, killed by
= fatal_stops_send.phpt): free_obj keeps it only outside a transaction (persistent-mid-transaction),
= io_close() keeps it only when no reply is owed (persistent-kept-when-busy), and the busy state in
= persistent memory stops the next request (persistent-busy-*). Checked by hand: these four undone
= at once fail persistent_death_error.phpt; with only the persistent busy state left it passes. No
= reachable input gets past one of the three alone (a request that ends without free_obj ends its
= process, and its pool, with it).

@ persistent-busy-not-recorded src/php/stream_io.c : tests/esmtp/persistent_death_error.phpt tests/esmtp/persistent_death_memory.phpt tests/esmtp/persistent_requests.phpt
# (issue 13.3) the session's busy state is not written to persistent memory (a request that dies leaves it "clean")
- php_mailer_persistent_set_busy(io->persistent_id, busy);
+ (void)0;
= Masked: a session a request leaves mid-exchange is kept from the next request by three layers
= after run_busy() has dropped it as a fatal error unwinds (bailout-drop-session, killed by
= fatal_stops_send.phpt): free_obj keeps it only outside a transaction (persistent-mid-transaction),
= io_close() keeps it only when no reply is owed (persistent-kept-when-busy), and the busy state in
= persistent memory stops the next request (persistent-busy-*). Checked by hand: these four undone
= at once fail persistent_death_error.phpt; with only the persistent busy state left it passes. No
= reachable input gets past one of the three alone (a request that ends without free_obj ends its
= process, and its pool, with it).

@ core-busy-on-write src/core/session/wire.c : tests/esmtp/persistent_death_error.phpt tests/esmtp/persistent_death_memory.phpt
# (issue 13.3) writing commands does not mark the session busy (replies are owed from then on)
- mailer_smtp_set_busy(s, 1);
+ (void)0;

@ persistent-discard-unusable src/php/stream_io.c : tests/esmtp/persistent_death_error.phpt tests/esmtp/persistent_death_memory.phpt tests/esmtp/fork_persistent.phpt
# (issue 13.3) a pooled stream that must not be resumed is left in the pool (PHP hands it back under the same id)
- discard_pooled(*persistent_id);
+ (void)0;

@ persistent-kept-when-busy src/php/stream_io.c : tests/esmtp/persistent_death_error.phpt tests/esmtp/persistent_death_memory.phpt tests/usercode
# (issue 13.3) a session closed while replies are owed is kept in the pool for the next object
- if (stream && io->holding && io->detach && !io->busy && !foreign) {
+ if (stream && io->holding && io->detach && !foreign) {
= Masked: a session a request leaves mid-exchange is kept from the next request by three layers
= after run_busy() has dropped it as a fatal error unwinds (bailout-drop-session, killed by
= fatal_stops_send.phpt): free_obj keeps it only outside a transaction (persistent-mid-transaction),
= io_close() keeps it only when no reply is owed (persistent-kept-when-busy), and the busy state in
= persistent memory stops the next request (persistent-busy-*). Checked by hand: these four undone
= at once fail persistent_death_error.phpt; with only the persistent busy state left it passes. No
= reachable input gets past one of the three alone (a request that ends without free_obj ends its
= process, and its pool, with it).

@ bailout-drop-session src/php/mailer_class.c : tests/esmtp/persistent_death_error.phpt tests/esmtp/persistent_death_memory.phpt tests/usercode/fatal_stops_send.phpt
# (issue 13.3, 13.6) a fatal error in PHP code a send runs leaves the session as it is (not dropped) as the bailout goes on
- drop_session(m);
- 		zend_bailout();
+ (void)drop_session;
+ 		zend_bailout();

@ fork-owner-check src/core/session/session.c : tests/smtp/fork_shared_mailer.phpt tests/smtp/fork_child_exits.phpt tests/esmtp/fork_persistent.phpt
# (issue 13.11) a forked child goes on using its parent's connection instead of abandoning it and connecting anew
- if (s->connected && s->io->inherited && s->io->inherited(s->io_ctx)) {
+ if (0) {

@ fork-silent-close src/php/stream_io.c : tests/smtp/fork_shared_mailer.phpt tests/smtp/fork_child_exits.phpt tests/esmtp/fork_persistent.phpt
# (issue 13.11) a child closing its parent's connection does it normally (a TLS close_notify into the parent's session)
- discard_stream(stream, foreign || io->busy);
+ discard_stream(stream, io->busy);

@ fork-pool-pid src/php/persistent.c : tests/esmtp/fork_persistent.phpt
# (issue 13.11) a pooled session opened by another process (the parent) is resumed in a child
- if (st->busy || st->pid != php_mailer_pid()) {
+ if (st->busy) {

@ fork-pool-dtor src/php/persistent.c : tests/esmtp/fork_persistent.phpt
# (issue 13.11) a child ending closes the pooled stream it inherited as its own (close_notify into the parent's TLS session)
- if (st->pid != php_mailer_pid()) {
+ if (0) {

@ busy-guard-mailer src/php/mailer_class.c : tests/usercode
# (issue 13.4) a Mailer method called from PHP code its own send runs is not refused (use after free)
- if (m->busy) {
+ if (0) {

@ busy-guard-constructor src/php/mailer_class.c : tests/usercode/busy_constructor.phpt
# (issue 13.4) the constructor called again from PHP code the first call runs is not refused
- if (m->constructed || m->busy) {
+ if (m->constructed) {

@ busy-guard-destructor src/php/mailer_class.c : tests/usercode tests/smtp/send_basic.phpt
# (issue 13.4) the destructor of a busy Mailer (its send still running) says QUIT
- !EG(exception) && !m->busy) {
+ !EG(exception)) {
= Unreachable: a method's call frame holds a reference to its object, so the destructor cannot run
= while a method of the object runs, and run_busy() clears busy before a fatal error's bailout goes
= on (after which destructors are not called). The guard is kept as a backstop.

@ user-failure-io src/php/stream_io.c : tests/usercode
# (issue 13.6) the stream I/O goes on writing after PHP code the send ran threw or called exit()
- #define REFUSE_AFTER_USER_FAILURE()
+ #define REFUSE_AFTER_USER_FAILURE() if (0)

@ user-failure-starttls src/php/stream_io.c : tests/usercode tests/tls
# (issue 13.6) an exception or exit() of PHP code during the TLS handshake is swallowed into a ConnectionException
- if (EG(exception) && EG(exception)->ce != php_mailer_connection_exception_ce) {
+ if (0) {

@ user-failure-flush src/core/session/wire.c : tests/usercode
# (issue 13.6) an abandoned session still flushes what is queued (the end of data goes out)
- if (s->abandoned && !s->write_failed) {
- 		write_failure(s, MAILER_IO_ABORTED);
+ if (0) {
+ 		write_failure(s, MAILER_IO_ABORTED);
= Unreachable: every path that sets abandoned closes the session at once (a source that gave up, an
= I/O call that said MAILER_IO_ABORTED), and close empties the output buffer; what the flush would
= send after PHP code failed is refused one layer down (user-failure-io, killed). A backstop.

@ bdat-limit-sink src/core/session/body.c : tests/esmtp/bdat_source_grows.phpt tests/esmtp/bdat.phpt
# (issue 13.7) a BDAT source that grows is written past the announced size (the rest read as commands)
- if (b->seen > b->size || len > b->size - b->seen) {
+ if (0) {

@ bdat-hold-last src/core/session/body.c : tests/esmtp/bdat_source_grows.phpt tests/esmtp/bdat.phpt
# (issue 13.7) the chunk's last octet is not held back until the source ends (a source that grows after it was complete)
- if (b->seen < b->size) {
+ if (b->seen <= b->size) {

@ retry-worn-out src/core/session/txn.c : tests/smtp/mail_4xx_reconnect.phpt tests/smtp/mail_4xx_fresh_connection.phpt
# (issue 13.10) a 451/452 to MAIL on a connection that already carried mail is not retried on a new one
- !s->abandoned && is_connection_worn_out(err)) {
+ !s->abandoned && is_connection_worn_out(err) && 0) {

@ retry-worn-out-452 src/core/session/txn.c : tests/smtp/mail_4xx_reconnect.phpt
# (issue 13.10) OpenSMTPD's "452 4.5.3 Too many messages sent" is not taken for a worn-out connection (only 451 is)
- return err->kind == MAILER_ERR_PROTOCOL && (err->code == 451 || err->code == 452);
+ return err->kind == MAILER_ERR_PROTOCOL && err->code == 451;

@ retry-worn-out-fresh src/core/session/txn.c : tests/smtp/mail_4xx_fresh_connection.phpt tests/smtp/mail_4xx_reconnect.phpt
# (issue 13.10) a 451/452 to MAIL on a fresh connection (the server's answer to this message) is retried anyway
- if (carried && attempt == 0 && t.delivered == 0 && err->stage == MAILER_STAGE_MAIL &&
+ if ((carried || 1) && attempt == 0 && t.delivered == 0 && err->stage == MAILER_STAGE_MAIL &&

@ deadline-per-line src/core/session/wire.c : tests/smtp/timeout_deadline_signals.phpt tests/smtp/reply_timeout.phpt
# (issue 13.12) each read of a reply waits the whole timeout again (a server trickling bytes holds the client for ever)
- ready = mailer_smtp_wait(s, MAILER_WAIT_READ, deadline);
+ ready = mailer_smtp_wait(s, MAILER_WAIT_READ, deadline > 0 ? mailer_smtp_now() + timeout : 0);

@ deadline-signal src/core/session/driver.c : tests/smtp/timeout_deadline_signals.phpt tests/smtp/write_timeout_signals.phpt
# (issue 13.12) a signal interrupting the wait ends the read or write as a failure instead of waiting for what is left
- if (n < 0 && !MAILER_EINTR(n)) {
+ if (n < 0) {

@ write-timeout src/core/session/setup.c : tests/smtp/write_timeout.phpt tests/smtp/write_timeout_signals.phpt
# (issue 13.15) a write to a server that stops reading waits ten times the timeout (the body state's wait, as every state's, ends at the clock restarted here)
- s->deadline = mailer_smtp_now() + timeout;
+ s->deadline = mailer_smtp_now() + timeout * 10;

@ write-timeout-reported src/core/session/wire.c : tests/smtp/write_timeout.phpt
# (issue 13.15) a write that timed out is reported as a lost connection, not as a timeout
- if (s->write_failed == MAILER_IO_TIMEOUT && strncmp(what, lost, sizeof(lost) - 1) == 0) {
+ if (0) {

@ pool-key-context src/php/mailer_class.c : tests/tls/persistent_context_key.phpt tests/api/persistent_context_uncomparable.phpt
# (issue 13.2) the stream context is left out of the pool key: a strict Mailer resumes a session opened with verify_peer off
- if (Z_TYPE(m->opts.context) == IS_ARRAY) {
+ if (0) {

@ pool-key-nested src/php/persistent.c : tests/tls/persistent_context_key.phpt
# (issue 13.2) the values inside a context option's array are left out of the pool key
- rc = key_value(key, entries[i].value, path, depth + 1, arg_num, what);
+ rc = SUCCESS;

@ pool-key-object src/php/persistent.c : tests/api/persistent_context_uncomparable.phpt
# (issue 13.2) an object in a context option is not refused for persistence: it is keyed as null
- smart_str_0(path);
- 		zend_argument_value_error(arg_num,
- 								  "%s%s is %s %s, which a persistent connection cannot "
+ smart_str_appendc(key, 'N');
+ 		return SUCCESS;
+ 		zend_argument_value_error(arg_num,
+ 								  "%s%s is %s %s, which a persistent connection cannot "

@ date-month-days src/core/mime/date.c : tests/api/date_checks.phpt
# (issue 13.8) a Date with a day its month does not have (31 Apr, 29 Feb 2025) is accepted
- if (d->day < 1 || d->day > month_days[d->month] + (d->month == 1 && leap_year(d->year))) {
+ if (d->day < 1 || d->day > month_days[0] + (d->month == 1 && leap_year(d->year))) {

@ date-weekday src/core/mime/date.c : tests/api/date_checks.phpt
# (issue 13.8) a Date whose day of the week is not that of the date is accepted
- if (d->wday >= 0 && d->wday != weekday(d->year, d->month, d->day)) {
+ if (0) {

@ date-hour src/core/mime/date.c : tests/api/date_checks.phpt
# (issue 13.8) hour 24 is accepted in a Date
- if (d->hour > 23) {
+ if (d->hour > 24) {

@ date-trailing-text src/core/mime/date.c : tests/api/date_checks.phpt
# (issue 13.8) text after the time zone is accepted in a Date
- if (t.kind != 0) {
- 		return "text after the time zone";
+ if (0) {
+ 		return "text after the time zone";

@ date-obsolete-kept src/core/mime/date.c : tests/api/date_checks.phpt
# (issue 13.8) a Date in the obsolete syntax (RFC 5322 4.3: must not be generated) is sent as given
- if (!obsolete) {
+ if (1) {

@ date-length src/core/mime/date.c : tests/api/date_checks.phpt
# (issue 13.8) a Date longer than a header line holds (comments are valid syntax) is accepted
- if (len > DATE_MAX) {
+ if (0) {

@ message-id-stored-first src/core/mime/message.c : tests/api/message_id_checks.phpt
# (issue 13.8) a Message-ID is stored before its format check: a refused value changes the message
- if (!msg_id_valid(value, len)) {
+ if (set_field(&m->message_id, "header \"Message-ID\"", value, len, err), !msg_id_valid(value, len)) {

@ message-id-domain src/core/mime/message.c : tests/api/message_id_checks.phpt
# (issue 13.8) the right side of a Message-ID is not checked (spaces, a second "@", "<a@>")
- return dot_atom_text(right, rlen);
+ return 1;

## ---- TLS, debug output and persistent sessions (src/php) ----

@ tls-floor src/php/stream_io.c : tests/tls
# TLS 1.0 and 1.1 are accepted (the floor is TLS 1.2)
- return STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT | STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT;
+ return STREAM_CRYPTO_METHOD_ANY_CLIENT;

@ tls-peer-name src/php/stream_io.c : tests/tls/ipv6_literal.phpt
# the certificate is checked against the name PHP derives from the URI, not the host asked for
- if (!php_stream_context_get_option(context, "ssl", "peer_name")) {
+ if (0) {

@ tls-handshake-result src/php/stream_io.c : tests/tls
# a failed TLS handshake is taken for success
- if (ok && !EG(exception)) {
- 		return 0;
+ if (!EG(exception)) {
+ 		return 0;

@ tls-implicit src/php/stream_io.c : tests/tls/implicit_tls.phpt tests/tls/certificate_rejected.phpt
# implicit TLS (smtps) is not started: the session runs in plaintext
- if (implicit_tls && (rc = crypto_start(io, stream, context, err)) != 0) {
+ if (0 && implicit_tls && (rc = crypto_start(io, stream, context, err)) != 0) {

@ debug-html-escape src/php/mailer_class.c : tests/api/debug_html.phpt
# debug output in a web SAPI is not HTML-escaped (the server's text becomes markup)
- zend_string *escaped = php_escape_html_entities((const unsigned char *)line, len, 0,
- 														ENT_QUOTES | ENT_SUBSTITUTE, "UTF-8");
+ zend_string *escaped = zend_string_init(line, len, 0);

@ debug-off src/php/mailer_class.c : tests/api/debug_output.phpt
# debug() prints although debug is off
- if (!debug_enabled(m) || EG(exception)) {
+ if (EG(exception)) {

@ persistent-held src/php/persistent.c : tests/esmtp/persistent.phpt tests/postfix/persistent_two_objects.phpt
# a session held by an object of this request is handed to a second object as well
- if (st->held_in == request_number) {
+ if (0) {

@ persistent-key-password src/php/mailer_class.c : tests/esmtp/persistent.phpt tests/postfix/persistent_password.phpt
# the password is left out of the persistent session's key: another password resumes the session
- php_mailer_persistent_key_secret(&key, m->smtp.cfg.pass, strlen(m->smtp.cfg.pass));
+ php_mailer_persistent_key_secret(&key, m->smtp.cfg.user, strlen(m->smtp.cfg.user));

@ persistent-mid-transaction src/php/mailer_class.c : tests/esmtp/persistent.phpt tests/esmtp/persistent_requests.phpt tests/esmtp/persistent_death_error.phpt
# a persistent session freed in the middle of a transaction is kept for the next request
- m->io.detach = m->io.holding && !m->smtp.in_transaction;
+ m->io.detach = m->io.holding;
= Masked: a session a request leaves mid-exchange is kept from the next request by three layers
= after run_busy() has dropped it as a fatal error unwinds (bailout-drop-session, killed by
= fatal_stops_send.phpt): free_obj keeps it only outside a transaction (persistent-mid-transaction),
= io_close() keeps it only when no reply is owed (persistent-kept-when-busy), and the busy state in
= persistent memory stops the next request (persistent-busy-*). Checked by hand: these four undone
= at once fail persistent_death_error.phpt; with only the persistent busy state left it passes. No
= reachable input gets past one of the three alone (a request that ends without free_obj ends its
= process, and its pool, with it).

## ==== AUTH/SASL (the mechanism vtable, the generic AUTH loop, auth_token) and message composing
## (the field table, the envelope, the send pipeline): refreshed after those landed ====

@ auth-cleartext src/core/session/auth.c : tests/auth/cleartext_refused.phpt
# credentials are sent on a connection without TLS although allow_insecure_auth is off
- if (!s->tls_active && !s->cfg.allow_insecure_auth) {
+ if (!s->tls_active && s->cfg.allow_insecure_auth) {

@ auth-235 src/core/session/auth.c : tests/auth/mechanisms.phpt
# a 535 to AUTH is taken for success
- if (s->reply.code == 235) {
+ if (s->reply.code == 235 || s->reply.code == 535) {

@ auth-no-auth-offered src/core/session/auth.c : tests/auth/auto_mechanism.phpt
# a server that offers no AUTH is not reported as such
- if (!mailer_caps_has(&s->caps, "AUTH")) {
+ if (0) {

@ auth-scram-preferred src/core/auth/sasl.c : tests/auth/scram.phpt tests/auth/auto_mechanism.phpt
# auth=auto picks PLAIN (the password itself) where SCRAM is offered
- &mailer_sasl_scram_sha256_mech, &mailer_sasl_cram_md5_mech,    &mailer_sasl_plain_mech,
+ &mailer_sasl_plain_mech, &mailer_sasl_cram_md5_mech,    &mailer_sasl_scram_sha256_mech,

@ redact-initial-response src/core/session/auth.c : tests/auth/debug_redaction.phpt
# the initial response (AUTH PLAIN's credentials) appears in the debug output
- queue_secret(s, cmd.data, cmd.len, a->command_text);
+ queue_secret(s, cmd.data, cmd.len, NULL);

@ redact-sasl-step src/core/session/auth.c : tests/auth/debug_redaction.phpt
# a SASL response line (AUTH LOGIN's password) appears in the debug output
- queue_secret(s, mailer_buf_cstr(&a->resp), a->resp.len, "****");
+ queue_secret(s, mailer_buf_cstr(&a->resp), a->resp.len, NULL);

@ redact-command-text src/core/session/auth.c : tests/auth tests/postfix/wrong_password.phpt
# the password appears in the exception's command and in debug output
- snprintf(a->command_text, sizeof(a->command_text), "AUTH %s ****", a->mech->name);
+ snprintf(a->command_text, sizeof(a->command_text), "AUTH %s %s", a->mech->name, s->cfg.pass);

@ scram-server-signature src/core/auth/scram.c : tests/auth/scram.phpt
# SCRAM: the server's signature is not checked (a server that does not know the password passes)
- if (mailer_scram_verify_server(&st->sc, challenge, len) != MAILER_OK) {
+ if (0) {

@ scram-235-without-proof src/core/session/auth.c : tests/auth/scram.phpt tests/auth/scram_no_proof.phpt
# SCRAM: a 235 with no server proof is taken for success
- if (a->mech->accept && a->mech->accept(a->state, &why) != MAILER_OK) {
+ if (0) {

@ scram-signature-compare src/core/auth/scram.c : tests/auth/scram.phpt
# SCRAM: any server signature of the right length is accepted
- rc = (expected.len == v_len && CRYPTO_memcmp(expected.data, v, v_len) == 0) ? MAILER_OK
+ rc = (expected.len == v_len) ? MAILER_OK

@ scram-nonce src/core/auth/scram.c : tests/auth/scram.phpt
# SCRAM: the server's nonce need not extend the client's (a replayed exchange passes)
- if (nonce_len <= sc->nonce_len || memcmp(nonce, sc->nonce, sc->nonce_len) != 0) {
+ if (nonce_len <= sc->nonce_len) {

@ scram-iterations src/core/auth/scram.c : tests/auth/scram.phpt
# SCRAM: any iteration count is accepted (a server can make the client spin for hours)
- iterations < 1 || iterations > MAILER_SCRAM_MAX_ITERATIONS) {
+ iterations < 1) {

@ sasl-saslname src/core/auth/sasl.c : tests/auth/scram.phpt tests/auth/oauthbearer.phpt
# a comma in the user name is not escaped in SCRAM and OAUTHBEARER (attribute injection)
- if (*name == ',') {
+ if (0) {

@ sasl-cram-md5 src/core/auth/cram_md5.c : tests/auth/mechanisms.phpt
# CRAM-MD5 answers with an HMAC of the wrong hash
- !HMAC(EVP_md5(), pass, (int)strlen(pass), decoded, decoded_len, mac, &mac_len)) {
+ !HMAC(EVP_sha1(), pass, (int)strlen(pass), decoded, decoded_len, mac, &mac_len)) {

@ bcc-in-header src/core/mime/message.c : tests/api/message_bcc.phpt tests/mime/bcc_only.phpt tests/mime/sendmail_headers.phpt
# Bcc recipients are written into the message's header
- write_address_field(h, "From", &m->from);
+ write_address_field(h, "From", &m->from); if (m->bcc.count) { write_address_field(h, "Bcc", &m->bcc); }

@ bcc-only-to src/core/mime/message.c : tests/mime/bcc_only.phpt tests/api/message_bcc.phpt
# a message with only Bcc recipients gets no To field (RFC 5322 3.6.3 wants "undisclosed-recipients:;")
- if (m->to.count || !m->cc.count) {
+ if (m->to.count) {

@ auth-token-no-refresh src/core/session/auth.c : tests/auth/token_refresh.phpt tests/auth/token_rejected_twice.phpt
# auth_token: a refused token is never refreshed (an expired token fails the send)
- if (a->use_token && a->attempt == 0 && token_refused(s, a->steps)) {
+ if (0 && a->use_token && a->attempt == 0 && token_refused(s, a->steps)) {

@ auth-token-refresh-loop src/core/session/auth.c : tests/auth/token_rejected_twice.phpt
# auth_token: a refreshed token that is refused again is refreshed again (the callable called three times)
- attempt == 0 && token_refused
+ attempt < 2 && token_refused

@ auth-token-refresh-flag src/core/session/auth.c : tests/auth/token_refresh.phpt
# auth_token: the callable is never told to refresh ($refresh always false)
- s->cfg.token(s->cfg.token_ctx, a->attempt > 0, &a->token)
+ s->cfg.token(s->cfg.token_ctx, 0, &a->token)

@ auth-token-refused-535 src/core/session/auth.c : -
# auth_token: a 535 without an error challenge is not taken for a refused token
- return s->reply.code == 535 || (steps > 0
+ return (steps > 0

@ auth-token-refused-4xx src/core/session/auth.c : -
# auth_token: a temporary 454 (or a refusal before any challenge) is retried with a new token
- (steps > 0 && s->reply.code >= 500
+ (steps >= 0 && s->reply.code >= 400

@ auth-token-choose src/core/session/auth.c : tests/auth/token_options.phpt tests/auth/token_refresh.phpt
# auto with a token callable picks a password mechanism, never OAUTHBEARER/XOAUTH2
- mailer_sasl_choose(s->cfg.token != NULL, offered, s)
+ mailer_sasl_choose(0, offered, s)

@ auth-initial-response-deferred src/core/session/auth.c : tests/auth/xoauth2.phpt
# an initial response too long for the AUTH line is never sent after the 334
- a->deferred = has_ir;
+ a->deferred = 0;

@ auth-cancel-line src/core/session/auth.c : -
# a mechanism that gives up answers the challenge with something else than "*" (RFC 4954 cancel)
- mailer_buf_appendc(&a->resp, '*');
+ mailer_buf_appendc(&a->resp, 'x');

@ sasl-bearer-order src/core/auth/sasl.c : tests/auth/token_options.phpt
# auto with a token prefers XOAUTH2 over the standard OAUTHBEARER
- &mailer_sasl_login_mech,        &mailer_sasl_oauthbearer_mech, &mailer_sasl_xoauth2_mech,
+ &mailer_sasl_login_mech,        &mailer_sasl_xoauth2_mech, &mailer_sasl_oauthbearer_mech,

@ sasl-login-steps src/core/auth/login.c : -
# AUTH LOGIN answers a third prompt (with the password again) instead of failing
- if (st->answered == 2) {
+ if (st->answered == 3) {

@ token-password-mechanism src/php/options.c : tests/auth/token_options.phpt
# auth_token is accepted with a password mechanism forced (the token would go as a password)
- if (Z_TYPE(out->auth_token) != IS_UNDEF && cfg->auth &&
+ if (0 && cfg->auth &&

@ fields-content-disposition src/core/mime/fields.c : tests/api/field_table.phpt
# Content-Disposition given as a header is no longer refused (it would reach the top level)
- {"Content-Disposition", MAILER_FIELD_MIME, NULL},

@ fields-entry-point src/core/mime/fields.c : tests/api/field_table.phpt
# the Content-Type row's entry points reversed: sendmail() refuses it, Message::header() takes it
- entry == MAILER_FIELD_FROM_MESSAGE) {
+ entry != MAILER_FIELD_FROM_MESSAGE) {

@ fields-bcc-list src/core/mime/fields.c : -
# a Bcc header is routed into Reply-To
- return strcmp(r->name, "Bcc") == 0 ? &m->bcc : &m->reply_to;
+ return &m->reply_to;

@ fields-name-case src/core/mime/fields.c : -
# field names compared case-sensitively ("subject" passes the check for "Subject")
- mailer_ascii_ncasecmp(name, r->name, len) == 0
+ memcmp(name, r->name, len) == 0

@ envelope-dedup src/core/send/envelope.c : -
# a recipient named twice (To and Cc) gets two RCPTs
- 			return;
- 		}
+ 		}

@ envelope-bcc src/core/send/envelope.c : -
# Bcc recipients are left out of the envelope (never delivered)
- 	add_list(e, &m->bcc);

@ envelope-utf8-headers src/core/send/envelope.c : -
# the SMTPUTF8 decision ignores non-ASCII addresses in the header
- e->env.utf8_headers = mailer_message_header_utf8(m);
+ e->env.utf8_headers = 0;

@ envelope-utf8-reply-to src/core/mime/message.c : -
# a non-ASCII Reply-To address does not ask for SMTPUTF8
- mailer_address_field_utf8(&m->cc) || mailer_address_field_utf8(&m->reply_to);
+ mailer_address_field_utf8(&m->cc);

@ pipeline-base64-size src/core/mime/mime_reader.c : -
# a file part's computed size leaves out base64's line breaks (SIZE= and BDAT announce too little)
- r->skipped += mailer_base64_stream_len((size_t)size);
+ r->skipped += mailer_base64_encoded_len((size_t)size);

@ pipeline-dkim-size src/core/dkim/dkim.c : tests/mime/attachment_reads.phpt tests/smime/dkim.phpt
# with DKIM the size counted in the signing pass is not given (no SIZE=, DATA instead of BDAT)
- 	return mailer_dkim_size(c);
+ 	return 0 ? mailer_dkim_size(c) : MAILER_SIZE_UNKNOWN;

@ pipeline-bdat-unknown-size src/core/session/txn.c : -
# BDAT is used for a message whose size is unknown (the chunk announces what it cannot know)
- t->bdat = uses_bdat(s) && t->have_size;
+ t->bdat = uses_bdat(s);

@ pipeline-dkim-size-fields src/core/dkim/dkim.c : -
# the size DKIM counts leaves out the DKIM-Signature fields it adds
- return (long long)(ctx->fields.len + ctx->scan.norm.written);
+ return (long long)ctx->scan.norm.written;

@ pipeline-file-size src/php/file_source.c : tests/mime/attachment_reads.phpt
# a plain file's size is taken wrong (the computed size no longer matches what is sent)
- return (long long)ssb.sb.st_size;
+ return (long long)ssb.sb.st_size + 3;

## ==== S/MIME (src/core/smime, src/php/smime_options.c) ====

@ smime-from-check src/core/smime/smime.c : tests/smime/send_time_errors.phpt
# a signing certificate that does not name the From address signs all the same
- if (X509_check_email(p->config->sign_cert, addr, strlen(addr), 0) != 1) {
+ if (0) {

@ smime-8bit-check src/core/smime/smime.c : tests/smime/send_time_errors.phpt
# 8-bit bytes inside the signed entity are let through (a relay re-encoding them breaks the signature)
- if (c >= 0x80 || c == 0) {
+ if (c == 0) {

@ smime-expired src/core/smime/keys.c : tests/smime/option_errors.phpt
# an expired certificate is accepted
- if (X509_cmp_time(X509_get0_notAfter(x), &t) <= 0) {
+ if (0) {

@ smime-key-match src/core/smime/keys.c : tests/smime/option_errors.phpt
# a key that does not belong to the signing certificate is accepted (every signature fails to verify)
- } else if (X509_check_private_key(cert, key) != 1) {
+ } else if (0) {

@ smime-gcm src/core/smime/cms.c : tests/smime/encrypt_decrypt.phpt
# the cipher option is ignored: AES-256-CBC even when GCM is asked for
- gcm ? EVP_aes_256_gcm() : EVP_aes_256_cbc(),
+ EVP_aes_256_cbc(),

@ smime-chain src/core/smime/cms.c : tests/smime/sign_encrypt.phpt
# the extra certificates (the chain to the CA) are left out of the signature
- for (i = 0; c->sign_chain && i < sk_X509_num(c->sign_chain); i++) {
+ for (i = 0; 0 && c->sign_chain && i < sk_X509_num(c->sign_chain); i++) {

@ smime-spool-rewind src/core/smime/spool.c : tests/smime/large_attachment.phpt
# the spooled S/MIME message is not read back from its start on a second pass
- if (s->file && (fflush(s->file) != 0 || fseek(s->file, 0, SEEK_SET) != 0)) {
+ if (s->file && fflush(s->file) != 0) {
__CATALOGUE__
