#!/bin/bash
# rules-corpus.sh - `falconet replay -r RULES` on the shared corpus with our
# own rules (tests/fixtures/rules/corpus-rules.yaml): the exact number of
# alerts per rule with rule_matching first and all, and one whole JSON
# alert.  Prints TAP.
#
# Where the counts come from (make-corpus.sh runs its workload 20 times;
# each was also counted on the raw log with zcat|grep or on
# `falconet replay` events with jq, independently of the rules):
#   Read sensitive file     20  cat /etc/shadow (20 PATH records name="/etc/shadow")
#   Cat reads below etc     78  /etc/ld.so.cache opened by each of the 78 cat
#                               execs; 98 with --all: + the 20 /etc/shadow,
#                               which rule_matching first gives the rule above
#   Shell run with -c       40  sh -c (20) + bash -c (20); the 3 other bash -c
#                               (reassembly under /farm/in) are an exception
#   Loopback HTTP traffic   40  curl's connect to 127.0.0.1:18080 (EINPROGRESS)
#                               20 + the server's accept4 from 127.0.0.1 20
#   Unusual socket bind     40  bind to [::1]:0 20 + to @kestrel-abstract 20
#   Set setuid bit          20  fchmodat a2=9ed (04755)
#   File owner changed      20  chown's fchownat; podman's 18 are excepted
#   Modify etc or ssh       80  touch /etc/..., mv, rm (renameat2, unlinkat),
#                               touch /root/.ssh/..., 20 each; podman's 8 opens
#                               of /etc/cni/net.d/cni.lock are excepted
#   Change of user id       20  setpriv's setresuid; spawner's 5 setuid(0)
#                               are trusted by a list append
#   Namespace change        40  unshare: 20 CLONE_NEWNS|CLONE_NEWUTS, 20 CLONE_NEWNET
#   Memfd created           20  memfd_create (syscall=319)
#   Ptrace attach           40  strace -f's PTRACE_SEIZE (a0=4206), 2 per round
# Needs the shared folder beside the source tree ($top_srcdir/../shared);
# skipped without it.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${FALCONET:=$top_srcdir/build/falconet}"
rules=$top_srcdir/tests/fixtures/rules/corpus-rules.yaml
corpus=$top_srcdir/../shared/corpus/workload-enriched.log.gz

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$top_srcdir/tests/integration/lib.sh"

echo "1..6"

if [ ! -r "$corpus" ] || ! command -v jq > /dev/null; then
	for i in 1 2 3 4 5 6; do
		echo "ok $i # SKIP no corpus ($corpus) or no jq"
	done
	exit 0
fi

export TZ=UTC FALCO_HOSTNAME=corpus-host
unset FALCONET_HOSTNAME

# replay NAME ARGS...: the corpus through falconet, JSON alerts kept.
replay() {
	local name=$1

	shift
	zcat "$corpus" | "$FALCONET" replay -r "$rules" --json "$@" - \
	    > "$tmp/$name.out" 2> "$tmp/$name.err"
	echo $? > "$tmp/$name.rc"
}

counts() {
	jq -r .rule < "$tmp/$1.out" | sort | uniq -c
}

replay first
replay all --all

[ "$(cat "$tmp/first.rc")" = 0 ] && [ "$(cat "$tmp/all.rc")" = 0 ] &&
    grep -qx 'falconet: 458 alerts' "$tmp/first.err" &&
    grep -qx 'falconet: 478 alerts' "$tmp/all.err"
ok $? "both replays exit 0: 458 alerts (first), 478 (all)" \
    "$(cat "$tmp/first.err" "$tmp/all.err")"

want_first='     78 Cat reads below etc
     20 Change of user id
     20 File owner changed
     40 Loopback HTTP traffic
     20 Memfd created
     80 Modify etc or ssh
     40 Namespace change
     40 Ptrace attach
     20 Read sensitive file
     20 Set setuid bit
     40 Shell run with -c
     40 Unusual socket bind'
got=$(counts first)
[ "$got" = "$want_first" ]
ok $? "rule_matching first: exact alerts per rule" "$got"

got=$(counts all)
[ "$got" = "${want_first/78 Cat/98 Cat}" ]
ok $? "rule_matching all: the 20 /etc/shadow reads also alert 'Cat reads below etc'" "$got"

# The one difference between the two, event by event: exactly the shadow reads.
diff <(grep -v '"Cat reads below etc"' "$tmp/first.out") \
    <(grep -v '"Cat reads below etc"' "$tmp/all.out") > /dev/null &&
    [ "$(jq -r 'select(.rule == "Cat reads below etc") | .output_fields["fd.name"]' < "$tmp/all.out" | sort | uniq -c)" = \
'     78 /etc/ld.so.cache
     20 /etc/shadow' ]
ok $? "--all adds the /etc/shadow reads to 'Cat reads below etc', nothing else"

# The first shadow read: serial 734, `cat /etc/shadow` pid 9989, fd 3,
# openat(..., O_RDONLY) at 1795867423.642 (2026-11-28 12:03:43.642 UTC).
want='{"hostname":"corpus-host","output":"12:03:43.642000000: Warning Sensitive file opened for reading (file=/etc/shadow pid=9989 command=cat /etc/shadow uid=0 fd=3 flags=O_RDONLY) container_id=<NA> container_name=<NA> container_image_repository=<NA> container_image_tag=<NA> k8s_pod_name=<NA> k8s_ns_name=<NA>","output_fields":{"container.id":null,"container.image.repository":null,"container.image.tag":null,"container.name":null,"evt.arg.flags":"O_RDONLY","evt.time":1795867423642000000,"fd.name":"/etc/shadow","fd.num":3,"k8s.ns.name":null,"k8s.pod.name":null,"proc.cmdline":"cat /etc/shadow","proc.pid":9989,"user.uid":0},"priority":"Warning","rule":"Read sensitive file","source":"syscall","tags":["T1555","filesystem","mitre_credential_access"],"time":"2026-11-28T12:03:43.642000000Z"}'
got=$(grep -m1 '"rule":"Read sensitive file"' "$tmp/first.out")
[ "$got" = "$want" ]
ok $? "the first /etc/shadow read, as an exact JSON alert" "$got"

# Every alert is one JSON object with Falco's keys, in order.
[ "$(jq -c 'keys_unsorted' < "$tmp/all.out" | sort -u)" = \
    '["hostname","output","output_fields","priority","rule","source","tags","time"]' ]
ok $? "every alert has Falco's JSON keys, sorted"

exit 0
