#!/usr/bin/env bash
# ui-hostile.sh - no message can reach the terminal with anything but
# visible text, and a display name cannot pass for another address.
#
# A private Dovecot holds messages the test writes: escape sequences (CSI,
# OSC 0 title, OSC 8 hyperlink, OSC 52 clipboard, DCS with tmux's
# passthrough, SOS/PM/APC, 8-bit C1 as UTF-8 and as raw bytes, BEL, BS,
# CR), bidi overrides, isolates and marks, and NUL bytes, in every header
# (From name, To, Cc, Subject, Date, Message-ID, X-Hostile, an attachment's
# filename) and in the body: as raw 8-bit bytes, in base64 and
# quoted-printable bodies, inside RFC 2047 encoded words (B and Q), and
# as HTML character references.  Every message carries visible markers.
# The tmux server accepts OSC 52 (set-clipboard on) and passthrough, so a
# leak would show.  petrel shows the list, then each message in the pager,
# with all headers (h) and its part list (v); every screen, captured with
# capture-pane -e, must hold its markers and nothing but text and tmux's
# own SGR colour sequences: no ESC otherwise, no C0/C1 control, no bidi
# control.  The pane's title, modes and tmux's paste buffers must be as
# before.  A From: "support@bank.com" <attacker@evil.example> is shown as
# both, marked [!], in the list and the pager, with a warning.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init ui-hostile
t_need python3 openssl dovecot doveconf doveadm tmux timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"

python3 - "$(dovecot_maildir alice)" <<'PY' || t_fail "cannot write the test messages"
import base64, os, quopri, sys
md = sys.argv[1]
E = "\x1b"
PAY = ("{E}[2J{E}[31mred{E}[0m{E}]0;PWNED-TITLE\x07"
       "{E}]8;;http://evil.example/{E}\\link{E}]8;;{E}\\"
       "{E}]52;c;cGF5bG9hZA=={E}\\{E}P+q544e{E}\\"
       "{E}Ptmux;{E}{E}]0;PASSTHRU\x07{E}\\{E}X sos {E}\\{E}^pm{E}\\"
       "{E}_apc{E}\\\u009b2J\u009d0;C1-TITLE\u009c\u0090dcs\u009c"
       "\x07\x08\r\u202eRLO\u202c\u2066LRI\u2069\u2067\u2068\u200f"
       "\u200e\u061c\u202a\u202b\u202d\ufeff").format(E=E)
RAW = PAY.encode() + b"\x9b31m\x9d0;RAW\x9c\x00nul\x00"
def w2047(text, enc):
    b = text.encode()
    if enc == "B":
        return "=?UTF-8?B?%s?=" % base64.b64encode(b).decode()
    return "=?UTF-8?Q?%s?=" % "".join(
        chr(c) if chr(c).isalnum() else "=%02X" % c for c in b)
def put(n, head, body):
    date = 1700000000 + n * 60
    name = os.path.join(md, "cur", "%d.M%dP1.hostile:2,S" % (date, n))
    with open(name, "wb") as f:
        f.write(head + b"\r\n" + body)
    os.utime(name, (date, date))
def hdrs(n, subj, frm, extra=b""):
    return (b"From: " + frm + b" <evil%d@example.org>\r\n" % n +
            b"To: to" + RAW + b" <to@example.org>\r\n" +
            b"Cc: " + RAW + b"cc@example.org\r\n"
            b"Date: Tue, 14 Nov 2023 22:1%d:00 +0000" % n + RAW + b"\r\n"
            b"Message-ID: <" + RAW + b"@x>\r\n"
            b"X-Hostile: MARK-XH" + RAW + b"\r\n"
            b"Subject: " + subj + b"\r\n" + b"MIME-Version: 1.0\r\n" + extra)
# 1: raw 8-bit bytes everywhere.
put(1, hdrs(1, b"hostile-1 MARK-S1 " + RAW, b"Raw" + RAW,
            b"Content-Type: text/plain; charset=utf-8\r\n"),
    b"MARK-B1 " + RAW + b"\r\nsecond MARK-B1b\r\n")
# 2: base64 body, RFC 2047 B words.
put(2, hdrs(2, b"hostile-2 MARK-S2 " + w2047(PAY, "B").encode(),
            w2047("B64" + PAY, "B").encode(),
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: base64\r\n"),
    base64.encodebytes(b"MARK-B2 " + RAW + b"\r\nend MARK-B2b\r\n")
    .replace(b"\n", b"\r\n"))
# 3: quoted-printable body, RFC 2047 Q words, a hostile attachment name.
qp = quopri.encodestring(b"MARK-B3 " + RAW + b"\r\n").replace(b"\n", b"\r\n")
put(3, hdrs(3, b"hostile-3 MARK-S3 " + w2047(PAY, "Q").encode(),
            b'"' + w2047("Q" + PAY, "Q").encode() + b'"',
            b"Content-Type: multipart/mixed; boundary=XX\r\n"),
    b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp +
    b"\r\n--XX\r\nContent-Type: application/octet-stream; name*=UTF-8''" +
    "".join("%%%02X" % c for c in ("MARK-F3" + PAY).encode()).encode() +
    b"\r\nContent-Disposition: attachment; filename=\"" +
    RAW.replace(b'"', b"") + b"MARK-F3b\"\r\n\r\nxx\r\n--XX--\r\n")
# 4: HTML with the sequences as character references.
refs = "".join("&#%d;" % ord(c) for c in PAY).encode()
put(4, hdrs(4, b"hostile-4 MARK-S4", b"Html",
            b"Content-Type: text/html; charset=utf-8\r\n"),
    b"<p>MARK-B4 " + refs + b" &#x1b;[31mhex&#X9B;2J</p>\r\n")
# 5: a spoofed display name.
put(5, b"From: \"support@bank.com\" <attacker@evil.example>\r\n"
       b"To: alice@example.org\r\nDate: Tue, 14 Nov 2023 22:20:00 +0000\r\n"
       b"Subject: hostile-5 spoof MARK-S5\r\nMIME-Version: 1.0\r\n"
       b"Content-Type: text/plain\r\n", b"MARK-B5 pay now\r\n")
PY

t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"

cat >"$T/p.conf" <<EOF
[general]
html_command = internal
[account test]
driver = imap
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
user = alice
password = secret
security = implicit
tls_ca_file = $DOVECOT_CA
EOF

S=h
t_tmux_start $S "$PETREL" -F "$T/p.conf"
# A leaked OSC 52 would fill a paste buffer, a leaked passthrough would
# reach the outer terminal: let tmux obey both.
tmux -S "$T_TMUX_SOCK" set -g set-clipboard on
tmux -S "$T_TMUX_SOCK" set -g allow-passthrough on 2>/dev/null || true
t_tmux_wait $S "[test] INBOX: 5 messages" 60 "INBOX status line"

# The terminal state a leak would change.
state() {
	tmux -S "$T_TMUX_SOCK" display -p -t $S \
	    '#{pane_title}|#{alternate_on}|#{cursor_flag}|#{insert_flag}|#{keypad_cursor_flag}|#{origin_flag}|#{wrap_flag}|#{mouse_any_flag}|#{pane_in_mode}'
}
before=$(state)
nscreens=0

# check WHAT MARKER...: the screen is clean, the markers are on it, and
# the terminal state did not change.
check() {
	local what=$1 f m now
	shift
	sleep 0.3
	nscreens=$((nscreens + 1))
	f=$T/screen-$nscreens
	tmux -S "$T_TMUX_SOCK" capture-pane -e -p -t $S >"$f"
	python3 - "$f" <<-'PY' || { t_tmux_dump $S; t_fail "$what: something else than text reached the screen (see $f)"; }
	import re, sys
	raw = open(sys.argv[1], "rb").read()
	s = raw.decode("utf-8")                      # strict: must be UTF-8
	rest = re.sub(r"\x1b\[[0-9;]*m", "", s)      # tmux's own SGR
	bad = [c for c in rest if (ord(c) < 0x20 and c != "\n") or
	       0x7f <= ord(c) <= 0x9f or c in "\u202a\u202b\u202c\u202d\u202e"
	       "\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufeff"]
	assert not bad, "found %r" % bad[:10]
	assert "PWNED" not in rest and "PASSTHRU" not in rest, "sequence parameters shown"
	PY
	for m in "$@"; do
		grep -Fq -- "$m" "$f" || { t_tmux_dump $S; t_fail "$what: marker '$m' not on the screen"; }
	done
	now=$(state)
	[ "$now" = "$before" ] || t_fail "$what: the terminal state changed: '$before' -> '$now'"
	[ -z "$(tmux -S "$T_TMUX_SOCK" list-buffers)" ] ||
	    t_fail "$what: a paste buffer appeared (OSC 52 leaked): $(tmux -S "$T_TMUX_SOCK" list-buffers)"
}

# open N: limit the list to message N and open it in the pager.
open() {
	t_tmux_keys $S l
	t_tmux_type $S "~s hostile-$1"
	t_tmux_keys $S Enter
	t_tmux_wait $S "1/5 messages" 10 "limit to hostile-$1"
	check "list, hostile-$1" "hostile-$1"
	t_tmux_keys $S Enter
	t_tmux_wait $S "message 1/1" 10 "pager of hostile-$1"
}

check "the message list" hostile-1 hostile-2 hostile-3 hostile-4 hostile-5
t_log "the list of five hostile messages is clean"

for n in 1 2 3 4; do
	open $n
	case $n in
	1) markers="MARK-S1 MARK-B1 MARK-B1b" ;;
	2) markers="MARK-S2 MARK-B2 MARK-B2b B64" ;;
	3) markers="MARK-S3 MARK-B3" ;;
	4) markers="MARK-S4 MARK-B4 hex" ;;
	esac
	# shellcheck disable=SC2086
	check "pager, hostile-$n" $markers
	t_tmux_keys $S h
	# (the value is one long word: it wraps below the name)
	t_tmux_wait $S "X-Hostile:" 5 "h on hostile-$n"
	check "all headers, hostile-$n" MARK-XH Message-ID:
	t_tmux_keys $S h
	t_tmux_keys $S v
	t_tmux_wait $S "Parts: Enter views" 5 "v on hostile-$n"
	if [ $n = 3 ]; then
		check "part list, hostile-3" "1.2 application/octet-stream, 2 B"
		t_tmux_keys $S j
		t_tmux_keys $S j
		t_tmux_keys $S s
		t_tmux_wait $S "Save the part to directory:" 5 "s on the hostile name"
		t_tmux_keys $S C-u
		t_tmux_type $S "$T/save"
		mkdir -p "$T/save"
		t_tmux_keys $S Enter
		t_tmux_wait $S "Saved 2 bytes to $T/save/" 5 "save under the hostile name"
		check "saved message, hostile-3" "Saved 2 bytes"
		python3 - "$T/save" <<-'PY' || t_fail "the saved file name is not clean: $(ls "$T/save" | od -c | head)"
		import os, sys
		names = os.listdir(sys.argv[1])
		assert len(names) == 1, names
		n = names[0]
		assert len(n.encode()) <= 200 and n[0] not in ".-", n
		assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or
		               c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
		               "\u2068\u2069\u200e\u200f\u061c\ufeff/" for c in n), n
		PY
	else
		check "part list, hostile-$n"
	fi
	t_tmux_keys $S q
	t_tmux_keys $S q
	t_log "hostile-$n: pager, all headers and part list are clean"
done

# The spoofed display name: both addresses, marked, in the list and pager.
t_tmux_keys $S l
t_tmux_type $S "~s hostile-5"
t_tmux_keys $S Enter
t_tmux_wait $S "[!] attacker@evil" 10 "the list marks the spoofed name"
check "list, spoof" "[!] attacker@evil"
t_tmux_keys $S Enter
t_tmux_wait $S 'From: "support@bank.com" <attacker@evil.example> [!]' 10 "the pager shows both"
t_tmux_wait $S "Warning: a name in From: holds an address that is not its own" 5 \
    "the warning on the message line"
check "pager, spoof" MARK-B5
screen_from=$(tmux -S "$T_TMUX_SOCK" capture-pane -e -p -t $S | grep -F 'From: "support@bank.com"')
case $screen_from in
*$'\x1b[31m'*|*$'\x1b[1;31m'*|*$'\x1b[31;1m'*) ;;
*) t_fail "the spoofed From line is not in the warning colour: $(printf %q "$screen_from")" ;;
esac
t_log "the spoofed name shows both addresses, marked"

t_tmux_keys $S q
t_tmux_keys $S q
t_tmux_wait_exit $S 10
[ "$T_RC" = 0 ] || t_fail "petrel exited with status $T_RC"
t_pass "$nscreens screens of hostile mail held only text; the terminal is intact"
