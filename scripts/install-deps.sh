#!/bin/bash
# install-deps.sh - install everything falconet needs to build and to run
# its whole test suite (unit, integration, sanitizer build, fuzzing), on
# Debian 12 (apt-get) or RHEL 9 (dnf).  Run as root.
#
# Idempotent: only missing packages are installed, and when nothing is
# missing nothing is downloaded (no apt-get update either).
set -euo pipefail

# Debian 12.  clang and libclang-rt-dev are llvm-defaults' metapackages
# (clang-14, libclang-rt-14-dev: libFuzzer and the sanitizer runtimes);
# gcc's ASan/UBSan runtimes come with gcc.
deb_pkgs=(
	autoconf automake libtool pkg-config make gcc
	clang libclang-rt-dev
	libaudit-dev libauparse-dev libyaml-dev libmicrohttpd-dev
	libcurl4-openssl-dev libjansson-dev check
	jq curl python3 gzip
	auditd
)

# RHEL 9.  libyaml-devel, libmicrohttpd-devel and check-devel live in the
# CodeReady Builder repository (crb), enabled below.  audit-libs-devel
# has libauparse too; compiler-rt has libFuzzer; gcc's sanitizer runtimes
# are separate packages.
rpm_pkgs=(
	autoconf automake libtool pkgconf-pkg-config make gcc
	clang compiler-rt libasan libubsan
	audit-libs-devel libyaml-devel libmicrohttpd-devel libcurl-devel
	jansson-devel check-devel
	jq curl python3 gzip tar diffutils findutils
	audit
)

die() {
	echo "install-deps: $*" >&2
	exit 1
}

install_apt() {
	local missing=() p

	for p in "${deb_pkgs[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q '^install ok installed$' || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "install-deps: all ${#deb_pkgs[@]} packages present"
		return
	fi
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# auditd's package would start the daemon; the tests start their own
	# (and falconet registers as the audit daemon), so keep package
	# scripts from starting services while installing.
	local guard=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		guard=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\nexit 101\n' > "$guard"
		chmod 755 "$guard"
	fi
	apt-get install -y --no-install-recommends "${missing[@]}" ||
	    { [ -z "$guard" ] || rm -f "$guard"; return 1; }
	[ -z "$guard" ] || rm -f "$guard"
}

enable_crb() {
	# Rocky/Alma/CentOS Stream call it crb; RHEL proper enables it
	# through subscription-manager.  Either may be absent: dnf then
	# says which package it could not find.
	dnf -y install dnf-plugins-core >/dev/null 2>&1 || true
	dnf config-manager --set-enabled crb >/dev/null 2>&1 ||
	    subscription-manager repos --enable \
	    "codeready-builder-for-rhel-9-$(uname -m)-rpms" >/dev/null 2>&1 ||
	    echo "install-deps: could not enable CodeReady Builder (crb)" >&2
}

install_dnf() {
	local missing=() p

	for p in "${rpm_pkgs[@]}"; do
		rpm -q "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "install-deps: all ${#rpm_pkgs[@]} packages present"
		return
	fi
	echo "install-deps: installing ${missing[*]}"
	enable_crb
	dnf -y install "${missing[@]}"
}

[ "$(id -u)" -eq 0 ] || die "run me as root (packages are installed system-wide)"
if command -v apt-get >/dev/null 2>&1; then
	install_apt
elif command -v dnf >/dev/null 2>&1; then
	install_dnf
else
	die "neither apt-get nor dnf found: install by hand the packages listed in $0"
fi
