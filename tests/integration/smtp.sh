#!/usr/bin/env bash
# smtp.sh - the SMTP submission client (src/net/smtp*.c) against a real
# Postfix that delivers into a real Dovecot (tests/lib/postfix.sh), driven
# through tests/tools/smtp_probe (smtp_send with command-line settings).
#
# What it proves, each message found afterwards over IMAP (imap-probe.py,
# implicit TLS) in every recipient's INBOX by its Message-ID and compared
# byte for byte with what was sent (line ends made CRLF; only the headers
# the servers add, Return-Path, Delivered-To and Received, in front):
#  1. STARTTLS on the submission port with AUTH: a small 8-bit message
#     with "." lines (LF line ends) and a 5 MB attachment (CRLF) to alice
#     and bob; Postfix's session summary shows EHLO twice, STARTTLS, AUTH
#     and one MAIL/DATA; the -d trace has no password and no AUTH blob.
#  2. Implicit TLS on the submissions port, to alice and bob.
#  3. The plain port (no STARTTLS, no PIPELINING, AUTH in plain text
#     only with allow_plaintext_auth): a message sent command by command.
#  4. A wrong password: ERR_AUTH with the server's 535, no MAIL in the
#     session, nothing delivered.
#  5. A recipient the server refuses, pipelined (submission) and not
#     (plain port, RSET): ERR_SERVER naming refused@localhost with its
#     554, no DATA content, nothing delivered to the good recipient.
#  6. STARTTLS required on the port that does not offer it: ERR_TLS
#     "does not offer STARTTLS", and the session summary is exactly
#     "ehlo=1 quit=1" (no AUTH, although that port offers it); a server
#     certificate that does not verify: ERR_TLS_VERIFY, no AUTH either.
#  7. SIZE: the 5 MB message to the port with message_size_limit 100000:
#     ERR_TOOBIG, no MAIL in the session.
#  8. The connection cut after 1 MB of DATA by tests/lib/smtp-cut.py:
#     failure with data_started=yes, Postfix lost the connection in DATA,
#     nothing delivered; then through the same relay without cutting, the
#     same message arrives exactly once.
#
# Needs: root (Postfix's master), Debian packages postfix dovecot-lmtpd
# dovecot-imapd openssl python3, and the probe:
#   PETREL_BUILDDIR=/tmp/build PETREL=/tmp/build/petrel bash tests/integration/smtp.sh
# (SMTP_PROBE=path overrides where smtp_probe is; make tests/tools/smtp_probe).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"
# shellcheck source=tests/lib/postfix.sh
. "$here/../lib/postfix.sh"

t_init smtp
t_need python3 openssl dovecot postfix timeout
postfix_need || t_fail "the SMTP test cannot run here (see above)"
builddir=${PETREL_BUILDDIR:-$(dirname "${PETREL:-./petrel}")}
PROBE=${SMTP_PROBE:-$builddir/tests/tools/smtp_probe}
[ -x "$PROBE" ] ||
    t_fail "smtp_probe not found at $PROBE (make tests/tools/smtp_probe, or set SMTP_PROBE / PETREL_BUILDDIR)"
IMAP_PROBE=$T_LIB/imap-probe.py
ALICE_PW=secret
BOB_PW="bob-$RANDOM-pw"
WRONG_PW="wrong-$RANDOM-pw"
MID=$$.$RANDOM

# --- the servers ----------------------------------------------------------
DOVECOT_EXTRA_CONF=$(postfix_dovecot_conf)
dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"
dovecot_add_user bob "$BOB_PW"
t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start"
postfix_init "$T/postfix" || t_fail "cannot prepare the Postfix directory"
postfix_add_mailbox alice
postfix_add_mailbox bob
postfix_reject_rcpt refused@localhost
postfix_start || t_fail "Postfix did not start"
t_log "postfix: submission $POSTFIX_SUBMISSION_PORT, submissions $POSTFIX_SUBMISSIONS_PORT, plain $POSTFIX_PLAIN_PORT, small $POSTFIX_SMALL_PORT; dovecot imaps $DOVECOT_IMAPS_PORT"

# --- the messages ---------------------------------------------------------
# small: LF line ends, 8-bit UTF-8, lines starting with "."; big: CRLF, a
# 5 MB base64 attachment; each with a Message-ID of its own.
python3 - "$T" "$MID" <<'PY' || t_fail "cannot write the test messages"
import base64, random, sys
out, mid = sys.argv[1], sys.argv[2]
def small(name, subject, extra=""):
    body = ("Date: Mon, 1 Feb 2021 10:00:00 +0000\n"
            "From: Alice <alice@localhost>\nTo: bob@localhost\n"
            "Subject: %s\nMessage-ID: <%s.%s@petrel.test>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n"
            "Grüße aus der Prüfung, %s.\n.\n.leading dot\n..two dots\n"
            "a line\r\nwith CRLF\n%s" % (subject, name, mid, name, extra))
    with open("%s/%s.eml" % (out, name), "wb") as f:
        f.write(body.encode("utf-8"))
for n in ("starttls", "implicit", "plain", "wrongpw", "refused",
          "refused-plain", "nostarttls"):
    small(n, "petrel smtp test " + n, "last line without a newline")
rnd = random.Random(7)
blob = bytes(rnd.getrandbits(8) for _ in range(5 * 1024 * 1024))
b64 = base64.encodebytes(blob).replace(b"\n", b"\r\n")
for name in ("big", "cut"):
    head = ("Date: Mon, 1 Feb 2021 10:00:00 +0000\r\n"
            "From: Alice <alice@localhost>\r\nTo: bob@localhost\r\n"
            "Subject: petrel smtp test %s\r\n"
            "Message-ID: <%s.%s@petrel.test>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"b-%s\"\r\n\r\n"
            "--b-%s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
            "Five megabytes follow.\r\n.\r\n"
            "--b-%s\r\nContent-Type: application/octet-stream\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"blob.bin\"\r\n\r\n"
            % (name, name, mid, mid, mid, mid)).encode("ascii")
    tail = ("\r\n--b-%s--\r\n" % mid).encode("ascii")
    with open("%s/%s.eml" % (out, name), "wb") as f:
        f.write(head + b64 + tail)
PY

# --- helpers --------------------------------------------------------------
# Run the probe as NAME with a password: probe NAME PASSWORD ARGS...
probe() {
	local name=$1 pw=$2
	shift 2
	PETREL_SMTP_PASSWORD=$pw t_run "$name" 120 "$PROBE" --timeout 30000 \
	    --ca "$DOVECOT_CA" --from alice@localhost "$@"
}

# The run NAME succeeded: exit 0, nothing on stderr.
probe_ok() {
	assert_rc 0 "$1"
	[ ! -s "$T/$1.err" ] || { t_show "$1"; t_fail "$1: stderr is not empty"; }
}

# The run NAME failed cleanly: exit 1, exactly one line on stderr.
probe_failed() {
	assert_rc 1 "$1"
	assert_lines 1 "$T/$1.err" "$1: stderr"
}

# Wait until Postfix logged the end of the session begun after MARK;
# print that "disconnect" line.
session_summary() {
	local mark=$1 i line
	for ((i = 0; i < 100; i++)); do
		line=$(postfix_log_since "$mark" | grep -E 'smtpd\[[0-9]+\]: disconnect from' | tail -n 1 || true)
		if [ -n "$line" ]; then
			printf '%s\n' "$line"
			return 0
		fi
		sleep 0.1
	done
	postfix_log_since "$mark" >&2
	t_fail "Postfix logged no end of the session"
}

# The UIDs of USER's INBOX messages with the Message-ID of message NAME.
find_uids() {
	local user=$1 pw=$2 name=$3 rc=0
	python3 "$IMAP_PROBE" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
	    --user "$user" --password "$pw" find INBOX \
	    --message-id "<$name.$MID@petrel.test>" 2>"$T/find.err" || rc=$?
	# 1: no such message; anything else is trouble, not an answer
	[ $rc = 0 ] || [ $rc = 1 ] ||
	    t_fail "imap-probe find failed for $user: $(cat "$T/find.err")"
}

# Fail unless USER's INBOX has message NAME exactly once, equal to the
# file sent (line ends CRLF) after the headers the servers added.
check_delivered() {
	local user=$1 pw=$2 name=$3 uids
	uids=$(find_uids "$user" "$pw" "$name")
	[ -n "$uids" ] || t_fail "$name: not in $user's INBOX"
	[ "$(printf '%s\n' "$uids" | wc -l)" = 1 ] ||
	    t_fail "$name: in $user's INBOX more than once (UIDs $(printf '%s' "$uids" | tr '\n' ' '))"
	python3 "$IMAP_PROBE" --port "$DOVECOT_IMAPS_PORT" --ca "$DOVECOT_CA" \
	    --user "$user" --password "$pw" raw INBOX "$uids" >"$T/$name.$user.got" ||
	    t_fail "$name: cannot fetch UID $uids of $user"
	python3 - "$T/$name.eml" "$T/$name.$user.got" <<-'PY' ||
	import re, sys
	sent = open(sys.argv[1], "rb").read()
	got = open(sys.argv[2], "rb").read()
	want = re.sub(rb"\r?\n|\r", b"\r\n", sent)
	if not want.endswith(b"\r\n"):
	    want += b"\r\n"
	if not got.endswith(want):
	    n = 0
	    while n < min(len(got), len(want)) and got[-1 - n] == want[-1 - n]:
	        n += 1
	    sys.exit("the stored message does not end with what was sent "
	             "(%d of %d bytes match from the end)" % (n, len(want)))
	added = got[:len(got) - len(want)].decode("utf-8", "replace")
	for line in added.split("\r\n")[:-1]:
	    if line[:1] in (" ", "\t"):
	        continue
	    name = line.split(":", 1)[0].lower()
	    if name not in ("return-path", "delivered-to", "received"):
	        sys.exit("unexpected header in front: %r" % line)
	PY
	    t_fail "$name: $user's copy differs from what was sent"
}

# Fail if message NAME reached USER's INBOX.
check_absent() {
	local user=$1 pw=$2 name=$3 uids
	uids=$(find_uids "$user" "$pw" "$name")
	[ -z "$uids" ] ||
	    t_fail "$name: delivered to $user although smtp_send failed"
}

# --- 1. STARTTLS on the submission port -----------------------------------
mark=$(postfix_log_mark)
probe starttls "$ALICE_PW" --starttls --user alice --auth plain --trace "$T/trace.log" \
    127.0.0.1 "$POSTFIX_SUBMISSION_PORT" "$T/starttls.eml" \
    alice@localhost bob@localhost
probe_ok starttls
assert_grep '^rcpt: <alice@localhost> 250 2\.1\.5' "$T/starttls.out" "starttls: alice"
assert_grep '^rcpt: <bob@localhost> 250 2\.1\.5' "$T/starttls.out" "starttls: bob"
assert_grep '^result: accepted 250 2\.0\.0 Ok: queued as [0-9A-F]+ data_started=yes$' \
    "$T/starttls.out" "starttls: result"
sum=$(session_summary "$mark")
case $sum in
*" ehlo=2 starttls=1 auth=1 mail=1 rcpt=2 data=1 quit=1 commands=9") ;;
*) t_fail "starttls: unexpected Postfix session: $sum" ;;
esac
postfix_log_since "$mark" | grep -q 'submission/smtpd.*TLS connection established' ||
    t_fail "starttls: Postfix saw no TLS handshake"
assert_grep '> STARTTLS' "$T/trace.log" "starttls: trace"
assert_grep '> AUTH PLAIN <redacted>' "$T/trace.log" "starttls: trace AUTH"
postfix_log_since "$mark" | grep -q 'sasl_method=PLAIN, sasl_username=alice' ||
    t_fail "starttls: Postfix did not see AUTH PLAIN"
assert_no_string "$ALICE_PW" "starttls: password in output or trace" \
    "$T/starttls.out" "$T/starttls.err" "$T/trace.log"
# no base64 form of the password (PLAIN would carry "\0alice\0secret")
assert_no_string "$(printf '\0alice\0%s' "$ALICE_PW" | base64)" \
    "starttls: AUTH PLAIN blob in the trace" "$T/trace.log"
t_log "1. STARTTLS + AUTH: accepted"

mark=$(postfix_log_mark)
probe big "$ALICE_PW" --starttls --user alice \
    127.0.0.1 "$POSTFIX_SUBMISSION_PORT" "$T/big.eml" alice@localhost bob@localhost
probe_ok big
assert_grep '^result: accepted 250 ' "$T/big.out" "big: result"
sum=$(session_summary "$mark")
case $sum in *" mail=1 rcpt=2 data=1 "*) ;; *) t_fail "big: unexpected session: $sum" ;; esac
t_log "1. the 5 MB message: accepted"

# --- 2. implicit TLS --------------------------------------------------------
mark=$(postfix_log_mark)
probe implicit "$ALICE_PW" --tls --user alice --auth login \
    127.0.0.1 "$POSTFIX_SUBMISSIONS_PORT" "$T/implicit.eml" alice@localhost bob@localhost
probe_ok implicit
assert_grep '^result: accepted 250 ' "$T/implicit.out" "implicit: result"
sum=$(session_summary "$mark")
case $sum in
*"submissions/smtpd"*" ehlo=1 auth=1 mail=1 rcpt=2 data=1 quit=1 commands=7") ;;
*) t_fail "implicit: unexpected Postfix session: $sum" ;;
esac
t_log "2. implicit TLS: accepted"

# --- 3. plain port, no PIPELINING ---------------------------------------------
probe plain "$ALICE_PW" --user alice --allow-plaintext-auth \
    127.0.0.1 "$POSTFIX_PLAIN_PORT" "$T/plain.eml" bob@localhost
probe_ok plain
assert_grep '^result: accepted 250 ' "$T/plain.out" "plain: result"
# the same port without allow_plaintext_auth refuses PLAIN
probe plain-refuse "$ALICE_PW" --user alice --auth plain \
    127.0.0.1 "$POSTFIX_PLAIN_PORT" "$T/plain.eml" bob@localhost
probe_failed plain-refuse
assert_grep '^error: ERR_AUTH: .*refusing to send a password in plain text' \
    "$T/plain-refuse.err" "plain-refuse"
t_log "3. plain port, one command at a time: accepted"

# --- 4. wrong password --------------------------------------------------------
mark=$(postfix_log_mark)
probe wrongpw "$WRONG_PW" --starttls --user alice \
    127.0.0.1 "$POSTFIX_SUBMISSION_PORT" "$T/wrongpw.eml" alice@localhost
probe_failed wrongpw
assert_grep '^error: ERR_AUTH: 127\.0\.0\.1: authentication failed \(server said: 535 5\.7\.8 ' \
    "$T/wrongpw.err" "wrongpw"
assert_grep '^result: failed .* data_started=no$' "$T/wrongpw.out" "wrongpw: result"
assert_no_string "$WRONG_PW" "wrongpw: password in output" "$T/wrongpw.out" "$T/wrongpw.err"
sum=$(session_summary "$mark")
case $sum in
*" auth=0/1 "*) ;;
*) t_fail "wrongpw: unexpected Postfix session: $sum" ;;
esac
case $sum in *mail=*) t_fail "wrongpw: MAIL was sent after the refusal: $sum" ;; esac
t_log "4. wrong password: ERR_AUTH"

# --- 5. a refused recipient ---------------------------------------------------
mark=$(postfix_log_mark)
probe refused "$ALICE_PW" --starttls --user alice \
    127.0.0.1 "$POSTFIX_SUBMISSION_PORT" "$T/refused.eml" bob@localhost refused@localhost
probe_failed refused
assert_grep '^error: ERR_SERVER: 127\.0\.0\.1: server refused 1 of 2 recipients, so nothing was sent: <refused@localhost> \(554 5\.7\.1 ' \
    "$T/refused.err" "refused"
assert_grep '^rcpt: <bob@localhost> 250 ' "$T/refused.out" "refused: bob accepted at RCPT"
assert_grep '^rcpt: <refused@localhost> 554 5\.7\.1 ' "$T/refused.out" "refused: the address"
assert_grep 'data_started=no$' "$T/refused.out" "refused: no data"
sum=$(session_summary "$mark")
# pipelined: DATA was in the group; Postfix answered 354 and petrel hung up
postfix_log_since "$mark" | grep -q 'lost connection after DATA (0 bytes)' ||
    t_fail "refused: Postfix did not see the connection end in DATA with 0 bytes: $sum"
mark=$(postfix_log_mark)
probe refused-plain "$ALICE_PW" --user alice --allow-plaintext-auth \
    127.0.0.1 "$POSTFIX_PLAIN_PORT" "$T/refused-plain.eml" bob@localhost refused@localhost
probe_failed refused-plain
assert_grep '^error: ERR_SERVER: .*refused 1 of 2 recipients.*<refused@localhost> \(554 5\.7\.1 ' \
    "$T/refused-plain.err" "refused-plain"
sum=$(session_summary "$mark")
case $sum in
*" mail=1 rcpt=1/2 rset=1 quit=1 "*) ;;
*) t_fail "refused-plain: unexpected Postfix session (want RSET, no DATA): $sum" ;;
esac
t_log "5. refused recipient: ERR_SERVER naming it, pipelined and not"

# --- 6. STARTTLS required, not offered -----------------------------------------
mark=$(postfix_log_mark)
probe nostarttls "$ALICE_PW" --starttls --user alice \
    127.0.0.1 "$POSTFIX_PLAIN_PORT" "$T/nostarttls.eml" bob@localhost
probe_failed nostarttls
assert_grep '^error: ERR_TLS: 127\.0\.0\.1: server does not offer STARTTLS' \
    "$T/nostarttls.err" "nostarttls"
sum=$(session_summary "$mark")
case $sum in
*"plain/smtpd"*" ehlo=1 quit=1 commands=2") ;;
*) t_fail "nostarttls: petrel sent more than EHLO and QUIT: $sum" ;;
esac
t_log "6. STARTTLS not offered: ERR_TLS, only EHLO and QUIT sent"
# ... and a certificate petrel cannot verify ends it before AUTH too
mark=$(postfix_log_mark)
probe badca "$ALICE_PW" --starttls --user alice --ca "$T/dovecot/tls/server.pem" \
    127.0.0.1 "$POSTFIX_SUBMISSION_PORT" "$T/nostarttls.eml" bob@localhost
probe_failed badca
assert_grep '^error: ERR_TLS_VERIFY: .*sha256:' "$T/badca.err" "badca"
sum=$(session_summary "$mark")
case $sum in
*auth=*|*mail=*) t_fail "badca: petrel went on after a failed verification: $sum" ;;
esac
t_log "6. unverifiable certificate after STARTTLS: ERR_TLS_VERIFY, no AUTH"

# --- 7. SIZE ------------------------------------------------------------------
mark=$(postfix_log_mark)
probe size "$ALICE_PW" --starttls --user alice \
    127.0.0.1 "$POSTFIX_SMALL_PORT" "$T/big.eml" bob@localhost
probe_failed size
assert_grep "^error: ERR_TOOBIG: 127\\.0\\.0\\.1: the message is [0-9]+ bytes, more than the $POSTFIX_SMALL_LIMIT the server accepts" \
    "$T/size.err" "size"
sum=$(session_summary "$mark")
case $sum in
*"small/smtpd"*" ehlo=2 starttls=1 auth=1 quit=1 commands=5") ;;
*) t_fail "size: unexpected Postfix session (MAIL or DATA sent?): $sum" ;;
esac
t_log "7. SIZE: refused before MAIL"

# --- 8. the connection cut in the middle of DATA ---------------------------------
start_relay() {
	local cut=$1 i
	: >"$T/relay.port"
	python3 "$T_LIB/smtp-cut.py" --target "$POSTFIX_PLAIN_PORT" \
	    --cut-after "$cut" --log "$T/relay.log" >"$T/relay.port" 2>>"$T/relay.err" &
	RELAY_PID=$!
	t_on_exit "t_kill_pid $RELAY_PID"
	for ((i = 0; i < 100; i++)); do
		RELAY_PORT=$(head -n 1 "$T/relay.port")
		[ -n "$RELAY_PORT" ] && return 0
		sleep 0.1
	done
	t_fail "smtp-cut.py did not start: $(cat "$T/relay.err")"
}
start_relay $((1024 * 1024))
mark=$(postfix_log_mark)
probe cut "$ALICE_PW" --user alice --allow-plaintext-auth \
    127.0.0.1 "$RELAY_PORT" "$T/cut.eml" bob@localhost
probe_failed cut
assert_grep '^result: failed .* data_started=yes$' "$T/cut.out" "cut: data_started"
assert_grep '^error: ERR_NET: .*before its end, so it was not delivered' "$T/cut.err" "cut"
postfix_log_since "$mark" | grep -q 'lost connection after DATA' ||
    t_fail "cut: Postfix did not lose the connection in DATA"
grep -q '^conn 1: cut after 1048576 data bytes$' "$T/relay.log" ||
    t_fail "cut: the relay did not cut after 1 MiB: $(cat "$T/relay.log")"
t_kill_pid "$RELAY_PID"
start_relay 0
probe cut-pass "$ALICE_PW" --user alice --allow-plaintext-auth \
    127.0.0.1 "$RELAY_PORT" "$T/cut.eml" bob@localhost
probe_ok cut-pass
assert_grep '^result: accepted 250 ' "$T/cut-pass.out" "cut-pass"
t_kill_pid "$RELAY_PID"
t_log "8. cut in DATA: failed, not delivered; through the relay again: accepted"

# --- what reached the mailboxes ---------------------------------------------------
postfix_wait_idle 60 || t_fail "Postfix did not deliver everything"
for m in starttls big implicit; do
	check_delivered alice "$ALICE_PW" "$m"
	check_delivered bob "$BOB_PW" "$m"
done
check_delivered bob "$BOB_PW" plain
check_delivered bob "$BOB_PW" cut
check_absent alice "$ALICE_PW" wrongpw
check_absent bob "$BOB_PW" refused
check_absent bob "$BOB_PW" refused-plain
check_absent bob "$BOB_PW" nostarttls
# the cut message is there once: from the pass-through send only
! grep -q 'status=bounced\|status=deferred' "$POSTFIX_LOG" ||
    t_fail "Postfix bounced or deferred something: $(grep 'status=bounced\|status=deferred' "$POSTFIX_LOG" | head -n 3)"
t_pass "submission over STARTTLS, implicit TLS and plain; refusals, SIZE, a cut in DATA"
