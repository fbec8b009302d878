#!/bin/bash
# agent_live.sh - `falconet run` against the real kernel (root).
#
# Drives the built binary ($FALCONET) with the rules of
# tests/fixtures/agent/live-rules.yaml (copied to a temporary file the
# test can change), alerts as JSON in a file, and checks the exact alerts
# (rule name and the key output_fields) of workloads the test runs itself:
#   host       exec of /bin/true with a token, cat /etc/shadow, a TCP
#              connect and accept on 127.0.0.1, ptrace attach, exec from a
#              memfd, setuid, chmod 4755, unlink and rename in a temporary
#              directory; container.id "host" for all of them.
#   containers one per style (docker, containerd, crio, podman) through
#              ../shared/testbed/container: a `true` that exits at once
#              (container exec NAME -- true) and file operations inside,
#              with container.id/name/image and k8s pod/namespace.
#   API        /healthz, /health, /alerts?since=0, /metrics, /rules.
#   signals    SIGUSR1 after a rotation, SIGHUP with a broken then a
#              changed rules file.
#   kill -9    a killed agent, then a second one: one copy of our audit
#              rules, a foreign rule untouched, nothing left after a stop.
#   auditd     multicast beside an auditd started for the test, then
#              falconet as that auditd's plugin.
# Accept: audit reports the peer only (SOCKADDR of accept is the client),
# so fd.cip/fd.cport have values and fd.sip/fd.sport are null.
#
# The kernel audit state is global: a lock file serialises this test with
# audit_live.sh; the EXIT trap stops what the test started (agents,
# auditd, containers by name), deletes rules with our keys only and
# restores the saved status.  Skipped without root, tools, kernel audit,
# when audit is locked (-e 2) or an audit daemon is registered.  Every
# wait polls with a deadline.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${FALCONET:=$top_builddir/falconet}"
READER=$top_builddir/tests/integration/aud_reader
FIXTURE=$top_srcdir/tests/fixtures/agent/live-rules.yaml
TESTBED=$top_srcdir/../shared/testbed/container
PY=/usr/bin/python3
KEY=falconet
FOREIGN=fntest_agent_foreign
STYLES="docker containerd crio podman"
PLAN=45

. "$top_srcdir/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root"
command -v auditctl > /dev/null || skip_all "needs auditctl"
[ -x "$FALCONET" ] || skip_all "falconet not built"
for t in jq curl; do
	command -v $t > /dev/null || skip_all "needs $t"
done
[ -x "$PY" ] || skip_all "needs $PY"

exec 9> /tmp/falconet-audit-test.lock
flock -w 600 9 || skip_all "audit test lock busy"

tmp=$(mktemp -d /tmp/fnt-agent.XXXXXX)
chmod 0700 "$tmp"
pids=()		# processes this test started (agents, auditd)
watch=		# the agent expect() waits for
ctrs=()		# containers this test started (names)
ctrs_before=$("$TESTBED" list 2> /dev/null | grep -vc '^ID ')

# Short names for the shared audit helpers (lib.sh), used throughout.
status() { audit_status; }
field() { audit_field "$1"; }
rules() { audit_rules; }
our_rules() { rules | grep -E "key=$KEY( |$)"; }
before() { audit_before "$tmp" "$1"; }

audit_save "$tmp" "$KEY" "$FOREIGN"

cleanup() {
	local p c

	for p in "${pids[@]}"; do
		kill -TERM "$p" 2> /dev/null
	done
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2> /dev/null
	done
	for c in "${ctrs[@]}"; do
		"$TESTBED" stop "$c" > /dev/null 2>&1
	done
	# The daemons the testbed started for us, when nobody else has a
	# container (the image cache stays).
	if [ ${#ctrs[@]} -gt 0 ] && [ "$ctrs_before" = 0 ] &&
	    [ "$("$TESTBED" list 2> /dev/null | grep -vc '^ID ')" = 0 ]; then
		"$TESTBED" cleanup --keep-cache > /dev/null 2>&1
	fi
	[ -x "$READER" ] && "$READER" -X 2> /dev/null
	audit_restore "$tmp" "$KEY" "$FOREIGN"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "1..$PLAN"

# ---- helpers ----------------------------------------------------------------

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# conf NAME [PORT]: a configuration for one agent: the test's rules,
# JSON alerts in $tmp/NAME.json (kept open: SIGUSR1 reopens it), the API
# on PORT (none: disabled).
conf() {
	cat > "$tmp/$1.yaml" <<-EOF
	rules_files:
	  - $tmp/rules.yaml
	json_output: true
	stdout_output:
	  enabled: false
	syslog_output:
	  enabled: false
	file_output:
	  enabled: true
	  keep_alive: true
	  filename: $tmp/$1.json
	webserver:
	  enabled: $([ -n "${2:-}" ] && echo true || echo false)
	  listen_port: ${2:-8765}
	audit:
	  state_file: $tmp/audit.state
	EOF
}

# start_agent NAME [PORT]: `falconet run` in the background ($apid), its
# log in $tmp/NAME.log; waits for "running".  The lock stays with us.
start_agent() {
	conf "$1" "${2:-}"
	"$FALCONET" run -c "$tmp/$1.yaml" > "$tmp/$1.log" 2>&1 9>&- &
	apid=$!
	watch=$apid
	pids+=("$apid")
	wait_for "$tmp/$1.log" "running: " 10
}

# alerts FILE RULE FILTER PROJECTION: the projection (jq, of output_fields)
# of each alert of RULE whose output_fields pass FILTER, one per line.
alerts() {
	[ -e "$1" ] || return 0
	jq -c --arg r "$2" "select(.rule == \$r) | .output_fields |
	    select($3) | $4" "$1" 2> /dev/null
}

# expect FILE RULE FILTER PROJECTION WANT [SECONDS]: wait until the alert
# is there, then the projection of the matching alerts must be exactly
# WANT (one line: exactly one such alert).  The result is in $got.
expect() {
	local i

	for i in $(seq $((${6:-10} * 20))); do
		got=$(alerts "$1" "$2" "$3" "$4")
		[ -n "$got" ] && break
		# A dead agent sends nothing more.
		[ -n "$watch" ] && ! kill -0 "$watch" 2> /dev/null && break
		sleep 0.05
	done
	# A second copy would arrive within the same poll round.
	sleep 0.1
	got=$(alerts "$1" "$2" "$3" "$4")
	[ "$got" = "$5" ]
}

# bg CMD...: run CMD in the background, wait for it; its pid in $bpid.
bg() {
	"$@" 9>&- &
	bpid=$!
	wait "$bpid"
}

CTR='."container.id", ."container.name", ."container.image.repository", ."container.image.tag", ."k8s.pod.name", ."k8s.ns.name"'
HOST='["host",null,null,null,null,null]'
tok=$$-$RANDOM

cp "$FIXTURE" "$tmp/rules.yaml"
names=$(awk '/^- rule: / { sub(/^- rule: /, ""); print }' "$FIXTURE")

# ---- 1. unicast agent, host workloads -------------------------------------
port=$(free_port)
start_agent a1 "$port"
r=$?
a1=$apid
out=$tmp/a1.json
ok $r "unicast: agent ready: $(tail -1 "$tmp/a1.log")" "$(cat "$tmp/a1.log")"
grep -q "running: 10 rules, source audit-unicast" "$tmp/a1.log" &&
    [ "$(field pid)" = "$a1" ]
ok $? "unicast: 10 rules, source audit-unicast, registered as the audit daemon" \
    "$(cat "$tmp/a1.log"; status)"
[ "$(our_rules | wc -l)" = 3 ] &&
    [ "$(our_rules | head -1)" = "-a never,exit -S all -F pid=$a1 -F key=$KEY" ] &&
    our_rules | grep -q -- '-F arch=b64 -S .*execve' &&
    our_rules | grep -q -- '-F arch=b32 -S .*execve'
ok $? "unicast: our audit rules: never for the agent first, then b64 and b32" "$(rules)"

bg /bin/true "fnt-h-$tok"
expect "$out" "FNT exec true" ".\"proc.pid\" == $bpid" \
    "[.\"proc.cmdline\", .\"proc.exepath\", $CTR]" \
    "[\"true fnt-h-$tok\",\"/usr/bin/true\",${HOST:1}"
ok $? "host exec: true fnt-h-$tok (pid $bpid): cmdline, exepath, container.id host" "$got"

# The shell's child opens the redirection (an audited openat: the kernel
# caches its PROCTITLE, the shell's) before it execs cat.
cat /etc/shadow > /dev/null 9>&- &
bpid=$!
wait "$bpid"
expect "$out" "FNT read shadow" ".\"proc.pid\" == $bpid" \
    '[."fd.name", ."evt.is_open_read", ."proc.cmdline", ."container.id"]' \
    '["/etc/shadow",true,"cat /etc/shadow","host"]'
ok $? "host open: cat /etc/shadow: fd.name, evt.is_open_read, cmdline (not the shell's)" "$got"

# A listener on 127.0.0.1, a client connecting, the server accepting.
bg "$PY" -c 'import signal, socket
signal.alarm(10)
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname())
a, peer = s.accept()
print(s.getsockname()[1], c.getsockname()[1])' > "$tmp/net.out"
read -r sport cport < "$tmp/net.out"
expect "$out" "FNT outbound connect" ".\"proc.pid\" == $bpid" \
    '[."fd.sip", ."fd.sport", ."fd.name", ."container.id"]' \
    "[\"127.0.0.1\",${sport:-0},\"0.0.0.0:0->127.0.0.1:${sport:-0}\",\"host\"]"
ok $? "host connect: to 127.0.0.1:$sport: fd.sip, fd.sport, fd.name" "$got"
expect "$out" "FNT inbound tcp connection" ".\"proc.pid\" == $bpid" \
    '[."fd.cip", ."fd.cport", ."fd.sip", ."fd.sport", ."fd.name"]' \
    "[\"127.0.0.1\",${cport:-0},null,null,\"127.0.0.1:${cport:-0}->0.0.0.0:0\"]"
ok $? "host accept: fd.cip/fd.cport the client 127.0.0.1:$cport; audit has no server side (fd.sip/fd.sport null)" "$got"

bg "$PY" -c 'import ctypes, os, signal, subprocess
signal.alarm(10)
libc = ctypes.CDLL(None, use_errno=True)
child = subprocess.Popen(["sleep", "30"])
libc.ptrace(16, child.pid, None, None)		# PTRACE_ATTACH
os.waitpid(child.pid, 0)
libc.ptrace(17, child.pid, None, None)		# PTRACE_DETACH
child.kill(); child.wait()
print(child.pid)' > "$tmp/ptrace.out"
target=$(cat "$tmp/ptrace.out")
expect "$out" "FNT ptrace attach" ".\"proc.pid\" == $bpid" \
    '[."evt.arg.request", ."evt.arg.pid", ."container.id"]' \
    "[\"PTRACE_ATTACH\",\"$target\",\"host\"]"
ok $? "host ptrace: PTRACE_ATTACH of pid $target" "$got"

bg "$PY" -c 'import os, sys
fd = os.memfd_create("fnt", 0)
with open("/bin/true", "rb") as f:
    os.write(fd, f.read())
print(fd, flush=True)
os.execv("/proc/self/fd/%d" % fd, ["true", sys.argv[1]])' "fnt-m-$tok" > "$tmp/memfd.out"
mfd=$(cat "$tmp/memfd.out")
expect "$out" "FNT memfd exec" ".\"proc.pid\" == $bpid" \
    '[."proc.exepath", ."proc.is_exe_from_memfd", ."proc.cmdline", ."container.id"]' \
    "[\"/memfd:fnt (deleted)\",true,\"$mfd fnt-m-$tok\",\"host\"]"
ok $? "host memfd exec: proc.exepath /memfd:fnt (deleted)" "$got"

bg "$PY" -c 'import os; os.setuid(65534)'
expect "$out" "FNT setuid" ".\"proc.pid\" == $bpid" \
    '[."evt.arg.uid", ."user.uid", ."container.id"]' '["65534",65534,"host"]'
ok $? "host setuid: evt.arg.uid 65534, user.uid 65534 after" "$got"

d=$tmp/files
mkdir "$d"
touch "$d/suid" "$d/victim" "$d/old"
bg chmod 4755 "$d/suid"
expect "$out" "FNT chmod setuid" ".\"proc.pid\" == $bpid" \
    '[."evt.arg.filename", ."evt.arg.mode", ."container.id"]' \
    "[\"$d/suid\",\"S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID\",\"host\"]"
ok $? "host chmod 4755: evt.arg.mode has S_ISUID" "$got"
bg rm "$d/victim"
expect "$out" "FNT unlink" ".\"proc.pid\" == $bpid" \
    '[."fs.path.name", ."container.id"]' "[\"$d/victim\",\"host\"]"
ok $? "host unlink: fs.path.name" "$got"
bg mv "$d/old" "$d/new"
expect "$out" "FNT rename" ".\"proc.pid\" == $bpid" \
    '[."fs.path.source", ."fs.path.target", ."container.id"]' \
    "[\"$d/old\",\"$d/new\",\"host\"]"
ok $? "host rename: fs.path.source, fs.path.target" "$got"

# ---- 2. the same agent, containers ------------------------------------------
# ctr_start STYLE: a container of STYLE running sleep; "PID ID" in $cinfo.
ctr_start() {
	local s=$1 name=fnt-$1-$$ extra=()

	case $s in containerd|crio) extra=(--pod "fnt-pod-$s" --namespace fnt-ns) ;; esac
	cinfo=$(timeout 300 "$TESTBED" start --style "$s" --name "$name" \
	    --image "docker.io/library/fntimg:$s" "${extra[@]}" -- sleep 600 \
	    2>> "$tmp/testbed.err" 9>&-) || return 1
	ctrs+=("$name")
}

for s in $STYLES; do
	name=fnt-$s-$$
	if [ ! -x "$TESTBED" ] || ! ctr_start "$s"; then
		skip "container $s: exec true: testbed cannot start a $s container"
		skip "container $s: chmod/rename/unlink: no container"
		continue
	fi
	id=$(echo "$cinfo" | awk '{ print substr($2, 1, 12) }')
	case $s in
	containerd|crio) k8s="\"fnt-pod-$s\",\"fnt-ns\"" ;;
	*) k8s="null,null" ;;
	esac
	want="\"$id\",\"$name\",\"docker.io/library/fntimg\",\"$s\",$k8s"
	# true exits within a millisecond of its exec.
	timeout 60 "$TESTBED" exec "$name" -- true "fnt-c-$s-$tok" 9>&-
	expect "$out" "FNT exec true" ".\"proc.cmdline\" == \"true fnt-c-$s-$tok\"" \
	    "[$CTR]" "[$want]"
	ok $? "container $s: exec of a true that exits at once: container.id $id, name, image, k8s" "$got"
	f=/tmp/fnt-c-$s-$tok
	timeout 60 "$TESTBED" exec "$name" -- sh -c "echo x > $f && chmod 4755 $f &&
	    mv $f $f.b && rm $f.b" 9>&-
	expect "$out" "FNT chmod setuid" ".\"evt.arg.filename\" == \"$f\"" \
	    "[.\"evt.arg.filename\", $CTR]" "[\"$f\",$want]" &&
	    expect "$out" "FNT rename" ".\"fs.path.source\" == \"$f\"" \
	    "[.\"fs.path.target\", $CTR]" "[\"$f.b\",$want]" &&
	    expect "$out" "FNT unlink" ".\"fs.path.name\" == \"$f.b\"" \
	    "[$CTR]" "[$want]"
	ok $? "container $s: chmod 4755, mv, rm inside: container fields on each" "$got"
done

# ---- 3. the HTTP API of the running agent ----------------------------------
api=http://127.0.0.1:$port
[ "$(curl -s -m 5 -o "$tmp/body" -w '%{http_code}' "$api/healthz")" = 200 ] &&
    [ "$(cat "$tmp/body")" = '{"status": "ok"}' ]
ok $? "api: /healthz answers 200 {\"status\": \"ok\"}" "$(cat "$tmp/body")"
curl -s -m 5 "$api/health" > "$tmp/body"
[ "$(jq -c '[.status, .sources[0].name, .sources[0].state, .sources[0].lost_events]' \
    "$tmp/body")" = '["ok","audit-unicast","up",0]' ]
ok $? "api: /health: source audit-unicast up, no lost events" "$(cat "$tmp/body")"
curl -s -m 5 "$api/alerts?since=0&limit=1000" > "$tmp/body"
[ "$(jq -r '.alerts[].rule' "$tmp/body" | sort -u)" = "$(printf '%s\n' "$names" | sort)" ] &&
    [ "$(jq '.alerts | length' "$tmp/body")" = "$(grep -c . "$out")" ]
ok $? "api: /alerts?since=0: every alert of the file, each test rule" \
    "$(jq -r '.alerts[].rule' "$tmp/body" | sort | uniq -c)"
nexec=$(jq -r 'select(.rule == "FNT exec true") | .rule' "$out" | grep -c .)
curl -s -m 5 "$api/metrics" > "$tmp/body"
grep -qx "falcosecurity_falco_rules_matches_total{rule_name=\"FNT exec true\",priority=\"Notice\",source=\"syscall\"} $nexec" "$tmp/body"
ok $? "api: /metrics: rules_matches_total of FNT exec true is $nexec" \
    "$(grep 'FNT exec true' "$tmp/body")"
curl -s -m 5 "$api/rules" > "$tmp/body"
[ "$(jq -r '.rules[].name' "$tmp/body")" = "$names" ]
ok $? "api: /rules lists the 10 test rules in order" "$(cat "$tmp/body")"

# ---- 4. signals -------------------------------------------------------------
# Rotation: the file stays open (keep_alive) until SIGUSR1.
mv "$out" "$out.1"
bg /bin/true "fnt-r-$tok"
expect "$out.1" "FNT exec true" ".\"proc.pid\" == $bpid" '."proc.cmdline"' \
    "\"true fnt-r-$tok\""
r=$?
kill -USR1 "$a1"
wait_for "$tmp/a1.log" "SIGUSR1" 5
bg /bin/true "fnt-u-$tok"
expect "$out" "FNT exec true" ".\"proc.pid\" == $bpid" '."proc.cmdline"' \
    "\"true fnt-u-$tok\"" && ! grep -q "fnt-u-$tok" "$out.1" && [ $r = 0 ]
ok $? "SIGUSR1: after mv, alerts go to the moved file until SIGUSR1, then to a new one" "$got"

echo "- rule: [broken" >> "$tmp/rules.yaml"
kill -HUP "$a1"
wait_for "$tmp/a1.log" "reload failed" 10 &&
    grep -q "$tmp/rules.yaml:[0-9]*:[0-9]*: LOAD_ERR_YAML_PARSE" "$tmp/a1.log"
ok $? "SIGHUP, broken rules file: the log says why" "$(tail -3 "$tmp/a1.log")"
bg /bin/true "fnt-b-$tok"
expect "$out" "FNT exec true" ".\"proc.pid\" == $bpid" '."proc.cmdline"' \
    "\"true fnt-b-$tok\"" && [ "$(our_rules | wc -l)" = 3 ]
ok $? "SIGHUP, broken rules file: the old rules keep alerting" "$got"

cp "$FIXTURE" "$tmp/rules.yaml"
cat >> "$tmp/rules.yaml" <<-'EOF'

- rule: FNT exec false
  desc: /bin/false run with a test token (added by a reload)
  condition: evt.type in (execve, execveat) and proc.name = false and proc.args startswith "fnt-"
  output: Test exec false (cmdline=%proc.cmdline pid=%proc.pid)
  priority: NOTICE
EOF
kill -HUP "$a1"
wait_for "$tmp/a1.log" "reload done: 11 rules loaded" 10
ok $? "SIGHUP, changed rules file: reloaded (11 rules)" "$(tail -3 "$tmp/a1.log")"
bg /bin/false "fnt-f-$tok"
expect "$out" "FNT exec false" ".\"proc.pid\" == $bpid" '."proc.cmdline"' \
    "\"false fnt-f-$tok\"" && [ "$(our_rules | wc -l)" = 3 ] &&
    [ "$(grep -c 'audit rules installed' "$tmp/a1.log")" = 1 ]
ok $? "SIGHUP, changed rules file: the new rule fires; one copy of our audit rules, left in place (same syscalls)" \
    "$got $(rules; tail -5 "$tmp/a1.log")"

cat >> "$tmp/rules.yaml" <<-'EOF'

- rule: FNT rmdir
  desc: a reload that needs one more syscall
  condition: evt.type = rmdir and fd.name contains "fnt-"
  output: Test rmdir (name=%fd.name)
  priority: NOTICE
EOF
kill -HUP "$a1"
wait_for "$tmp/a1.log" "reload done: 12 rules loaded" 10 &&
    for i in $(seq 50); do
	[ "$(grep -c 'audit rules installed' "$tmp/a1.log")" = 2 ] && break
	sleep 0.1
    done
[ "$(grep -c 'audit rules installed' "$tmp/a1.log")" = 2 ] &&
    [ "$(our_rules | grep -c rmdir)" = 2 ] && [ "$(our_rules | wc -l)" = 3 ]
ok $? "SIGHUP, rules needing another syscall: our audit rules replaced once, rmdir in both arches" \
    "$(rules; tail -5 "$tmp/a1.log")"

stop "$a1"
wait "$a1"
r=$?
[ $r = 0 ] && [ -z "$(our_rules)" ] && status | cmp -s - "$tmp/status.before"
ok $? "unicast: SIGTERM: exit 0, our audit rules removed, status restored" \
    "exit $r; $(rules; diff "$tmp/status.before" <(status))"
cp "$FIXTURE" "$tmp/rules.yaml"

# ---- 5. kill -9, then a second agent ------------------------------------------
auditctl -a always,exit -F arch=b64 -S unlinkat -F key="$FOREIGN" > /dev/null
foreign=$(rules | grep -E "key=$FOREIGN( |$)")
start_agent k1
k1=$apid
{ kill -KILL "$k1"; wait "$k1"; } 2> /dev/null
[ -n "$foreign" ] && [ "$(our_rules | wc -l)" = 3 ] && [ -e "$tmp/audit.state" ]
ok $? "kill -9: the killed agent left its 3 audit rules and its state file" "$(rules)"
start_agent k2
r=$?
k2=$apid
[ $r = 0 ] && [ "$(our_rules | wc -l)" = 3 ] &&
    [ "$(our_rules | head -1)" = "-a never,exit -S all -F pid=$k2 -F key=$KEY" ] &&
    [ "$(field pid)" = "$k2" ]
ok $? "kill -9: the second agent: exactly one copy of our rules (3), registered" \
    "$(rules; cat "$tmp/k2.log")"
others() { grep -vE "key=($KEY|$FOREIGN)( |$)|^No rules$"; }
[ "$(rules | grep -E "key=$FOREIGN( |$)")" = "$foreign" ] &&
    [ "$(rules | others)" = "$(others < "$tmp/rules.before")" ]
ok $? "kill -9: the foreign rule (key $FOREIGN) and everyone else's are unchanged" "$(rules)"
bg /bin/true "fnt-k-$tok"
expect "$tmp/k2.json" "FNT exec true" ".\"proc.pid\" == $bpid" '."proc.cmdline"' \
    "\"true fnt-k-$tok\""
ok $? "kill -9: the second agent alerts" "$got"
stop "$k2"
wait "$k2"
r=$?
[ $r = 0 ] && [ -z "$(our_rules)" ] &&
    [ "$(rules | grep -E "key=$FOREIGN( |$)")" = "$foreign" ] &&
    status | cmp -s - "$tmp/status.before"
ok $? "kill -9: a clean stop leaves none of our rules, the foreign one, the status of the start" \
    "exit $r; $(rules; diff "$tmp/status.before" <(status))"
auditctl -D -k "$FOREIGN" > /dev/null

# ---- 6. beside auditd, and as its plugin -----------------------------------------
if [ -x /usr/sbin/auditd ]; then
	start_auditd "$tmp/ad1"
	start_agent mc
	r=$?
	mc=$apid
	[ $r = 0 ] && grep -q "source audit-multicast" "$tmp/mc.log" &&
	    [ "$(field pid)" = "$auditd_pid" ]
	ok $? "multicast: beside auditd (pid $auditd_pid) the agent reads multicast" \
	    "$(cat "$tmp/mc.log" "$tmp/ad1/auditd.out")"
	bg /bin/true "fnt-mc-$tok"
	expect "$tmp/mc.json" "FNT exec true" ".\"proc.pid\" == $bpid" \
	    '[."proc.cmdline", ."container.id"]' "[\"true fnt-mc-$tok\",\"host\"]" &&
	    wait_for "$tmp/ad1/log/audit.log" "a1=\"fnt-mc-$tok\"" 10
	ok $? "multicast: the exec alert arrives (and auditd logged the exec)" "$got"
	stop "$mc"
	[ -z "$(our_rules)" ] && [ "$(field pid)" = "$auditd_pid" ]
	ok $? "multicast: the agent's stop removed our rules, auditd still registered" "$(rules)"
	stop_auditd "$tmp"

	# auditd passes at most two arguments to a plugin: a wrapper adds -c.
	d=$tmp/ad2
	mkdir -p "$d/plugins.d"
	conf plugin
	cat > "$tmp/plugin.sh" <<-EOF
	#!/bin/sh
	exec "$FALCONET" run --audit-plugin -c "$tmp/plugin.yaml" 2> "$tmp/plugin.log"
	EOF
	chmod 0750 "$tmp/plugin.sh"
	cat > "$d/plugins.d/falconet-test.conf" <<-EOF
	active = yes
	direction = out
	path = $tmp/plugin.sh
	type = always
	format = string
	EOF
	chmod 0640 "$d/plugins.d/falconet-test.conf"
	start_auditd "$d"
	watch=		# auditd's child
	wait_for "$tmp/plugin.log" "running: 10 rules, source audit-plugin" 10 &&
	    [ "$(our_rules | wc -l)" -gt 0 ]
	ok $? "plugin: auditd started falconet run --audit-plugin; it installed our rules" \
	    "$(cat "$tmp/plugin.log" "$d/auditd.out" 2> /dev/null; rules)"
	bg /bin/true "fnt-pl-$tok"
	expect "$tmp/plugin.json" "FNT exec true" ".\"proc.pid\" == $bpid" \
	    '[."proc.cmdline", ."container.id"]' "[\"true fnt-pl-$tok\",\"host\"]"
	ok $? "plugin: the exec alert arrives through auditd's dispatcher" "$got"
	stop_auditd "$tmp"
	wait_for "$tmp/plugin.log" "shutting down\|stopping" 10
	for _ in $(seq 50); do [ -z "$(our_rules)" ] && break; sleep 0.1; done
	[ -z "$(our_rules)" ] && status | cmp -s - "$tmp/status.before"
	ok $? "plugin: falconet stopped with auditd, removed our rules; status as at the start" \
	    "$(rules; diff "$tmp/status.before" <(status); tail -3 "$tmp/plugin.log")"
else
	for c in "multicast: agent" "multicast: alert" "multicast: stop" \
	    "plugin: started" "plugin: alert" "plugin: stop"; do
		skip "$c: no /usr/sbin/auditd"
	done
fi

rules | cmp -s - "$tmp/rules.before" && status | cmp -s - "$tmp/status.before"
ok $? "end: audit rules and status exactly as at the start" \
    "$(rules; diff "$tmp/status.before" <(status))"

[ "$n" -eq "$PLAN" ] || echo "# planned $PLAN, ran $n" >&2
exit 0
