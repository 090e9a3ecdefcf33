#!/usr/bin/env bash
# ui-read.sh - reading mail in the ncurses UI (driven through tmux) marks it
# \Seen on the server; the same in a read-only account changes nothing.
#
# Read-write: petrel opens INBOX (status line shows the server's counts);
# Tab, j, Enter opens the next folder; G, Enter opens its newest message,
# which starts unseen; the pager shows its subject and a line of its body;
# an independent IMAP session then sees \Seen on that message.
# Read-only (read_only = true): the INBOX's newest message and the other
# folder's second newest are opened; after waiting, neither has \Seen and
# the whole server state (every flag, UIDVALIDITY, HIGHESTMODSEQ) is equal
# to the state before.  The same for `petrel -R` on the read-write config.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init ui-read
t_need python3 openssl dovecot doveconf doveadm tmux timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
python3 "$T_LIB/gen-mailbox.py" --out "$(dovecot_maildir alice)" -n 300 --seed 3 \
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

# folder_counts DUMP NAME: "N U" for a folder in a probe dump.
folder_counts() {
	json "$1" "next('%d %d' % (f['exists'], f['unseen']) for f in d['folders'] if f['name'] == '$2')" ||
	    t_fail "folder $2 is not in the server dump $1"
}

# write_config FILE READ_ONLY
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
	read_only = $2
	EOF
}

# other_folder SESSION: wait until the list shows a folder other than
# INBOX; print its name.
other_folder() {
	local s=$1 i line name
	for ((i = 0; i < 75; i++)); do
		line=$(t_tmux_screen "$s" | grep -Eo '\[test\]( \(read-only\))? [^:]+: [0-9]+ messages, [0-9]+ unread' | head -n 1 || true)
		name=$(printf '%s\n' "$line" | sed -E 's/^\[test\]( \(read-only\))? ([^:]+): .*/\2/')
		if [ -n "$line" ] && [ "$name" != INBOX ]; then
			printf '%s\n' "$name"
			return 0
		fi
		sleep 0.2
	done
	t_tmux_dump "$s"
	t_fail "after Tab, j, Enter the status line does not show another folder"
}

# show_message SESSION FOLDER MSGJSON POS: the pager shows the message.
show_message() {
	local s=$1 folder=$2 msg=$3 pos=$4 total subject key
	total=$(folder_counts "$T/before-$s.json" "$folder")
	total=${total%% *}
	subject=$(json "$msg" "d['subject'][:40]")
	key=$(json "$msg" "d['key_line'][:60]")
	t_tmux_wait_re "$s" "\[test\]( \(read-only\))? $folder: message $pos/$total" 15 \
	    "pager status line" >/dev/null
	t_tmux_wait "$s" "$subject" 5 "subject of UID $(json "$msg" "d['uid']") in $folder"
	t_tmux_wait "$s" "$key" 5 "body line of UID $(json "$msg" "d['uid']") in $folder"
	if t_tmux_screen "$s" | grep -q 'Error:'; then
		t_tmux_dump "$s"
		t_fail "an Error: line is on the screen while reading"
	fi
}

# quit SESSION: q from the pager back to the list, q again quits; exit 0.
quit() {
	local s=$1
	t_tmux_keys "$s" q
	t_tmux_keys "$s" q
	t_tmux_wait_exit "$s" 10
	[ "$T_RC" = 0 ] || { t_tmux_dump "$s"; t_fail "petrel exited with status $T_RC after q"; }
}

# --- read-write -----------------------------------------------------------
write_config "$T/rw.conf" false
export XDG_DATA_HOME=$T/data-rw
probe dump --out "$T/before-rw.json" || t_fail "the IMAP probe cannot read the server"
counts=$(folder_counts "$T/before-rw.json" INBOX)
read -r n u <<<"$counts"
t_tmux_start rw "$PETREL" -F "$T/rw.conf" -d trace -L "$T/rw.log"
t_tmux_wait rw "[test] INBOX: $n messages, $u unread" 60 "INBOX status line"
t_log "rw: INBOX shows $n messages, $u unread"

t_tmux_keys rw Tab
t_tmux_keys rw j
t_tmux_keys rw Enter
folder=$(other_folder rw)
counts=$(folder_counts "$T/before-rw.json" "$folder")
read -r fn fu <<<"$counts"
t_tmux_wait rw "[test] $folder: $fn messages, $fu unread" 30 "status line of $folder"
t_log "rw: opened folder $folder ($fn messages, $fu unread)"

probe message "$folder" --newest 1 >"$T/rw-target.json" || t_fail "the IMAP probe cannot read $folder"
uid=$(json "$T/rw-target.json" "d['uid']")
[ "$(json "$T/rw-target.json" "d['petrel_flags']")" != S ] ||
    t_fail "test setup: the newest message of $folder is already seen"
t_tmux_keys rw G
t_tmux_keys rw Enter
show_message rw "$folder" "$T/rw-target.json" "$fn"
probe wait "$folder" "$uid" '\Seen' --set --timeout 8 >/dev/null ||
    t_fail "rw: opening UID $uid in $folder did not set \\Seen on the server"
t_log "rw: UID $uid in $folder is \\Seen on the server"
quit rw
# the trace must really hold the IMAP dialogue, or the check proves nothing
assert_grep 'SELECT|EXAMINE' "$T/rw.log" "the trace log records IMAP commands"
assert_no_string secret "the password in the trace log" "$T/rw.log"

# --- read-only ------------------------------------------------------------
write_config "$T/ro.conf" true
export XDG_DATA_HOME=$T/data-ro
probe dump --out "$T/before-ro.json" || t_fail "the IMAP probe cannot read the server"
probe message INBOX --newest 1 >"$T/ro-target1.json" &&
    probe message "$folder" --newest 2 >"$T/ro-target2.json" ||
    t_fail "the IMAP probe cannot read the target messages"
uid1=$(json "$T/ro-target1.json" "d['uid']")
uid2=$(json "$T/ro-target2.json" "d['uid']")
for f in "$T/ro-target1.json" "$T/ro-target2.json"; do
	[ "$(json "$f" "d['petrel_flags']")" = - ] ||
	    t_fail "test setup: target $(json "$f" "d['folder'], d['uid']") is not unseen"
done
counts=$(folder_counts "$T/before-ro.json" INBOX)
read -r n u <<<"$counts"
t_tmux_start ro "$PETREL" -F "$T/ro.conf" -d trace -L "$T/ro.log"
t_tmux_wait ro "[test] (read-only) INBOX: $n messages, $u unread" 60 "read-only INBOX status line"
t_tmux_keys ro Enter
show_message ro INBOX "$T/ro-target1.json" "$n"
t_tmux_keys ro q
t_tmux_keys ro Tab
t_tmux_keys ro j
t_tmux_keys ro Enter
folder2=$(other_folder ro)
[ "$folder2" = "$folder" ] || t_fail "ro: Tab, j, Enter opened $folder2, the read-write run opened $folder"
counts=$(folder_counts "$T/before-ro.json" "$folder")
read -r fn fu <<<"$counts"
t_tmux_wait ro "[test] (read-only) $folder: $fn messages, $fu unread" 30 "read-only status line of $folder"
t_tmux_keys ro G
t_tmux_keys ro k
t_tmux_keys ro Enter
show_message ro "$folder" "$T/ro-target2.json" "$((fn - 1))"
# give a (wrong) flag update every chance to reach the server
sleep 6
probe flags INBOX "$uid1" >"$T/ro-flags1" && probe flags "$folder" "$uid2" >"$T/ro-flags2" ||
    t_fail "the IMAP probe cannot read flags"
if grep -q 'Seen' "$T/ro-flags1" "$T/ro-flags2"; then
	t_fail "read-only: \\Seen was set on the server (INBOX UID $uid1: $(cat "$T/ro-flags1"); $folder UID $uid2: $(cat "$T/ro-flags2"))"
fi
quit ro
sleep 1
probe dump --out "$T/after-ro.json" || t_fail "the IMAP probe cannot read the server"
if ! cmp -s "$T/before-ro.json" "$T/after-ro.json"; then
	diff "$T/before-ro.json" "$T/after-ro.json" | head -n 20 >&2
	t_fail "read-only: the server state changed during the read-only session"
fi
t_log "ro: INBOX UID $uid1 and $folder UID $uid2 were shown and are still unseen; server unchanged"

# --- -R on the command line overrides read_only = false ---------------------
export XDG_DATA_HOME=$T/data-rw            # the read-write cache, on purpose
cp "$T/after-ro.json" "$T/before-cli.json"
counts=$(folder_counts "$T/before-cli.json" INBOX)
read -r n u <<<"$counts"
t_tmux_start cli "$PETREL" -R -F "$T/rw.conf"
t_tmux_wait cli "[test] (read-only) INBOX: $n messages, $u unread" 60 "-R: INBOX status line"
t_tmux_keys cli Enter
show_message cli INBOX "$T/ro-target1.json" "$n"
sleep 5
quit cli
sleep 1
probe dump --out "$T/after-cli.json" || t_fail "the IMAP probe cannot read the server"
if ! cmp -s "$T/before-cli.json" "$T/after-cli.json"; then
	diff "$T/before-cli.json" "$T/after-cli.json" | head -n 20 >&2
	t_fail "-R: the server state changed although petrel ran with -R"
fi

t_pass "reading marks \\Seen; read-only reading leaves the server unchanged"
