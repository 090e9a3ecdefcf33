# postfix.sh - a private Postfix (Debian's postfix) for the SMTP tests
# (bash, sourced after tests/lib/common.sh and tests/lib/dovecot.sh).
# shellcheck shell=bash
#
# Owns: one throwaway Postfix living entirely in one directory: its own
# config_directory (main.cf, master.cf), queue_directory, data_directory
# and log file (maillog_file, through postlogd), nothing from
# /etc/postfix.  The master runs in the background, started and stopped
# by its PID (never by name), chroot off for every service.  It listens
# on 127.0.0.1 only, on free ports picked at start:
#	POSTFIX_SUBMISSION_PORT   submission: STARTTLS required, AUTH only
#	                          after it (smtpd_tls_auth_only)
#	POSTFIX_SUBMISSIONS_PORT  implicit TLS (smtpd_tls_wrappermode)
#	POSTFIX_PLAIN_PORT        no STARTTLS at all, AUTH offered in plain
#	                          text, PIPELINING not offered
#	POSTFIX_SMALL_PORT        as submission, with message_size_limit =
#	                          POSTFIX_SMALL_LIMIT (default 100000)
# Every port needs AUTH to send (permit_sasl_authenticated, else reject).
# SASL is the private Dovecot's auth service and delivery goes to the
# same Dovecot's mail store by LMTP, both over unix sockets below
# DOVECOT_DIR/base: postfix_dovecot_conf prints the Dovecot settings that
# create them (set DOVECOT_EXTRA_CONF to it before dovecot_start).
# Mail domain: "localhost" (virtual_mailbox_domains); a Dovecot user U
# is U@localhost once postfix_add_mailbox U was called.
#
# No DNS, and nowhere to deliver but that LMTP socket: myhostname is
# fixed, smtp_dns_support_level = disabled, disable_dns_lookups, native
# host lookups, no reverse lookup of clients (smtpd_peername_lookup =
# no), relayhost empty, mydestination empty, and the local, relay and
# default transports are "error".
#
# Postfix's master must start as root; run as anyone else, postfix_init
# fails (and the test with it: never a silent skip).
#
#	. tests/lib/postfix.sh
#	postfix_need || t_fail "..."          # packages and root
#	DOVECOT_EXTRA_CONF=$(postfix_dovecot_conf)
#	dovecot_init "$T/dovecot"; dovecot_add_user bob pw; dovecot_start
#	postfix_init "$T/postfix"            # after dovecot_start
#	postfix_add_mailbox alice; postfix_add_mailbox bob
#	postfix_reject_rcpt refused@localhost   # optional
#	postfix_start                        # sets the POSTFIX_* variables
#	postfix_wait_idle 30                 # queue empty (all delivered)
#	postfix_session_summary              # smtpd's last "disconnect" line
#	...                                  # postfix_stop (or at exit)
#
# Variables after postfix_start: the four ports above, POSTFIX_DIR,
# POSTFIX_LOG (the log file), POSTFIX_PID (the master), POSTFIX_DOMAIN.
# Debian packages: postfix, dovecot-lmtpd (plus what dovecot.sh needs).

POSTFIX_DOMAIN=localhost
POSTFIX_SMALL_LIMIT=${POSTFIX_SMALL_LIMIT:-100000}

# Say something about the server on stderr.
postfix_msg() {
	printf 'postfix.sh: %s\n' "$*" >&2
}

# Fail (return 1, saying what to install) unless Postfix, Dovecot's
# LMTP server and root are there; before anything is started.
postfix_need() {
	local missing=()
	[ -x /usr/lib/postfix/sbin/master ] && command -v postfix >/dev/null ||
	    missing+=(postfix)
	[ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
	if [ ${#missing[@]} -gt 0 ]; then
		postfix_msg "not installed: ${missing[*]} (apt-get install ${missing[*]})"
		return 1
	fi
	[ "$(id -u)" = 0 ] || {
		postfix_msg "a private Postfix needs root (its master starts as root)"
		return 1
	}
}

# Print the Dovecot settings Postfix needs: LMTP (delivery) and an auth
# socket (SASL), both world-writable unix sockets in DOVECOT_DIR/base;
# LMTP's recipients "user@localhost" are looked up as "user".
postfix_dovecot_conf() {
	cat <<-'EOF'
	protocols = $protocols lmtp
	service lmtp {
	  unix_listener lmtp-petrel {
	    mode = 0666
	  }
	}
	service auth {
	  unix_listener auth-petrel {
	    mode = 0666
	  }
	}
	protocol lmtp {
	  auth_username_format = %Ln
	}
	EOF
}

# Prepare DIR (after dovecot_start): directories, maps, certificate.
postfix_init() {
	POSTFIX_DIR=$(mkdir -p "$1" && cd "$1" && pwd) || return 1
	postfix_need || return 1
	id postfix >/dev/null 2>&1 || {
		postfix_msg "no 'postfix' user (the Debian package creates it)"
		return 1
	}
	if [ -z "${DOVECOT_DIR:-}" ] || [ ! -S "$DOVECOT_DIR/base/lmtp-petrel" ] ||
	    [ ! -S "$DOVECOT_DIR/base/auth-petrel" ]; then
		postfix_msg "Dovecot is not running with postfix_dovecot_conf (no LMTP/auth socket)"
		return 1
	fi
	mkdir -p "$POSTFIX_DIR/etc" "$POSTFIX_DIR/queue" "$POSTFIX_DIR/data"
	# the queue must belong to root, the data directory to mail_owner
	chown root:root "$POSTFIX_DIR/queue"
	chown postfix "$POSTFIX_DIR/data"
	chmod 755 "$POSTFIX_DIR" "$POSTFIX_DIR/etc" "$POSTFIX_DIR/queue"
	: >"$POSTFIX_DIR/etc/vmailbox"
	: >"$POSTFIX_DIR/etc/rcpt_access"
	POSTFIX_LOG=$POSTFIX_DIR/maillog
}

# Accept mail for USER@localhost (a Dovecot user); before postfix_start.
postfix_add_mailbox() {
	printf '%s@%s %s\n' "$1" "$POSTFIX_DOMAIN" "$1" >>"$POSTFIX_DIR/etc/vmailbox"
}

# Refuse ADDRESS at RCPT (smtpd_recipient_restrictions); before start.
postfix_reject_rcpt() {
	printf '%s REJECT 5.7.1 refused by the petrel test\n' "$1" >>"$POSTFIX_DIR/etc/rcpt_access"
	# known to the virtual table, so only the access map refuses it
	printf '%s x\n' "$1" >>"$POSTFIX_DIR/etc/vmailbox"
}

# Write main.cf for the current ports.
postfix_write_main() {
	local d=$POSTFIX_DIR dv=$DOVECOT_DIR
	cat >"$d/etc/main.cf" <<-EOF
	# generated by petrel's tests/lib/postfix.sh: a private test instance
	compatibility_level = 3.6
	queue_directory = $d/queue
	data_directory = $d/data
	mail_owner = postfix
	maillog_file = $d/maillog
	maillog_file_prefixes = $d
	inet_interfaces = 127.0.0.1
	inet_protocols = ipv4
	myhostname = mx.petrel.test
	mydomain = petrel.test
	myorigin = \$myhostname
	mydestination =
	mynetworks = 127.0.0.0/8
	relayhost =
	relay_domains =
	local_transport = error:5.1.1 local delivery is off in this test
	relay_transport = error:5.7.1 no relaying in this test
	default_transport = error:5.7.1 no delivery outside this test
	virtual_mailbox_domains = $POSTFIX_DOMAIN
	virtual_mailbox_maps = texthash:$d/etc/vmailbox
	virtual_transport = lmtp:unix:$dv/base/lmtp-petrel
	alias_maps =
	alias_database =
	notify_classes =
	biff = no
	# no DNS, ever
	smtp_dns_support_level = disabled
	disable_dns_lookups = yes
	smtp_host_lookup = native
	lmtp_host_lookup = native
	smtpd_peername_lookup = no
	# the headers petrel sends reach the mailbox unchanged
	local_header_rewrite_clients =
	smtpd_sasl_type = dovecot
	smtpd_sasl_path = $dv/base/auth-petrel
	smtpd_tls_cert_file = $dv/tls/server.pem
	smtpd_tls_key_file = $dv/tls/server.key
	smtpd_tls_security_level = may
	smtpd_tls_loglevel = 1
	smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
	smtpd_recipient_restrictions = check_recipient_access texthash:$d/etc/rcpt_access, permit_sasl_authenticated, reject
	message_size_limit = 20000000
	EOF
}

# Write master.cf: the four smtpd services and the daemons they need.
postfix_write_master() {
	cat >"$POSTFIX_DIR/etc/master.cf" <<-EOF
	127.0.0.1:$POSTFIX_SUBMISSION_PORT inet n - n - - smtpd
	  -o syslog_name=postfix/submission
	  -o smtpd_tls_security_level=encrypt
	  -o smtpd_tls_auth_only=yes
	  -o smtpd_sasl_auth_enable=yes
	127.0.0.1:$POSTFIX_SUBMISSIONS_PORT inet n - n - - smtpd
	  -o syslog_name=postfix/submissions
	  -o smtpd_tls_wrappermode=yes
	  -o smtpd_sasl_auth_enable=yes
	127.0.0.1:$POSTFIX_PLAIN_PORT inet n - n - - smtpd
	  -o syslog_name=postfix/plain
	  -o smtpd_tls_security_level=none
	  -o smtpd_sasl_auth_enable=yes
	  -o smtpd_discard_ehlo_keywords=pipelining
	127.0.0.1:$POSTFIX_SMALL_PORT inet n - n - - smtpd
	  -o syslog_name=postfix/small
	  -o smtpd_tls_security_level=encrypt
	  -o smtpd_tls_auth_only=yes
	  -o smtpd_sasl_auth_enable=yes
	  -o message_size_limit=$POSTFIX_SMALL_LIMIT
	cleanup   unix  n       -       n       -       0       cleanup
	qmgr      unix  n       -       n       300     1       qmgr
	tlsmgr    unix  -       -       n       1000?   1       tlsmgr
	rewrite   unix  -       -       n       -       -       trivial-rewrite
	bounce    unix  -       -       n       -       0       bounce
	defer     unix  -       -       n       -       0       bounce
	trace     unix  -       -       n       -       0       bounce
	verify    unix  -       -       n       -       1       verify
	flush     unix  n       -       n       1000?   0       flush
	proxymap  unix  -       -       n       -       -       proxymap
	showq     unix  n       -       n       -       -       showq
	error     unix  -       -       n       -       -       error
	retry     unix  -       -       n       -       -       error
	discard   unix  -       -       n       -       -       discard
	lmtp      unix  -       -       n       -       -       lmtp
	anvil     unix  -       -       n       -       1       anvil
	scache    unix  -       -       n       -       1       scache
	postlog   unix-dgram n  -       n       -       1       postlogd
	EOF
}

# Start the master on fresh ports; 0 once every port answers.
postfix_try_start() {
	local ports p
	ports=$(t_free_ports 4) || return 1
	# shellcheck disable=SC2086
	set -- $ports
	POSTFIX_SUBMISSION_PORT=$1 POSTFIX_SUBMISSIONS_PORT=$2
	POSTFIX_PLAIN_PORT=$3 POSTFIX_SMALL_PORT=$4
	postfix_write_main
	postfix_write_master
	# creates the queue directories with the owners Postfix wants
	postfix -c "$POSTFIX_DIR/etc" check >"$POSTFIX_DIR/check.out" 2>&1 || {
		postfix_msg "postfix check failed:"
		cat "$POSTFIX_DIR/check.out" >&2
		return 2
	}
	/usr/lib/postfix/sbin/master -c "$POSTFIX_DIR/etc" -s \
	    >>"$POSTFIX_DIR/master.out" 2>&1 &
	POSTFIX_PID=$!
	t_on_exit "postfix_stop"
	for p in "$POSTFIX_SUBMISSION_PORT" "$POSTFIX_SUBMISSIONS_PORT" \
	    "$POSTFIX_PLAIN_PORT" "$POSTFIX_SMALL_PORT"; do
		t_wait_port "$p" 10 || {
			postfix_msg "port $p did not open"
			postfix_stop
			return 1
		}
	done
}

# Start Postfix (after postfix_init); exports the POSTFIX_* variables.
postfix_start() {
	local try rc=0
	for try in 1 2 3; do
		rc=0
		postfix_try_start || rc=$?
		[ $rc = 0 ] && break
		[ $rc = 2 ] && return 1
		postfix_msg "start attempt $try failed; log:"
		tail -n 5 "$POSTFIX_LOG" "$POSTFIX_DIR/master.out" >&2 2>/dev/null
	done
	[ $rc = 0 ] || return 1
	export POSTFIX_DIR POSTFIX_LOG POSTFIX_PID POSTFIX_DOMAIN \
	    POSTFIX_SUBMISSION_PORT POSTFIX_SUBMISSIONS_PORT \
	    POSTFIX_PLAIN_PORT POSTFIX_SMALL_PORT POSTFIX_SMALL_LIMIT
}

# Stop the master by its PID (only if it is this instance's).
postfix_stop() {
	local pid=${POSTFIX_PID:-} i
	[ -n "$pid" ] || return 0
	if kill -0 "$pid" 2>/dev/null; then
		if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$POSTFIX_DIR/etc"; then
			postfix_msg "pid $pid is not our Postfix; not stopping it"
			return 1
		fi
		kill -TERM "$pid"
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	fi
	POSTFIX_PID=
}

# The files in the queue (messages not yet delivered or bounced).
postfix_queue_files() {
	find "$POSTFIX_DIR/queue/incoming" "$POSTFIX_DIR/queue/active" \
	    "$POSTFIX_DIR/queue/deferred" "$POSTFIX_DIR/queue/hold" \
	    "$POSTFIX_DIR/queue/maildrop" -type f 2>/dev/null
}

# Wait until the queue is empty (bounded): every message delivered.
postfix_wait_idle() {
	local secs=${1:-30} i
	for ((i = 0; i < secs * 10; i++)); do
		[ -z "$(postfix_queue_files)" ] && return 0
		sleep 0.1
	done
	postfix_msg "queue not empty after ${secs}s:"
	postfix_queue_files >&2
	return 1
}

# Print the number of lines of the log so far (a mark for postfix_log_since).
postfix_log_mark() {
	wc -l <"$POSTFIX_LOG" 2>/dev/null || echo 0
}

# Print the log lines after a mark.
postfix_log_since() {
	tail -n "+$(($1 + 1))" "$POSTFIX_LOG"
}
