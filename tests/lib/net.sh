# net.sh - real proxies and TLS peers for the connection tests (bash,
# sourced after tests/lib/common.sh, which provides $T, t_fail,
# t_free_ports, t_wait_port, t_kill_pid and t_on_exit).
# shellcheck shell=bash
#
# Owns: private instances of Dante (danted: SOCKS4 and SOCKS5, with or
# without username authentication), tinyproxy (HTTP CONNECT, with or
# without Basic authentication), and OpenSSH dynamic forwarding (`ssh -D`
# to a private sshd: SOCKS4, SOCKS4a and SOCKS5), each in its own directory
# under $T, on 127.0.0.1 and a free port, stopped by the PID it was started
# with (registered with t_on_exit).  Also a throwaway system user for
# Dante's username method (it checks the system's passwords), removed at
# exit, and TLS-limited Dovecot instances through tests/lib/dovecot.sh.
#
# Debian packages: dante-server tinyproxy openssh-server openssh-client
# (plus what dovecot.sh needs).  A missing one fails the test.
#
# Each net_start_* function sets NET_PORT (and NET_LOG, the proxy's log).

# Fail unless the proxy programs are installed.
net_need() {
	local p missing=()
	for p in "$@"; do
		case $p in
		danted) [ -x /usr/sbin/danted ] || missing+=("dante-server (danted)") ;;
		tinyproxy) command -v tinyproxy >/dev/null || missing+=(tinyproxy) ;;
		sshd) [ -x /usr/sbin/sshd ] || missing+=("openssh-server (sshd)") ;;
		ssh) command -v ssh >/dev/null && command -v ssh-keygen >/dev/null ||
		    missing+=("openssh-client (ssh, ssh-keygen)") ;;
		*) command -v "$p" >/dev/null || missing+=("$p") ;;
		esac
	done
	[ ${#missing[@]} = 0 ] ||
	    t_fail "not installed: ${missing[*]} (apt-get install dante-server tinyproxy openssh-server openssh-client)"
}

# Start danted in DIR with socksmethod METHOD (none | username).
net_start_dante() {
	local dir=$T/$1 method=$2 pid
	mkdir -p "$dir"
	NET_PORT=$(t_free_ports 1)
	NET_LOG=$dir/danted.log
	cat >"$dir/danted.conf" <<-EOF
	logoutput: $NET_LOG
	debug: 1
	internal: 127.0.0.1 port = $NET_PORT
	external: 127.0.0.1
	clientmethod: none
	socksmethod: $method
	user.privileged: root
	user.unprivileged: nobody
	client pass {
	  from: 127.0.0.0/8 to: 0.0.0.0/0
	  log: connect error
	}
	socks pass {
	  from: 127.0.0.0/8 to: 0.0.0.0/0
	  command: connect
	  log: connect error
	}
	EOF
	if [ "$(id -u)" != 0 ]; then
		sed -i '/^user\./d' "$dir/danted.conf"
	fi
	/usr/sbin/danted -f "$dir/danted.conf" -p "$dir/danted.pid" -N 1 \
	    >"$dir/stdout" 2>&1 &
	pid=$!
	t_on_exit "t_kill_pid $pid"
	t_wait_port "$NET_PORT" 10 || {
		cat "$dir/stdout" "$NET_LOG" >&2 2>/dev/null
		t_fail "danted did not start on port $NET_PORT"
	}
}

# Create a throwaway system user NAME with password PASS (for Dante).
net_add_system_user() {
	local name=$1 pass=$2
	[ "$(id -u)" = 0 ] || t_fail "creating a system user for Dante needs root"
	id "$name" >/dev/null 2>&1 && t_fail "user $name already exists"
	useradd -M -N -d /nonexistent -s /usr/sbin/nologin "$name" ||
	    t_fail "useradd $name failed"
	t_on_exit "userdel $name 2>/dev/null"
	printf '%s:%s\n' "$name" "$pass" | chpasswd || t_fail "chpasswd failed"
}

# Start tinyproxy in DIR; with USER and PASS, Basic authentication.
net_start_tinyproxy() {
	local dir=$T/$1 user=${2:-} pass=${3:-} pid
	mkdir -p "$dir"
	chmod 777 "$dir"
	NET_PORT=$(t_free_ports 1)
	NET_LOG=$dir/tinyproxy.log
	cat >"$dir/tinyproxy.conf" <<-EOF
	Port $NET_PORT
	Listen 127.0.0.1
	Timeout 60
	LogFile "$NET_LOG"
	LogLevel Info
	MaxClients 20
	Allow 127.0.0.1
	EOF
	if [ "$(id -u)" = 0 ]; then
		printf 'User nobody\nGroup nogroup\n' >>"$dir/tinyproxy.conf"
	fi
	if [ -n "$user" ]; then
		printf 'BasicAuth %s %s\n' "$user" "$pass" >>"$dir/tinyproxy.conf"
	fi
	tinyproxy -d -c "$dir/tinyproxy.conf" >"$dir/stdout" 2>&1 &
	pid=$!
	t_on_exit "t_kill_pid $pid"
	t_wait_port "$NET_PORT" 10 || {
		cat "$dir/stdout" "$NET_LOG" >&2 2>/dev/null
		t_fail "tinyproxy did not start on port $NET_PORT"
	}
}

# Start a private sshd and `ssh -N -D` through it: a SOCKS4/4a/5 proxy.
net_start_ssh_socks() {
	local dir=$T/$1 sshd_port pid user
	mkdir -p "$dir"
	chmod 700 "$dir"
	user=$(id -un)
	sshd_port=$(t_free_ports 1)
	NET_PORT=$(t_free_ports 1)
	NET_LOG=$dir/ssh.log
	ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key" || t_fail "ssh-keygen failed"
	ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key" || t_fail "ssh-keygen failed"
	cp "$dir/client_key.pub" "$dir/authorized_keys"
	cat >"$dir/sshd_config" <<-EOF
	Port $sshd_port
	ListenAddress 127.0.0.1
	HostKey $dir/host_key
	PidFile $dir/sshd.pid
	AuthorizedKeysFile $dir/authorized_keys
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	StrictModes no
	AllowTcpForwarding yes
	AllowUsers $user
	LogLevel VERBOSE
	EOF
	mkdir -p /run/sshd 2>/dev/null || true
	/usr/sbin/sshd -D -e -f "$dir/sshd_config" >"$dir/sshd.log" 2>&1 &
	pid=$!
	t_on_exit "t_kill_pid $pid"
	t_wait_port "$sshd_port" 10 || {
		cat "$dir/sshd.log" >&2
		t_fail "sshd did not start on port $sshd_port"
	}
	ssh -N -vv -D "127.0.0.1:$NET_PORT" -p "$sshd_port" -i "$dir/client_key" \
	    -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no \
	    -o UserKnownHostsFile=/dev/null -o ExitOnForwardFailure=yes \
	    "$user@127.0.0.1" >"$NET_LOG" 2>&1 </dev/null &
	pid=$!
	t_on_exit "t_kill_pid $pid"
	t_wait_port "$NET_PORT" 15 || {
		cat "$NET_LOG" "$dir/sshd.log" >&2
		t_fail "ssh -D did not listen on port $NET_PORT"
	}
}

# Start a second Dovecot in DIR (tests/lib/dovecot.sh as a command) with
# extra config; sets NET_DV_<VAR> for each DOVECOT_<VAR> it reports.
net_start_dovecot() {
	local dir=$T/$1 extra=$2 line
	DOVECOT_EXTRA_CONF=$extra bash "$T_LIB/dovecot.sh" start "$dir" \
	    >"$dir.env" 2>"$dir.err" || {
		cat "$dir.err" >&2
		t_fail "dovecot in $dir did not start"
	}
	t_on_exit "bash '$T_LIB/dovecot.sh' stop '$dir' >/dev/null 2>&1"
	while IFS= read -r line; do
		case $line in
		DOVECOT_*=*) eval "NET_DV_${line#DOVECOT_}" ;;
		esac
	done <"$dir.env"
}

# The SHA-256 fingerprint of a PEM certificate, as petrel writes pins.
net_fingerprint() {
	openssl x509 -in "$1" -noout -fingerprint -sha256 |
	    sed 's/^.*=/sha256:/'
}

# Make a self-signed certificate DIR/NAME.pem/.key for localhost.
net_self_signed() {
	local dir=$1 name=$2
	openssl req -x509 -new -nodes -days 30 -sha256 \
	    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	    -keyout "$dir/$name.key" -out "$dir/$name.pem" >/dev/null 2>&1 ||
	    t_fail "openssl could not make a self-signed certificate"
	chmod 644 "$dir/$name.key"
}

# Run the transport probe (tests/unit/transport_probe) as NAME via t_run.
net_probe() {
	local name=$1
	shift
	t_run "$name" 30 "$NET_PROBE" "$@"
}

# Set NET_PROBE to the probe binary (next to petrel, or $TRANSPORT_PROBE).
net_find_probe() {
	NET_PROBE=${TRANSPORT_PROBE:-$(dirname "$PETREL")/tests/unit/transport_probe}
	[ -x "$NET_PROBE" ] ||
	    t_fail "transport_probe not found at $NET_PROBE (make tests/unit/transport_probe, or set TRANSPORT_PROBE)"
}
