#!/bin/bash
# agent_fanotify.sh - `falconet run` on fanotify alone (root, real kernel).
#
# The agent runs with audit.mode=none and fanotify.enabled=true, one rule
# (reads under /srv/fntest/, written to a temporary file the test
# changes), alerts as JSON in a file and the API on a free port.  Checks:
#   no audit      the agent registers nothing with kernel audit and
#                 installs no audit rule;
#   host          a read of /srv/fntest/f: one alert, container.id host;
#   container     a runc container (../shared/testbed/container, style
#                 docker) with its own /srv/fntest (a bind of a directory
#                 of the test): marked through /proc/PID/root when it
#                 starts (log line, /metrics), its read of /srv/fntest/f
#                 gives one alert with its 12-character id and the path as
#                 seen inside; when it stops, its marks are released (log
#                 line, /metrics);
#   reload        SIGHUP with the rule on /srv/fntest2/: reads there
#                 alert, reads in /srv/fntest no longer do;
#   restart       a container started before the agent is marked at its
#                 start (the /proc scan), and its read alerts.
# The audit test lock is taken although audit is not used: other tests
# may be registered as the audit daemon meanwhile, and the check of "no
# audit" must see the state as it was.  The EXIT trap stops the agent and
# the container (by name) and removes the directories the test created.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${FALCONET:=$top_builddir/falconet}"
TESTBED=$top_srcdir/../shared/testbed/container
ROOTFS=${TESTBED_STATE:-/tmp/testbed-container}/rootfs
PY=/usr/bin/python3
D1=/srv/fntest
D2=/srv/fntest2
PLAN=14

. "$top_srcdir/tests/integration/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root"
[ -x "$FALCONET" ] || skip_all "falconet not built"
for t in jq curl flock; do
	command -v $t > /dev/null || skip_all "needs $t"
done
[ -x "$PY" ] || skip_all "needs $PY"

exec 9> /tmp/falconet-audit-test.lock
flock -w 600 9 || skip_all "audit test lock busy"
[ -e "$D1" ] || [ -e "$D2" ] && skip_all "$D1 or $D2 exists already"

tmp=$(mktemp -d /tmp/fnt-fan.XXXXXX)
chmod 0700 "$tmp"
apid=
ctr=
made_rootfs_dir=
ctrs_before=$("$TESTBED" list 2> /dev/null | grep -vc '^ID ')

cleanup() {
	if [ -n "$apid" ]; then
		kill -TERM "$apid" 2> /dev/null
		for _ in $(seq 50); do kill -0 "$apid" 2> /dev/null || break; sleep 0.1; done
		kill -KILL "$apid" 2> /dev/null
	fi
	if [ -n "$ctr" ]; then
		"$TESTBED" stop "$ctr" > /dev/null 2>&1
		if [ "$ctrs_before" = 0 ] &&
		    [ "$("$TESTBED" list 2> /dev/null | grep -vc '^ID ')" = 0 ]; then
			"$TESTBED" cleanup --keep-cache > /dev/null 2>&1
		fi
	fi
	# --bind created the mount point in the shared busybox rootfs.
	[ -n "$made_rootfs_dir" ] && rmdir "$ROOTFS$D1" 2> /dev/null
	rm -rf "$D1" "$D2" "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "1..$PLAN"

# alerts FILTER: [fd.name, container.id, proc.name] of each alert passing
# FILTER (jq, of output_fields), one per line.
alerts() {
	[ -e "$out" ] || return 0
	jq -c ".output_fields | select($1) |
	    [.\"fd.name\", .\"container.id\", .\"proc.name\"]" "$out" 2> /dev/null
}

# expect FILTER WANT: wait for an alert passing FILTER, then the alerts
# passing it must be exactly WANT (one line: one alert).  In $got.
expect() {
	for _ in $(seq 100); do
		got=$(alerts "$1")
		[ -n "$got" ] && break
		kill -0 "$apid" 2> /dev/null || break
		sleep 0.05
	done
	sleep 0.2	# a second copy would come within the same poll
	got=$(alerts "$1")
	[ "$got" = "$2" ]
}

# opener FILE: a shell that opens FILE and lives 0.3 s more (its pid in
# $!), so that the fanotify reader finds it in /proc and the alert has its
# name.  A cat gone before the reader gets to it may have none, or its
# parent's, with audit.mode none (docs/fanotify.md).  The ':' keeps the
# shell from exec'ing sleep in its place (the name would be sleep).
opener() {
	sh -c 'exec 3< "$1"; sleep 0.3; :' sh "$1" 9>&- &
}

# metric NAME: its value in /metrics.
metric() {
	curl -s -m 5 "http://127.0.0.1:$port/metrics" |
	    awk -v k="$1" '$1 == k { print $2 }'
}

rules() {
	cat > "$tmp/rules.yaml" <<-EOF
	- rule: FNF read
	  desc: a read below $1 (fanotify)
	  condition: evt.type in (open, openat) and evt.is_open_read=true and fd.name startswith $1/
	  output: fntest read (file=%fd.name container=%container.id proc=%proc.name pid=%proc.pid)
	  priority: WARNING
	EOF
}

mkdir -p "$D1" "$D2" "$tmp/ctr"
echo host > "$D1/f"
echo two > "$D2/g"
echo container > "$tmp/ctr/f"
rules "$D1"
out=$tmp/alerts.json
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$tmp/conf.yaml" <<-EOF
rules_files:
  - $tmp/rules.yaml
json_output: true
stdout_output:
  enabled: false
file_output:
  enabled: true
  keep_alive: true
  filename: $out
webserver:
  enabled: true
  listen_port: $port
EOF
audit_before=
command -v auditctl > /dev/null && audit_before=$(auditctl -s 2> /dev/null | grep '^pid ')

# ---- start: fanotify alone ---------------------------------------------------
"$FALCONET" run -c "$tmp/conf.yaml" -o audit.mode=none \
    -o fanotify.enabled=true > "$tmp/agent.log" 2>&1 9>&- &
apid=$!
wait_for "$tmp/agent.log" "running: 1 rules, source none" 10 &&
    grep -q "fanotify: watching 1 paths from the rules" "$tmp/agent.log"
r=$?
if [ $r != 0 ] && grep -q "fanotify" "$tmp/agent.log" &&
    ! kill -0 "$apid" 2> /dev/null; then
	echo "# $(cat "$tmp/agent.log")"
	for i in $(seq 1 $PLAN); do echo "ok $i # SKIP fanotify unavailable"; done
	n=$PLAN
	exit 0
fi
ok $r "start: audit.mode=none, fanotify: source none, 1 path watched" \
    "$(cat "$tmp/agent.log")"

if command -v auditctl > /dev/null; then
	[ "$(auditctl -s 2> /dev/null | grep '^pid ')" = "$audit_before" ] &&
	    [ "$(auditctl -s | awk '$1 == "pid" { print $2 }')" != "$apid" ] &&
	    ! auditctl -l | grep -q "key=falconet"
	ok $? "no audit: not registered as the audit daemon, no audit rules" \
	    "$(auditctl -s; auditctl -l)"
else
	skip "no audit: needs auditctl"
fi

# ---- host ----------------------------------------------------------------------
opener "$D1/f"
hpid=$!
wait $hpid
expect ".\"proc.pid\" == $hpid" "[\"$D1/f\",\"host\",\"sh\"]"
ok $? "host: a read of $D1/f: one alert, container.id host" "$got"

# ---- a container -----------------------------------------------------------------
[ -e "$ROOTFS$D1" ] || made_rootfs_dir=1
name=fnt-fan-$$
cinfo=
if [ -x "$TESTBED" ]; then
	cinfo=$(timeout 300 "$TESTBED" start --style docker --engine runc \
	    --name "$name" --bind "$tmp/ctr:$D1" -- sleep 600 \
	    2>> "$tmp/testbed.err" 9>&-) && ctr=$name
fi
if [ -z "$ctr" ]; then
	for c in "marked" "metrics" "read" "host read unchanged" "released"; do
		skip "container: $c: testbed cannot start a runc container"
	done
else
	read -r cpid cid <<< "$cinfo"
	id=${cid:0:12}
	wait_for "$tmp/agent.log" "fanotify: container $id marked through pid $cpid " 10
	ok $? "container $id: marked through its init (pid $cpid) as it starts" \
	    "$(cat "$tmp/agent.log")"
	[ "$(metric falconet_fanotify_containers_marked)" = 1 ]
	ok $? "container: /metrics falconet_fanotify_containers_marked 1" \
	    "$(curl -s -m 5 "http://127.0.0.1:$port/metrics" | grep fanotify)"
	timeout 60 "$TESTBED" exec "$name" -- sh -c \
	    "exec 3< $D1/f; read -r l <&3; echo \$l; sleep 0.3; :" > "$tmp/ctr.out" 9>&-
	expect ".\"container.id\" == \"$id\"" "[\"$D1/f\",\"$id\",\"sh\"]" &&
	    [ "$(cat "$tmp/ctr.out")" = container ]
	ok $? "container: a read of $D1/f inside (its own file): one alert, its id, the path as seen inside" \
	    "$got"
	[ "$(alerts '."container.id" == "host"' | wc -l)" = 1 ]
	ok $? "container: its read gives no host alert" "$(alerts true)"
	"$TESTBED" stop "$name" > /dev/null 2>&1
	wait_for "$tmp/agent.log" "fanotify: container $id gone (pid $cpid): marks released" 10 &&
	    [ "$(metric falconet_fanotify_containers_marked)" = 0 ] &&
	    [ "$(metric falconet_fanotify_containers_released_total)" = 1 ]
	ok $? "container: stopped: marks released (log, /metrics)" \
	    "$(tail -3 "$tmp/agent.log"; curl -s -m 5 "http://127.0.0.1:$port/metrics" | grep fanotify)"
fi

# ---- reload: the marks follow the rules -------------------------------------------
rules "$D2"
kill -HUP "$apid"
wait_for "$tmp/agent.log" "reload done: 1 rules loaded" 10 &&
    grep -q "fanotify: watching 1 paths from the reloaded rules" "$tmp/agent.log"
ok $? "SIGHUP: rule on $D2/: reloaded, marks moved" "$(tail -4 "$tmp/agent.log")"
opener "$D1/f"
opid=$!
wait $opid
opener "$D2/g"
npid=$!
wait $npid
expect ".\"proc.pid\" == $npid" "[\"$D2/g\",\"host\",\"sh\"]"
ok $? "SIGHUP: a read in $D2: one alert" "$got"
[ -z "$(alerts ".\"proc.pid\" == $opid")" ] &&
    [ "$(alerts "(.\"fd.name\" | startswith(\"$D1/\"))" | wc -l)" = "$([ -n "$ctr" ] && echo 2 || echo 1)" ]
ok $? "SIGHUP: a read in $D1 no longer alerts" "$(alerts true)"

# ---- stop ----------------------------------------------------------------------------
kill -TERM "$apid"
wait "$apid"
r=$?
apid=
if command -v auditctl > /dev/null; then
	[ $r = 0 ] && [ "$(auditctl -s 2> /dev/null | grep '^pid ')" = "$audit_before" ]
else
	[ $r = 0 ]
fi
ok $? "SIGTERM: exit 0, audit as it was" "exit $r; $(tail -3 "$tmp/agent.log")"

# ---- a container already running when the agent starts ------------------------------
rules "$D1"
cinfo=
if [ -x "$TESTBED" ]; then
	cinfo=$(timeout 300 "$TESTBED" start --style docker --engine runc \
	    --name "$name-2" --bind "$tmp/ctr:$D1" -- sleep 600 \
	    2>> "$tmp/testbed.err" 9>&-) && ctr=$name-2
fi
if [ -z "$cinfo" ]; then
	skip "restart: marked at start: testbed cannot start a runc container"
	skip "restart: read: testbed cannot start a runc container"
else
	read -r cpid cid <<< "$cinfo"
	id=${cid:0:12}
	"$FALCONET" run -c "$tmp/conf.yaml" -o audit.mode=none \
	    -o fanotify.enabled=true > "$tmp/agent2.log" 2>&1 9>&- &
	apid=$!
	wait_for "$tmp/agent2.log" "fanotify: container $id marked through pid $cpid " 10
	ok $? "restart: a container running before the agent started ($id) is marked" \
	    "$(cat "$tmp/agent2.log")"
	timeout 60 "$TESTBED" exec "$ctr" -- sh -c "exec 3< $D1/f; sleep 0.3; :" \
	    > /dev/null 9>&-
	expect ".\"container.id\" == \"$id\"" "[\"$D1/f\",\"$id\",\"sh\"]"
	ok $? "restart: its read of $D1/f alerts with its id" "$got"
	stop "$apid"
	apid=
fi

[ "$n" -eq "$PLAN" ] || echo "# planned $PLAN, ran $n" >&2
exit 0
