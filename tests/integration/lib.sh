# lib.sh - sourced by the shell integration tests: TAP output, waiting for
# files and processes, and the kernel audit state the live tests must give
# back exactly as they found it.  Not a test itself.
#
# The sourcing script sets PLAN (for skip_all) before it calls skip_all.

n=0		# TAP tests printed so far
failed=0	# of which not ok

# ok STATUS DESCRIPTION [DIAGNOSTIC]: one TAP line; the diagnostic is
# printed as comments when STATUS is not 0.
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[ $# -gt 2 ] && printf '%s\n' "$3" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

# skip REASON: one skipped test.
skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

# skip_all REASON: the plan, every test skipped, exit 0.
skip_all() {
	local i

	echo "1..$PLAN"
	for i in $(seq 1 "$PLAN"); do echo "ok $i # SKIP $1"; done
	exit 0
}

# wait_for FILE [PATTERN] [SECONDS]: until FILE exists (and has PATTERN);
# 10 s by default.  Returns 1 on timeout.
wait_for() {
	local f=$1 pat=${2:-} i

	for i in $(seq $((${3:-10} * 20))); do
		if [ -e "$f" ] && { [ -z "$pat" ] || grep -q -- "$pat" "$f"; }; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# stop PID: SIGTERM, wait up to 10 s, then SIGKILL (and return 1).
stop() {
	local i

	kill -TERM "$1" 2> /dev/null
	for i in $(seq 100); do kill -0 "$1" 2> /dev/null || return 0; sleep 0.1; done
	kill -KILL "$1" 2> /dev/null
	return 1
}

# ---- Kernel audit state --------------------------------------------------
# Audit is one global resource: the tests that change it hold the lock
# /tmp/falconet-audit-test.lock (fd 9) for their whole run, save the state
# first and restore it in their EXIT trap.

# The settings a test must give back, one "name value" per line.
audit_status() {
	auditctl -s | grep -E '^(enabled|failure|pid|backlog_limit|backlog_wait_time) '
}
audit_rules() { auditctl -l; }

# audit_save DIR KEY...: save the status and the rules into DIR; skip_all
# when kernel audit is missing or locked (enabled 2), when a live audit
# daemon is registered, or when rules with any of the test's KEYs exist.
audit_save() {
	local dir=$1 k pid keys

	shift
	audit_status > "$dir/status.before" 2> /dev/null || skip_all "AUDIT_GET failed"
	[ -s "$dir/status.before" ] || skip_all "no kernel audit"
	audit_rules > "$dir/rules.before"
	[ "$(audit_before "$dir" enabled)" != 2 ] || skip_all "audit is locked (enabled=2)"
	pid=$(audit_before "$dir" pid)
	if [ "$pid" != 0 ] && kill -0 "$pid" 2> /dev/null; then
		skip_all "an audit daemon (pid $pid) is registered"
	fi
	keys=$(IFS='|'; echo "$*")
	if grep -qE "key=($keys)( |$)" "$dir/rules.before"; then
		skip_all "rules with our test keys are already installed"
	fi
}

# audit_before DIR NAME: a saved setting.
audit_before() { awk -v k="$2" '$1 == k { print $2 }' "$1/status.before"; }

# audit_restore DIR KEY...: delete the rules with the test's KEYs (nobody
# else's), put the saved settings back, and warn on stderr when the state
# still differs from the saved one.  A registered pid that is gone is
# forgotten by the kernel; the caller unregisters a live one first.
audit_restore() {
	local dir=$1 k

	shift
	for k in "$@"; do
		auditctl -D -k "$k" > /dev/null 2>&1
	done
	auditctl -f "$(audit_before "$dir" failure)" \
	    -b "$(audit_before "$dir" backlog_limit)" \
	    --backlog_wait_time "$(audit_before "$dir" backlog_wait_time)" > /dev/null 2>&1
	auditctl -e "$(audit_before "$dir" enabled)" > /dev/null 2>&1
	if ! audit_status | cmp -s - "$dir/status.before" ||
	    ! audit_rules | cmp -s - "$dir/rules.before"; then
		echo "# WARNING: audit state differs from the start:" >&2
		auditctl -s >&2
		auditctl -l >&2
	fi
}
