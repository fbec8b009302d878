#!/bin/bash
# run-tests.sh - the README's second command, and what CI runs (.ci/run):
# install the dependencies, then build and run the whole test suite.
#
#   1. build/      normal build, `make check` (every test is TAP);
#   2. build-san/  ./configure --enable-sanitizers (ASan + UBSan),
#                  `make check` again;
#   3. build/      `make fuzz`: each libFuzzer target for $FUZZ_SECONDS
#                  (default 60) seconds; a run without a crash passes.
#
# Counts come from the "# PASS:", "# FAIL:", "# ERROR:", "# XPASS:" lines
# of each test-suite.log (one per TAP result, i.e. per test case) and of
# fuzz-suite.log (one per fuzz target).  ERROR and XPASS count as failed;
# a stage whose make fails without any failed test (a build error) counts
# as one failure.  The last line printed is "N passed, N failed"; the exit
# status is non-zero when anything failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}

passed=0
failed=0
skipped=0
summary=()

# count STAGE LOG MAKE-STATUS: add LOG's counts to the totals.
count() {
	local stage=$1 log=$2 status=$3 p=0 f=0 s=0 key n

	if [ -f "$log" ]; then
		while read -r key n; do
			case $key in
			PASS:) p=$((p + n)) ;;
			FAIL: | ERROR: | XPASS:) f=$((f + n)) ;;
			SKIP:) s=$((s + n)) ;;
			esac
		done < <(sed -n 's/^# \([A-Z]*:\) *\([0-9][0-9]*\)$/\1 \2/p' "$log")
	fi
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "run-tests: $stage: make failed before any test failed" >&2
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	summary+=("$stage: $p passed, $f failed, $s skipped")
	# CI keeps only the output: show what failed.
	if [ "$f" -ne 0 ] && [ -f "$log" ]; then
		echo "---- $log ----"
		cat "$log"
	fi
}

# check_stage STAGE DIR [CONFIGURE-ARGS...]: build in DIR, run make check.
check_stage() {
	local stage=$1 dir=$2 status=0

	shift 2
	echo "==== $stage: build in $dir/ and make check"
	rm -f "$dir/test-suite.log"
	build_dir "$dir" "$@" && make -C "$dir" -j2 check || status=$?
	count "$stage" "$dir/test-suite.log" "$status"
}

fuzz_stage() {
	local status=0

	echo "==== fuzz: make fuzz, $FUZZ_SECONDS s per target"
	rm -f build/fuzz-suite.log
	make -C build fuzz FUZZ_SECONDS="$FUZZ_SECONDS" || status=$?
	count fuzz build/fuzz-suite.log "$status"
}

if ! bash scripts/install-deps.sh; then
	echo "run-tests: installing the dependencies failed" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
# Real containers (docker, podman, containerd, lxc) for the container
# tests: the shared testbed installs what this machine can run.
testbed=$top/../shared/testbed/container
if [ -x "$testbed" ] && [ "$(id -u)" -eq 0 ]; then
	"$testbed" install-deps ||
	    echo "run-tests: the container testbed's dependencies did not" \
	        "install; the real-container tests will skip" >&2
fi
. scripts/build-dir.sh
./autogen.sh || { echo "0 passed, 1 failed"; exit 1; }

check_stage check build
check_stage check-sanitizers build-san --enable-sanitizers
fuzz_stage

echo "==== summary"
printf '%s\n' "${summary[@]}"
echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
