#!/usr/bin/env bash
# ui-password.sh - the UI asks for the password of an account that has none
# configured (no password, password_command or oauth2_token_command).
#
# Against Dovecot, driven through tmux: "Password for test: " appears before
# anything connects; typing shows nothing; a wrong password gives an error
# and the prompt again (once: nothing is retried without the user); the
# right one logs in and the INBOX status line appears.  Esc on the prompt
# leaves the account offline with a message.  Neither password ever reaches
# the trace log (-d trace -L) or the cache file.  `petrel sync` on the same
# config is an error, as before, with no prompt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init ui-password
t_need python3 openssl dovecot doveconf doveadm tmux timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

# Distinctive strings, so that finding one in a file means a leak.
good=Pw-Kq7zT3vX9
bad=Wr-Jm4nB8sL2

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
dovecot_add_user carol "$good"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir carol)" -n 40 --seed 5 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
dovecot_subscribe_all carol || t_fail "doveadm could not subscribe the folders"

python3 "$T_LIB/imap-probe.py" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
    --user carol --password "$good" dump --out "$T/before.json" ||
    t_fail "the IMAP probe cannot read the server"
counts=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(next("%d %d" % (f["exists"], f["unseen"]) for f in d["folders"] if f["name"] == "INBOX"))' "$T/before.json") ||
    t_fail "INBOX is not in the server dump"
read -r n u <<<"$counts"

cat >"$T/pw.conf" <<EOF
[account test]
driver = imap
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
user = carol
security = implicit
tls_ca_file = $DOVECOT_CA
EOF

# no_prompt_after SESSION SECS WHAT: the prompt stays away for SECS.
no_prompt_after() {
	sleep "$2"
	if t_tmux_screen "$1" | grep -Fq 'Password for test'; then
		t_tmux_dump "$1"
		t_fail "$3"
	fi
}

# --- batch mode: an error, no prompt ------------------------------------------
export XDG_DATA_HOME=$T/data-batch
t_run batch 30 "$PETREL" -F "$T/pw.conf" sync
[ "$T_RC" != 0 ] || t_fail "petrel sync without a password exited 0"
grep -q 'no password' "$T/batch.err" ||
    t_fail "petrel sync without a password: no 'no password' error (stderr: $(head -c 300 "$T/batch.err"))"
t_log "batch: petrel sync refuses the account without a password"

# --- Esc: the account stays offline ---------------------------------------------
export XDG_DATA_HOME=$T/data-esc
t_tmux_start esc "$PETREL" -F "$T/pw.conf" -d trace -L "$T/esc.log"
t_tmux_wait esc "Password for test:" 20 "the password prompt"
t_tmux_keys esc Escape
t_tmux_wait esc "No password given: test stays offline." 10 "the message after Esc"
t_tmux_wait esc "offline: no password given" 10 "offline in the status line"
no_prompt_after esc 3 "the prompt came back without the user asking"
if grep -q 'LOGIN\|AUTHENTICATE' "$T/esc.log"; then
	t_fail "Esc on the password prompt: petrel still tried to log in"
fi
t_tmux_keys esc q
t_tmux_wait_exit esc 10
[ "$T_RC" = 0 ] || t_fail "petrel exited with status $T_RC after q"
t_log "esc: declined, offline, no login attempt"

# --- wrong, then right --------------------------------------------------------
export XDG_DATA_HOME=$T/data-pw
t_tmux_start pw "$PETREL" -F "$T/pw.conf" -d trace -L "$T/pw.log"
t_tmux_wait pw "Password for test:" 20 "the password prompt"
if t_tmux_screen pw | grep -q 'INBOX: [0-9]* messages'; then
	t_fail "the account synced before the password was given"
fi
t_tmux_type pw "$bad"
if t_tmux_screen pw | grep -Fq -e "$bad" -e '*****'; then
	t_tmux_dump pw
	t_fail "the typed password is shown on the screen"
fi
t_tmux_keys pw Enter
t_tmux_wait pw "Error: authentication failed. Password for test:" 30 \
    "the error and the prompt again after a wrong password"
t_tmux_wait pw "offline: " 5 "offline in the status line after a wrong password"
attempts=$(grep -c 'authentication failed' "$T/pw.log" || true)
t_log "wrong password: error and prompt again ($attempts log lines)"
# nothing retries while the prompt is up
sleep 4
again=$(grep -c 'authentication failed' "$T/pw.log" || true)
[ "$again" = "$attempts" ] || t_fail "the login was retried without the user ($attempts -> $again)"
t_tmux_type pw "$good"
t_tmux_keys pw Enter
t_tmux_wait pw "[test] INBOX: $n messages, $u unread" 60 "INBOX status line after the right password"
if t_tmux_screen pw | grep -q 'Password for'; then
	t_tmux_dump pw
	t_fail "the prompt is still shown after a successful login"
fi
t_log "right password: INBOX shows $n messages, $u unread"
t_tmux_keys pw q
t_tmux_wait_exit pw 10
[ "$T_RC" = 0 ] || t_fail "petrel exited with status $T_RC after q"

# the trace must hold the IMAP dialogue, or the checks below prove nothing
assert_grep 'SELECT|EXAMINE' "$T/pw.log" "the trace log records IMAP commands"
# ... and the login, or the Esc check above (no LOGIN/AUTHENTICATE) proves nothing
assert_grep 'AUTHENTICATE|LOGIN' "$T/pw.log" "the trace log records the login"
cache=$XDG_DATA_HOME/petrel/cache.db
[ -e "$cache" ] || t_fail "no cache file at $cache"
files=("$T/pw.log" "$T/esc.log")
for f in "$cache" "$cache-wal"; do
	[ -e "$f" ] && files+=("$f")
done
assert_no_string "$good" "the right password" "${files[@]}"
assert_no_string "$bad" "the wrong password" "${files[@]}"
assert_no_core "$T/cwd"

# --- pin offer: a certificate the system store does not trust ----------------
# (no tls_ca_file: Dovecot's test CA is unknown).  n changes nothing; y
# writes the pin after the section header and the account connects.
cat >"$T/pin.conf" <<EOF
# pin test
[account test]
driver = imap
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
user = carol
password = $good
security = implicit
EOF
chmod 600 "$T/pin.conf"
cp "$T/pin.conf" "$T/pin.orig"
want=$(openssl x509 -in "$DOVECOT_DIR/tls/server.pem" -noout -fingerprint -sha256 | sed 's/^.*=/sha256:/')
# the offer shows it without colons (71 columns)
shown=$(printf '%s' "$want" | sed 's/^sha256://; s/://g; s/^/sha256:/')
export XDG_DATA_HOME=$T/data-pin
t_tmux_start pinn "$PETREL" -F "$T/pin.conf"
# the offer fits in 100 columns: the fingerprint (95 characters) on the
# line above the question
tmux -S "$T_TMUX_SOCK" resize-window -t pinn -x 100 -y 30
t_tmux_wait pinn "Certificate for test not trusted (" 30 "the pin offer"
t_tmux_wait pinn "). Pin it? (y/n)" 5 "the whole question"
t_tmux_wait pinn "$shown" 5 "the server's whole fingerprint above the offer"
t_tmux_keys pinn n
t_tmux_wait pinn "Not done." 5 "the answer n"
sleep 3
cmp -s "$T/pin.conf" "$T/pin.orig" || t_fail "n: the config file changed"
t_tmux_keys pinn q
t_tmux_wait_exit pinn 10
t_tmux_start piny "$PETREL" -F "$T/pin.conf"
tmux -S "$T_TMUX_SOCK" resize-window -t piny -x 100 -y 30
t_tmux_wait piny "). Pin it? (y/n)" 30 "the pin offer"
t_tmux_wait piny "$shown" 5 "the fingerprint above the offer"
t_tmux_keys piny y
t_tmux_wait piny "[test] INBOX: $n messages, $u unread" 60 "INBOX status line after pinning"
{ sed -n 1,2p "$T/pin.orig"; printf 'tls_fingerprint = %s\n' "$want"; sed -n '3,$p' "$T/pin.orig"; } >"$T/pin.want"
cmp -s "$T/pin.conf" "$T/pin.want" || { diff "$T/pin.want" "$T/pin.conf" >&2; t_fail "y: the config file is not the old one plus the pin line"; }
[ "$(stat -c %a "$T/pin.conf")" = 600 ] || t_fail "y: the config file's mode changed"
t_tmux_keys piny q
t_tmux_wait_exit piny 10
[ "$T_RC" = 0 ] || t_fail "petrel exited with status $T_RC after q"
t_log "pin: n left the config alone; y pinned $want and the account connected"
t_pass "password prompt (hidden, asked again after a refusal, never stored) and pin offer"
