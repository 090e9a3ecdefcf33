# scripts/lib/deps.sh - the Debian packages petrel needs, and installing them.
# shellcheck shell=bash
#
# Sourced by scripts/demo and scripts/test.  Only packages that are missing
# are installed (apt-get, as root, or through sudo without a password).
# Installing dovecot-core must not start the system's Dovecot on ports 143
# and 993: while apt-get runs, a policy-rc.d that forbids starting services
# is put in place (unless the machine already has one).
#
#	. scripts/lib/deps.sh
#	petrel_install_deps          # build + test (+ fuzzing) packages
#	petrel_install_packages tmux # any list

# Compiling petrel (configure.ac checks for each of these).
PETREL_BUILD_DEPS=(build-essential autoconf automake autopoint libtool libmagic-dev
	pkg-config gettext libncurses-dev libssl-dev libcurl4-openssl-dev
	libsqlite3-dev libinih-dev zlib1g-dev libgsasl-dev check)
# Running the integration tests and the demo.
PETREL_TEST_DEPS=(dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix tmux openssl python3 procps
	dante-server tinyproxy openssh-server openssh-client passwd)
# The libFuzzer targets (configure --enable-fuzzing); the matching
# libclang-rt-N-dev is added when apt knows it.
PETREL_FUZZ_DEPS=(clang)

# Print the packages of the arguments that are not installed.
petrel_missing_packages() {
	local p
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
			printf '%s\n' "$p"
		fi
	done
}

# Run a command as root (directly, or with sudo -n); fail otherwise.
petrel_as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		echo "deps: need root to run: $*" >&2
		return 1
	fi
}

# Install the packages among the arguments that are missing.
petrel_install_packages() {
	local missing made_policy=0 rc=0
	command -v dpkg-query >/dev/null 2>&1 || {
		echo "deps: not a Debian system (no dpkg-query); install by hand: $*" >&2
		return 1
	}
	mapfile -t missing < <(petrel_missing_packages "$@")
	[ ${#missing[@]} -gt 0 ] || return 0
	echo "deps: installing ${missing[*]}" >&2
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		# exit status 101: "action forbidden", see invoke-rc.d(8)
		petrel_as_root sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d &&
		    chmod 755 /usr/sbin/policy-rc.d' || return 1
		made_policy=1
	fi
	petrel_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || rc=$?
	# postfix: installed unconfigured, so the system's Postfix never
	# listens on port 25 (policy-rc.d only stops the start during
	# apt-get; without a main.cf it does not start at boot either).  The
	# tests run private instances (tests/lib/postfix.sh).
	if [ $rc = 0 ] && printf '%s\n' "${missing[@]}" | grep -qx postfix; then
		echo 'postfix postfix/main_mailer_type select No configuration' |
		    petrel_as_root debconf-set-selections || rc=$?
	fi
	if [ $rc = 0 ]; then
		petrel_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		    "${missing[@]}" >&2 || rc=$?
	fi
	if [ $made_policy = 1 ]; then
		petrel_as_root rm -f /usr/sbin/policy-rc.d
	fi
	if [ $rc != 0 ]; then
		echo "deps: apt-get failed (status $rc) for: ${missing[*]}" >&2
		return 1
	fi
	mapfile -t missing < <(petrel_missing_packages "$@")
	if [ ${#missing[@]} -gt 0 ]; then
		echo "deps: still missing after apt-get: ${missing[*]}" >&2
		return 1
	fi
}

# The libclang-rt-N-dev package for the installed clang, if apt has it.
petrel_clang_rt_package() {
	local major
	command -v clang >/dev/null 2>&1 || return 0
	major=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
	[ -n "$major" ] || return 0
	if apt-cache show "libclang-rt-$major-dev" >/dev/null 2>&1; then
		printf 'libclang-rt-%s-dev\n' "$major"
	fi
}

# Install everything needed to build petrel and run all of its tests.
# PETREL_DEPS_NO_FUZZ=1 leaves out clang.
petrel_install_deps() {
	local pkgs=("${PETREL_BUILD_DEPS[@]}" "${PETREL_TEST_DEPS[@]}") rt
	if [ "${PETREL_DEPS_NO_FUZZ:-0}" != 1 ]; then
		pkgs+=("${PETREL_FUZZ_DEPS[@]}")
	fi
	petrel_install_packages "${pkgs[@]}" || return 1
	if [ "${PETREL_DEPS_NO_FUZZ:-0}" != 1 ]; then
		rt=$(petrel_clang_rt_package)
		if [ -n "$rt" ]; then
			petrel_install_packages "$rt" || return 1
		fi
	fi
}
