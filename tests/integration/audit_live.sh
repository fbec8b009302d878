#!/bin/bash
# audit_live.sh - the live audit source against the real kernel (root).
#
# Cases, one after the other (the kernel audit state is global; a lock
# file serialises concurrent runs):
#   unicast    aud_reader registers as the audit daemon (auto mode), installs
#              our rules for execve, sees /bin/true's exec with the right argv
#              and pid; on exit the status (enabled, failure, pid,
#              backlog_limit, backlog_wait_time) and the rule list are as
#              before.  Kernel lost counter: read and deltas computed.
#              aud_rules_check notices `auditctl -D -k falconet`.
#   multicast  beside an auditd started for the test (temporary config, log
#              in a temporary dir): auto mode picks multicast; both see the exec.
#   plugin     auditd (temporary config) starts aud_reader from its plugins.d
#              (format = string); the exec arrives through the dispatcher.
#   kill -9    a reader that installed rules is killed; a new one leaves
#              exactly one copy of our rules, a foreign rule (other key) is
#              untouched, and the settings come back from the state file.
# Whatever happens, the EXIT trap stops what the test started, deletes rules
# with our test keys only, forgets a dead registered pid and restores the
# saved status.  Skipped without root, auditctl or kernel audit, when audit
# is locked (-e 2) or when a live audit daemon is registered.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
READER=$top_builddir/tests/integration/aud_reader
KEY=falconet
FOREIGN=fntest_foreign
PLAN=28

. "$top_srcdir/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root"
command -v auditctl > /dev/null || skip_all "needs auditctl"
[ -x "$READER" ] || skip_all "aud_reader not built"

exec 9> /tmp/falconet-audit-test.lock
flock 9

tmp=$(mktemp -d /tmp/falconet-audit.XXXXXX)
chmod 0700 "$tmp"
pids=()		# processes this test started (readers, auditd)

# Short names for the shared audit helpers (lib.sh), used throughout.
status() { audit_status; }
field() { "$READER" -Q | awk -v k="$1" '$1 == k { print $2 }'; }
rules() { audit_rules; }

audit_save "$tmp" "$KEY" "$FOREIGN"

cleanup() {
	local p

	for p in "${pids[@]}"; do
		kill -TERM "$p" 2> /dev/null
	done
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2> /dev/null
	done
	"$READER" -X 2> /dev/null
	audit_restore "$tmp" "$KEY" "$FOREIGN"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "1..$PLAN"

# exec_event OUT TOKEN: run /bin/true TOKEN, print its pid, wait for its event.
run_true() {
	/bin/true "$1" &
	tpid=$!
	wait "$tpid"
}
# has_exec OUT TOKEN PID: the event with exactly that argv and pid.
has_exec() {
	wait_for "$1" "\"argv\":\[\"/bin/true\",\"$2\"\]" 10 &&
	    grep "\"argv\":\[\"/bin/true\",\"$2\"\]" "$1" | grep -q "\"pid\":$3,"
}
our_rules() { rules | grep -E "key=$KEY( |$)"; }

# ---- unicast ------------------------------------------------------------
out=$tmp/uni
"$READER" -s execve,execveat -S "$tmp/state" -b 8192 "$out" &
rpid=$!
pids+=("$rpid")
wait_for "$out.ready" "" 10
ok $? "unicast: reader ready in auto mode: $(cat "$out.ready" "$out.err" 2> /dev/null)"
[ "$(cat "$out.ready" 2> /dev/null)" = unicast ]
ok $? "unicast: auto mode chose unicast (no audit daemon registered)"
expect="-a never,exit -S all -F pid=$rpid -F key=$KEY
-a always,exit -F arch=b64 -S execve,execveat -F key=$KEY
-a always,exit -F arch=b32 -S execve,execveat -F key=$KEY"
[ "$(our_rules)" = "$expect" ]
ok $? "unicast: our rules (never for our pid first, b64, b32)" "$(rules)"
[ "$(field pid)" = "$rpid" ] && [ "$(field enabled)" = 1 ] &&
    [ "$(field backlog_limit)" = 8192 ]
ok $? "unicast: registered as the audit daemon, enabled 1, backlog_limit 8192" \
    "$(status)"
token=fn-uni-$$-$RANDOM
run_true "$token"
has_exec "$out" "$token" "$tpid" &&
    grep "$token" "$out" | grep -q '"exe":"/usr/bin/true".*"key":\["falconet"\]'
ok $? "unicast: exec of /bin/true $token as one event (argv, pid $tpid, exe, key)" \
    "$(grep -c . "$out" 2> /dev/null) events"

"$READER" -C -s execve,execveat -x "$rpid"
ok $? "unicast: aud_rules_check says our rules are intact"
auditctl -D -k "$KEY" > /dev/null
"$READER" -C -s execve,execveat -x "$rpid" 2> "$tmp/check.err"
r=$?
[ $r -eq 1 ] && grep -q '0 rules with key falconet in the kernel, 3 expected' "$tmp/check.err"
ok $? "unicast: aud_rules_check notices auditctl -D -k falconet" "$(cat "$tmp/check.err")"

lost_before=$(field lost)
stop "$rpid"
ok $? "unicast: reader stops on SIGTERM"
status | cmp -s - "$tmp/status.before"
ok $? "unicast: status restored (enabled, failure, pid, backlog_limit, backlog_wait_time)" \
    "$(diff "$tmp/status.before" <(status))"
rules | cmp -s - "$tmp/rules.before"
ok $? "unicast: rule list as before" "$(rules)"
[ ! -e "$tmp/state" ]
ok $? "unicast: state file removed on a clean exit"
s=$out.stats
kl=$(awk '$1 == "kernel_lost" { print $2 }' "$s")
kd=$(awk '$1 == "kernel_lost_delta" { print $2 }' "$s")
kp=$(awk '$1 == "kernel_polls" { print $2 }' "$s")
[[ "$kl" =~ ^[0-9]+$ && "$kd" =~ ^[0-9]+$ && "$kp" =~ ^[0-9]+$ ]] &&
    [ "$kp" -ge 2 ] && [ "$kd" -eq $((kl - lost_before)) ] &&
    grep -qx 'have_kernel 1' "$s"
ok $? "unicast: kernel lost counter read by AUDIT_GET ($kl) and delta computed ($kd)" \
    "$(cat "$s")"

# ---- multicast beside auditd ---------------------------------------------
if [ -x /usr/sbin/auditd ]; then
	start_auditd "$tmp/ad1"
	ok $? "multicast: test auditd registered (pid $auditd_pid)" "$(cat "$tmp/ad1/auditd.out")"
	out=$tmp/mc
	"$READER" -s execve "$out" &
	rpid=$!
	pids+=("$rpid")
	wait_for "$out.ready" "" 10
	[ "$(cat "$out.ready" 2> /dev/null)" = multicast ]
	ok $? "multicast: auto mode chose multicast beside auditd" \
	    "$(cat "$out.ready" "$out.err" 2> /dev/null)"
	token=fn-mc-$$-$RANDOM
	run_true "$token"
	has_exec "$out" "$token" "$tpid"
	ok $? "multicast: reader got the exec of /bin/true $token (pid $tpid)"
	wait_for "$tmp/ad1/log/audit.log" "a1=\"$token\"" 10
	ok $? "multicast: auditd logged the same exec"
	stop "$rpid"
	[ -z "$(our_rules)" ] && [ "$(field pid)" = "$auditd_pid" ]
	ok $? "multicast: reader exit removed our rules, auditd still registered" "$(rules)"
	stop_auditd "$tmp"
	status | cmp -s - "$tmp/status.before" && rules | cmp -s - "$tmp/rules.before"
	ok $? "multicast: status and rules as before once auditd stopped" \
	    "$(diff "$tmp/status.before" <(status)) $(rules)"

	# ---- plugin under auditd ------------------------------------------
	d=$tmp/ad2
	out=$d/plugin
	mkdir -p "$d/plugins.d"
	cat > "$d/plugins.d/falconet-test.conf" <<-EOF
	active = yes
	direction = out
	path = $READER
	type = always
	args = -psexecve $out
	format = string
	EOF
	chmod 0640 "$d/plugins.d/falconet-test.conf"
	start_auditd "$d"
	wait_for "$out.ready" "" 10
	[ "$(cat "$out.ready" 2> /dev/null)" = plugin ] && [ -n "$(our_rules)" ]
	ok $? "plugin: auditd started the plugin; it installed our rules" \
	    "$(cat "$out.ready" "$out.err" "$d/auditd.out" 2> /dev/null)"
	token=fn-pl-$$-$RANDOM
	run_true "$token"
	has_exec "$out" "$token" "$tpid"
	ok $? "plugin: the exec of /bin/true $token arrived through the dispatcher"
	plpid=$(pgrep -P "$auditd_pid" -f aud_reader)
	stop_auditd "$tmp"
	for _ in $(seq 50); do
		[ -n "$plpid" ] && kill -0 "$plpid" 2> /dev/null || break
		sleep 0.1
	done
	! kill -0 "$plpid" 2> /dev/null && [ -z "$(our_rules)" ] &&
	    status | cmp -s - "$tmp/status.before"
	ok $? "plugin: the plugin exited with auditd, removed our rules; status as before" \
	    "$(rules; status)"
else
	for c in "multicast: auditd" "multicast: mode" "multicast: exec" \
	    "multicast: auditd log" "multicast: rules" "multicast: restore" \
	    "plugin: started" "plugin: exec" "plugin: restore"; do
		n=$((n + 1)); echo "ok $n # SKIP $c: no /usr/sbin/auditd"
	done
fi

# ---- kill -9, then a new reader ------------------------------------------
auditctl -a always,exit -F arch=b64 -S unlinkat -F key="$FOREIGN" > /dev/null
foreign=$(rules | grep -E "key=$FOREIGN( |$)")
[ -n "$foreign" ]
ok $? "kill -9: foreign rule with key $FOREIGN installed"
out=$tmp/k1
"$READER" -m unicast -s execve -S "$tmp/state" -b 4096 "$out" &
rpid=$!
pids+=("$rpid")
wait_for "$out.ready" "" 10
{ kill -KILL "$rpid"; wait "$rpid"; } 2> /dev/null
[ "$(our_rules | wc -l)" = 3 ] && [ -e "$tmp/state" ]
ok $? "kill -9: the killed reader left its 3 rules and its state file" "$(rules)"
out=$tmp/k2
"$READER" -m unicast -s execve -S "$tmp/state" -b 4096 "$out" &
rpid2=$!
pids+=("$rpid2")
wait_for "$out.ready" "" 10
expect="-a never,exit -S all -F pid=$rpid2 -F key=$KEY
-a always,exit -F arch=b64 -S execve -F key=$KEY
-a always,exit -F arch=b32 -S execve -F key=$KEY"
[ "$(our_rules)" = "$expect" ] && [ "$(field pid)" = "$rpid2" ]
ok $? "kill -9: the new reader has exactly one copy of our rules" "$(rules)"
others() { grep -vE "key=($KEY|$FOREIGN)( |$)|^No rules$"; }
[ "$(rules | grep -E "key=$FOREIGN( |$)")" = "$foreign" ] &&
    [ "$(rules | others)" = "$(others < "$tmp/rules.before")" ]
ok $? "kill -9: nobody else's rules changed" "$(rules)"
"$READER" -C -s execve -x "$rpid2"
ok $? "kill -9: aud_rules_check: intact"
stop "$rpid2"
[ -z "$(our_rules)" ] && [ "$(rules | grep -E "key=$FOREIGN( |$)")" = "$foreign" ] &&
    status | cmp -s - "$tmp/status.before"
ok $? "kill -9: clean exit removed ours only; settings restored from the state file" \
    "$(rules; diff "$tmp/status.before" <(status))"
auditctl -D -k "$FOREIGN" > /dev/null
rules | cmp -s - "$tmp/rules.before" && status | cmp -s - "$tmp/status.before"
ok $? "kill -9: rules and status exactly as at the start" "$(rules)"

[ "$n" -eq "$PLAN" ] || echo "# planned $PLAN, ran $n" >&2
exit 0
