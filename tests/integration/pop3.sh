#!/usr/bin/env bash
# pop3.sh - the POP3 driver against a real Dovecot POP3 service.
#
# A private Dovecot (tests/lib/dovecot.sh) with
#	auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256 apop
# and generated mailboxes.  The server side is read by an independent
# client (tests/lib/pop3-probe.py, Python's poplib), never from petrel.
#
#  - `petrel sync` over implicit TLS (POP3S): one summary line with the
#    server's count, `petrel ls` equal to the server (unique-ids, dates,
#    senders, decoded subjects), the cache 0600 without the password, and
#    a protocol trace without it either.
#  - A second client deletes messages (the server renumbers), a message
#    arrives, a message is marked read in the cache: the next sync
#    matches the server again and the mark survives.
#  - STLS on the plain port (Dovecot logs those logins as TLS).
#  - Each SASL mechanism by auth = MECH (Dovecot logs the method), the
#    default (SCRAM-SHA-256), USER/PASS over TLS and APOP (through
#    tests/lib/pop3-relay.py, which hides the SASL line of CAPA so the
#    server offers no mechanism, and for USER/PASS removes the APOP
#    timestamp of the greeting too), and a wrong password: one error line,
#    one failed login in Dovecot's log.
#  - leave_on_server = no: the server is emptied, every message stays in
#    the cache with the body the server had; a session cut before QUIT
#    (the relay with --cut-quit) deletes nothing and the cache agrees,
#    and the next sync completes the deletion.
#  - leave_on_server = 2: nothing deleted at first; once the recorded
#    first-download day is three days back (the state rewritten), those
#    messages go and a newer one stays.
#  - read_only = true with leave_on_server = no: two syncs, then the UI
#    (in tmux) opens the newest message, which it reads with TOP; the
#    server's messages and their flags are unchanged (checked on the
#    Maildir and in Dovecot's own session summaries: no DELE, no RETR).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init pop3
t_need python3 openssl dovecot doveconf doveadm tmux timeout
t_find_petrel

PASSWORD='Pop3-Pa55-qx7'
export DOVECOT_EXTRA_CONF='auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256 apop'
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
for u in alice bob carol dave erin; do
	dovecot_add_user "$u" "$PASSWORD"
done
n=0
for u in alice bob carol dave erin; do
	n=$((n + 1))
	python3 "$here/../lib/gen-mailbox.py" --out "$(dovecot_maildir "$u")" \
	    -n 60 --seed "$n" --no-check >/dev/null ||
	    t_fail "cannot generate the mailbox of $u"
done
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
t_log "Dovecot pid $DOVECOT_PID: pop3s $DOVECOT_POP3S_PORT, pop3 $DOVECOT_POP3_PORT"

# probe USER ARGS...: the independent client, over POP3S.
probe() {
	local user=$1
	shift
	python3 "$here/../lib/pop3-probe.py" --port "$DOVECOT_POP3S_PORT" \
	    --ca "$DOVECOT_CA" --user "$user" --password "$PASSWORD" "$@"
}

# write_config FILE ACCOUNT USER SECURITY PORT [EXTRA-LINES]
write_config() {
	cat >"$1" <<-EOF
	[account $2]
	driver = pop3
	host = 127.0.0.1
	port = $5
	user = $3
	password = $PASSWORD
	security = $4
	tls_ca_file = $DOVECOT_CA
	timeout = 20
	${6:-}
	EOF
}

# compare CONFIG ACCOUNT USER [probe options]: petrel ls == the server.
compare() {
	local cfg=$1 acct=$2 user=$3
	shift 3
	probe "$user" compare --petrel "$PETREL" --config "$cfg" \
	    --account "$acct" "$@" >"$T/compare.out" 2>"$T/compare.err" || {
		cat "$T/compare.err" >&2
		t_fail "petrel's cache of $acct differs from the server"
	}
}

# sync NAME CONFIG [ACCOUNT]: petrel sync, which must succeed silently.
sync_ok() {
	t_run "$1" 60 "$PETREL" -F "$2" sync ${3:+"$3"}
	assert_rc 0 "$1"
	[ ! -s "$T/$1.err" ] || { t_show "$1"; t_fail "$1: petrel wrote on stderr"; }
}

# Count the lines of Dovecot's log matching a fixed string.
log_count() {
	grep -cF -- "$1" "$DOVECOT_LOG" 2>/dev/null || true
}

# The cache: sqlite through Python (no sqlite3 binary needed).
CACHE=$XDG_DATA_HOME/petrel/cache.db
sql() {
	python3 - "$CACHE" "$@" <<-'PY'
	import sqlite3, sys
	db = sqlite3.connect(sys.argv[1])
	cur = db.execute(sys.argv[2], sys.argv[3:])
	for row in cur.fetchall():
	    print("\t".join("" if v is None else str(v) for v in row))
	db.commit()
	PY
}

# --- implicit TLS ---------------------------------------------------------
write_config "$T/a.conf" alice alice implicit "$DOVECOT_POP3S_PORT"
total=$(probe alice count)
[ "$total" -gt 5 ] || t_fail "the generated INBOX of alice has only $total messages"
sync_ok sync1 "$T/a.conf"
assert_eq "INBOX: $total messages, $total unread" "$(cat "$T/sync1.out")" "sync summary"
compare "$T/a.conf" alice alice
[ "$(stat -c %a "$CACHE")" = 600 ] || t_fail "cache mode is $(stat -c %a "$CACHE"), not 600"
assert_no_string "$PASSWORD" "password in the cache" "$CACHE"
t_log "implicit TLS: $total messages match"

# The trace of a sync shows the exchange, never the password.
t_run trace 60 "$PETREL" -F "$T/a.conf" -d trace,pop3 -L "$T/trace.log" sync
assert_rc 0 trace
assert_grep 'AUTH SCRAM-SHA-256 <redacted>' "$T/trace.log" "trace"
assert_grep '> UIDL' "$T/trace.log" "trace"
assert_no_string "$PASSWORD" "password in the trace" "$T/trace.log"

# --- another client deletes, the server renumbers, mail arrives ----------
mapfile -t uidls < <(probe alice uidls)
keep=${uidls[4]}
probe alice dele "${uidls[0]}" "${uidls[2]}" "${uidls[$((total - 1))]}" ||
    t_fail "the second client could not delete"
printf 'Date: Tue, 3 Mar 2026 10:00:00 +0000\nFrom: =?UTF-8?Q?J=C3=B6rg?= <j@example.org>\nTo: alice@example.org\nSubject: =?UTF-8?B?RnLDvGhsaW5n?= arrives\nMessage-ID: <new-1@example.org>\n\nnew\n' |
    doveadm -c "$DOVECOT_CONF" save -u alice || t_fail "doveadm save failed"
# \Seen set as the UI sets it: in the cache only (POP3 has no flags).
sql "UPDATE messages SET flags = 1 WHERE remote_id = ?" "$keep" >/dev/null
sync_ok sync2 "$T/a.conf"
now=$(probe alice count)
assert_eq "$((total - 3 + 1))" "$now" "messages on the server"
assert_eq "INBOX: $now messages, $((now - 1)) unread" "$(cat "$T/sync2.out")" "resync summary"
compare "$T/a.conf" alice alice --flags "$keep=S"
t_log "after another client's deletions and a new message: $now messages match, \\Seen kept"

# --- STLS on the plain port -----------------------------------------------
write_config "$T/s.conf" stls alice starttls "$DOVECOT_POP3_PORT"
# The logins on the plain port, one a line.
plain_logins() {
	grep -F "pop3-login: Info: Login: user=<alice>" "$DOVECOT_LOG" |
	    grep -F "lport=$DOVECOT_POP3_PORT," || true
}
before=$(plain_logins | grep -c . || true)
sync_ok stls "$T/s.conf"
compare "$T/s.conf" stls alice --flags "$keep=-"
sleep 0.3
logins=$(plain_logins)
[ "$(printf '%s\n' "$logins" | grep -c . || true)" -gt "$before" ] || t_fail "no STLS login in Dovecot's log"
if printf '%s\n' "$logins" | grep -v ', TLS,' | grep -q .; then
	t_fail "a login on the plain port was not over TLS: $(printf '%s\n' "$logins" | grep -v ', TLS,' | head -n 1)"
fi
t_log "STLS: logins on port $DOVECOT_POP3_PORT were over TLS"

# --- each SASL mechanism, and the default ---------------------------------
for mech in plain login cram-md5 scram-sha-1 scram-sha-256; do
	up=$(printf '%s' "$mech" | tr a-z A-Z)
	n=$(log_count "pop3-login: Info: Login: user=<alice>, method=$up,")
	write_config "$T/$mech.conf" "m-$mech" alice implicit "$DOVECOT_POP3S_PORT" "auth = $mech"
	sync_ok "sync-$mech" "$T/$mech.conf"
	sleep 0.2
	[ "$(log_count "pop3-login: Info: Login: user=<alice>, method=$up,")" -gt "$n" ] ||
	    t_fail "auth = $mech: Dovecot did not log a $up login"
done
n=$(log_count "method=SCRAM-SHA-256,")
write_config "$T/default.conf" m-default alice implicit "$DOVECOT_POP3S_PORT"
sync_ok sync-default "$T/default.conf"
sleep 0.2
[ "$(log_count "method=SCRAM-SHA-256,")" -gt "$n" ] || t_fail "the default mechanism was not SCRAM-SHA-256"
t_log "each SASL mechanism logged in; the default is SCRAM-SHA-256"

# --- USER/PASS over TLS, and APOP: a server with no SASL mechanism --------
read -r tls_port plain_port cut_port <<<"$(t_free_ports 3 | tr '\n' ' ')"
python3 "$here/../lib/pop3-relay.py" --port "$tls_port" --target-port "$DOVECOT_POP3_PORT" \
    --log "$T/relay-tls.log" --cert "$DOVECOT_DIR/tls/server.pem" \
    --key "$DOVECOT_DIR/tls/server.key" --no-apop &
relay1=$!
t_on_exit "t_kill_pid $relay1"
python3 "$here/../lib/pop3-relay.py" --port "$plain_port" --target-port "$DOVECOT_POP3_PORT" \
    --log "$T/relay-plain.log" &
relay2=$!
t_on_exit "t_kill_pid $relay2"
t_wait_port "$tls_port" || t_fail "the TLS relay did not start"
t_wait_port "$plain_port" || t_fail "the plain relay did not start"
write_config "$T/user.conf" userpass alice implicit "$tls_port"
sync_ok userpass "$T/user.conf"
assert_grep '^USER alice$' "$T/relay-tls.log" "USER/PASS"
assert_grep '^PASS$' "$T/relay-tls.log" "USER/PASS"
if grep -q '^AUTH' "$T/relay-tls.log"; then t_fail "USER/PASS: petrel tried AUTH"; fi
compare "$T/user.conf" userpass alice
n=$(log_count "method=APOP,")
write_config "$T/apop.conf" apop alice none "$plain_port"
sync_ok apop "$T/apop.conf"
assert_grep '^APOP alice$' "$T/relay-plain.log" "APOP"
if grep -Eq '^(USER|PASS|AUTH)' "$T/relay-plain.log"; then t_fail "APOP: petrel sent USER, PASS or AUTH"; fi
sleep 0.2
[ "$(log_count "method=APOP,")" -gt "$n" ] || t_fail "Dovecot did not log an APOP login"
t_log "USER/PASS over TLS and APOP logged in"

# --- a wrong password: one clear error, one attempt ----------------------
fails=$(log_count "auth failed")
PASSWORD=wrong-one write_config "$T/wrong.conf" wrong alice implicit "$DOVECOT_POP3S_PORT"
t_run wrong 60 "$PETREL" -F "$T/wrong.conf" sync
assert_rc 1 wrong
assert_lines 1 "$T/wrong.err" "wrong password"
assert_grep 'authentication failed \(server said: ' "$T/wrong.err" "wrong password"
sleep 2.5	# Dovecot logs the failure after its auth delay
got=$(($(log_count "auth failed") - fails))
[ "$got" = 1 ] || t_fail "a wrong password led to $got failed logins, not 1"

# --- leave_on_server = no --------------------------------------------------
write_config "$T/bob.conf" bob bob implicit "$DOVECOT_POP3S_PORT" "leave_on_server = no"
mapfile -t bob_uidls < <(probe bob uidls)
for u in "${bob_uidls[@]}"; do
	probe bob raw "$u" >"$T/raw-$u" || t_fail "cannot read $u of bob"
done
sync_ok bob1 "$T/bob.conf"
assert_eq 0 "$(probe bob count)" "messages left on bob's server"
compare "$T/bob.conf" bob bob --kept "${#bob_uidls[@]}"
# Each cached body, line ends made LF, must be what RETR gave.
python3 - "$CACHE" "$T" "${bob_uidls[@]}" <<-'PY' || t_fail "bob: cached bodies differ from the server's"
	import sqlite3, sys
	db = sqlite3.connect(sys.argv[1])
	for u in sys.argv[3:]:
	    row = db.execute("SELECT b.raw FROM bodies b JOIN messages m "
	                     "ON m.id = b.msg_id WHERE m.remote_id = ?",
	                     ("local " + u,)).fetchone()
	    want = open("%s/raw-%s" % (sys.argv[2], u), "rb").read()
	    if row is None or bytes(row[0]).replace(b"\r\n", b"\n") != want:
	        sys.exit("message %s: %s" % (u, "no body" if row is None
	                                      else "body differs"))
	PY
sync_ok bob2 "$T/bob.conf"
compare "$T/bob.conf" bob bob --kept "${#bob_uidls[@]}"
t_log "leave_on_server = no: ${#bob_uidls[@]} messages moved into the cache, bodies intact"

# A session cut before QUIT deletes nothing; the next sync finishes.
carol_total=$(probe carol count)
python3 "$here/../lib/pop3-relay.py" --port "$cut_port" --target-port "$DOVECOT_POP3_PORT" \
    --log "$T/relay-cut.log" --cut-quit &
relay3=$!
t_on_exit "t_kill_pid $relay3"
t_wait_port "$cut_port" || t_fail "the cutting relay did not start"
write_config "$T/carol-cut.conf" carol carol none "$cut_port" "leave_on_server = no"
t_run carol-cut 60 "$PETREL" -F "$T/carol-cut.conf" sync
assert_rc 1 carol-cut
assert_grep '^QUIT$' "$T/relay-cut.log" "cut session"
assert_grep '^DELE$' "$T/relay-cut.log" "cut session"
sleep 0.5
assert_eq "$carol_total" "$(probe carol count)" "messages on carol's server after a cut session"
compare "$T/carol-cut.conf" carol carol
write_config "$T/carol.conf" carol carol implicit "$DOVECOT_POP3S_PORT" "leave_on_server = no"
sync_ok carol "$T/carol.conf"
assert_eq 0 "$(probe carol count)" "messages on carol's server after the next sync"
compare "$T/carol.conf" carol carol --kept "$carol_total"
t_log "a session cut before QUIT deleted nothing; the next sync did"

# --- leave_on_server = 2 -----------------------------------------------------
write_config "$T/dave.conf" dave dave implicit "$DOVECOT_POP3S_PORT" "leave_on_server = 2"
dave_total=$(probe dave count)
sync_ok dave1 "$T/dave.conf"
assert_eq "$dave_total" "$(probe dave count)" "dave's messages after the first sync"
state=$(sql "SELECT f.sync_state FROM folders f JOIN accounts a ON a.id = f.account_id WHERE a.name = 'dave'")
today=$(( $(date +%s) / 86400 ))
printf '%s\n' "$state" | grep -q "^seen $today " || t_fail "dave: no first-download record for today in '$state'"
# Three days on: every recorded message is due; then one more arrives.
sql "UPDATE folders SET sync_state = replace(sync_state, 'seen $today ', 'seen $((today - 3)) ') WHERE account_id = (SELECT id FROM accounts WHERE name = 'dave')" >/dev/null
printf 'Date: Tue, 3 Mar 2026 11:00:00 +0000\nFrom: late@example.org\nSubject: late\nMessage-ID: <late@example.org>\n\nlate\n' |
    doveadm -c "$DOVECOT_CONF" save -u dave || t_fail "doveadm save failed"
sync_ok dave2 "$T/dave.conf"
assert_eq 1 "$(probe dave count)" "dave's messages after three days"
compare "$T/dave.conf" dave dave --kept "$dave_total"
t_log "leave_on_server = 2: $dave_total old messages deleted, the new one kept on the server"

# --- read-only: nothing changes on the server -------------------------------
# Dovecot moves new/ to cur/ when any POP3 session opens the maildrop;
# what must not change is which messages there are and their flags.
maildir_state() {
	find "$(dovecot_maildir erin)"/cur "$(dovecot_maildir erin)"/new -type f -printf '%f\n' |
	    sed -e 's/:2,/\t/' -e 's/^\([^\t]*\)$/\1\t/' | sort
}
probe erin count >/dev/null	# a first session: new/ to cur/ happens now
maildir_state >"$T/erin-before"
write_config "$T/erin.conf" erin erin implicit "$DOVECOT_POP3S_PORT" "read_only = true
leave_on_server = no"
sync_ok erin1 "$T/erin.conf"
sync_ok erin2 "$T/erin.conf"
# The UI opens the newest message: read with TOP, never RETR.
erin_total=$(probe erin count)
newest=$("$PETREL" -F "$T/erin.conf" ls erin INBOX | tail -n 1 | cut -f5)
t_tmux_start erin "$PETREL" -F "$T/erin.conf" -d trace,pop3 -L "$T/erin-ui.log"
t_tmux_wait erin "[erin] (read-only) INBOX: $erin_total messages" 60 "read-only status line"
t_tmux_keys erin G
t_tmux_keys erin Enter
t_tmux_wait_re erin "\[erin\]( \(read-only\))? INBOX: message $erin_total/$erin_total" 20 \
    "read-only pager" >/dev/null
t_tmux_wait erin "$newest" 10 "subject of the newest message"
t_tmux_keys erin q
t_tmux_keys erin q
t_tmux_wait_exit erin 10
[ "$T_RC" = 0 ] || t_fail "petrel exited with status $T_RC after q"
assert_grep '> TOP [0-9]+ 1000000000' "$T/erin-ui.log" "read-only body download"
sleep 0.5
maildir_state >"$T/erin-after"
diff "$T/erin-before" "$T/erin-after" >&2 || t_fail "read-only: erin's maildir changed"
compare "$T/erin.conf" erin erin
grep -F "pop3(erin)" "$DOVECOT_LOG" | grep -F "Disconnected" >"$T/erin-sessions" || true
[ "$(grep -c . "$T/erin-sessions")" -ge 2 ] || t_fail "read-only: no session summaries in Dovecot's log"
if grep -v 'retr=0/0, del=0/' "$T/erin-sessions" | grep -q .; then
	t_fail "read-only: Dovecot saw RETR or DELE: $(grep -v 'retr=0/0, del=0/' "$T/erin-sessions" | head -n 1)"
fi
t_log "read-only: the server is unchanged (no RETR, no DELE)"

assert_no_core "$T"
t_pass
