#!/usr/bin/env bash
# dovecot.sh - a private Dovecot (Debian's dovecot-imapd/-pop3d) for tests.
#
# Owns: one throwaway Dovecot instance living entirely in one directory: its
# own config (nothing from /etc/dovecot), base_dir, state_dir, log, a CA made
# on the fly with a server certificate for localhost/127.0.0.1 signed by it,
# a passwd-file of test users and their Maildir homes.  It listens on
# 127.0.0.1 only, on free ports picked at start: IMAP (plain, offers
# STARTTLS), IMAPS (implicit TLS), POP3 (STLS) and POP3S.  It is stopped by
# the master PID it wrote, after checking that PID is really this instance.
#
# Run as root, Dovecot's mail processes use a numeric non-root uid
# (DOVECOT_MAIL_UID_ROOT, default 60997, no passwd entry needed) that owns
# the mail homes; run as an ordinary user, everything runs as that user.
# DOVECOT_EXTRA_CONF, if set, is appended to the generated config.
# Options (set before dovecot_start, read again by dovecot_restart):
#	DOVECOT_NO_CONDSTORE=1  post-login CAPABILITY without CONDSTORE and
#	                        QRESYNC (Dovecot still accepts them if a client
#	                        uses them anyway: check the rawlog for that)
#	DOVECOT_SPECIAL_USE=1   an inbox namespace with SPECIAL-USE folders:
#	                        Trash (\Trash, created automatically), Sent
#	                        (\Sent), Archive (\Archive), Junk (\Junk)
#	DOVECOT_COMPRESS=1      COMPRESS=DEFLATE offered (the imap_zlib plugin)
#	DOVECOT_RAWLOG=1        every IMAP session's raw traffic (after TLS)
#	                        in HOME/rawlog: *.in from the client, *.out
#	                        from the server (dovecot_rawlog_dir USER)
#
# As a library (bash):
#	. tests/lib/dovecot.sh
#	dovecot_init "$T/dovecot"              # CA, certificate, user alice/secret
#	dovecot_add_user bob 'other-pass'      # optional, before dovecot_start
#	python3 gen-mailbox.py --out "$(dovecot_maildir alice)" ...
#	dovecot_start || exit 1                # sets the DOVECOT_* variables
#	dovecot_restart                        # stop, start on the same ports
#	dovecot_kill_sessions [SIG]            # cut (or STOP) every session
#	dovecot_subscribe_all alice            # optional: LSUB shows all folders
#	...                                    # dovecot_stop (or at exit)
# As a command:
#	tests/lib/dovecot.sh start DIR [USER:PASS ...]   (prints the variables)
#	tests/lib/dovecot.sh stop DIR
#
# Variables after dovecot_start (also written to DIR/env):
#	DOVECOT_HOST (127.0.0.1)  DOVECOT_IMAP_PORT  DOVECOT_IMAPS_PORT
#	DOVECOT_POP3_PORT  DOVECOT_POP3S_PORT  DOVECOT_CA (CA certificate, PEM)
#	DOVECOT_PID  DOVECOT_CONF  DOVECOT_LOG  DOVECOT_DIR

# Say something about the server on stderr.
dovecot_msg() {
	printf 'dovecot.sh: %s\n' "$*" >&2
}

# Make a CA: DIR/NAME.pem (certificate) and DIR/NAME.key.
dovecot_make_ca() {
	local dir=$1 name=$2
	mkdir -p "$dir"
	openssl req -x509 -new -nodes -days 30 -sha256 \
	    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -subj "/O=petrel tests/CN=petrel test CA $name $$" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -keyout "$dir/$name.key" -out "$dir/$name.pem" >"$dir/openssl.log" 2>&1 || {
		dovecot_msg "openssl could not make a CA; see $dir/openssl.log"
		return 1
	}
	chmod 600 "$dir/$name.key"
}

# Make a server certificate DIR/NAME.pem/.key signed by the CA CA.pem/.key
# (CA without the suffix), for localhost and 127.0.0.1 unless SAN says else
# (e.g. "DNS:wrong.example": a certificate that fails the name check).
dovecot_make_cert() {
	local dir=$1 name=$2 ca=$3 san=${4:-DNS:localhost,IP:127.0.0.1} cn
	cn=${san%%,*}
	cn=${cn#*:}
	cat >"$dir/$name.ext" <<-EOF
	basicConstraints = critical,CA:FALSE
	keyUsage = critical,digitalSignature,keyEncipherment
	extendedKeyUsage = serverAuth
	subjectAltName = $san
	EOF
	openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -subj "/O=petrel tests/CN=$cn" \
	    -keyout "$dir/$name.key" -out "$dir/$name.csr" >>"$dir/openssl.log" 2>&1 &&
	openssl x509 -req -in "$dir/$name.csr" -days 30 -sha256 \
	    -CA "$ca.pem" -CAkey "$ca.key" -CAcreateserial \
	    -extfile "$dir/$name.ext" -out "$dir/$name.pem" >>"$dir/openssl.log" 2>&1 || {
		dovecot_msg "openssl could not sign the server certificate; see $dir/openssl.log"
		return 1
	}
	chmod 600 "$dir/$name.key"
}

# Prepare DIR: certificates, empty user list, default user alice/secret.
dovecot_init() {
	DOVECOT_DIR=$(mkdir -p "$1" && cd "$1" && pwd) || return 1
	command -v dovecot >/dev/null 2>&1 || {
		dovecot_msg "dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d)"
		return 1
	}
	command -v openssl >/dev/null 2>&1 || {
		dovecot_msg "openssl is not installed"
		return 1
	}
	mkdir -p "$DOVECOT_DIR/base" "$DOVECOT_DIR/state" "$DOVECOT_DIR/home" "$DOVECOT_DIR/tls"
	# login processes chroot below base_dir; the auth process (user
	# dovecot) reads the passwd-file: the path must be traversable
	chmod 755 "$DOVECOT_DIR" "$DOVECOT_DIR/base" "$DOVECOT_DIR/home"
	dovecot_make_ca "$DOVECOT_DIR/tls" ca || return 1
	dovecot_make_cert "$DOVECOT_DIR/tls" server "$DOVECOT_DIR/tls/ca" || return 1
	DOVECOT_CA=$DOVECOT_DIR/tls/ca.pem
	: >"$DOVECOT_DIR/passwd"
	dovecot_add_user alice secret
}

# Add a test user with a Maildir home (before or after dovecot_start).
dovecot_add_user() {
	local user=$1 pass=$2 home
	home=$DOVECOT_DIR/home/$user
	mkdir -p "$home/Maildir/cur" "$home/Maildir/new" "$home/Maildir/tmp" "$home/rawlog"
	grep -v "^$user:" "$DOVECOT_DIR/passwd" >"$DOVECOT_DIR/passwd.new" || true
	# uid/gid empty: mail_uid/mail_gid apply (passwd-file rejects uid 0)
	printf '%s:{PLAIN}%s::::%s::\n' "$user" "$pass" "$home" >>"$DOVECOT_DIR/passwd.new"
	mv "$DOVECOT_DIR/passwd.new" "$DOVECOT_DIR/passwd"
	# readable by the auth process, which does not run as root (test data)
	chmod 644 "$DOVECOT_DIR/passwd"
	if [ -n "${DOVECOT_PID:-}" ]; then
		dovecot_fix_owner
	fi
}

# The Maildir root of a user.
dovecot_maildir() {
	printf '%s\n' "$DOVECOT_DIR/home/$1/Maildir"
}

# The rawlog directory of a user (with DOVECOT_RAWLOG=1).
dovecot_rawlog_dir() {
	printf '%s\n' "$DOVECOT_DIR/home/$1/rawlog"
}

# Move a user's rawlogs to rawlog/old-N (printed), so that what follows is
# only the sessions started from now on, and old-N holds what came before.
dovecot_rawlog_reset() {
	local dir n=1
	dir=$(dovecot_rawlog_dir "$1")
	while [ -e "$dir/old-$n" ]; do
		n=$((n + 1))
	done
	mkdir "$dir/old-$n" || return 1
	find "$dir" -maxdepth 1 -type f -exec mv -t "$dir/old-$n" {} + 2>/dev/null || true
	printf '%s\n' "$dir/old-$n"
}

# Give the mail homes to the uid the mail processes run as.
dovecot_fix_owner() {
	chown -R "$DOVECOT_MAIL_UID:$DOVECOT_MAIL_GID" "$DOVECOT_DIR/home"
}

# Print N distinct free ports on 127.0.0.1 (the kernel picks them).
dovecot_free_ports() {
	python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
PY
}

# Succeed once 127.0.0.1:PORT accepts a connection (bounded wait).
dovecot_wait_port() {
	local port=$1 i
	for ((i = 0; i < 100; i++)); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# Write DIR/dovecot.conf for the chosen ports and uids.
dovecot_write_conf() {
	local internal_user=dovecot internal_group=dovecot login_user=dovenull
	local chroot_line="" dh_line=""
	if [ "$(id -u)" != 0 ]; then
		internal_user=$(id -un)
		internal_group=$(id -gn)
		login_user=$internal_user
		chroot_line="chroot ="
	fi
	# Tests fail logins on purpose, all from 127.0.0.1: anvil's growing
	# penalty (2, 4, 8 ... 15 s) would make their timing depend on order.
	# The fixed delay of the first failure (auth_failure_delay) stays.
	if [ -r /usr/share/dovecot/dh.pem ]; then
		dh_line="ssl_dh = </usr/share/dovecot/dh.pem"
	fi
	cat >"$DOVECOT_DIR/dovecot.conf" <<-EOF
	# generated by petrel's tests/lib/dovecot.sh: a private test instance
	instance_name = petrel-test-$$-$RANDOM
	base_dir = $DOVECOT_DIR/base
	state_dir = $DOVECOT_DIR/state
	log_path = $DOVECOT_DIR/dovecot.log
	info_log_path = $DOVECOT_DIR/dovecot.log
	protocols = imap pop3
	listen = 127.0.0.1
	mail_uid = $DOVECOT_MAIL_UID
	mail_gid = $DOVECOT_MAIL_GID
	first_valid_uid = $DOVECOT_MAIL_UID
	last_valid_uid = 0
	first_valid_gid = $DOVECOT_MAIL_GID
	default_internal_user = $internal_user
	default_internal_group = $internal_group
	default_login_user = $login_user
	# the local port and TLS state of each login, for the tests to check
	login_log_format_elements = user=<%u> method=%m rip=%r lip=%l lport=%{lport} mpid=%e %c session=<%{session}>
	auth_verbose = yes

	ssl = yes
	ssl_cert = <$DOVECOT_DIR/tls/server.pem
	ssl_key = <$DOVECOT_DIR/tls/server.key
	ssl_min_protocol = TLSv1.2
	$dh_line

	auth_mechanisms = plain login cram-md5
	# 127.0.0.1 counts as secure for Dovecot anyway; say it outright
	disable_plaintext_auth = no
	passdb {
	  driver = passwd-file
	  args = scheme=PLAIN username_format=%u $DOVECOT_DIR/passwd
	}
	userdb {
	  driver = passwd-file
	  args = username_format=%u $DOVECOT_DIR/passwd
	}

	mail_location = maildir:~/Maildir:INDEX=~/dovecot-index:CONTROL=~/dovecot-control
	mail_max_userip_connections = 40
	pop3_uidl_format = %08Xu%08Xv

	service imap-login {
	  $chroot_line
	  inet_listener imap {
	    address = 127.0.0.1
	    port = $DOVECOT_IMAP_PORT
	  }
	  inet_listener imaps {
	    address = 127.0.0.1
	    port = $DOVECOT_IMAPS_PORT
	    ssl = yes
	  }
	}
	service pop3-login {
	  $chroot_line
	  inet_listener pop3 {
	    address = 127.0.0.1
	    port = $DOVECOT_POP3_PORT
	  }
	  inet_listener pop3s {
	    address = 127.0.0.1
	    port = $DOVECOT_POP3S_PORT
	    ssl = yes
	  }
	}
	service anvil {
	  $chroot_line
	  unix_listener anvil-auth-penalty {
	    mode = 0
	  }
	}
	EOF
	if [ "$(id -u)" != 0 ]; then
		cat >>"$DOVECOT_DIR/dovecot.conf" <<-EOF
		service auth-worker {
		  user = $internal_user
		}
		EOF
	fi
	if [ "${DOVECOT_NO_CONDSTORE:-0}" = 1 ]; then
		# Dovecot 2.3's post-login list minus CONDSTORE and QRESYNC
		# (imap_capability replaces the list; "+" could only add)
		cat >>"$DOVECOT_DIR/dovecot.conf" <<-EOF
		imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY
		EOF
	fi
	if [ "${DOVECOT_SPECIAL_USE:-0}" = 1 ]; then
		cat >>"$DOVECOT_DIR/dovecot.conf" <<-'EOF'
		namespace inbox {
		  inbox = yes
		  mailbox Trash {
		    special_use = \Trash
		    auto = create
		  }
		  mailbox Sent {
		    special_use = \Sent
		  }
		  mailbox Archive {
		    special_use = \Archive
		  }
		  mailbox Junk {
		    special_use = \Junk
		  }
		}
		EOF
	fi
	if [ "${DOVECOT_COMPRESS:-0}" = 1 ]; then
		# COMPRESS=DEFLATE (RFC 4978), as many real servers offer it;
		# not with rawlog, which would record the deflated bytes
		cat >>"$DOVECOT_DIR/dovecot.conf" <<-'EOF'
		protocol imap {
		  mail_plugins = $mail_plugins imap_zlib
		}
		EOF
	fi
	if [ "${DOVECOT_RAWLOG:-0}" = 1 ]; then
		printf 'rawlog_dir = %%h/rawlog\n' >>"$DOVECOT_DIR/dovecot.conf"
	fi
	# a test may add settings of its own
	if [ -n "${DOVECOT_EXTRA_CONF:-}" ]; then
		printf '%s\n' "$DOVECOT_EXTRA_CONF" >>"$DOVECOT_DIR/dovecot.conf"
	fi
}

# Try to start once on fresh ports; 0 when all four listeners answer.
dovecot_try_start() {
	local ports
	ports=$(dovecot_free_ports 4) || return 1
	# shellcheck disable=SC2086
	set -- $ports
	DOVECOT_IMAP_PORT=$1 DOVECOT_IMAPS_PORT=$2 DOVECOT_POP3_PORT=$3 DOVECOT_POP3S_PORT=$4
	dovecot_launch
}

# Write the config for the current DOVECOT_*_PORTs and start the master;
# 0 when all four listeners answer, 2 when the config is rejected.
dovecot_launch() {
	local p
	dovecot_write_conf
	if ! doveconf -c "$DOVECOT_DIR/dovecot.conf" -n >"$DOVECOT_DIR/doveconf.out" 2>&1; then
		dovecot_msg "configuration rejected:"
		cat "$DOVECOT_DIR/doveconf.out" >&2
		return 2
	fi
	rm -f "$DOVECOT_DIR/base/master.pid"
	: >>"$DOVECOT_DIR/dovecot.log"
	dovecot -c "$DOVECOT_DIR/dovecot.conf" >>"$DOVECOT_DIR/dovecot.log" 2>&1 || return 1
	for p in "$DOVECOT_IMAP_PORT" "$DOVECOT_IMAPS_PORT" "$DOVECOT_POP3_PORT" "$DOVECOT_POP3S_PORT"; do
		dovecot_wait_port "$p" || {
			dovecot_msg "port $p did not open"
			dovecot_stop
			return 1
		}
	done
	# the master may write its PID file only after the listeners are up
	for ((p = 0; p < 100; p++)); do
		DOVECOT_PID=$(cat "$DOVECOT_DIR/base/master.pid" 2>/dev/null) || DOVECOT_PID=
		[ -n "$DOVECOT_PID" ] && return 0
		sleep 0.1
	done
	dovecot_msg "no master.pid after 10 s"
	return 1
}

# Start the server (after dovecot_init); exports the DOVECOT_* variables.
dovecot_start() {
	local try rc
	[ -n "${DOVECOT_DIR:-}" ] || { dovecot_msg "dovecot_init was not called"; return 1; }
	DOVECOT_MAIL_UID=$(id -u) DOVECOT_MAIL_GID=$(id -g)
	if [ "$DOVECOT_MAIL_UID" = 0 ]; then
		DOVECOT_MAIL_UID=${DOVECOT_MAIL_UID_ROOT:-60997}
		DOVECOT_MAIL_GID=$DOVECOT_MAIL_UID
	fi
	dovecot_fix_owner
	DOVECOT_HOST=127.0.0.1
	DOVECOT_CONF=$DOVECOT_DIR/dovecot.conf
	DOVECOT_LOG=$DOVECOT_DIR/dovecot.log
	DOVECOT_PID=
	# a port picked as free may be taken by someone else before we bind it:
	# try again on new ports
	for try in 1 2 3; do
		if dovecot_try_start; then
			break
		else
			rc=$?
		fi
		[ $rc = 2 ] && return 1
		dovecot_msg "start attempt $try failed; log:"
		tail -n 5 "$DOVECOT_LOG" >&2
	done
	[ -n "$DOVECOT_PID" ] || { dovecot_msg "could not start; see $DOVECOT_LOG"; return 1; }
	export DOVECOT_DIR DOVECOT_HOST DOVECOT_IMAP_PORT DOVECOT_IMAPS_PORT \
	    DOVECOT_POP3_PORT DOVECOT_POP3S_PORT DOVECOT_CA DOVECOT_PID \
	    DOVECOT_CONF DOVECOT_LOG
	dovecot_env >"$DOVECOT_DIR/env"
}

# Stop the server and start it again on the same ports (the config is
# written again, so options changed in between apply).
dovecot_restart() {
	local i rc
	[ -n "${DOVECOT_IMAPS_PORT:-}" ] || { dovecot_msg "dovecot_start was not called"; return 1; }
	dovecot_stop || return 1
	# a port of the old instance may linger for a moment
	for ((i = 0; i < 50; i++)); do
		rc=0
		dovecot_launch || rc=$?
		if [ $rc = 0 ]; then
			export DOVECOT_PID
			dovecot_env >"$DOVECOT_DIR/env"
			return 0
		fi
		[ $rc = 2 ] && return 1
		sleep 0.2
	done
	dovecot_msg "could not start again on the same ports; see $DOVECOT_LOG"
	return 1
}

# Print the PIDs of this instance's IMAP/POP3 mail and login processes.
dovecot_session_pids() {
	local pid comm
	[ -n "${DOVECOT_PID:-}" ] || return 0
	while read -r pid comm; do
		case $comm in
		imap|imap-login|pop3|pop3-login) printf '%s\n' "$pid" ;;
		esac
	done < <(ps -o pid=,comm= --ppid "$DOVECOT_PID" 2>/dev/null)
}

# Send a signal (default KILL) to every mail and login process of this
# instance: KILL cuts each client connection (the master keeps listening),
# STOP freezes them mid-transfer (CONT thaws).
dovecot_kill_sessions() {
	local sig=${1:-KILL} pids=()
	mapfile -t pids < <(dovecot_session_pids)
	[ ${#pids[@]} = 0 ] || kill "-$sig" "${pids[@]}" 2>/dev/null || true
}

# Subscribe a user to all of their folders (clients that use LSUB see them).
dovecot_subscribe_all() {
	local user=$1 names=()
	mapfile -t names < <(doveadm -c "$DOVECOT_CONF" mailbox list -u "$user") || return 1
	[ ${#names[@]} -gt 0 ] || return 0
	doveadm -c "$DOVECOT_CONF" mailbox subscribe -u "$user" "${names[@]}"
}

# Print the DOVECOT_* variables as shell assignments.
dovecot_env() {
	local v
	for v in DOVECOT_DIR DOVECOT_HOST DOVECOT_IMAP_PORT DOVECOT_IMAPS_PORT \
	    DOVECOT_POP3_PORT DOVECOT_POP3S_PORT DOVECOT_CA DOVECOT_PID \
	    DOVECOT_CONF DOVECOT_LOG; do
		printf '%s=%q\n' "$v" "${!v}"
	done
}

# Stop the server by its master PID (only if the PID is this instance).
dovecot_stop() {
	local pid i
	[ -n "${DOVECOT_DIR:-}" ] || return 0
	pid=${DOVECOT_PID:-$(cat "$DOVECOT_DIR/base/master.pid" 2>/dev/null)}
	[ -n "$pid" ] || return 0
	if ! kill -0 "$pid" 2>/dev/null; then
		DOVECOT_PID=
		return 0
	fi
	if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DOVECOT_DIR/dovecot.conf"; then
		dovecot_msg "pid $pid is not our dovecot; not stopping it"
		return 1
	fi
	kill -TERM "$pid"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || { DOVECOT_PID=; return 0; }
		sleep 0.1
	done
	dovecot_msg "master $pid still running after 10 s; killing it"
	kill -KILL "$pid" 2>/dev/null
	DOVECOT_PID=
}

# Command-line use: start DIR [USER:PASS...] | stop DIR.
dovecot_main() {
	local cmd=${1:-} up
	case $cmd in
	start)
		[ $# -ge 2 ] || { echo "usage: $0 start DIR [USER:PASS ...]" >&2; return 2; }
		dovecot_init "$2" || return 1
		shift 2
		for up in "$@"; do
			dovecot_add_user "${up%%:*}" "${up#*:}"
		done
		dovecot_start || return 1
		dovecot_env
		;;
	stop)
		[ $# = 2 ] || { echo "usage: $0 stop DIR" >&2; return 2; }
		DOVECOT_DIR=$(cd "$2" && pwd) || return 1
		DOVECOT_PID=
		dovecot_stop
		;;
	*)
		echo "usage: $0 start DIR [USER:PASS ...] | stop DIR" >&2
		return 2
		;;
	esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	dovecot_main "$@"
	exit $?
fi
