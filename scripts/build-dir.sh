# shellcheck shell=bash
# build-dir.sh - sourced by quickstart.sh and tests/run-tests.sh, from the
# top of the source tree: build_dir DIR [CONFIGURE-ARGS...] configures
# (once) and builds falconet in DIR, out of the source tree.
#
# Every build lives in its own directory (build/, build-san/), so that a
# normal and a sanitizer build can coexist; automake refuses such VPATH
# builds once the source tree itself has been configured.

build_dir() {
	local dir=$1

	shift
	if [ -f config.status ]; then
		echo "the source tree is configured in place (config.status):" \
		    "run 'make distclean' in $(pwd) first; builds go to" \
		    "build/ and build-san/" >&2
		return 1
	fi
	[ -x configure ] || ./autogen.sh
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		(cd "$dir" && ../configure "$@") || return 1
	fi
	make -C "$dir" -j2
}
