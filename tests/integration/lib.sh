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
# audit_field NAME: one value of the kernel's audit status.
audit_field() { auditctl -s | awk -v k="$1" '$1 == k { print $2 }'; }

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

# start_auditd DIR: Debian's auditd in the foreground with DIR/auditd.conf
# (its log and plugins.d in DIR), registered as the audit daemon; its pid
# in $auditd_pid, also appended to the caller's pids array (its cleanup
# stops them).  Returns 1 when it did not register within 10 s.
start_auditd() {
	local d=$1

	mkdir -p "$d/plugins.d" "$d/log"
	chmod 0700 "$d" "$d/log"
	cat > "$d/auditd.conf" <<-EOF
	local_events = yes
	write_logs = yes
	log_file = $d/log/audit.log
	log_format = RAW
	flush = DATA
	max_log_file = 50
	max_log_file_action = IGNORE
	space_left = 2
	space_left_action = IGNORE
	admin_space_left = 1
	admin_space_left_action = IGNORE
	disk_full_action = IGNORE
	disk_error_action = IGNORE
	name_format = NONE
	q_depth = 2000
	overflow_action = SYSLOG
	max_restarts = 10
	plugin_dir = $d/plugins.d
	end_of_event_timeout = 2
	EOF
	chmod 0640 "$d/auditd.conf"
	# As a site's audit.rules would (RHEL: -b 8192): with this host's
	# backlog_limit (64 by default) bursts of other processes' records
	# would make audited processes wait.  stop_auditd restores it.
	auditctl -b 8192 > /dev/null
	# Default -s: auditd enables audit and disables it again at exit.
	if [ "$(audit_field enabled)" = 0 ]; then
		/usr/sbin/auditd -n -c "$d" > "$d/auditd.out" 2>&1 9>&- &
	else
		/usr/sbin/auditd -n -s nochange -c "$d" > "$d/auditd.out" 2>&1 9>&- &
	fi
	auditd_pid=$!
	pids+=("$auditd_pid")
	for _ in $(seq 100); do
		[ "$(audit_field pid)" = "$auditd_pid" ] && return 0
		sleep 0.1
	done
	return 1
}

# stop_auditd STATEDIR: stop it; auditd 3.0.9 leaves enabled=1 behind
# when it enabled audit at start, which is auditd's doing, not what the
# tests check: undo that and the backlog_limit start_auditd set, from the
# state audit_save kept in STATEDIR.
stop_auditd() {
	stop "$auditd_pid"
	auditctl -b "$(audit_before "$1" backlog_limit)" > /dev/null
	[ "$(audit_before "$1" enabled)" = 0 ] && auditctl -e 0 > /dev/null
}
