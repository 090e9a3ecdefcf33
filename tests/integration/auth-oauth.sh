#!/usr/bin/env bash
# auth-oauth.sh - XOAUTH2 and OAUTHBEARER against a real Dovecot whose
# oauth2 passdb checks each bearer token with an introspection endpoint.
#
# A private Dovecot (tests/lib/dovecot.sh) gets, through DOVECOT_EXTRA_CONF,
#	auth_mechanisms = xoauth2 oauthbearer
#	passdb { driver = oauth2; mechanisms = xoauth2 oauthbearer; args = EXT }
# where EXT says introspection_mode = post, introspection_url = our
# tests/lib/oauth-introspect.py on 127.0.0.1 (one valid token, for alice),
# username_attribute = username, active_attribute = active.  The oauth2
# passdb is built into Debian 12's dovecot-core (no extra package).
# dovecot.sh's passwd-file passdb comes first and has no mechanism filter,
# so Dovecot also tries each token as alice's password there (and logs a
# "Password mismatch"); the endpoint's log is what shows the oauth2 passdb
# decided.
#
# For auth = xoauth2 and auth = oauthbearer, with the token from
# oauth2_token_command:
# - the good token: `petrel sync` succeeds, Dovecot logs the login with that
#   method, and the introspection endpoint logs exactly one check of that
#   token (so Dovecot really asked about it: not a password passdb);
# - a bad token: exit 1, one line "authentication failed (server said: ...)",
#   exactly one introspection request and one failed login in Dovecot's log
#   (no retry loop);
# - neither token, nor the base64 SASL message carrying it, appears in
#   petrel's stdout, stderr or its `-d trace` log (which must hold the IMAP
#   exchange, or the check proves nothing).
# Without `auth`, a configured oauth2_token_command makes petrel pick
# OAUTHBEARER, the better of the two; a refused token is not tried again
# with XOAUTH2.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init auth-oauth
t_need python3 openssl dovecot doveconf timeout base64
t_find_petrel

GOOD='ya29.petrel-GOOD-tok3n-Qm7w'	# the one token the endpoint accepts
BAD='ya29.petrel-BAD-tok3n-Xc4v'	# any other token is inactive

# --- the introspection endpoint -------------------------------------------
mkdir -p "$T/oauth"
python3 "$T_LIB/oauth-introspect.py" --dir "$T/oauth" --token "$GOOD" \
    --user alice >"$T/oauth/stdout" 2>&1 &
oauth_pid=$!
t_on_exit "t_kill_pid $oauth_pid"
for ((i = 0; i < 100; i++)); do
	[ -s "$T/oauth/port" ] && break
	kill -0 "$oauth_pid" 2>/dev/null ||
	    t_fail "oauth-introspect.py exited: $(cat "$T/oauth/stdout")"
	sleep 0.1
done
[ -s "$T/oauth/port" ] || t_fail "oauth-introspect.py wrote no port within 10 s"
OAUTH_PORT=$(cat "$T/oauth/port")
[ "$(cat "$T/oauth/pid")" = "$oauth_pid" ] ||
    t_fail "oauth-introspect.py wrote pid $(cat "$T/oauth/pid"), started $oauth_pid"
t_wait_port "$OAUTH_PORT" || t_fail "introspection endpoint not listening on $OAUTH_PORT"
OAUTH_LOG=$T/oauth/log

# --- Dovecot with the oauth2 passdb -----------------------------------------
cat >"$T/dovecot-oauth2.conf.ext" <<EOF
introspection_mode = post
introspection_url = http://127.0.0.1:$OAUTH_PORT/introspect
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 10000
EOF
chmod 644 "$T/dovecot-oauth2.conf.ext"	# read by the auth process (user dovecot)
export DOVECOT_EXTRA_CONF="auth_mechanisms = xoauth2 oauthbearer
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $T/dovecot-oauth2.conf.ext
}"
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
t_log "Dovecot pid $DOVECOT_PID: imaps $DOVECOT_IMAPS_PORT; introspection on $OAUTH_PORT"

printf '%s\n' "$GOOD" >"$T/good.token"
printf '%s\n' "$BAD" >"$T/bad.token"

# write_config FILE TOKEN-FILE AUTH-LINE
write_config() {
	cat >"$1" <<-EOF
	[account test]
	driver = imap
	host = 127.0.0.1
	port = $DOVECOT_IMAPS_PORT
	user = alice
	security = implicit
	tls_ca_file = $DOVECOT_CA
	oauth2_token_command = cat '$2'
	$3
	EOF
}

# Count the lines of a log matching a fixed string.
count() {
	grep -cF -- "$1" "$2" 2>/dev/null || true
}

# The SASL messages petrel sends for TOKEN, base64 (as on the wire).
sasl_b64() {
	printf 'user=alice\001auth=Bearer %s\001\001' "$1" | base64 -w0
	echo
	printf 'n,a=alice,\001host=127.0.0.1\001port=%s\001auth=Bearer %s\001\001' \
	    "$DOVECOT_IMAPS_PORT" "$1" | base64 -w0
	echo
}

# no_secret NAME TOKEN: neither the token nor its SASL message in the
# run's output or trace; the trace must hold the IMAP exchange.
no_secret() {
	local name=$1 tok=$2 b
	grep -Eq 'AUTHENTICATE (XOAUTH2|OAUTHBEARER)' "$T/$name.log" ||
	    t_fail "$name: the -d trace log holds no AUTHENTICATE line, so it proves nothing"
	assert_no_string "$tok" "$name: token" "$T/$name.out" "$T/$name.err" "$T/$name.log"
	while read -r b; do
		assert_no_string "$b" "$name: base64 SASL message" \
		    "$T/$name.out" "$T/$name.err" "$T/$name.log"
	done < <(sasl_b64 "$tok")
}

# --- each mechanism: the good token, then a bad one --------------------------
for mech in xoauth2 oauthbearer; do
	up=$(printf '%s' "$mech" | tr '[:lower:]' '[:upper:]')

	write_config "$T/$mech-good.conf" "$T/good.token" "auth = $mech"
	checks=$(count "mode=post token=$GOOD result=active" "$OAUTH_LOG")
	logins=$(count "Login: user=<alice>, method=$up," "$DOVECOT_LOG")
	t_run "$mech-good" 60 "$PETREL" -F "$T/$mech-good.conf" -d trace \
	    -L "$T/$mech-good.log" sync test
	assert_rc 0 "$mech-good"
	sleep 0.2
	got=$(( $(count "mode=post token=$GOOD result=active" "$OAUTH_LOG") - checks ))
	[ "$got" = 1 ] || t_fail "auth = $mech: the endpoint checked the good token $got times, not once ($(cat "$OAUTH_LOG"))"
	got=$(( $(count "Login: user=<alice>, method=$up," "$DOVECOT_LOG") - logins ))
	[ "$got" = 1 ] || t_fail "auth = $mech: Dovecot logged $got $up logins, not 1"
	no_secret "$mech-good" "$GOOD"
	t_log "auth = $mech: logged in with $up; the endpoint checked the token"

	write_config "$T/$mech-bad.conf" "$T/bad.token" "auth = $mech"
	requests=$(wc -l <"$OAUTH_LOG")
	fails=$(count "auth failed" "$DOVECOT_LOG")
	t_run "$mech-bad" 60 "$PETREL" -F "$T/$mech-bad.conf" -d trace \
	    -L "$T/$mech-bad.log" sync test
	assert_rc 1 "$mech-bad"
	assert_lines 1 "$T/$mech-bad.err" "auth = $mech, bad token"
	assert_grep "^petrel: .*authentication failed \(server said: " "$T/$mech-bad.err" \
	    "auth = $mech, bad token"
	sleep 2		# Dovecot logs a failure after its auth delay
	got=$(( $(wc -l <"$OAUTH_LOG") - requests ))
	[ "$got" = 1 ] || t_fail "auth = $mech: a bad token led to $got introspection requests, not 1"
	grep -qF "token=$BAD result=inactive" "$OAUTH_LOG" ||
	    t_fail "auth = $mech: the endpoint was not asked about the bad token"
	got=$(( $(count "auth failed" "$DOVECOT_LOG") - fails ))
	[ "$got" = 1 ] || t_fail "auth = $mech: a bad token led to $got failed logins, not 1"
	no_secret "$mech-bad" "$BAD"
	t_log "auth = $mech, bad token: $(cat "$T/$mech-bad.err")"
done

# --- no auth list: a token command makes OAUTHBEARER the first choice ------
write_config "$T/default.conf" "$T/good.token" ""
logins=$(count "Login: user=<alice>, method=OAUTHBEARER," "$DOVECOT_LOG")
t_run default 60 "$PETREL" -F "$T/default.conf" sync test
assert_rc 0 default
sleep 0.2
got=$(( $(count "Login: user=<alice>, method=OAUTHBEARER," "$DOVECOT_LOG") - logins ))
[ "$got" = 1 ] || t_fail "without auth =, petrel did not log in with OAUTHBEARER"
assert_no_string "$GOOD" "default: token" "$T/default.out" "$T/default.err"

# ... and a refused token is not tried again with XOAUTH2, also offered.
write_config "$T/default-bad.conf" "$T/bad.token" ""
requests=$(wc -l <"$OAUTH_LOG")
fails=$(count "auth failed" "$DOVECOT_LOG")
t_run default-bad 60 "$PETREL" -F "$T/default-bad.conf" sync test
assert_rc 1 default-bad
assert_lines 1 "$T/default-bad.err" "no auth list, bad token"
assert_grep "authentication failed \(server said: " "$T/default-bad.err" "no auth list, bad token"
sleep 2
got=$(( $(wc -l <"$OAUTH_LOG") - requests ))
[ "$got" = 1 ] || t_fail "no auth list: a bad token led to $got introspection requests, not 1"
got=$(( $(count "auth failed" "$DOVECOT_LOG") - fails ))
[ "$got" = 1 ] || t_fail "no auth list: a bad token led to $got failed logins, not 1"
grep -F "auth failed" "$DOVECOT_LOG" | tail -n 1 | grep -qF "method=OAUTHBEARER" ||
    t_fail "no auth list: the failed login was not OAUTHBEARER"
t_pass "XOAUTH2 and OAUTHBEARER against Dovecot's oauth2 passdb"
