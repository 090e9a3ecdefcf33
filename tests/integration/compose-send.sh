#!/usr/bin/env bash
# compose-send.sh - writing and sending mail end to end: petrel's composer
# in tmux, a real Postfix (submission, STARTTLS, SASL through Dovecot)
# delivering into the Dovecot store, the message read back over IMAP.
#
#   1. m: the editor (a script, as EDITOR) writes To, a non-ASCII
#      subject and the body; a attaches a 5 MB binary file with a
#      non-ASCII name; y sends.  Bob's INBOX then holds it: Python's
#      email package decodes the subject, the body text, the file name
#      and the attachment's SHA-256 as written.  Alice's Sent folder has
#      the copy, the outbox is empty.  Its text went quoted-printable;
#      the server offered 8BITMIME, so a second message goes 8bit, with
#      the DSN chosen in the composer (NOTIFY, RET) on the wire.
#   2. The connection cut in the middle of DATA (smtp-cut.py in front of
#      Postfix): `petrel send` exits 1, the message stays in the outbox
#      with the error and nothing is delivered; with the relay passing
#      everything, W then Enter in the UI sends it, and Bob has exactly
#      one copy.
#   3. petrel send killed (-9) in the middle of the data (the relay
#      hanging there): nothing delivered, the message stays "sending",
#      and the next start sends it, once.
#   4. A wrong password: `petrel send` exits 1, the message waits for the
#      user (no automatic retry), the password is in no output.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"
# shellcheck source=tests/lib/postfix.sh
. "$here/../lib/postfix.sh"

t_init compose-send
t_need python3 openssl dovecot doveconf tmux timeout sha256sum
t_find_petrel
postfix_need || t_fail "Postfix is needed (scripts/lib/deps.sh installs it)"
S=cs
PW_A='Alice-Pa55-w0rd'
PW_B='Bob-Pa55-w0rd'

DOVECOT_EXTRA_CONF=$(postfix_dovecot_conf)
export DOVECOT_EXTRA_CONF
DOVECOT_SPECIAL_USE=1
export DOVECOT_SPECIAL_USE
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
dovecot_add_user alice "$PW_A"
dovecot_add_user bob "$PW_B"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"
postfix_init "$T/postfix" || t_fail "cannot prepare Postfix"
postfix_add_mailbox alice
postfix_add_mailbox bob
t_on_exit postfix_stop
postfix_start || t_fail "Postfix did not start (see $POSTFIX_LOG)"
t_log "Dovecot $DOVECOT_PID, Postfix $POSTFIX_PID: submission $POSTFIX_SUBMISSION_PORT"

# probe USER PASSWORD ARGS...: the independent IMAP client.
probe() {
	local user=$1 pw=$2
	shift 2
	python3 "$T_LIB/imap-probe.py" --port "$DOVECOT_IMAPS_PORT" \
	    --ca "$DOVECOT_CA" --user "$user" --password "$pw" "$@"
}
CACHE=$XDG_DATA_HOME/petrel/cache.db
sql() {
	python3 -c 'import sqlite3,sys; [print("|".join(str(c) for c in r)) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]' "$CACHE" "$1"
}

# The attachment: 5 MB of random bytes under a non-ASCII name.
mkdir -p "$T/files"
ATT_NAME='Prüfbericht 東京 №5.bin'
head -c 5242880 /dev/urandom >"$T/files/$ATT_NAME"
ATT_SHA=$(sha256sum "$T/files/$ATT_NAME" | cut -d' ' -f1)
SUBJECT='Grüße aus Köln — 東京 ☃'

# The editor: fills To and Subject, writes the body above the rest.
cat >"$T/editor.sh" <<'EOF'
#!/bin/sh
exec python3 - "$1" <<'PY'
import sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
head, _, body = text.partition("\n\n")
out = []
for line in head.split("\n"):
    if line.startswith("To:") and line.strip() == "To:":
        line = "To: Bob Builder <bob@localhost>"
    if line.startswith("Subject:") and line.strip() == "Subject:":
        line = "Subject: Grüße aus Köln — 東京 ☃"
    out.append(line)
open(path, "w", encoding="utf-8").write(
    "\n".join(out) + "\n\nHallo Bob,\n\nder Bericht ist im Anhang.\nGrüße\n" + body)
PY
EOF
chmod 755 "$T/editor.sh"

# write_config FILE SMTP-PORT SECURITY [PASSWORD] [EXTRA]
write_config() {
	cat >"$1" <<-EOF
	[general]
	editor = $T/editor.sh
	[account alice]
	host = 127.0.0.1
	port = $DOVECOT_IMAPS_PORT
	security = implicit
	tls_ca_file = $DOVECOT_CA
	user = alice
	password = ${4:-$PW_A}
	from = Alice Liddell <alice@localhost>
	smtp_host = 127.0.0.1
	smtp_port = $2
	smtp_security = $3
	timeout = 30
	${5:-}
	EOF
}

# send_file NAME CONFIG FILE ARGS...: petrel send < FILE (t_run's stdin
# is /dev/null).
send_file() {
	local name=$1 cfg=$2 file=$3
	shift 3
	t_run "$name" 60 sh -c 'f=$1; shift; exec "$@" <"$f"' sh "$file" \
	    "$PETREL" -F "$cfg" send "$@"
}

# bob_count: how many messages Bob's INBOX holds.
bob_count() {
	probe bob "$PW_B" uids INBOX | wc -l
}

# --- 1. compose in the UI, send through STARTTLS submission ----------------
write_config "$T/a.conf" "$POSTFIX_SUBMISSION_PORT" starttls
t_tmux_start $S "$PETREL" -F "$T/a.conf" -d trace,smtp -L "$T/petrel.log"
t_tmux_wait $S "[alice] INBOX:" 60 "the INBOX status line"
t_tmux_keys $S m
t_tmux_wait $S "Compose: y send" 20 "the composer after the editor"
t_tmux_wait $S "Bob Builder <bob@localhost>" 5 "To from the editor"
t_tmux_keys $S a
t_tmux_type $S "$T/files/Prüf"
t_tmux_keys $S Tab
t_tmux_wait $S "$ATT_NAME" 5 "Tab completes the file name"
t_tmux_keys $S Enter
t_tmux_wait $S "1. $ATT_NAME [" 20 "the attachment in the composer"
t_tmux_keys $S y
t_tmux_wait $S "Sent." 60 "the server accepted the message"
postfix_wait_idle 60 || t_fail "Postfix did not deliver (see $POSTFIX_LOG)"
probe bob "$PW_B" find INBOX --subject "$SUBJECT" >"$T/uid" ||
    t_fail "Bob's INBOX has no message with the subject"
probe bob "$PW_B" raw INBOX "$(head -n 1 "$T/uid")" >"$T/got.eml"
python3 - "$T/got.eml" "$SUBJECT" "$ATT_NAME" "$ATT_SHA" <<'PY' || t_fail "the delivered message differs from what was written"
import email, email.policy, hashlib, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
subject, name, sha = sys.argv[2], sys.argv[3], sys.argv[4]
problems = []
if msg["Subject"] != subject:
    problems.append("subject %r" % msg["Subject"])
if "alice@localhost" not in str(msg["From"]) or "bob@localhost" not in str(msg["To"]):
    problems.append("from/to %r %r" % (msg["From"], msg["To"]))
body = msg.get_body(preferencelist=("plain",))
if body is None or "der Bericht ist im Anhang." not in body.get_content():
    problems.append("body text")
atts = list(msg.iter_attachments())
if len(atts) != 1 or atts[0].get_filename() != name:
    problems.append("attachment name %r" % [a.get_filename() for a in atts])
elif hashlib.sha256(atts[0].get_content()).hexdigest() != sha:
    problems.append("attachment SHA-256")
if msg.defects:
    problems.append("defects %r" % msg.defects)
if problems:
    sys.exit("; ".join(problems))
PY
msgid=$(python3 -c 'import email,sys; print(email.message_from_binary_file(open(sys.argv[1],"rb"))["Message-ID"])' "$T/got.eml")
for _ in $(seq 50); do
	probe alice "$PW_A" find Sent --message-id "$msgid" >/dev/null 2>&1 && break
	sleep 0.2
done
probe alice "$PW_A" find Sent --message-id "$msgid" >/dev/null ||
    t_fail "no copy in Alice's Sent folder"
[ "$(sql 'SELECT count(*) FROM outbox')" = 0 ] || t_fail "the outbox is not empty after sending"
# The first message went quoted-printable (the server was unknown); the
# server offered 8BITMIME, so the next one goes as 8bit text.
t_tmux_keys $S m
t_tmux_wait $S "Compose: y send" 20 "the composer, a second time"
# A message that cannot be built (a From with two mailboxes) is refused by
# the thread that builds and queues it: the composer stays open, nothing
# is queued, and the draft can be mended and sent.
t_tmux_keys $S f
t_tmux_keys $S C-u
t_tmux_type $S "alice@localhost, eve@localhost"
t_tmux_keys $S Enter
t_tmux_keys $S y
t_tmux_wait $S "From: must hold one address" 10 "the refused From"
t_tmux_wait $S "Compose: y send" 5 "the composer, still open"
[ "$(sql 'SELECT count(*) FROM outbox')" = 0 ] || t_fail "a message that could not be built was queued"
t_tmux_keys $S f
t_tmux_keys $S C-u
t_tmux_type $S "Alice Liddell <alice@localhost>"
t_tmux_keys $S Enter
t_tmux_wait $S "Alice Liddell <alice@localhost>" 5 "From mended"
# Delivery notifications on failure, returning the whole message.
t_tmux_keys $S d
t_tmux_keys $S f
t_tmux_keys $S d
t_tmux_keys $S b
t_tmux_wait $S "DSN: on failure; reports return the whole message" 5 "the DSN choice"
t_tmux_keys $S y
t_tmux_wait $S "Sent." 60 "the second message accepted"
postfix_wait_idle 60 || t_fail "Postfix did not deliver the second message"
[ "$(sql 'SELECT eightbitmime FROM smtp_caps')" = 1 ] || t_fail "8BITMIME was not remembered"
assert_grep '> MAIL FROM:<alice@localhost> .*RET=FULL' "$T/petrel.log" "the DSN RET on the wire"
assert_grep '> RCPT TO:<bob@localhost> NOTIFY=FAILURE' "$T/petrel.log" "the DSN NOTIFY on the wire"
probe bob "$PW_B" find INBOX --subject "$SUBJECT" >"$T/uids"
[ "$(wc -l <"$T/uids")" = 2 ] || t_fail "Bob should have two messages with the subject"
probe bob "$PW_B" raw INBOX "$(tail -n 1 "$T/uids")" >"$T/got2.eml"
python3 - "$T/got.eml" "$T/got2.eml" <<'PY' || t_fail "text transfer encodings: quoted-printable first, then 8bit"
import email, email.policy, sys
def cte(path):
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    b = m.get_body(preferencelist=("plain",))
    assert "Grüße" in b.get_content(), "text"
    return b["Content-Transfer-Encoding"]
first, second = cte(sys.argv[1]), cte(sys.argv[2])
assert (first, second) == ("quoted-printable", "8bit"), (first, second)
PY
t_tmux_keys $S q
t_tmux_wait_exit $S 15
t_log "composed in the UI: subject, body, 5 MB attachment and its name arrived; copy in Sent"

# --- 2. cut in the middle of DATA, then sent once from the outbox ---------
start_relay() {
	local cut=$1
	shift
	: >"$T/relay.out"
	python3 "$T_LIB/smtp-cut.py" --target "$POSTFIX_PLAIN_PORT" \
	    --cut-after "$cut" "$@" --log "$T/cut.log" >"$T/relay.out" 2>"$T/relay.err" &
	RELAY_PID=$!
	t_on_exit "t_kill_pid $RELAY_PID"
	for _ in $(seq 50); do
		[ -s "$T/relay.out" ] && break
		sleep 0.1
	done
	RELAY_PORT=$(head -n 1 "$T/relay.out")
	[ -n "$RELAY_PORT" ] || t_fail "smtp-cut.py did not start"
}
start_relay 20000
write_config "$T/cut.conf" "$RELAY_PORT" none "" "allow_plaintext_auth = yes"
{
	printf 'To: bob@localhost\nSubject: cut in the middle\n\n'
	head -c 300000 /dev/urandom | base64
} >"$T/cut.eml"
before=$(bob_count)
send_file cut "$T/cut.conf" "$T/cut.eml" -t
assert_rc 1 cut
assert_grep "kept in the outbox" "$T/cut.err" "petrel send, cut"
assert_grep "cut after" "$T/cut.log" "the relay cut the connection"
[ "$(sql 'SELECT count(*) FROM outbox')" = 1 ] || t_fail "the cut message is not in the outbox"
[ "$(sql 'SELECT attempts, last_error IS NOT NULL FROM outbox')" = "1|1" ] ||
    t_fail "the outbox row lacks its failed attempt: $(sql 'SELECT * FROM outbox')"
postfix_wait_idle 30 || true
[ "$(bob_count)" = "$before" ] || t_fail "a message cut in the middle was delivered"
t_kill_pid "$RELAY_PID"
start_relay 0
write_config "$T/cut.conf" "$RELAY_PORT" none "" "allow_plaintext_auth = yes"
t_tmux_start cut "$PETREL" -F "$T/cut.conf" -d debug -L "$T/petrel-cut.log"
t_tmux_wait cut "outbox: 1 (W)" 60 "the status line counts the outbox"
t_tmux_wait cut "Outbox (not sent)" 10 "the outbox's row in the folder pane"
t_tmux_keys cut W
t_tmux_wait cut "cut in the middle" 10 "the outbox view lists the message"
t_tmux_keys cut Enter
t_tmux_wait cut "Sent." 60 "sent from the outbox"
postfix_wait_idle 60 || t_fail "Postfix did not deliver the retried message"
[ "$(bob_count)" = $((before + 1)) ] || t_fail "Bob has $(bob_count) messages, expected $((before + 1)): not sent exactly once"
for _ in $(seq 50); do
	[ "$(sql 'SELECT count(*) FROM outbox')" = 0 ] && break
	sleep 0.2
done
[ "$(sql 'SELECT count(*) FROM outbox')" = 0 ] || t_fail "the outbox still holds the sent message"
t_tmux_keys cut q
t_tmux_wait_exit cut 15
t_log "cut mid-DATA: kept in the outbox, nothing delivered; sent once from W"

# --- 3. killed while sending: sent once when petrel starts again ---------
# The relay hangs in the middle of the data; petrel send is killed (-9)
# there, as a crash would stop it.  Nothing is delivered; the next start
# sends the message, once.
{
	printf 'To: bob@localhost\nSubject: killed while sending\n\n'
	head -c 200000 /dev/urandom | base64
} >"$T/crash.eml"
t_kill_pid "$RELAY_PID"
start_relay 50000 --stall
write_config "$T/cut.conf" "$RELAY_PORT" none "" "allow_plaintext_auth = yes"
sh -c 'exec "$@" <"$0"' "$T/crash.eml" "$PETREL" -F "$T/cut.conf" send -t \
    >"$T/crash.out" 2>"$T/crash.err" &
crash_pid=$!
for _ in $(seq 150); do
	grep -q stalled "$T/cut.log" && break
	sleep 0.2
done
grep -q stalled "$T/cut.log" || t_fail "petrel send never reached the middle of the data"
kill -9 "$crash_pid"
wait "$crash_pid" 2>/dev/null || true
[ "$(sql 'SELECT state FROM outbox')" = 1 ] ||
    t_fail "killed while sending, the outbox row is not 'sending': $(sql 'SELECT state FROM outbox')"
t_kill_pid "$RELAY_PID"
postfix_wait_idle 30 || true
before=$(bob_count)
start_relay 0
write_config "$T/cut.conf" "$RELAY_PORT" none "" "allow_plaintext_auth = yes"
t_tmux_start crash "$PETREL" -F "$T/cut.conf" -d debug -L "$T/petrel-crash.log"
t_tmux_wait crash "Sent." 60 "the interrupted message went out at start"
postfix_wait_idle 60 || t_fail "Postfix did not deliver the interrupted message"
[ "$(bob_count)" = $((before + 1)) ] || t_fail "the interrupted message was not delivered once"
t_tmux_keys crash q
t_tmux_wait_exit crash 15
t_log "killed in the middle of sending: sent once at the next start"

# --- 4. a wrong password: kept, waits for the user -------------------------
write_config "$T/bad.conf" "$POSTFIX_SUBMISSION_PORT" starttls 'Wrong-Pa55'
send_file bad "$T/bad.conf" "$T/crash.eml" bob@localhost
assert_rc 1 bad
assert_grep "kept in the outbox" "$T/bad.err" "wrong password"
assert_grep "auth" "$T/bad.err" "wrong password"
[ "$(sql 'SELECT next_try FROM outbox')" = -1 ] || t_fail "a refused login is retried by itself: $(sql 'SELECT next_try FROM outbox')"
assert_no_string 'Wrong-Pa55' "the password in the output" "$T/bad.err"
assert_no_string 'Wrong-Pa55' "the password in the cache" "$CACHE"
t_log "wrong password: kept in the outbox, waiting for the user"

t_pass
