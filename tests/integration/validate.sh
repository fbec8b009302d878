#!/bin/bash
# validate.sh - `falconet validate` and `falconet --list`, driven from
# outside: the report per file (Ok / Ok, with warnings / Invalid), its
# exact text with file:line:col and Falco's codes, the exit status, -L
# and -s.  The rules files are written here, in a temporary directory, and
# validated from inside it so that the reported paths are short.  Prints TAP.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${FALCONET:=$top_srcdir/build/falconet}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

. "$top_srcdir/tests/integration/lib.sh"

# run NAME ARGS...: run falconet, keep stdout, stderr and exit status.
run() {
	local name=$1

	shift
	"$FALCONET" "$@" > "$name.out" 2> "$name.err" < /dev/null
	echo $? > "$name.rc"
}

# expect NAME STATUS TEXT DESCRIPTION: exact stdout and exit status.
expect() {
	local got

	got=$(cat "$1.out"; echo "(exit $(cat "$1.rc"))")
	[ "$got" = "$3
(exit $2)" ]
	ok $? "$4" "$got"
}

cat > ok.yaml <<'EOF'
- list: my_shells
  items: [bash, sh]

- macro: spawned_process
  condition: evt.type in (execve, execveat)

- rule: Shell started
  desc: a shell was started
  condition: spawned_process and proc.name in (my_shells)
  output: "Shell started (command=%proc.cmdline)"
  priority: NOTICE
  tags: [shell]

- rule: Shadow opened
  desc: /etc/shadow was opened
  condition: evt.type in (open, openat) and fd.name = /etc/shadow
  output: "Shadow opened (command=%proc.cmdline)"
  priority: WARNING
EOF

cat > warn.yaml <<'EOF'
- macro: unused_macro
  condition: proc.name = cat

- rule: Any cat
  desc: cat did something
  condition: proc.name = cat
  output: "cat (command=%proc.cmdline)"
  priority: INFO
EOF

cat > bad.yaml <<'EOF'
- rule: Broken
  desc: a rule with a syntax error
  condition: evt.type = open and proc.name = cat)
  output: "broken"
  priority: INFO
EOF

cat > unsup.yaml <<'EOF'
- rule: Java class download
  desc: a class file arrives over the network
  condition: evt.type = recvfrom and evt.buffer bcontains cafebabe
  output: "class file (command=%proc.cmdline)"
  priority: CRITICAL
EOF

echo "1..12"

run ok validate -r ok.yaml
expect ok 0 "ok.yaml: Ok" "a valid file: 'Ok', exit 0"

run warn validate -r warn.yaml
expect warn 0 "warn.yaml: Ok, with warnings
2 Warnings:
warn.yaml:6:14: rule 'Any cat'
------
  condition: proc.name = cat
             ^
------
LOAD_NO_EVTTYPE (Condition has no event-type restriction): Rule matches too many evt.type values. This has a significant performance penalty.
warn.yaml:1:3: macro 'unused_macro'
------
- macro: unused_macro
  ^
------
LOAD_UNUSED_MACRO (Unused macro): Macro not referred to by any other rule/macro" \
    "warnings: 'Ok, with warnings', each with file:line:col and code, exit 0"

run bad validate -r bad.yaml
expect bad 1 "bad.yaml: Invalid
1 Errors:
bad.yaml:3:49: rule 'Broken'
------
  condition: evt.type = open and proc.name = cat)
                                                ^
------
LOAD_ERR_COMPILE_CONDITION (Error compiling condition): unexpected token after 'cat', expecting 'or', 'and'" \
    "a syntax error: 'Invalid', file:line:col of the stray ')', exit 1"

run two validate -r ok.yaml -r bad.yaml
[ "$(head -n 2 two.out)" = "ok.yaml: Ok
bad.yaml: Invalid" ] && [ "$(cat two.rc)" = 1 ]
ok $? "two files: one report each, exit 1 when one is invalid" "$(cat two.out)"

run missing validate -r nosuch.yaml
expect missing 1 "nosuch.yaml: Invalid
1 Errors:
nosuch.yaml:0:0: rules content
LOAD_ERR_FILE_READ (File read error): Could not read rules file nosuch.yaml: No such file or directory" \
    "a missing file: LOAD_ERR_FILE_READ, exit 1"

run list validate -L -r ok.yaml
expect list 0 "ok.yaml: Ok

Rules (2 loaded):
  Shell started [Notice] ok.yaml:7: enabled; types: execve,execveat
  Shadow opened [Warning] ok.yaml:14: enabled; types: open,openat

Paths the rules name (fanotify marks when enabled): /etc

2 of 2 rules enabled. Syscalls the kernel must report (4): open execve openat execveat" \
    "-L: each rule with priority, place, state and event types; the syscalls"

run unsup validate -L -r unsup.yaml
expect unsup 0 "unsup.yaml: Ok, with warnings
1 Warnings:
unsup.yaml:3:38: rule 'Java class download'
------
  condition: evt.type = recvfrom and evt.buffer bcontains cafebabe
                                     ^
------
LOAD_UNKNOWN_FILTER (Unknown field or event-type in condition or output): field 'evt.buffer' cannot be supplied by falconet (not in the audit stream)

Rules (1 loaded):
  Java class download [Critical] unsup.yaml:1: uses a field falconet cannot supply; types: recvfrom

Paths the rules name (fanotify marks when enabled):

0 of 1 rules enabled. Syscalls the kernel must report (0):" \
    "a field audit cannot supply: the rule loads disabled, with a warning"

run strict validate -s -r unsup.yaml
[ "$(head -n 1 strict.out)" = "unsup.yaml: Invalid" ] && [ "$(cat strict.rc)" = 1 ] &&
    [ "$(tail -n 1 strict.out)" = "LOAD_ERR_COMPILE_CONDITION (Error compiling condition): field 'evt.buffer' cannot be supplied by falconet (not in the audit stream)" ]
ok $? "-s: the same field is an error, exit 1" "$(cat strict.out)"

run usage validate
[ "$(cat usage.rc)" = 2 ] && [ ! -s usage.out ] &&
    [ "$(head -n 1 usage.err)" = "usage: falconet validate [-L] [-s] -r FILE|DIR [-r FILE|DIR]..." ]
ok $? "validate without -r: usage on stderr, exit 2" "$(cat usage.err)"

run fields --list
[ "$(cat fields.rc)" = 0 ] &&
    grep -Eq '^proc\.name +CHARBUF +process name' fields.out &&
    grep -Eq '^evt\.buffer +BYTEBUF +\[UNSUPPORTED\]' fields.out &&
    grep -Eq '^proc\.aname +CHARBUF +\[LATER\]' fields.out
ok $? "--list: proc.name, evt.buffer UNSUPPORTED, proc.aname LATER" \
    "$(grep -E '^(proc\.name|evt\.buffer|proc\.aname) ' fields.out)"

# One line per registered field (275, as check_fields counts them).
[ "$(grep -Ec '^[a-z0-9_.]+ +[A-Z0-9]+ ' fields.out)" = 275 ]
ok $? "--list: one line per field, 275 fields" "$(grep -Evc '^[a-z0-9_.]+ +[A-Z0-9]+ ' fields.out) other lines"

# run --audit-plugin without -c reads the installed configuration (auditd
# passes a plugin two arguments at most).  The path comes from --help; a
# real file there is left alone (skip), else a broken one is put there
# for the test and removed.
cfg=$("$FALCONET" run --help | sed -n 's/^ *-c, reads \(.*\.yaml\)$/\1/p')
if [ -z "$cfg" ]; then
	ok 1 "run --help names the plugin's default configuration"
elif [ -e "$cfg" ]; then
	n=$((n + 1)); echo "ok $n # SKIP $cfg exists on this machine"
else
	made=$(dirname "$cfg")
	while [ ! -d "$(dirname "$made")" ]; do made=$(dirname "$made"); done
	[ -d "$made" ] && made=
	mkdir -p "$(dirname "$cfg")" && printf 'rules_files: []\npriority: bogus\n' > "$cfg"
	run plugin run --audit-plugin -n
	run noplugin run -n
	rm -f "$cfg"
	[ -n "$made" ] && rm -rf "$made"
	[ "$(cat plugin.rc)" = 1 ] &&
	    grep -q "^falconet: $cfg:2:[0-9]*: 'priority': unknown priority 'bogus'" plugin.err &&
	    [ "$(cat noplugin.rc)" = 0 ]
	ok $? "run --audit-plugin without -c reads $cfg; run without it does not" \
	    "$(cat plugin.err noplugin.err)"
fi

exit 0
