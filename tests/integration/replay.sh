#!/bin/bash
# replay.sh - `falconet replay` and the command line, driven from outside.
#
# Runs the built binary ($FALCONET, set by `make check`) the way a user
# would and checks its exact output, stderr and exit status.  Prints TAP:
# one line per case, counted by the TAP driver.
#
# Fixtures: tests/fixtures/sample/audit.log (16 records, 5 events: an exec
# with a hex-encoded argument, an open of /etc/shadow, a connect to
# 127.0.0.1, a LOGIN and a USER_LOGIN) and expected.jsonl, its exact JSON.
# When the JSON format changes on purpose (docs/events.md), regenerate it:
#   build/falconet replay tests/fixtures/sample/audit.log \
#       > tests/fixtures/sample/expected.jsonl
# and review the diff.  The corpus case needs the shared folder beside the
# source tree ($top_srcdir/../shared, as in CI; `make distcheck` links it
# beside its copy); it is skipped without it.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${FALCONET:=$top_srcdir/build/falconet}"
sample=$top_srcdir/tests/fixtures/sample
corpus=$top_srcdir/../shared/corpus/workload-enriched.log.gz

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$top_srcdir/tests/integration/lib.sh"

# run NAME ARGS...: run falconet, keep stdout, stderr and exit status.
run() {
	local name=$1

	shift
	"$FALCONET" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" < /dev/null
	echo $? > "$tmp/$name.rc"
}

rc() { cat "$tmp/$1.rc"; }

# same FILE EXPECTED-TEXT: exit 0 when FILE holds exactly that text.
same() {
	printf '%s' "$2" | cmp -s - "$1"
}

diag() { echo "got (exit $(rc "$1")):"; cat "$tmp/$1.out" "$tmp/$1.err"; }

echo "1..22"

# ---- the sample log ------------------------------------------------------

run sample replay "$sample/audit.log"
cmp -s "$tmp/sample.out" "$sample/expected.jsonl"
ok $? "replay of the sample log prints exactly expected.jsonl" \
    "$(diff "$sample/expected.jsonl" "$tmp/sample.out" | head -20)"
ok "$(rc sample)" "replay of the sample log exits 0"

sum="falconet: replay $sample/audit.log: 16 lines, 16 records, 5 events, 0 malformed lines
falconet: events completed by EOE 0, by last record 4, by timeout 0, at end of input 1, evicted 0, truncated 0
"
same "$tmp/sample.err" "$sum"
ok $? "summary on stderr counts 16 lines, 16 records, 5 events" "$(cat "$tmp/sample.err")"

# The meaning behind the exact text, so a regenerated expected.jsonl
# cannot silently lose it.
[ "$(jq -c '.argv' < "$tmp/sample.out" | head -1)" = '["sh","-c","ls /tmp | wc -l"]' ]
ok $? "the hex-encoded exec argument is decoded into argv"

[ "$(jq -r 'select(.syscall == "openat") | .paths[0].name' < "$tmp/sample.out")" = /etc/shadow ]
ok $? "the open of /etc/shadow carries its path"

[ "$(jq -c 'select(.syscall == "connect") | [.sockaddr, .errno]' < "$tmp/sample.out")" = \
    '[{"family":"inet","addr":"127.0.0.1","port":18080},"EINPROGRESS"]' ]
ok $? "the connect carries 127.0.0.1:18080 and EINPROGRESS"

[ "$(jq -r 'select(.record_types == ["USER_LOGIN"]) | .fields[0].values | "\(.exe) \(.addr) \(.res)"' < "$tmp/sample.out")" = \
    "/usr/sbin/sshd 203.0.113.7 success" ]
ok $? "the USER_LOGIN message fields are split out"

[ "$(jq -r 'select(.record_types == ["LOGIN"]) | .fields[0].values["old-auid"]' < "$tmp/sample.out")" = 4294967295 ]
ok $? "LOGIN old-auid stays a number (not hex-decoded)"

# ---- standard input ------------------------------------------------------

"$FALCONET" replay - < "$sample/audit.log" > "$tmp/stdin.out" 2> "$tmp/stdin.err"
echo $? > "$tmp/stdin.rc"
cmp -s "$tmp/stdin.out" "$sample/expected.jsonl"
ok $? "replay - reads standard input, same events"
same "$tmp/stdin.err" "${sum//"$sample/audit.log"/-}"
ok $? "replay - names the input '-' in its summary" "$(cat "$tmp/stdin.err")"

"$FALCONET" replay < "$sample/audit.log" > "$tmp/noarg.out" 2> /dev/null
cmp -s "$tmp/noarg.out" "$sample/expected.jsonl"
ok $? "replay without a file reads standard input"

# ---- malformed input -----------------------------------------------------

{
	head -n 3 "$sample/audit.log"
	echo "this is not an audit record"
	tail -n +4 "$sample/audit.log"
} > "$tmp/bad.log"
run bad replay "$tmp/bad.log"
cmp -s "$tmp/bad.out" "$sample/expected.jsonl"
ok $? "a malformed line is skipped, every event still comes out"
[ "$(rc bad)" = 0 ] && same "$tmp/bad.err" \
"falconet: $tmp/bad.log:4: malformed record (missing or unknown record type), skipped
falconet: replay $tmp/bad.log: 17 lines, 16 records, 5 events, 1 malformed lines
falconet: events completed by EOE 0, by last record 4, by timeout 0, at end of input 1, evicted 0, truncated 0
"
ok $? "a malformed line is reported with its line number, exit 0" "$(diag bad)"

# ---- inputs that cannot be read -----------------------------------------

run missing replay "$tmp/no-such-file"
[ "$(rc missing)" = 1 ] && [ ! -s "$tmp/missing.out" ] && same "$tmp/missing.err" \
    "falconet: cannot open '$tmp/no-such-file': No such file or directory
"
ok $? "a missing file: one clear message, exit 1" "$(diag missing)"

run dir replay "$tmp"
[ "$(rc dir)" = 1 ] && [ ! -s "$tmp/dir.out" ] &&
    [ "$(tail -n 1 "$tmp/dir.err")" = "falconet: cannot read '$tmp': Is a directory" ]
ok $? "a directory: 'Is a directory', exit 1" "$(diag dir)"

# ---- command line ------------------------------------------------------

run help --help
[ "$(rc help)" = 0 ] && [ "$(head -n 1 "$tmp/help.out")" = "usage: falconet COMMAND [ARGS]" ] &&
    grep -q '^  replay \[FILE|-\] ' "$tmp/help.out" && [ ! -s "$tmp/help.err" ]
ok $? "falconet --help: usage and commands on stdout, exit 0" "$(diag help)"

run rhelp replay --help
[ "$(rc rhelp)" = 0 ] && [ "$(head -n 1 "$tmp/rhelp.out")" = "usage: falconet replay [-q] [-r RULES]... [--json] [FILE|-]" ] &&
    grep -q '^  -q, --quiet ' "$tmp/rhelp.out"
ok $? "falconet replay --help: its usage and options, exit 0" "$(diag rhelp)"

run version --version
grep -Eqx 'falconet [0-9]+\.[0-9]+\.[0-9]+' "$tmp/version.out" && [ "$(rc version)" = 0 ]
ok $? "falconet --version prints the version" "$(diag version)"

run unknown frobnicate
[ "$(rc unknown)" = 2 ] && [ ! -s "$tmp/unknown.out" ] &&
    [ "$(head -n 1 "$tmp/unknown.err")" = "falconet: unknown command 'frobnicate'" ]
ok $? "an unknown command: named on stderr, exit 2" "$(diag unknown)"

run badopt replay --bogus
[ "$(rc badopt)" = 2 ] &&
    [ "$(head -n 1 "$tmp/badopt.err")" = "falconet: replay: unexpected argument '--bogus'" ]
ok $? "an unknown replay option: exit 2" "$(diag badopt)"

run quiet replay -q "$sample/audit.log"
[ "$(rc quiet)" = 0 ] && [ ! -s "$tmp/quiet.out" ] && same "$tmp/quiet.err" "$sum"
ok $? "replay -q prints only the summary" "$(diag quiet)"

# ---- the shared corpus ---------------------------------------------------

if [ -r "$corpus" ]; then
	zcat "$corpus" | "$FALCONET" replay - > "$tmp/corpus.out" 2> "$tmp/corpus.err"
	st=$?
	lines=$(wc -l < "$tmp/corpus.out")
	objs=$(jq -c 'select(type == "object") | 1' < "$tmp/corpus.out" | wc -l)
	[ $st = 0 ] && [ "$lines" = 33448 ] && [ "$objs" = 33448 ] &&
	    grep -q '^falconet: replay -: 138778 lines, 138778 records, 33448 events, 0 malformed lines$' "$tmp/corpus.err"
	ok $? "the corpus: 138778 records give 33448 JSON objects, as libauparse groups them" \
	    "exit $st, $lines lines, $objs objects; $(cat "$tmp/corpus.err")"
else
	skip "the corpus: $corpus absent (no shared folder beside the source tree)"
fi

# The TAP lines carry the verdict; a non-zero exit would count once more.
exit 0
