#!/usr/bin/env bash
# readonly-all.sh - `petrel -R` reads every message of a folder and tries
# every operation; the server is left exactly as it was.
#
# A private Dovecot (every session's raw traffic logged) with 200 generated
# messages.  Before: a full dump of the server by an independent client
# (every folder's UIDs, flags, counts, UIDVALIDITY, HIGHESTMODSEQ).
# petrel -R on a read-write config: c Lists opens Lists, g Enter opens the
# first message, J walks to the next one until every message was shown
# (pager status "message I/N" and the message's subject on screen).  Back
# in the list, each operation key (N F d u $ s C +, t ; F, Esc-r, Esc-d and,
# in the folder pane, r D) must put a message saying "read-only" on the
# message line.
# After: the dump is byte-identical, and petrel's sessions (rawlog) never
# sent SELECT, STORE, EXPUNGE, COPY, MOVE, APPEND, CREATE, DELETE, RENAME,
# (UN)SUBSCRIBE, or a FETCH that sets \Seen (BODY[ without PEEK, RFC822,
# RFC822.TEXT, BINARY[), and did use EXAMINE.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init readonly-all
t_need python3 openssl dovecot doveconf doveadm tmux timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

S=ro
FOLDER=Lists

export DOVECOT_RAWLOG=1 DOVECOT_SPECIAL_USE=1
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 200 --seed 41 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
dovecot_subscribe_all alice || t_fail "doveadm could not subscribe the folders"

probe() {
	python3 "$T_LIB/imap-probe.py" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
	    --user alice --password secret "$@"
}

# json FILE EXPR: print a value from a JSON file (EXPR in Python, d = data).
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# msg_line: the last line of the screen (the message line).
msg_line() {
	tmux -S "$T_TMUX_SOCK" capture-pane -p -t $S -S 29 -E 29 2>/dev/null
}

# refused KEY WHAT: the key is refused with a message naming read-only.
refused() {
	local key=$1 what=$2 i line=
	t_tmux_keys $S "$key"
	for ((i = 0; i < 20; i++)); do
		line=$(msg_line)
		if grep -qi 'read-only' <<<"$line"; then
			break
		fi
		sleep 0.1
	done
	if ! grep -qi 'read-only' <<<"$line"; then
		t_tmux_dump $S
		t_fail "$what ($key) in read-only mode: no message saying read-only (message line: '$line')"
	fi
	# leave any prompt or picker the key may have opened anyway
	t_tmux_keys $S C-g
}

cat >"$T/rw.conf" <<EOF
[account test]
driver = imap
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
user = alice
password = secret
security = implicit
tls_ca_file = $DOVECOT_CA
read_only = false
delete = expunge
EOF

probe dump --out "$T/before.json" || t_fail "the IMAP probe cannot read the server"
read -r n u < <(json "$T/before.json" "next('%d %d' % (f['exists'], f['unseen']) for f in d['folders'] if f['name'] == '$FOLDER')")
[ "$u" -gt 0 ] || t_fail "test setup: $FOLDER has no unseen message"
json "$T/before.json" "'\n'.join(m['subject'][:30] for f in d['folders'] if f['name'] == '$FOLDER' for m in f['messages'])" >"$T/subjects"
[ "$(wc -l <"$T/subjects")" = "$n" ] || t_fail "test setup: subject list of $FOLDER"
dovecot_rawlog_reset alice >/dev/null

t_tmux_start $S "$PETREL" -R -F "$T/rw.conf" -d debug -L "$T/petrel.log"
t_tmux_wait_re $S '\[test\] \(read-only\) INBOX: [0-9]+ messages' 60 "read-only INBOX status line" >/dev/null
t_tmux_keys $S c
t_tmux_type $S "$FOLDER"
t_tmux_keys $S Enter
t_tmux_wait $S "[test] (read-only) $FOLDER: $n messages, $u unread" 30 "c $FOLDER"

# --- read every message --------------------------------------------------------
t_tmux_keys $S Home
t_tmux_keys $S Enter
i=0
while IFS= read -r subject; do
	i=$((i + 1))
	t_tmux_wait_re $S "\[test\] $FOLDER: message $i/$n" 15 "pager on message $i" >/dev/null
	t_tmux_wait $S "$subject" 5 "subject of message $i/$n"
	if [ "$i" -lt "$n" ]; then
		T_KEY_DELAY=0.05 t_tmux_keys $S J
	fi
done <"$T/subjects"
[ "$i" = "$n" ] || t_fail "read $i messages, the folder has $n"
t_log "read all $n messages of $FOLDER read-only"
t_tmux_keys $S q
t_tmux_wait $S "[test] (read-only) $FOLDER: $n messages, $u unread" 10 \
    "after reading everything read-only the unread count is unchanged"

# --- every operation is refused --------------------------------------------------
refused N "mark read/unread"
refused F "flag"
refused d "delete"
refused u "undelete"
refused '$' "expunge"
refused s "move"
refused C "copy"
refused + "create a folder"
t_tmux_keys $S t
t_tmux_keys $S '\;'
refused F "flag the tagged messages (t ; F)"
refused M-r "rename a folder"
refused M-d "delete a folder"
t_tmux_keys $S Tab
refused r "rename a folder (folder pane)"
refused D "delete a folder (folder pane)"
t_tmux_keys $S Tab
t_log "every operation was refused with a read-only message"

# give any (wrong) write every chance to reach the server
sleep 5
t_tmux_keys $S q
t_tmux_wait_exit $S 15
[ "$T_RC" = 0 ] || { t_tmux_dump $S; t_fail "petrel exited with status $T_RC after q"; }
sleep 1
# petrel's sessions alone (the probe's come after)
PETREL_RAWLOG=$(dovecot_rawlog_reset alice) || t_fail "cannot set the rawlog aside"
probe dump --out "$T/after.json" || t_fail "the IMAP probe cannot read the server"
if ! cmp -s "$T/before.json" "$T/after.json"; then
	diff "$T/before.json" "$T/after.json" | head -n 30 >&2
	t_fail "the server changed during the read-only session (flags, counts, UIDVALIDITY or HIGHESTMODSEQ)"
fi
rl() {
	python3 "$T_LIB/rawlog.py" "$PETREL_RAWLOG" "$@"
}
[ "$(rl sessions)" -ge 1 ] || t_fail "no rawlog of petrel's sessions (test setup)"
if rl writes >"$T/writes"; then
	:
else
	cat "$T/writes" >&2
	t_fail "petrel -R sent commands that may change the server (above)"
fi
rl grep '^[^ ]+ EXAMINE ' >/dev/null || t_fail "petrel -R never used EXAMINE"
t_pass "read all $n messages and tried every operation read-only; the server is byte-for-byte unchanged"
