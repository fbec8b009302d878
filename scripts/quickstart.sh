#!/bin/bash
# quickstart.sh - the README's first command: on a fresh Debian 12 or RHEL 9
# machine (as root) install the build dependencies, build falconet in
# build/ and run the agent on its built-in defaults: the bundled rules,
# the kernel audit stream (as the audit daemon, or read-only beside a
# running auditd), alerts on standard output, the HTTP API on
# 127.0.0.1:8765.  Ctrl-C stops it and removes its audit rules.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash scripts/install-deps.sh
. scripts/build-dir.sh
build_dir build
exec build/falconet run
