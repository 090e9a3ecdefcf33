#!/usr/bin/env bash
# pop3-move.sh - moving and copying messages from a POP3 account into a
# local Maildir account, in the UI (tmux), against a real Dovecot.
#
#   1. s on the newest POP3 message, picking local/INBOX: its bytes (line
#      ends aside) appear in the local Maildir, and only then does it
#      leave the server (DELE): Dovecot's mail store loses that file, the
#      list shows one message fewer, the cache has no operation left.
#   2. The next message is opened (read: \Seen kept locally), then C to
#      local/INBOX: the Maildir gets it with the S flag, the server keeps
#      it.
#   3. The POP3 account read-only: s is refused with a message; C still
#      copies into the writable local account; the server's files are
#      exactly as before (no DELE).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init pop3-move
t_need python3 openssl dovecot doveconf tmux timeout
t_find_petrel
S=mv
PASSWORD='Move-Pa55-k2'

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
dovecot_add_user alice "$PASSWORD"
SRV=$(dovecot_maildir alice)
python3 "$T_LIB/gen-mailbox.py" --out "$SRV" -n 30 --seed 11 --no-check \
    >/dev/null || t_fail "cannot generate the mailbox"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
LOCAL=$T/Local
mkdir -p "$LOCAL/cur" "$LOCAL/new" "$LOCAL/tmp"

# write_config FILE [EXTRA-LINE]: the POP3 account (first) and the local one.
write_config() {
	cat >"$1" <<-EOF
	[account pop]
	driver = pop3
	host = 127.0.0.1
	port = $DOVECOT_POP3S_PORT
	security = implicit
	tls_ca_file = $DOVECOT_CA
	user = alice
	password = $PASSWORD
	timeout = 20
	${2:-}

	[account local]
	driver = maildir
	path = $LOCAL
	EOF
}

# server_files: the unique names of the server's message files, sorted.
server_files() {
	find "$SRV/cur" "$SRV/new" -type f -printf '%f\n' | sed 's/:.*//' | sort
}

# local_count: how many messages the local Maildir holds.
local_count() {
	find "$LOCAL/cur" "$LOCAL/new" -type f | wc -l
}

# wait_count WHAT N CMD...: poll CMD until it prints N (20 s).
wait_count() {
	local what=$1 want=$2 got=
	shift 2
	for _ in $(seq 100); do
		got=$("$@")
		[ "$got" = "$want" ] && return 0
		sleep 0.2
	done
	t_tmux_dump $S
	t_fail "$what: $got, expected $want"
}

# match_server LOCAL-FILE: the name of the saved server file it equals.
match_server() {
	python3 - "$T/saved" "$1" <<-'PY'
	import os, sys
	want = open(sys.argv[2], "rb").read().replace(b"\r\n", b"\n")
	for f in sorted(os.listdir(sys.argv[1])):
	    if open(os.path.join(sys.argv[1], f), "rb").read() == want:
	        print(f.split(":")[0])
	PY
}

CACHE=$XDG_DATA_HOME/petrel/cache.db
pending_ops() {
	python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM pending_ops").fetchone()[0])' "$CACHE"
}

write_config "$T/rw.conf"
mkdir -p "$T/saved"
cp "$SRV"/cur/* "$SRV"/new/* "$T/saved/" 2>/dev/null || true
before=$(server_files | wc -l)
[ "$(find "$T/saved" -type f | wc -l)" = "$before" ] || t_fail "test setup: cannot save the server's files"

# --- 1. s: move to the local account ---------------------------------------
t_tmux_start $S "$PETREL" -F "$T/rw.conf" -d debug -L "$T/petrel.log"
t_tmux_wait $S "[pop] INBOX: $before messages" 60 "POP3 INBOX status line"
t_tmux_keys $S s
t_tmux_wait $S "local/INBOX" 10 "the picker lists the local account's folder"
t_tmux_type $S "local/INBOX"
t_tmux_keys $S Enter
wait_count "messages in the local Maildir after s" 1 local_count
wait_count "messages on the server after s" $((before - 1)) eval 'server_files | wc -l'
moved=$(match_server "$(find "$LOCAL/cur" "$LOCAL/new" -type f | head -n 1)")
[ -n "$moved" ] || t_fail "the local copy equals none of the server's messages"
server_files | grep -qxF -- "$moved" && t_fail "the moved message is still on the server"
t_tmux_wait $S "[pop] INBOX: $((before - 1)) messages" 20 "POP3 status after the move"
wait_count "pending operations after the move" 0 pending_ops
t_log "s: moved into the Maildir, then deleted on the server"

# --- 2. read, then C: copy keeps the server's and the \Seen flag -----------
t_tmux_keys $S Enter
t_tmux_wait $S "Subject:" 20 "the pager shows the message"
t_tmux_keys $S q
t_tmux_keys $S C
t_tmux_type $S "local/INBOX"
t_tmux_keys $S Enter
wait_count "messages in the local Maildir after C" 2 local_count
copy=
for f in "$LOCAL"/cur/* "$LOCAL"/new/*; do
	[ -f "$f" ] && [ "$(match_server "$f")" != "$moved" ] && copy=$f
done
[ -n "$copy" ] || t_fail "no second message in the local Maildir"
copied=$(match_server "$copy")
[ -n "$copied" ] || t_fail "the copy equals none of the server's messages"
case ${copy##*/} in
*:2,*S*) ;;
*) t_fail "the copy of a read message lacks the S flag: ${copy##*/}" ;;
esac
sleep 2
[ "$(server_files | wc -l)" = $((before - 1)) ] || t_fail "C removed a message from the server"
server_files | grep -qxF -- "$copied" || t_fail "the copied message left the server"
t_tmux_keys $S q
t_tmux_wait_exit $S 15
t_log "C: copied with S, the server keeps it"

# --- 3. read-only POP3: no move, copies still go out ------------------------
write_config "$T/ro.conf" "read_only = true"
server_files >"$T/ro-before.txt"
t_tmux_start ro "$PETREL" -F "$T/ro.conf" -d debug -L "$T/petrel-ro.log"
t_tmux_wait ro "[pop] (read-only) INBOX: $((before - 1)) messages" 60 "read-only status line"
t_tmux_keys ro s
t_tmux_wait ro "Read-only: move not done" 10 "s on a read-only account"
t_tmux_keys ro C
t_tmux_wait ro "local/INBOX" 10 "a copy out of a read-only account may go to another"
t_tmux_type ro "local/INBOX"
t_tmux_keys ro Enter
wait_count "messages in the local Maildir after a read-only C" 3 local_count
sleep 2
server_files >"$T/ro-after.txt"
cmp -s "$T/ro-before.txt" "$T/ro-after.txt" || t_fail "the read-only account changed the server"
t_tmux_keys ro q
t_tmux_wait_exit ro 15
t_log "read-only: s refused, C copied, the server unchanged"

t_pass
