#!/bin/bash
# exec_storm.sh - the exec storm of bench/agent/storm under three audit
# consumers: none (baseline, audit off), `falconet run` (unicast, the
# stable upstream rules, alerts to a file) and auditd (Debian's package
# and configuration, log_format ENRICHED, the same audit rules falconet
# installs, read with auditctl -l while falconet runs).  Root.  Not a test.
#
#   bench/agent/exec_storm.sh [-t SECONDS] [-r RUNS] [-w WORKERS]
#
# For each run and consumer: execs/s, the consumer's CPU time (utime +
# stime from /proc/PID/stat, from just before the storm until it has
# drained its backlog), events lost (the kernel's lost counter; falconet's
# own drops from /metrics), and its RSS after the storm.  The configurations
# alternate (baseline, falconet, auditd, baseline, ...) so that a change in
# the machine's load hits all of them.  Results: bench/agent/README.md.
#
# Environment: FALCONET (./falconet), STORM (./bench/agent/storm), RULES
# (the upstream falco_rules.yaml), TMPDIR (auditd's log goes there).
# The kernel audit state is restored at exit, whatever happens; the lock
# file is the tests' (tests/integration/audit_live.sh).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
FALCONET=${FALCONET:-./falconet}
STORM=${STORM:-./bench/agent/storm}
RULES=${RULES:-$top/tests/fixtures/rules/upstream/falco_rules.yaml}
secs=30
runs=2
workers=$(nproc)
while getopts t:r:w: c; do
	case $c in
	t) secs=$OPTARG ;;
	r) runs=$OPTARG ;;
	w) workers=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-r RUNS] [-w WORKERS]" >&2; exit 2 ;;
	esac
done

die() { echo "exec_storm: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root"
for t in auditctl curl; do command -v $t > /dev/null || die "needs $t"; done
[ -x /usr/sbin/auditd ] || die "needs auditd (apt-get install auditd)"
[ -x "$FALCONET" ] || die "no $FALCONET (make)"
[ -x "$STORM" ] || die "no $STORM (make bench-agent)"
[ -r "$RULES" ] || die "no $RULES"

exec 9> /tmp/falconet-audit-test.lock
flock -w 600 9 || die "audit lock busy"

tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/exec-storm.XXXXXX")
pids=()
status() { auditctl -s | grep -E '^(enabled|failure|pid|backlog_limit|backlog_wait_time) '; }
field() { auditctl -s | awk -v k="$1" '$1 == k { print $2 }'; }
before() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/status.before"; }
status > "$tmp/status.before"
auditctl -l > "$tmp/rules.before"
bp=$(before pid)
if [ "$bp" != 0 ] && kill -0 "$bp" 2> /dev/null; then
	die "an audit daemon (pid $bp) is registered: stop it first"
fi
[ "$(before enabled)" != 2 ] || die "audit is locked (enabled=2)"

cleanup() {
	local p

	for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null; done
	for p in "${pids[@]}"; do
		for _ in $(seq 100); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2> /dev/null
	done
	auditctl -D -k falconet > /dev/null 2>&1
	auditctl -f "$(before failure)" -b "$(before backlog_limit)" \
	    --backlog_wait_time "$(before backlog_wait_time)" > /dev/null 2>&1
	auditctl -e "$(before enabled)" > /dev/null 2>&1
	if ! status | cmp -s - "$tmp/status.before" ||
	    ! auditctl -l | cmp -s - "$tmp/rules.before"; then
		echo "exec_storm: WARNING: audit state differs from the start" >&2
		auditctl -s >&2
		auditctl -l >&2
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

wait_for() {	# FILE PATTERN SECONDS
	for _ in $(seq $(($3 * 10))); do
		grep -q -- "$2" "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
# settle PID: wait (at most 60 s) until PID uses less than 5% of a CPU:
# the consumer has caught up with what the storm queued.  (Not 0%: the
# audit rules cover every open on the machine, and other work goes on.)
settle() {
	local a b

	a=$(cpu_ticks "$1")
	for _ in $(seq 60); do
		sleep 1
		b=$(cpu_ticks "$1")
		[ $((b - a)) -le $((hz / 20)) ] && return 0
		a=$b
	done
}
stop_pid() {
	kill -TERM "$1" 2> /dev/null
	for _ in $(seq 100); do kill -0 "$1" 2> /dev/null || return 0; sleep 0.1; done
	kill -KILL "$1" 2> /dev/null
}
hz=$(getconf CLK_TCK)
# idle PID: its CPU % over 5 s.
idle() {
	local a b

	a=$(cpu_ticks "$1")
	sleep 5
	b=$(cpu_ticks "$1")
	echo "100 * ($b - $a) / $hz / 5" | bc -l
}
# row CONFIG RUN RATE CPU_TICKS IDLE_% KLOST OWNLOST RSS_KB
row() {
	printf '%-9s %3s %9s %8.2f %6.1f %9.1f %7.1f %7s %8s %8.1f\n' "$1" \
	    "$2" "$3" "$(echo "$4 / $hz" | bc -l)" \
	    "$(echo "100 * $4 / $hz / $secs" | bc -l)" \
	    "$(echo "1000 * 1000 * $4 / $hz / ($3 * $secs)" | bc -l)" \
	    "$5" "$6" "$7" "$(echo "$8 / 1024" | bc -l)"
}
storm() { "$STORM" -w "$workers" -t "$secs" | awk '{ print $6 }'; }

# cpu_s: the consumer's CPU seconds for the whole storm; ms/kexec: per
# 1000 execs of the storm (the storms differ in length when the rates do);
# idle_%: its CPU in the 5 s before the storm (the machine's other work:
# the audit rules cover every open).
printf '%-9s %3s %9s %8s %6s %9s %7s %7s %8s %8s\n' config run "execs/s" \
    "cpu_s" "cpu_%" "ms/kexec" "idle_%" "k_lost" "own_lost" "rss_MiB" |
    tee "$tmp/table"

# ---- baseline: no consumer, audit as it was (off, no rules) ---------------
baseline() {
	printf '%-9s %3s %9s %8s %6s %9s %7s %7s %8s %8s\n' baseline "$1" \
	    "$(storm)" - - - - - - - | tee -a "$tmp/table"
}

# ---- falconet ----------------------------------------------------------------
port=$("${PYTHON:-/usr/bin/python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2> /dev/null || echo 18765)
falconet_run() {
	local fp lost0 lost1 c0 c1 rate m drops evts idle_pct

	"$FALCONET" run -r "$RULES" -o json_output=true \
	    -o stdout_output.enabled=false -o syslog_output.enabled=false \
	    -o file_output.enabled=true -o file_output.filename="$tmp/alerts.json" \
	    -o webserver.listen_port="$port" -o audit.state_file="$tmp/state" \
	    > "$tmp/falconet.log" 2>&1 9>&- &
	fp=$!
	pids+=("$fp")
	wait_for "$tmp/falconet.log" "running: " 60 || die "falconet did not start: $(cat "$tmp/falconet.log")"
	auditctl -l | grep -E 'key=falconet( |$)' | grep -v '^-a never' > "$tmp/audit.rules"
	[ -s "$tmp/audit.rules.shown" ] || { cp "$tmp/audit.rules" "$tmp/audit.rules.shown"; }
	settle "$fp"
	idle_pct=$(idle "$fp")
	lost0=$(field lost)
	c0=$(cpu_ticks "$fp")
	rate=$(storm)
	settle "$fp"
	c1=$(cpu_ticks "$fp")
	lost1=$(field lost)
	m=$(curl -s -m 10 "http://127.0.0.1:$port/metrics")
	drops=$(echo "$m" | awk '$1 == "falcosecurity_scap_n_drops_total" { print $2 }')
	evts=$(echo "$m" | awk '/^falconet_events_total\{.*type="execve"/ { print $2 }')
	row falconet "$1" "$rate" $((c1 - c0)) "$idle_pct" $((lost1 - lost0)) "${drops:-?}" \
	    "$(rss_kb "$fp")" |
	    tee -a "$tmp/table"
	echo "$1 falconet_execve_events ${evts:-0} storm_execs $(echo "$rate * $secs" | bc -l | cut -d. -f1) alerts $(cat "$tmp/alerts.json" 2> /dev/null | grep -c .)" >> "$tmp/notes"
	stop_pid "$fp"
	wait "$fp" 2> /dev/null
	rm -f "$tmp/alerts.json"
}

# ---- auditd ---------------------------------------------------------------------
auditd_run() {
	local d=$tmp/auditd lost0 lost1 c0 c1 rate ap line idle_pct

	rm -rf "$d"
	mkdir -p "$d/log" "$d/plugins.d"
	chmod 0700 "$d"
	# Debian's /etc/audit/auditd.conf, with the log and plugins here.
	sed -e "s|^log_file = .*|log_file = $d/log/audit.log|" \
	    -e "s|^plugin_dir = .*|plugin_dir = $d/plugins.d|" \
	    -e "s|^log_format = .*|log_format = ENRICHED|" \
	    /etc/audit/auditd.conf > "$d/auditd.conf"
	grep -q '^log_format = ENRICHED' "$d/auditd.conf" || echo "log_format = ENRICHED" >> "$d/auditd.conf"
	chmod 0640 "$d/auditd.conf"
	/usr/sbin/auditd -n -c "$d" > "$d/auditd.out" 2>&1 9>&- &
	ap=$!
	pids+=("$ap")
	for _ in $(seq 100); do [ "$(field pid)" = "$ap" ] && break; sleep 0.1; done
	[ "$(field pid)" = "$ap" ] || die "auditd did not register: $(cat "$d/auditd.out")"
	# What falconet sets (audit.backlog_limit), and falconet's rules.
	auditctl -b 8192 > /dev/null
	while read -r line; do
		# shellcheck disable=SC2086
		auditctl $line > /dev/null || die "auditctl $line failed"
	done < "$tmp/audit.rules"
	settle "$ap"
	idle_pct=$(idle "$ap")
	lost0=$(field lost)
	c0=$(cpu_ticks "$ap")
	rate=$(storm)
	settle "$ap"
	c1=$(cpu_ticks "$ap")
	lost1=$(field lost)
	row auditd "$1" "$rate" $((c1 - c0)) "$idle_pct" $((lost1 - lost0)) - \
	    "$(rss_kb "$ap")" |
	    tee -a "$tmp/table"
	echo "$1 auditd_log_bytes $(cat "$d"/log/audit.log* | wc -c)" >> "$tmp/notes"
	stop_pid "$ap"
	wait "$ap" 2> /dev/null
	auditctl -D -k falconet > /dev/null
	auditctl -b "$(before backlog_limit)" > /dev/null
	auditctl -e "$(before enabled)" > /dev/null
	rm -rf "$d"
}

for r in $(seq "$runs"); do
	baseline "$r"
	falconet_run "$r"
	auditd_run "$r"
done
echo
echo "workers $workers, $secs s per storm; audit rules (falconet's, also loaded into auditd):"
sed 's/^/  /' "$tmp/audit.rules.shown"
sed 's/^/run /' "$tmp/notes"
