#!/bin/sh
# run.sh - HTTP API benchmark: wrk against /alerts and /metrics while a
# feeder adds alerts to the store; compares the feeder's rate with and
# without the API load.  Not part of `make check` (make bench-http).
#
# usage: bench/http/run.sh FEEDER [SECONDS] [REPS] [CONNECTIONS] [RATE]
#   FEEDER       bench/http/bench_http_feed
#   SECONDS      length of each phase (default 8)
#   REPS         base/load pairs per scenario, alternated (default 3)
#   CONNECTIONS  wrk connections per endpoint (default 8)
#   RATE         alerts/s of the paced scenario (default 20000)
#
# Scenarios, each as REPS alternating pairs (without load, with load):
#   flat/free    feeder flat out; feeder, API and wrk share both CPUs
#   flat/pinned  feeder thread alone on CPU 0; API threads and wrk on CPU 1
#                (separates the store's locking from CPU contention)
#   paced/free   feeder paced at RATE alerts/s; all share the CPUs
# Reported: per phase the feeder's rate, its rate per CPU-second of its
# own thread (what it achieves while it runs, i.e. without the effect of
# being descheduled), its share of a CPU, how often it blocked (voluntary
# context switches: locks, sleeps) and was preempted (involuntary), the
# sampled out_store_add() latency (p99, max) and the time it waited for
# the store lock; per loaded phase wrk's requests/s
# and p99 latency per endpoint; per scenario the medians (medians of the
# per-pair ratios, load / no load).
# Needs wrk (Debian: apt-get install wrk), taskset and 2 CPUs.  Other work
# on the machine skews the numbers: run it on an idle one.
set -eu

feeder=${1:?usage: run.sh FEEDER [SECONDS] [REPS] [CONNECTIONS] [RATE]}
secs=${2:-8}
reps=${3:-3}
conns=${4:-8}
rate=${5:-20000}
command -v wrk >/dev/null || { echo "run.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
tmp=$(mktemp -d)
fpid=
trap '[ -n "$fpid" ] && kill "$fpid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# phase NAME PINNED LOAD [FEEDER OPTIONS...]: prints one line, appends the
# feeder's rate to $tmp/NAME.rates
phase() {
	name=$1 pinned=$2 load=$3
	shift 3
	out=$tmp/phase.out
	if [ "$pinned" = 1 ]; then
		taskset -c 1 "$feeder" -d "$secs" -c 0 "$@" > "$out" 2>&1 &
		wrkcmd="taskset -c 1 wrk"
	else
		"$feeder" -d "$secs" "$@" > "$out" 2>&1 &
		wrkcmd="wrk"
	fi
	fpid=$!
	i=0
	while ! grep -q '^port ' "$out" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { cat "$out" >&2; exit 1; }
		sleep 0.05
	done
	port=$(sed -n 's/^port //p' "$out")
	extra=
	if [ "$load" = 1 ]; then
		d=$((secs - 1))
		$wrkcmd -t1 -c"$conns" -d"${d}s" --latency \
		    "http://127.0.0.1:$port/alerts?limit=100" > "$tmp/alerts" 2>&1 &
		w1=$!
		$wrkcmd -t1 -c"$conns" -d"${d}s" --latency \
		    "http://127.0.0.1:$port/metrics" > "$tmp/metrics" 2>&1 &
		w2=$!
		wait $w1 || true
		wait $w2 || true
		for ep in alerts metrics; do
			rps=$(sed -n 's/^Requests\/sec: *//p' "$tmp/$ep")
			lp99=$(awk '$1 == "99%" { print $2 }' "$tmp/$ep")
			errs=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$tmp/$ep")
			extra="$extra /$ep ${rps} req/s p99 ${lp99} non-2xx ${errs:-0};"
		done
	fi
	wait $fpid || { cat "$out" >&2; exit 1; }
	fpid=
	val() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" "$out"; }
	r=$(val rate) pc=$(val rate_per_cpu_s) cpu=$(val cpu_s) sec=$(val seconds)
	printf '%-12s feeder %6s/s (%6s per CPU-s, %3.0f%% CPU, blocked %s, preempted %s) add p99 %4s ns max %8s ns, lock waits %s (%s ms)%s\n' \
	    "$name" "$r" "$pc" "$(echo "$cpu $sec" | awk '{ print 100 * $1 / $2 }')" \
	    "$(val blocked)" "$(val preempted)" \
	    "$(val add_p99_ns)" "$(val add_max_ns)" "$(val lock_contended)" \
	    "$(val lock_wait_ms)" "${extra:+
            $extra}"
	echo "$r" >> "$tmp/$name.rates"
	echo "$pc" >> "$tmp/$name.pcrates"
	echo "$(val lock_wait_ms) $sec" | awk '{ print $1 / 10 / $2 }' >> "$tmp/$name.lockpct"
}

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# scenario LABEL PINNED [FEEDER OPTIONS...]
scenario() {
	label=$1 pinned=$2
	shift 2
	n=0
	while [ $n -lt "$reps" ]; do
		phase "$label/base" "$pinned" 0 "$@"
		phase "$label/load" "$pinned" 1 "$@"
		n=$((n + 1))
	done
	paste "$tmp/$label/base.rates" "$tmp/$label/load.rates" |
	    awk '{ print $2 / $1 }' > "$tmp/ratios"
	paste "$tmp/$label/base.pcrates" "$tmp/$label/load.pcrates" |
	    awk '{ print $2 / $1 }' > "$tmp/pcratios"
	printf '%-7s rate %s -> %s/s: ratio %s; per CPU-second ratio %s; feeder time waiting for the store lock under load %s%%\n' \
	    "$label:" "$(median "$tmp/$label/base.rates")" \
	    "$(median "$tmp/$label/load.rates")" "$(median "$tmp/ratios")" \
	    "$(median "$tmp/pcratios")" "$(median "$tmp/$label/load.lockpct")" |
	    tee -a "$tmp/summary"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
    "${secs}s phases, $reps pairs, wrk -c$conns per endpoint"
mkdir -p "$tmp/flat" "$tmp/pinned" "$tmp/paced"
scenario flat 0
scenario pinned 1
scenario paced 0 -R "$rate"
echo "# summary (medians over $reps pairs)"
cat "$tmp/summary"
