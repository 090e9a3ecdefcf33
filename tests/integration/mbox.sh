#!/usr/bin/env bash
# mbox.sh - a system mailbox (mbox) is read, never written, and followed
# as another program appends to it; with no configuration file at all,
# petrel opens $MAIL (or ~/Maildir).
#
# The test writes the mbox itself: lines of bodies starting with "From "
# quoted as ">From " and ">>From " (mboxrd), Status:/X-Status: flags, a
# message without an empty line before the next "From " line, and a last
# message without its trailing newline.
#   1. `petrel sync` and `petrel ls` show every message with its flags;
#      the file's sha256 (and mtime) are unchanged.
#   2. In the UI the status line says read-only; the message with quoted
#      lines shows them unquoted, the last one shows its last line; N is
#      refused; the file is unchanged.
#   3. While petrel shows INBOX, another program appends a message: it
#      is on screen within 3 s; afterwards `petrel ls` keeps every old id
#      and the file is exactly what was written.
#   4. No configuration file: MAIL=the mbox opens it as account "local"
#      (read-only, said on stderr); without $MAIL, ~/Maildir is opened;
#      with neither, the old error (exit 2).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"

t_init mbox
t_need python3 tmux timeout sha256sum
t_find_petrel
mkdir -p "$T/cwd" "$T/mail"
cd "$T/cwd"

MBOX=$T/mail/alice
S=mb
APPEND_SECS=3

python3 - "$MBOX" <<'PY'
import sys
msgs = [
    ("alice@example.org Mon Jan  1 10:00:00 2024", [
        "From: Alice Example <alice@example.org>",
        "To: me@example.org",
        "Date: Mon, 01 Jan 2024 10:00:00 +0000",
        "Subject: Quoting test",
        "Message-ID: <q@example.org>",
        "Status: RO",
        "X-Status: F",
        "",
        "The next lines began with From in the original:",
        ">From the desk of Alice",
        ">>From a line that was quoted twice",
        "Fromage is not quoted.",
        ""]),
    ("bob@example.org Tue Jan  2 10:00:00 2024", [
        "From: =?UTF-8?Q?B=C3=B6b?= <bob@example.org>",
        "Date: Tue, 02 Jan 2024 10:00:00 +0000",
        "Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=",
        "Status: O",
        "X-Status: A",
        "",
        "Unread and answered.",
        ""]),
    # no empty line before the next From_ line (a careless writer)
    ("carol@example.org Wed Jan  3 10:00:00 2024", [
        "From: carol@example.org",
        "Date: Wed, 03 Jan 2024 10:00:00 +0000",
        "Subject: No blank line after me",
        "Status: R",
        "",
        "body"]),
    ("dave@example.org Thu Jan  4 10:00:00 2024", [
        "From: Dave <dave@example.org>",
        "Date: Thu, 04 Jan 2024 10:00:00 +0000",
        "Subject: No trailing newline",
        "",
        "This is the very last line"]),
]
out = []
for i, (sep, lines) in enumerate(msgs):
    out.append("From " + sep + "\n" + "\n".join(lines))
    if i < len(msgs) - 1:
        out.append("\n")
text = "".join(out)             # ends without a newline
open(sys.argv[1], "w").write(text)
PY
cat >"$T/petrel.conf" <<EOF
[account sys]
driver = mbox
path = $MBOX
EOF
cp "$MBOX" "$T/mbox.orig"
sum0=$(sha256sum <"$MBOX")
mtime0=$(stat -c %Y "$MBOX")

# --- 1. sync, ls, nothing written --------------------------------------------
t_run sync 30 "$PETREL" -F "$T/petrel.conf" sync
assert_rc 0 sync
[ ! -s "$T/sync.err" ] || { t_show sync; t_fail "petrel sync wrote on stderr"; }
assert_eq "INBOX: 4 messages, 2 unread" "$(cat "$T/sync.out")" "sync summary"
t_run ls 30 "$PETREL" -F "$T/petrel.conf" ls sys INBOX
assert_rc 0 ls
cut -f 2- "$T/ls.out" >"$T/ls.cols"
cat >"$T/ls.want" <<'EOF'
SF	2024-01-01 10:00	Alice Example	Quoting test
A	2024-01-02 10:00	Böb	Grüße
S	2024-01-03 10:00	carol@example.org	No blank line after me
-	2024-01-04 10:00	Dave	No trailing newline
EOF
diff -u "$T/ls.want" "$T/ls.cols" >&2 || t_fail "petrel ls: not the messages of the mbox"
cut -f 1 "$T/ls.out" >"$T/ids0"
assert_eq "$sum0" "$(sha256sum <"$MBOX")" "the mbox after sync (sha256)"

# --- 2. reading in the UI -----------------------------------------------------
t_tmux_start $S "$PETREL" -F "$T/petrel.conf" -d debug -L "$T/ui.log"
t_tmux_wait $S "[sys] (read-only) INBOX: 4 messages, 2 unread" 20 "read-only status line"
t_tmux_keys $S Home
t_tmux_wait_selected $S "Quoting test" 5 "cursor on the first message"
t_tmux_keys $S Enter
t_tmux_wait $S "From the desk of Alice" 5 "the pager unquotes >From"
t_tmux_wait $S ">From a line that was quoted twice" 5 "the pager unquotes >>From once"
t_tmux_wait $S "Fromage is not quoted." 5 "the pager shows the body"
if t_tmux_screen $S | grep -Eq '>From the desk|>>From a line'; then
	t_tmux_dump $S
	t_fail "the pager still shows the quoting '>'"
fi
t_tmux_keys $S q
t_tmux_keys $S G
t_tmux_keys $S Enter
t_tmux_wait $S "This is the very last line" 5 "the message without a trailing newline"
t_tmux_keys $S q
t_tmux_keys $S N
t_tmux_wait $S "Read-only: mark read/unread not done" 5 "N is refused"
assert_eq "$sum0" "$(sha256sum <"$MBOX")" "the mbox after reading (sha256)"
assert_eq "$mtime0" "$(stat -c %Y "$MBOX")" "the mbox's mtime after reading"

# --- 3. another program appends ----------------------------------------------
cat >"$T/append" <<'EOF'

From erin@example.org Fri Jan  5 10:00:00 2024
From: Erin <erin@example.org>
Date: Fri, 05 Jan 2025 10:00:00 +0000
Subject: Appended by another program

>From now on, appended.

EOF
start=$(t_now_ms)
cat "$T/append" >>"$MBOX"
t_tmux_wait $S "[sys] (read-only) INBOX: 5 messages, 3 unread" "$APPEND_SECS" "the append is counted"
took=$(($(t_now_ms) - start))
t_log "an append appeared after ${took} ms"
t_tmux_keys $S G
t_tmux_wait_selected $S "Appended by another" 5 "the appended message is listed"
t_tmux_keys $S q
t_tmux_wait_exit $S 15
[ "$T_RC" = 0 ] || { t_tmux_dump $S; t_fail "petrel exited with status $T_RC after q"; }
t_run ls2 30 "$PETREL" -F "$T/petrel.conf" ls sys INBOX
assert_rc 0 ls2
assert_lines 5 "$T/ls2.out" "messages after the append"
head -n 4 "$T/ls2.out" | cut -f 1 >"$T/ids1"
diff -u "$T/ids0" "$T/ids1" >&2 || t_fail "the append changed the ids of the old messages"
assert_grep 'Appended by another program$' "$T/ls2.out" "the appended message in petrel ls"
sum1=$(sha256sum <"$MBOX")
sum_expected=$( (cat "$T/mbox.orig"; cat "$T/append") | sha256sum)
assert_eq "$sum_expected" "$sum1" "the mbox is exactly the original plus the append"

# --- 4. no configuration file -------------------------------------------------
export XDG_CONFIG_HOME=$T/no-config XDG_DATA_HOME=$T/data-noconf
mkdir -p "$XDG_CONFIG_HOME"
t_run noconf 30 env MAIL="$MBOX" HOME="$T/home-none" "$PETREL" sync
assert_rc 0 noconf
assert_eq "INBOX: 5 messages, 3 unread" "$(cat "$T/noconf.out")" "MAIL=mbox, no config: sync"
assert_grep "opening .*alice \(mbox, read-only\) as account \"local\"" "$T/noconf.err" \
    "MAIL=mbox, no config: what was opened"
assert_grep 'To add an account, create .*/petrel/config' "$T/noconf.err" \
    "MAIL=mbox, no config: how to add an account"
t_run noconf-ls 30 env MAIL="$MBOX" HOME="$T/home-none" "$PETREL" ls local INBOX
assert_rc 0 noconf-ls
assert_lines 5 "$T/noconf-ls.out" "MAIL=mbox, no config: ls local INBOX"
mkdir -p "$T/home/Maildir/cur" "$T/home/Maildir/new" "$T/home/Maildir/tmp"
printf 'Subject: in home\n\nx\n' >"$T/home/Maildir/new/1.2_3.host"
t_run noconf-md 30 env -u MAIL HOME="$T/home" "$PETREL" sync
assert_rc 0 noconf-md
assert_eq "INBOX: 1 messages, 1 unread" "$(cat "$T/noconf-md.out")" "HOME/Maildir, no config: sync"
assert_grep "opening $T/home/Maildir \(maildir\)" "$T/noconf-md.err" "HOME/Maildir, no config"
t_run noconf-none 30 env -u MAIL HOME="$T/home-none" "$PETREL" sync
assert_rc 2 noconf-none
assert_grep 'no configuration file at' "$T/noconf-none.err" "no mailbox at all: the old error"
# -F names a file that does not exist: an error, not a guess
t_run noconf-f 30 env MAIL="$MBOX" "$PETREL" -F "$T/missing.conf" sync
assert_rc 2 noconf-f
t_pass "mbox read and followed without a byte written; no config opens \$MAIL or ~/Maildir"
