#!/usr/bin/env bash
# auth.sh - logging in to a real Dovecot with each SASL mechanism, a wrong
# password, security = auto against the implicit-TLS and the STARTTLS
# port, and the greeting timeout against a server that never speaks.
#
# A private Dovecot (tests/lib/dovecot.sh) gets
#	auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256
# (appended through DOVECOT_EXTRA_CONF; the passdb has PLAIN-scheme
# passwords, which every one of these can use).  For each mechanism,
# `petrel sync` with `auth = MECH` must succeed and Dovecot's log must show
# the login with that method.  A wrong password must give one line
# "authentication failed (server said: ...)" and exactly one failed login
# in Dovecot's log (no retry loop).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init auth
t_need python3 openssl dovecot doveconf timeout
t_find_petrel

export DOVECOT_EXTRA_CONF='auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256'
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
t_log "Dovecot pid $DOVECOT_PID: imaps $DOVECOT_IMAPS_PORT, imap $DOVECOT_IMAP_PORT"

# write_config FILE SECURITY PORT EXTRA-LINES
write_config() {
	cat >"$1" <<-EOF
	[account test]
	driver = imap
	host = 127.0.0.1
	port = $3
	user = alice
	password = ${PASSWORD:-secret}
	security = $2
	tls_ca_file = $DOVECOT_CA
	$4
	EOF
}

# Count the lines of Dovecot's log matching a pattern.
log_count() {
	grep -c -- "$1" "$DOVECOT_LOG" 2>/dev/null || true
}

# --- each mechanism -------------------------------------------------------
for mech in plain login cram-md5 scram-sha-1 scram-sha-256; do
	up=$(printf '%s' "$mech" | tr a-z A-Z)
	before=$(log_count "method=$up,")
	[ "$before" != 0 ] || before=$(log_count "method=$up ")
	write_config "$T/$mech.conf" implicit "$DOVECOT_IMAPS_PORT" "auth = $mech"
	t_run "sync-$mech" 60 "$PETREL" -F "$T/$mech.conf" sync test
	assert_rc 0 "sync-$mech"
	sleep 0.2
	grep -q "Login: user=<alice>, method=$up" "$DOVECOT_LOG" ||
	    t_fail "auth = $mech: Dovecot did not log a $up login"
	t_log "auth = $mech: logged in with $up"
done
# The default picks the strongest: SCRAM-SHA-256.
write_config "$T/default.conf" implicit "$DOVECOT_IMAPS_PORT" ""
n=$(log_count "method=SCRAM-SHA-256")
t_run sync-default 60 "$PETREL" -F "$T/default.conf" sync test
assert_rc 0 sync-default
sleep 0.2
[ "$(log_count "method=SCRAM-SHA-256")" -gt "$n" ] ||
    t_fail "the default mechanism was not SCRAM-SHA-256"

# --- a wrong password: one clear error, one attempt ------------------------
fails=$(log_count "auth failed")
PASSWORD=wrong write_config "$T/wrong.conf" implicit "$DOVECOT_IMAPS_PORT" ""
t_run wrong 60 "$PETREL" -F "$T/wrong.conf" sync test
assert_rc 1 wrong
assert_lines 1 "$T/wrong.err" "wrong password"
assert_grep "authentication failed \(server said: " "$T/wrong.err" "wrong password"
sleep 2		# Dovecot logs a failure after its auth delay
got=$(( $(log_count "auth failed") - fails ))
[ "$got" = 1 ] || t_fail "a wrong password led to $got failed logins, not 1"

# --- security = auto ------------------------------------------------------
for kind in imaps imap; do
	port=$DOVECOT_IMAPS_PORT want="implicit TLS"
	[ "$kind" = imap ] && port=$DOVECOT_IMAP_PORT want=STARTTLS
	write_config "$T/auto-$kind.conf" auto "$port" "greeting_timeout = 2"
	start=$(t_now_ms)
	t_run "auto-$kind" 30 "$PETREL" -F "$T/auto-$kind.conf" sync test
	assert_rc 0 "auto-$kind"
	ms=$(( $(t_now_ms) - start ))
	[ "$ms" -lt 3000 ] || t_fail "auto against $kind took ${ms} ms (> greeting_timeout + 1 s)"
	t_log "auto against $kind: ${ms} ms"
done

# --- a silent server: greeting_timeout bounds the wait ---------------------
silent_port=$(t_free_ports 1)
python3 - "$silent_port" <<'PY' &
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
conns = []
end = time.monotonic() + 60
s.settimeout(1)
while time.monotonic() < end:
    try:
        conns.append(s.accept()[0])	# accept, never speak
    except socket.timeout:
        pass
PY
silent_pid=$!
t_on_exit "t_kill_pid $silent_pid"
t_wait_port "$silent_port" || t_fail "the silent server did not start"
# auto makes two attempts: 2 x greeting_timeout + 1 s.
for sec in starttls implicit none auto; do
	limit=3500
	[ "$sec" = auto ] && limit=5500
	write_config "$T/silent-$sec.conf" "$sec" "$silent_port" "greeting_timeout = 2"
	start=$(t_now_ms)
	t_run "silent-$sec" 30 "$PETREL" -F "$T/silent-$sec.conf" sync test
	ms=$(( $(t_now_ms) - start ))
	assert_rc 1 "silent-$sec"
	assert_lines 1 "$T/silent-$sec.err" "silent server"
	[ "$ms" -lt "$limit" ] || t_fail "silent server ($sec): error after ${ms} ms, not within $limit ms"
	t_log "silent server ($sec): $(cat "$T/silent-$sec.err") after ${ms} ms"
done

# --- the default without SCRAM: PLAIN inside TLS, CRAM-MD5 outside --------
# Inside verified TLS CRAM-MD5 hides nothing more and costs a round trip:
# PLAIN with an initial response goes first; without TLS, CRAM-MD5 (which
# does not reveal the password) is still chosen.
export DOVECOT_EXTRA_CONF='auth_mechanisms = plain login cram-md5'
dovecot_restart || t_fail "Dovecot did not restart without SCRAM"
write_config "$T/nosc-tls.conf" implicit "$DOVECOT_IMAPS_PORT" ""
n=$(log_count "method=PLAIN")
t_run sync-nosc-tls 60 "$PETREL" -F "$T/nosc-tls.conf" sync test
assert_rc 0 sync-nosc-tls
sleep 0.2
[ "$(log_count "method=PLAIN")" -gt "$n" ] ||
    t_fail "inside TLS without SCRAM, the default mechanism was not PLAIN"
write_config "$T/nosc-none.conf" none "$DOVECOT_IMAP_PORT" ""
n=$(log_count "method=CRAM-MD5")
t_run sync-nosc-none 60 "$PETREL" -F "$T/nosc-none.conf" sync test
assert_rc 0 sync-nosc-none
sleep 0.2
[ "$(log_count "method=CRAM-MD5")" -gt "$n" ] ||
    t_fail "without TLS, the default mechanism was not CRAM-MD5"
t_log "default without SCRAM: PLAIN inside TLS, CRAM-MD5 outside"
t_pass
