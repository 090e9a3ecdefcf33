#!/usr/bin/env bash
# compose-drafts.sh - address completion, postponing and resuming, in the
# UI (tmux), on a local Maildir account that sends through a
# sendmail_command (a script that keeps its arguments and input).
#
#   1. Tab at the To prompt completes "car" to the address written to
#      most (Carol, three messages in Sent) before the one that only
#      wrote (Caroline); Tab again offers Caroline.  At Bcc, "tea"
#      completes to an alias of aliases_file (offered first) with both
#      its members.
#   2. P postpones: the Maildir's Drafts folder gets the message with the
#      D and S flags, its Bcc kept, the attachment in it.
#   3. e on it in Drafts resumes every field and the attachment; y sends:
#      the command gets exactly the To and Bcc recipients, the message it
#      gets has no Bcc line (and, with format_flowed, a flowed text), and
#      the draft is gone from Drafts.
#   4. SIGTERM while the composer is open: the draft is kept (the outbox
#      holds it) and lands in Drafts when petrel starts again.
#   5. The same on an mbox account, which has no Drafts folder: the draft
#      stays in the outbox; e on it in the outbox view (W) opens it in the
#      composer, y sends it, and its outbox row is gone.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"

t_init compose-drafts
t_need python3 tmux timeout
t_find_petrel
S=cd
MD=$T/Maildir

# A Maildir with INBOX, Sent and Drafts (no messages in Drafts yet).
mkdir -p "$MD"/{cur,new,tmp} "$MD"/.Sent/{cur,new,tmp} "$MD"/.Drafts/{cur,new,tmp}
n=0
msg() {	# FOLDER-DIR FROM TO SUBJECT DAY
	n=$((n + 1))
	printf 'From: %s\nTo: %s\nSubject: %s\nDate: %s Nov 2026 10:00:00 +0000\nMessage-ID: <m%d@example.org>\n\nhello\n' \
	    "$2" "$3" "$4" "$5" "$n" >"$1/cur/17960000$n.$n.host:2,S"
}
for d in 10 11 12; do
	msg "$MD/.Sent" "Me <me@example.org>" "Carol Jones <carol@example.org>" "to carol $d" "$d"
done
msg "$MD" "Caroline Smith <caroline@example.org>" "Me <me@example.org>" "from caroline" 20
cat >"$T/aliases" <<'EOF'
# the team
alias team Team Lead <lead@example.org>, \
	dev@example.org
EOF

# The editor: the first time (a new message) writes the body; a resumed
# draft is left as it is.
cat >"$T/editor.sh" <<'EOF'
#!/bin/sh
grep -q 'Hello from a draft' "$1" && exit 0
printf '\nHello from a draft.\n' >>"$1"
EOF
cat >"$T/sendmail.sh" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T/sent.args"
cat >"$T/sent.eml"
EOF
chmod 755 "$T/editor.sh" "$T/sendmail.sh"
head -c 20000 /dev/urandom >"$T/data.bin"
cat >"$T/petrel.conf" <<EOF
[general]
editor = $T/editor.sh
aliases_file = $T/aliases
format_flowed = yes
[account local]
driver = maildir
path = $MD
from = Me <me@example.org>
sendmail_command = $T/sendmail.sh -oi
EOF

drafts() {
	find "$MD/.Drafts/cur" "$MD/.Drafts/new" -type f | wc -l
}

# --- 1. completion ----------------------------------------------------------
t_tmux_start $S "$PETREL" -F "$T/petrel.conf" -d debug -L "$T/petrel.log"
t_tmux_wait $S "[local] INBOX: 1 messages" 30 "the INBOX status line"
t_tmux_keys $S m
t_tmux_wait $S "Compose: y send" 20 "the composer"
t_tmux_keys $S t
t_tmux_type $S "car"
t_tmux_keys $S Tab
t_tmux_wait $S "To: Carol Jones <carol@example.org>" 5 "Tab: the address written to most"
t_tmux_keys $S Tab
t_tmux_wait $S "To: Caroline Smith <caroline@example.org>" 5 "Tab again: the next"
t_tmux_keys $S Tab
t_tmux_wait $S "To: Carol Jones <carol@example.org>" 5 "Tab cycles"
t_tmux_keys $S Enter
t_tmux_keys $S b
t_tmux_type $S "tea"
t_tmux_keys $S Tab
t_tmux_wait $S "Team Lead <lead@example.org>, dev@example.org" 5 "an alias first"
t_tmux_keys $S Enter
t_tmux_keys $S s
t_tmux_keys $S C-u
t_tmux_type $S "Entwurf über Kölner Pläne"
t_tmux_keys $S Enter
t_tmux_keys $S a
t_tmux_type $S "$T/data.bin"
t_tmux_keys $S Enter
t_tmux_wait $S "1. data.bin [" 10 "the attachment"
t_log "completion: the most written-to first, Tab cycles, aliases first"

# --- 2. postpone --------------------------------------------------------------
t_tmux_keys $S P
t_tmux_wait $S "Draft kept in Drafts" 20 "P postpones"
[ "$(drafts)" = 1 ] || t_fail "Drafts holds $(drafts) files, expected 1"
f=$(find "$MD/.Drafts/cur" "$MD/.Drafts/new" -type f)
case ${f##*/} in
*:2,DS) ;;
*) t_fail "the draft's flags: ${f##*/}" ;;
esac
python3 - "$f" <<'PY' || t_fail "the draft in Drafts is not what was written"
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert m["Subject"] == "Entwurf über Kölner Pläne", m["Subject"]
assert "carol@example.org" in m["To"], m["To"]
assert "lead@example.org" in m["Bcc"] and "dev@example.org" in m["Bcc"], m["Bcc"]
assert [a.get_filename() for a in m.iter_attachments()] == ["data.bin"]
PY
t_log "P: the draft is in Drafts with D and S, Bcc and attachment kept"

# --- 3. resume and send -------------------------------------------------------
t_tmux_keys $S c
t_tmux_type $S "Drafts"
t_tmux_keys $S Enter
t_tmux_wait $S "[local] Drafts: 1 messages" 20 "the Drafts folder"
t_tmux_keys $S e
t_tmux_wait $S "Compose: y send" 20 "the resumed draft"
t_tmux_wait $S "Bcc: Team Lead <lead@example.org>, dev@example.org" 5 "Bcc resumed"
t_tmux_wait $S "Subject: Entwurf über Kölner Pläne" 5 "the subject resumed"
t_tmux_wait $S "1. data.bin [" 5 "the attachment resumed"
t_tmux_keys $S y
t_tmux_wait $S "Sent." 20 "sent"
printf '%s\n' -oi carol@example.org lead@example.org dev@example.org >"$T/want.args"
diff -u "$T/want.args" "$T/sent.args" >&2 || t_fail "the recipients given to the command"
grep -qi '^Bcc:' "$T/sent.eml" && t_fail "the sent message shows its Bcc"
grep -q 'format=flowed' "$T/sent.eml" || t_fail "format_flowed = yes: the text is not format=flowed"
cmp -s <(python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print([p.get_payload(decode=True) for p in m.walk() if p.get_filename()==sys.argv[2]][0].hex())' "$T/sent.eml" data.bin) \
    <(python3 -c 'import sys; print(open(sys.argv[1],"rb").read().hex())' "$T/data.bin") ||
    t_fail "the attachment sent differs from the file"
for _ in $(seq 50); do
	[ "$(drafts)" = 0 ] && break
	sleep 0.2
done
[ "$(drafts)" = 0 ] || t_fail "the resumed draft is still in Drafts"
t_tmux_keys $S q
t_tmux_wait_exit $S 15
t_log "e resumed it whole; sent to To and Bcc without the Bcc line; the draft is gone"

# --- 4. told to quit while writing: the draft is kept -------------------------
t_tmux_start q "$PETREL" -F "$T/petrel.conf" -d debug -L "$T/petrel-q.log"
t_tmux_wait q "[local] INBOX:" 30 "the INBOX status line"
t_tmux_keys q m
t_tmux_wait q "Compose: y send" 20 "the composer"
pid=$(pgrep -f "petrel -F $T/petrel.conf -d debug -L $T/petrel-q.log" | head -n 1)
[ -n "$pid" ] || t_fail "cannot find petrel's pid"
kill -TERM "$pid"
t_tmux_wait_exit q 15
t_tmux_start q2 "$PETREL" -F "$T/petrel.conf" -d debug -L "$T/petrel-q2.log"
for _ in $(seq 100); do
	[ "$(drafts)" = 1 ] && break
	sleep 0.2
done
[ "$(drafts)" = 1 ] || t_fail "a message being written when petrel was told to quit is lost"
grep -rq 'Hello from a draft' "$MD/.Drafts" || t_fail "the kept draft lacks its text"
t_tmux_keys q2 q
t_tmux_wait_exit q2 15
t_log "SIGTERM while writing: the draft went to Drafts at the next start"

# --- 5. an account without Drafts: the kept draft is edited from W ------------
printf 'From me@example.org Mon Nov 30 10:00:00 2026\nFrom: Me <me@example.org>\nSubject: one\n\nhi\n\n' >"$T/box.mbox"
cat >"$T/mbox.conf" <<EOF
[general]
editor = $T/editor.sh
[account box]
driver = mbox
path = $T/box.mbox
from = Me <me@example.org>
sendmail_command = $T/sendmail.sh -oi
EOF
CACHE=$XDG_DATA_HOME/petrel/cache.db
outbox_rows() {
	python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM outbox WHERE account = ?", ("box",)).fetchone()[0])' "$CACHE"
}
rm -f "$T/sent.args" "$T/sent.eml"
t_tmux_start m1 "$PETREL" -F "$T/mbox.conf" -d debug -L "$T/petrel-m1.log"
t_tmux_wait m1 "INBOX: 1 messages" 30 "the mbox account"
t_tmux_keys m1 m
t_tmux_wait m1 "Compose: y send" 20 "the composer on the mbox account"
t_tmux_keys m1 t
t_tmux_keys m1 C-u
t_tmux_type m1 "Dan <dan@example.org>"
t_tmux_keys m1 Enter
t_tmux_wait m1 "Dan <dan@example.org>" 5 "To typed"
pid=$(pgrep -f "petrel -F $T/mbox.conf -d debug -L $T/petrel-m1.log" | head -n 1)
[ -n "$pid" ] || t_fail "cannot find petrel's pid"
kill -TERM "$pid"
t_tmux_wait_exit m1 15
[ "$(outbox_rows)" = 1 ] || t_fail "the kept draft of the mbox account is not in the outbox"
t_tmux_start m2 "$PETREL" -F "$T/mbox.conf" -d debug -L "$T/petrel-m2.log"
t_tmux_wait m2 "INBOX: 1 messages" 30 "the mbox account, again"
t_tmux_keys m2 W
t_tmux_wait m2 "draft, for the Drafts folder" 10 "the kept draft in the outbox view"
t_tmux_keys m2 e
t_tmux_wait m2 "Compose: y send" 20 "the kept draft in the composer"
t_tmux_wait m2 "Dan <dan@example.org>" 5 "its To"
t_tmux_keys m2 y
for _ in $(seq 100); do
	[ -s "$T/sent.eml" ] && [ "$(outbox_rows)" = 0 ] && break
	sleep 0.2
done
[ -s "$T/sent.eml" ] || t_fail "the resumed draft was not sent"
grep -q 'Hello from a draft' "$T/sent.eml" || t_fail "the sent message lacks the draft's text"
grep -qx 'dan@example.org' "$T/sent.args" || t_fail "the resumed draft went to the wrong recipients"
[ "$(outbox_rows)" = 0 ] || t_fail "the outbox still holds the draft after it was sent"
t_tmux_keys m2 q
t_tmux_wait_exit m2 15
t_log "an account without Drafts: the kept draft was edited from W and sent"

t_pass
