#!/usr/bin/env bash
# bad-input.sh - petrel fails cleanly and says why: a bad config key, a wrong
# password, a server that is down, a certificate that does not verify; the
# UI survives a failed login; no password ever appears in any output or log.
#
# Each batch failure must: exit with the documented status (2 for config
# errors, 1 for runtime errors), print exactly one line on stderr starting
# with "petrel: " that names the cause, finish within a few seconds, and not
# crash.  A certificate failure (an unknown CA, or a trusted CA but another
# host name) must happen before any credentials are sent.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init bad-input
t_need python3 openssl dovecot doveconf tmux timeout base64
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

WRONG='Wr0ng-Pa55-7fq2'                 # never valid; must never be printed
BOBPASS='b0b-Only-Here-k3Zq'            # bob's real password, for the trace check

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
dovecot_add_user bob "$BOBPASS"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 60 --seed 5 \
    --manifest "$T/manifest-alice.json" >&2 || t_fail "gen-mailbox.py failed"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir bob)" -n 30 --seed 6 \
    --manifest "$T/manifest-bob.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
dovecot_make_ca "$T/otherca" other || t_fail "cannot make a second CA"

# write_config FILE PORT SECURITY USER PASSWORD CAFILE [EXTRA-LINE]
write_config() {
	cat >"$1" <<-EOF
	# petrel test configuration
	[account test]
	driver = imap
	host = 127.0.0.1
	port = $2
	user = $4
	password = $5
	security = $3
	tls_ca_file = $6
	connect_timeout = 5
	timeout = 10
	${7:-}
	EOF
}

# expect_one_line NAME RC REGEX MAXSECS WHAT: the last run failed as it should.
expect_one_line() {
	local name=$1 rc=$2 re=$3 max=$4 what=$5
	assert_rc "$rc" "$name"
	assert_lines 1 "$T/$name.err" "$what: stderr"
	assert_grep '^petrel: ' "$T/$name.err" "$what: stderr"
	if ! grep -Eiq -- "$re" "$T/$name.err"; then
		t_fail "$what: the message does not match /$re/: $(cat "$T/$name.err")"
	fi
	[ "$T_SECS" -le "$max" ] || t_fail "$what: took ${T_SECS}s (limit ${max}s)"
	t_log "$what: ok: $(cat "$T/$name.err")"
}

alice_logins() {
	grep -c 'Login: user=<alice>' "$DOVECOT_LOG" || true
}

# --- 0. the basics of the command line -------------------------------------
t_run version 10 "$PETREL" --version
assert_rc 0 version
assert_eq "petrel 0.1.0" "$(cat "$T/version.out")" "--version"
t_run help 10 "$PETREL" --help
assert_rc 0 help
assert_grep '^usage: petrel' "$T/help.out" "--help"
assert_grep 'sync' "$T/help.out" "--help mentions sync"

# --- 1. unknown key in the config: exit 2, FILE:LINE: on one line ------------
write_config "$T/unknown.conf" "$DOVECOT_IMAPS_PORT" implicit alice secret "$DOVECOT_CA" \
    "frobnicate = yes"
line=$(grep -n '^frobnicate' "$T/unknown.conf" | cut -d: -f1)
for mode in sync ls ui; do
	case $mode in
	sync) t_run "unknown-$mode" 10 "$PETREL" -F "$T/unknown.conf" sync test ;;
	ls) t_run "unknown-$mode" 10 "$PETREL" -F "$T/unknown.conf" ls test INBOX ;;
	ui) t_run "unknown-$mode" 10 "$PETREL" -F "$T/unknown.conf" ;;
	esac
	expect_one_line "unknown-$mode" 2 "frobnicate" 5 "unknown key ($mode)"
	assert_grep "^petrel: $T/unknown.conf:$line: " "$T/unknown-$mode.err" "unknown key ($mode): FILE:LINE:"
	[ ! -s "$T/unknown-$mode.out" ] || t_fail "unknown key ($mode): something was printed on stdout"
done
assert_no_core "$T/cwd"

# --- 2. wrong password: exit 1, one line about authentication ----------------
write_config "$T/wrongpw.conf" "$DOVECOT_IMAPS_PORT" implicit alice "$WRONG" "$DOVECOT_CA"
t_run wrongpw 30 "$PETREL" -F "$T/wrongpw.conf" -d trace -L "$T/wrongpw.log" sync test
expect_one_line wrongpw 1 'authenticat' 15 "wrong password"
[ -s "$T/wrongpw.log" ] || t_fail "wrong password: -d trace -L wrote no log"
# also via password_command, with the STARTTLS port
write_config "$T/wrongpw2.conf" "$DOVECOT_IMAP_PORT" starttls alice "$WRONG" "$DOVECOT_CA"
sed -i "s/^password = .*/password_command = echo $WRONG/" "$T/wrongpw2.conf"
t_run wrongpw2 30 "$PETREL" -F "$T/wrongpw2.conf" -d trace -L "$T/wrongpw2.log" sync test
expect_one_line wrongpw2 1 'authenticat' 15 "wrong password (password_command, STARTTLS)"

# --- 3. nothing listening: exit 1, one line, quickly -------------------------
port=$(t_free_ports 1)
write_config "$T/down.conf" "$port" implicit alice secret "$DOVECOT_CA"
t_run down 30 "$PETREL" -F "$T/down.conf" sync test
expect_one_line down 1 'connect|refused|reach|unavailable' 5 "server down"

# --- 4. a certificate that does not verify: exit 1, no credentials sent -----
before=$(alice_logins)
write_config "$T/badca.conf" "$DOVECOT_IMAPS_PORT" implicit alice secret "$T/otherca/other.pem"
t_run badca 30 "$PETREL" -F "$T/badca.conf" sync test
expect_one_line badca 1 'certificate' 10 "untrusted certificate (implicit TLS)"
# the error names the server certificate's fingerprint, as openssl sees it
fp=$(openssl x509 -in "$DOVECOT_DIR/tls/server.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
assert_grep "sha256:$fp" "$T/badca.err" "untrusted certificate: fingerprint shown"
write_config "$T/badca2.conf" "$DOVECOT_IMAP_PORT" starttls alice secret "$T/otherca/other.pem"
t_run badca2 30 "$PETREL" -F "$T/badca2.conf" sync test
expect_one_line badca2 1 'certificate' 10 "untrusted certificate (STARTTLS)"
sleep 1
[ "$(alice_logins)" = "$before" ] ||
    t_fail "petrel logged in although the server certificate did not verify"

# a certificate from the trusted CA, but for another name: a TLS stub serves
# it and notes whether the client said anything after the handshake
dovecot_make_cert "$T/otherca" wrongname "$DOVECOT_DIR/tls/ca" DNS:wrong.example ||
    t_fail "cannot make a certificate for another name"
python3 "$T_LIB/tls-stub.py" "$T/otherca/wrongname.pem" "$T/otherca/wrongname.key" \
    "$T/stub.log" >"$T/stub.port" 2>"$T/stub.err" &
stub_pid=$!
t_on_exit "t_kill_pid $stub_pid"
for ((i = 0; i < 50; i++)); do
	[ -s "$T/stub.port" ] && break
	sleep 0.1
done
stub_port=$(head -n 1 "$T/stub.port")
[ -n "$stub_port" ] || t_fail "the TLS stub did not start: $(cat "$T/stub.err")"
write_config "$T/wrongname.conf" "$stub_port" implicit alice secret "$DOVECOT_CA"
t_run wrongname 30 "$PETREL" -F "$T/wrongname.conf" sync test
expect_one_line wrongname 1 'certificate' 10 "certificate for another name"
sleep 0.5
grep -q '^handshake' "$T/stub.log" 2>/dev/null ||
    t_fail "certificate for another name: the stub saw no TLS handshake ($(cat "$T/stub.log" 2>/dev/null))"
if grep -q '^received' "$T/stub.log"; then
	t_fail "certificate for another name: petrel went on talking after the handshake"
fi

# --- 5. a successful traced session never logs the password -----------------
write_config "$T/bob.conf" "$DOVECOT_IMAPS_PORT" implicit bob "$BOBPASS" "$DOVECOT_CA"
t_run bob 60 "$PETREL" -F "$T/bob.conf" -d trace -L "$T/bob.log" sync test
assert_rc 0 bob
# the check below proves something only if the trace holds the protocol
grep -Eq '(SELECT|EXAMINE|LIST) ' "$T/bob.log" ||
    t_fail "trace: -d trace -L wrote no IMAP commands to $T/bob.log"
# AUTHENTICATE PLAIN sends base64("\0bob\0password"); LOGIN the password itself
plain=$(printf '\0bob\0%s' "$BOBPASS" | base64 -w0)
plain2=$(printf 'bob\0bob\0%s' "$BOBPASS" | base64 -w0)
assert_no_string "$BOBPASS" "bob's password in the trace" "$T/bob.log" "$T/bob.out" "$T/bob.err"
assert_no_string "$plain" "bob's AUTHENTICATE PLAIN string in the trace" "$T/bob.log"
assert_no_string "$plain2" "bob's AUTHENTICATE PLAIN string in the trace" "$T/bob.log"
assert_no_string "$BOBPASS" "bob's password in the cache" "$T"/xdg-data/petrel/cache.db*

# --- 6. the UI with a wrong password: Error: line, keeps running, q quits ----
t_tmux_start ui "$PETREL" -F "$T/wrongpw.conf" -d debug -L "$T/ui.log"
errline=$(t_tmux_wait_re ui '(^|[^[:alnum:]])Error: ' 30 "failed login in the UI")
t_log "UI shows: $errline"
printf '%s\n' "$errline" | grep -Eiq 'authenticat' ||
    t_fail "UI: the Error: line does not mention authentication: $errline"
t_tmux_keys ui j
t_tmux_keys ui k
t_tmux_keys ui Tab
t_tmux_keys ui Tab
sleep 2
[ ! -e "$T/tmux-ui.rc" ] || { t_tmux_dump ui; t_fail "UI: petrel exited after the failed login (status $(cat "$T/tmux-ui.rc"))"; }
t_tmux_screen ui >"$T/ui-screen.txt"
grep -Fq '[test]' "$T/ui-screen.txt" || { t_tmux_dump ui; t_fail "UI: no status line after the failed login"; }
t_tmux_keys ui q
t_tmux_wait_exit ui 10
[ "$T_RC" = 0 ] || t_fail "UI: petrel exited with status $T_RC after q"

# --- no output anywhere contains a password ----------------------------------
assert_no_string "$WRONG" "the wrong password in an output or log" \
    "$T"/*.out "$T"/*.err "$T"/*.log "$T/ui-screen.txt"
assert_no_core "$T/cwd"

t_pass "config error, wrong password, server down, bad certificate: clean one-line failures; no password leaked"
