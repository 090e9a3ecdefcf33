#!/usr/bin/env bash
# ops-ui.sh - every mailbox operation of the UI (driven through tmux) does
# what it says on the server, checked from an independent IMAP session.
#
# A private Dovecot with SPECIAL-USE folders (Trash is \Trash) and 300
# generated messages.  petrel opens INBOX; on the message under the cursor
# (G = the newest, k = one up; the list is in date order, which the
# generator makes equal to UID order, and the test checks the highlighted
# row's subject before every key) it then:
#   N, N        \Seen set, then cleared again
#   F, F        \Flagged set, then cleared
#   d           (delete = trash) the message leaves INBOX and is in Trash
#   s Archive   the message leaves INBOX and is in Archive
#   C Lists     the message is in Lists and still in INBOX
#   >  FILE     FILE holds the message exactly as the server has it
#   t (x3) ; F  exactly the three tagged messages get \Flagged
#   ; d         the three tagged messages go to Trash
# then, with delete = expunge:
#   d / u / d   \Deleted set / cleared / set, the message stays
#   $ n         nothing is expunged; $ y: the message is gone for good
# and folders: + "Büro" (created, modified UTF-7 on the wire), c Büro
# Esc-r "Büro-Ablage" (renamed), Esc-d y (deleted).  Each result is polled
# on the server with a bound; the status line counts must follow, no
# Error: line may appear, and at the end `petrel ls` matches the server.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init ops-ui
t_need python3 openssl dovecot doveconf doveadm tmux timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

export DOVECOT_SPECIAL_USE=1 DOVECOT_RAWLOG=1
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 300 --seed 5 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
dovecot_subscribe_all alice || t_fail "doveadm could not subscribe the folders"

S=ops			# the tmux session
OP_SECS=10		# bound for each server-side result

probe() {
	python3 "$T_LIB/imap-probe.py" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
	    --user alice --password secret "$@"
}

# json FILE EXPR: print a value from a JSON file (EXPR in Python, d = data).
json() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# write_config FILE DELETE-MODE
write_config() {
	cat >"$1" <<-EOF
	[account test]
	driver = imap
	host = 127.0.0.1
	port = $DOVECOT_IMAPS_PORT
	user = alice
	password = secret
	security = implicit
	tls_ca_file = $DOVECOT_CA
	read_only = false
	delete = $2
	EOF
}

# uid_at K: the UID of the K-th newest message in INBOX (1 = newest).
uid_at() {
	probe uids INBOX >"$T/inbox-uids" || t_fail "the probe cannot list INBOX"
	tail -n "$1" "$T/inbox-uids" | head -n 1
}

# info UID: JSON of one INBOX message in $T/msg-UID.json.
info() {
	probe message INBOX --uid "$1" >"$T/msg-$1.json" || t_fail "the probe cannot read INBOX UID $1"
}

# subject_prefix UID: the start of the subject, as the list row shows it.
subject_prefix() {
	json "$T/msg-$1.json" "d['subject'][:14]"
}

# select_k K: put the cursor on the K-th newest message (G, then k K-1
# times) and check that the highlighted row is that message.  Prints its UID.
select_k() {
	local k=$1 uid i
	uid=$(uid_at "$k")
	info "$uid"
	t_tmux_keys $S G
	for ((i = 1; i < k; i++)); do
		t_tmux_keys $S k
	done
	t_tmux_wait_selected $S "$(subject_prefix "$uid")" 5 \
	    "cursor on the ${k}. newest INBOX message (UID $uid)"
	printf '%s\n' "$uid"
}

# has_flag FOLDER UID FLAG: true if the server shows the flag.
has_flag() {
	probe flags "$1" "$2" >"$T/flags.out" || t_fail "the probe cannot read UID $2 in $1"
	tr ' ' '\n' <"$T/flags.out" | grep -qxF -- "$3"
}

# in_inbox UID: INBOX on the server has that UID.
in_inbox() {
	probe uids INBOX >"$T/inbox-now" || t_fail "the probe cannot list INBOX"
	grep -qx "$1" "$T/inbox-now"
}

# wait_flag UID FLAG --set|--unset WHAT
wait_flag() {
	probe wait INBOX "$1" "$2" "$3" --timeout "$OP_SECS" >/dev/null ||
	    { t_tmux_dump $S; t_fail "$4: INBOX UID $1 does not have $2 ${3#--} on the server"; }
}

# in_folder FOLDER MSGID: the message is in FOLDER on the server.
in_folder() {
	probe find "$1" --message-id "$2" >/dev/null 2>&1
}

# not_in_inbox UID: INBOX on the server has no such UID any more.
not_in_inbox() {
	! in_inbox "$1"
}

# no_error WHAT: no Error: line on the screen.
no_error() {
	local screen
	screen=$(t_tmux_screen $S)
	if grep -q 'Error:' <<<"$screen"; then
		t_tmux_dump $S
		t_fail "$1: an Error: line is on the screen"
	fi
}

# status_count N: the status line shows N messages in INBOX.
status_count() {
	t_tmux_wait_re $S "\[test\] INBOX: $1 messages, [0-9]+ unread" 15 "$2" >/dev/null
}

# pick FOLDER: answer the folder picker by typing the name, then Enter.
pick() {
	t_tmux_type $S "$1"
	t_tmux_keys $S Enter
}

# prompt_answer TEXT: clear a prompt's line (C-u), type TEXT, Enter.
prompt_answer() {
	t_tmux_keys $S C-u
	t_tmux_type $S "$1"
	t_tmux_keys $S Enter
}

# quit_petrel: q quits from the list with status 0.
quit_petrel() {
	t_tmux_keys $S q
	t_tmux_wait_exit $S 15
	[ "$T_RC" = 0 ] || { t_tmux_dump $S; t_fail "petrel exited with status $T_RC after q"; }
}

# --- start ------------------------------------------------------------------
write_config "$T/trash.conf" trash
probe dump --out "$T/before.json" || t_fail "the IMAP probe cannot read the server"
read -r n u < <(json "$T/before.json" "next('%d %d' % (f['exists'], f['unseen']) for f in d['folders'] if f['name'] == 'INBOX')")
[ "$(json "$T/before.json" "'Trash' in [f['name'] for f in d['folders']]")" = True ] ||
    t_fail "test setup: the server has no Trash folder"
t_tmux_start $S "$PETREL" -F "$T/trash.conf" -d debug -L "$T/petrel.log"
t_tmux_wait $S "[test] INBOX: $n messages, $u unread" 60 "INBOX status line"
t_log "INBOX: $n messages, $u unread"

# The worker indexes what the sync stored for search, between commands,
# once the list is shown (the cache read through Python's sqlite3).
indexed() {
	python3 - "$XDG_DATA_HOME/petrel/cache.db" <<-'PY'
	import sqlite3, sys
	db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
	upto = db.execute("SELECT fts_upto FROM search_state").fetchone()[0]
	top = db.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0]
	sys.exit(0 if top > 0 and upto >= top else 1)
	PY
}
for ((i = 0; i < 100; i++)); do
	indexed && break
	sleep 0.1
done
indexed || t_fail "the search index does not cover the synced messages after 10 s"

# --- N: read / unread -------------------------------------------------------
uid=$(select_k 1)
has_flag INBOX "$uid" '\Seen' && t_fail "test setup: the newest INBOX message is already seen"
t_tmux_keys $S N
wait_flag "$uid" '\Seen' --set "N on an unread message"
t_tmux_wait_re $S "\[test\] INBOX: $n messages, $((u - 1)) unread" 10 "unread count after N" >/dev/null
t_tmux_keys $S N
wait_flag "$uid" '\Seen' --unset "N on a read message"
t_tmux_wait_re $S "\[test\] INBOX: $n messages, $u unread" 10 "unread count after N, N" >/dev/null
no_error "N"
t_log "N: UID $uid read, then unread on the server"

# --- F: flag / unflag ------------------------------------------------------
has_flag INBOX "$uid" '\Flagged' && t_fail "test setup: UID $uid is already flagged"
t_tmux_keys $S F
wait_flag "$uid" '\Flagged' --set "F"
t_tmux_keys $S F
wait_flag "$uid" '\Flagged' --unset "F, F"
no_error "F"
t_log "F: UID $uid flagged, then unflagged on the server"

# --- d with delete = trash ---------------------------------------------------
uid=$(select_k 2)
msgid=$(json "$T/msg-$uid.json" "d['message_id']")
t_tmux_keys $S d
t_poll $OP_SECS "d (delete = trash): UID $uid is still in INBOX" not_in_inbox "$uid"
t_poll $OP_SECS "d (delete = trash): $msgid is not in Trash" in_folder Trash "$msgid"
n=$((n - 1))
status_count $n "INBOX count after d"
no_error "d"
t_log "d: UID $uid moved to Trash"

# --- s: move to Archive -------------------------------------------------------
uid=$(select_k 1)
msgid=$(json "$T/msg-$uid.json" "d['message_id']")
t_tmux_keys $S s
pick Archive
t_poll $OP_SECS "s Archive: UID $uid is still in INBOX" not_in_inbox "$uid"
t_poll $OP_SECS "s Archive: $msgid is not in Archive" in_folder Archive "$msgid"
n=$((n - 1))
status_count $n "INBOX count after s"
no_error "s"
t_log "s: UID $uid moved to Archive"

# --- C: copy to Lists ---------------------------------------------------------
uid=$(select_k 1)
msgid=$(json "$T/msg-$uid.json" "d['message_id']")
t_tmux_keys $S C
pick Lists
t_poll $OP_SECS "C Lists: $msgid is not in Lists" in_folder Lists "$msgid"
in_inbox "$uid" || t_fail "C Lists: UID $uid left INBOX (copy must keep it)"
status_count $n "INBOX count after C"
no_error "C"
t_log "C: UID $uid copied to Lists"

# --- >: save to a file -------------------------------------------------------
t_tmux_keys $S '>'
prompt_answer "$T/saved.eml"
t_poll $OP_SECS "> FILE: $T/saved.eml was not written" test -s "$T/saved.eml"
sleep 0.5
probe raw INBOX "$uid" >"$T/server.eml" || t_fail "the probe cannot read UID $uid"
python3 - "$T/saved.eml" "$T/server.eml" <<'PY' || t_fail "> FILE: the file is not the message as the server holds it"
import sys
saved = open(sys.argv[1], "rb").read().replace(b"\r\n", b"\n")
server = open(sys.argv[2], "rb").read().replace(b"\r\n", b"\n")
if saved.startswith(b"From ") and not server.startswith(b"From "):
    saved = saved.split(b"\n", 1)[1]        # an mbox separator line is fine
if saved.rstrip(b"\n") != server.rstrip(b"\n"):
    sys.exit("saved %d bytes, the server has %d; first difference at byte %d"
             % (len(saved), len(server),
                next((i for i, (a, b) in enumerate(zip(saved, server)) if a != b),
                     min(len(saved), len(server)))))
PY
no_error ">"
t_log "> : UID $uid saved, identical to the server's copy"

# --- t, t, t then ; F and ; d --------------------------------------------------
tagged=()
others=()
for k in 2 4 6; do
	tagged+=("$(select_k $k)")
	t_tmux_keys $S t
done
others=("$(uid_at 3)" "$(uid_at 5)")
for x in "${tagged[@]}" "${others[@]}"; do
	has_flag INBOX "$x" '\Flagged' && t_fail "test setup: UID $x is already flagged"
done
t_tmux_keys $S '\;'
t_tmux_keys $S F
for x in "${tagged[@]}"; do
	wait_flag "$x" '\Flagged' --set "; F on tagged messages"
done
sleep 1
for x in "${others[@]}"; do
	has_flag INBOX "$x" '\Flagged' && t_fail "; F: untagged UID $x was flagged too"
done
no_error "; F"
t_log "; F: tagged UIDs ${tagged[*]} flagged, untagged ${others[*]} not"
t_tmux_keys $S '\;'
t_tmux_keys $S d
for x in "${tagged[@]}"; do
	t_poll $OP_SECS "; d: tagged UID $x is still in INBOX" not_in_inbox "$x"
done
for x in "${others[@]}"; do
	in_inbox "$x" || t_fail "; d: untagged UID $x left INBOX too"
done
n=$((n - 3))
status_count $n "INBOX count after ; d"
no_error "; d"
t_log "; d: tagged UIDs ${tagged[*]} went to Trash"
quit_petrel

# --- delete = expunge: d, u, d, $ n, $ y ---------------------------------------
write_config "$T/expunge.conf" expunge
S=ops2
t_tmux_start $S "$PETREL" -F "$T/expunge.conf" -d debug -L "$T/petrel2.log"
status_count $n "INBOX status line (delete = expunge)"
uid=$(select_k 1)
msgid=$(json "$T/msg-$uid.json" "d['message_id']")
t_tmux_keys $S d
wait_flag "$uid" '\Deleted' --set "d (delete = expunge)"
in_inbox "$uid" || t_fail "d (delete = expunge): UID $uid left INBOX before any expunge"
t_tmux_keys $S u
wait_flag "$uid" '\Deleted' --unset "u"
t_tmux_keys $S d
wait_flag "$uid" '\Deleted' --set "d after u"
t_tmux_keys $S '$'
t_tmux_wait_re $S '[yY]/[nN]|\(y/n\)|\[y/n\]|yes/no' 5 "\$ asks for confirmation" >/dev/null
t_tmux_keys $S n
sleep 2
in_inbox "$uid" || t_fail "\$ answered n: UID $uid was expunged anyway"
t_tmux_keys $S '$'
t_tmux_wait_re $S '[yY]/[nN]|\(y/n\)|\[y/n\]|yes/no' 5 "\$ asks for confirmation" >/dev/null
t_tmux_keys $S y
t_poll $OP_SECS "\$ y: UID $uid is still in INBOX" not_in_inbox "$uid"
in_folder Trash "$msgid" && t_fail "delete = expunge: the message went to Trash as well"
n=$((n - 1))
status_count $n "INBOX count after \$ y"
no_error "d u d \$"
t_log "delete = expunge: d/u/d set and cleared \\Deleted; \$ n kept, \$ y expunged UID $uid"

# --- folders: create, open, rename, delete (a non-ASCII name) -------------------
has_folder() {
	probe folders >"$T/folders.out" || t_fail "the probe cannot list the folders"
	grep -qxF -- "$1" "$T/folders.out"
}
t_tmux_keys $S +
prompt_answer "Büro"
t_poll $OP_SECS "+ Büro: the folder was not created" has_folder "Büro"
t_tmux_keys $S c
pick "Büro"
t_tmux_wait_re $S '\[test\] Büro: 0 messages, 0 unread' 15 "c Büro opens the new folder" >/dev/null
t_tmux_keys $S M-r
prompt_answer "Büro-Ablage"
t_poll $OP_SECS "Esc-r: the folder was not renamed to Büro-Ablage" has_folder "Büro-Ablage"
has_folder "Büro" && t_fail "Esc-r: the old folder Büro still exists"
# (petrel shows INBOX again after renaming the open folder: open it anew)
t_tmux_keys $S c
pick "Büro-Ablage"
t_tmux_wait_re $S '\[test\] Büro-Ablage: 0 messages, 0 unread' 15 "c Büro-Ablage opens the renamed folder" >/dev/null
t_tmux_keys $S M-d
t_tmux_wait_re $S '[yY]/[nN]|\(y/n\)|\[y/n\]|yes/no' 5 "Esc-d asks for confirmation" >/dev/null
t_tmux_keys $S y
gone() { ! has_folder "$1"; }
t_poll $OP_SECS "Esc-d y: the folder Büro-Ablage still exists" gone "Büro-Ablage"
no_error "folders"
# the name went over the wire in modified UTF-7 (RFC 3501 5.1.3)
python3 "$T_LIB/rawlog.py" "$(dovecot_rawlog_dir alice)" grep 'CREATE "?B&APw-ro"?' >/dev/null ||
    t_fail "CREATE did not use the modified UTF-7 name B&APw-ro"
t_log "folders: Büro created (B&APw-ro on the wire), renamed, deleted"
quit_petrel

# --- the cache matches the server -------------------------------------------------
probe compare --petrel "$PETREL" --config "$T/expunge.conf" --account test >&2 ||
    t_fail "after the operations petrel's cache does not match the server"
assert_no_string secret "the password in the debug log" "$T/petrel.log" "$T/petrel2.log"
t_pass "N, F, d (trash and expunge), u, \$, s, C, >, t/;, folder create/rename/delete all reach the server"
