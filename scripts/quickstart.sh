#!/bin/bash
# quickstart.sh - the README's first command: on a fresh Debian 12 or RHEL 9
# machine (as root) install the build dependencies, build falconet in
# build/ and run its main job on built-in defaults.
#
# Until the live agent exists, the main job is a replay of the small
# audit log bundled in tests/fixtures/sample/: one JSON object per event
# on standard output, a summary on standard error.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash scripts/install-deps.sh
. scripts/build-dir.sh
build_dir build
build/falconet replay tests/fixtures/sample/audit.log
