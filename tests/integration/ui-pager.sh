#!/usr/bin/env bash
# ui-pager.sh - the pager (driven through tmux): chosen headers and the
# full-headers toggle, format=flowed done right, word wrapping, quote
# colours, search, the URL list, wide characters, and HTML through
# html_command.
#
# A private Dovecot holds four messages the test writes itself:
#   pager-flowed  format=flowed; delsp=yes: soft breaks joined (with the
#                 DelSp space deleted), space-stuffing undone, quoted
#                 paragraphs joined per depth, a 40-word paragraph wrapped
#                 at word boundaries, three URLs, two "needle" lines far
#                 down, an X-Mailer header;
#   pager-wide    60 CJK characters, 60 emoji, 120 e + U+0301;
#   pager-html    text/html only;
# Session 1 (no url_command, no html_command, no w3m or lynx on PATH):
#   h shows X-Mailer and h again hides it; the flowed text reads as
#   paragraphs; no screen row splits a word; quote levels 1-3 are drawn in
#   three colours (capture-pane -e); / needle highlights the first match
#   (reverse video), n the second, n again wraps with "Search wrapped";
#   a missing word says "Not found"; u lists the three URLs and Enter
#   shows the first on the message line; the wide lines wrap at 50 CJK
#   characters / 50 emoji / 100 accented letters on a 100-column screen;
#   the HTML message is shown with its tags stripped.
# Session 2 (url_command and html_command are scripts of the test): Enter
#   in the URL list runs url_command with the URL as its only argument (no
#   shell: the '&' in it arrives as written); the HTML message shows the
#   renderer's output, and the escape sequences that output holds (OSC
#   title, CSI colour) do not reach the terminal.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init ui-pager
t_need python3 openssl dovecot doveconf doveadm tmux timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"

# The messages, written into alice's Maildir before Dovecot starts.
python3 - "$(dovecot_maildir alice)" <<'PY' || t_fail "cannot write the test messages"
import os, sys
md = sys.argv[1]
def put(n, subject, headers, body):
    date = 1700000000 + n * 60
    msg = ("From: Sender Name <sender@example.org>\r\n"
           "To: to@example.org\r\nCc: cc@example.org\r\n"
           "Date: %s\r\nSubject: %s\r\nMessage-ID: <p%d@test>\r\n"
           "MIME-Version: 1.0\r\n%s\r\n" %
           (__import__("email.utils").utils.formatdate(date), subject, n,
            headers)).encode() + body
    name = os.path.join(md, "cur", "%d.M%dP1.pager:2,S" % (date, n))
    with open(name, "wb") as f:
        f.write(msg)
    os.utime(name, (date, date))

words = " ".join("alpha%02d" % i for i in range(1, 41)).split(" ")
para = "".join(w + "  \r\n" if i % 5 == 4 else w + " "
               for i, w in enumerate(words)).rstrip(" \r\n") + "\r\n"
flowed = ("The quick brown fox  \r\njumps over the lazy dog.\r\n"
          "Supercali \r\nfragilistic word.\r\n"
          " From the start, stuffed.\r\n"
          "> First level quoted  \r\n> text joined.\r\n"
          ">> Second level.\r\n>>> Third level.\r\n\r\n"
          "Visit https://example.org/one and "
          "(http://example.net/two?x=1&y=2).\r\n"
          "Also www.example.com/three.\r\n\r\n" + para + "\r\n" +
          "".join("filler line %02d\r\n" % i for i in range(1, 41)) +
          "the needle one\r\n" +
          "".join("more filler %02d\r\n" % i for i in range(1, 41)) +
          "the needle two\r\n-- \r\nSig\r\n")
put(1, "pager-flowed test",
    "X-Mailer: petrel-test-mailer\r\n"
    "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\r\n"
    "Content-Transfer-Encoding: 8bit\r\n", flowed.encode())
wide = ("\u4e2d" * 60 + "\r\n" + "\U0001F600" * 60 + "\r\n" +
        "e\u0301" * 120 + "\r\n")
put(2, "pager-wide test",
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n", wide.encode())
put(3, "pager-html test", "Content-Type: text/html; charset=utf-8\r\n",
    b"<html><head><title>t</title><style>p {}</style></head><body>"
    b"<p>HTML <b>rendered</b> body</p><script>alert(1)</script>"
    b"</body></html>\r\n")
PY

t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"

# write_config FILE [GENERAL-LINES]
write_config() {
	{
		printf '[general]\n%s\n' "${2:-}"
		cat <<-EOF
		[account test]
		driver = imap
		host = 127.0.0.1
		port = $DOVECOT_IMAPS_PORT
		user = alice
		password = secret
		security = implicit
		tls_ca_file = $DOVECOT_CA
		EOF
	} >"$1"
}

# screen_e SESSION: the screen with its attributes (SGR sequences).
screen_e() {
	tmux -S "$T_TMUX_SOCK" capture-pane -e -p -t "$1"
}

# open_msg SESSION SUBJECT: limit the list to SUBJECT and open it.
open_msg() {
	t_tmux_keys "$1" l
	t_tmux_type "$1" "~s $2"
	t_tmux_keys "$1" Enter
	t_tmux_wait "$1" "1/3 messages" 10 "limit to $2"
	t_tmux_keys "$1" Enter
	t_tmux_wait "$1" "message 1/1" 10 "pager of $2"
}

# back SESSION: q to the list.
back() {
	t_tmux_keys "$1" q
	t_tmux_wait "$1" "1/3 messages" 10 "back in the list"
}

# A PATH without w3m and lynx, so the internal stripper is the default.
mkdir -p "$T/bin"
for p in sh cat python3 sed; do
	ln -s "$(command -v $p)" "$T/bin/$p"
done

# --- session 1 ------------------------------------------------------------
write_config "$T/one.conf"
S=one
t_tmux_start $S env PATH="$T/bin" "$PETREL" -F "$T/one.conf"
t_tmux_wait $S "[test] INBOX: 3 messages" 60 "INBOX status line"
open_msg $S pager-flowed

# Headers: the chosen ones, then all (h), then the chosen ones again.
t_tmux_wait $S "Subject: pager-flowed test" 5 "Subject header"
t_tmux_wait $S "From: Sender Name <sender@example.org>" 5 "From header"
t_tmux_wait $S "Cc: cc@example.org" 5 "Cc header"
t_tmux_screen $S | grep -q "X-Mailer" && t_fail "X-Mailer shown before h"
t_tmux_keys $S h
t_tmux_wait $S "X-Mailer: petrel-test-mailer" 5 "h shows all headers"
t_tmux_wait $S "Message-ID: <p1@test>" 5 "h shows Message-ID"
t_tmux_keys $S h
t_tmux_wait_gone $S "X-Mailer" 5 "h again hides X-Mailer"
t_log "h toggles the full headers"

# format=flowed, RFC 3676: joined lines, DelSp, stuffing, quotes.
scr=$(t_tmux_screen $S)
for want in "The quick brown fox jumps over the lazy dog." \
    "Supercalifragilistic word." "> First level quoted text joined." \
    ">> Second level." ">>> Third level."; do
	grep -Fq -- "$want" <<<"$scr" || { t_tmux_dump $S; t_fail "flowed: '$want' not shown"; }
done
grep -Eq '^From the start, stuffed\.' <<<"$scr" ||
    { t_tmux_dump $S; t_fail "flowed: space-stuffing not undone"; }
# The 40 words wrap at word boundaries: every row holds whole words, in order.
python3 - "$scr" <<'PY' || { t_tmux_dump $S; t_fail "wrapping split a word or lost one"; }
import re, sys
rows = [r for r in sys.argv[1].split("\n") if "alpha" in r]
words = " ".join(rows).split()
assert words == ["alpha%02d" % i for i in range(1, 41)], words
assert len(rows) >= 4, rows
assert all(len(r.rstrip()) <= 100 for r in rows)
PY
# Quote levels in three colours.
screen_e $S >"$T/colours"
python3 - "$T/colours" <<'PY' || t_fail "quote levels are not coloured (see $T/colours)"
import re, sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
def sgr(text):
    row = next(r for r in rows if text in r)
    return row[:row.index(text)]
c1, c2, c3 = sgr("First level"), sgr("Second level"), sgr("Third level")
assert "\x1b[32m" in c1, repr(c1)
assert "\x1b[33m" in c2, repr(c2)
assert "\x1b[35m" in c3, repr(c3)
plain = sgr("The quick brown")
assert not re.search("\x1b\\[3[0-7]m", plain), repr(plain)
PY
t_log "flowed text joined, wrapped at words, quotes coloured"

# Search: first match, next, wrap around, not found.
t_tmux_keys $S /
t_tmux_type $S needle
t_tmux_keys $S Enter
t_tmux_wait_re $S '^the needle one' 5 "/needle scrolls to the first match" >/dev/null
screen_e $S | grep -q $'\x1b\[7mneedle' || { t_tmux_dump $S; t_fail "the match is not highlighted"; }
t_tmux_keys $S n
t_tmux_wait_re $S '^the needle two' 5 "n goes to the second match" >/dev/null
t_tmux_keys $S n
t_tmux_wait $S "Search wrapped to the top." 5 "n wraps around"
t_tmux_wait_re $S '^the needle one' 5 "after the wrap, the first match" >/dev/null
t_tmux_keys $S /
t_tmux_type $S zzqx
t_tmux_keys $S Enter
t_tmux_wait $S "Not found: zzqx" 5 "a missing word"
t_log "search, next, wrap and not found work"

# URL list.
t_tmux_keys $S Home
t_tmux_keys $S u
t_tmux_wait $S "URLs (3)" 5 "u lists the URLs"
for u in https://example.org/one "http://example.net/two?x=1&y=2" www.example.com/three; do
	t_tmux_wait $S "  $u" 5 "URL $u in the list"
done
t_tmux_keys $S Enter
t_tmux_wait $S "URL: https://example.org/one" 5 "Enter shows the URL"
t_tmux_keys $S q
t_tmux_wait $S "Subject: pager-flowed test" 5 "q from the URL list"
back $S
t_log "URL list shows the URLs"

# Wide characters and combining marks in the right columns.
open_msg $S pager-wide
python3 - "$(t_tmux_screen $S)" <<'PY' || { t_tmux_dump $S; t_fail "wide characters are in the wrong columns"; }
import sys
rows = sys.argv[1].split("\n")
def count(s, ch):
    return [r.count(ch) for r in rows if ch in r]
assert count(rows, "\u4e2d") == [50, 10], count(rows, "\u4e2d")
assert count(rows, "\U0001F600") == [50, 10], count(rows, "\U0001F600")
assert count(rows, "\u0301") == [100, 20], count(rows, "\u0301")
PY
back $S
t_log "CJK, emoji and combining marks wrap at the right columns"

# HTML without a renderer: tags stripped, script and style dropped.
open_msg $S pager-html
t_tmux_wait $S "HTML rendered body" 5 "stripped HTML"
scr=$(t_tmux_screen $S)
grep -Eq '<b>|alert|p \{' <<<"$scr" && { t_tmux_dump $S; t_fail "HTML tags or script shown"; }
t_tmux_wait $S "internal tag stripper" 5 "the note on the HTML renderer"
t_tmux_keys $S q
t_tmux_keys $S q
t_tmux_wait_exit $S 10
[ "$T_RC" = 0 ] || t_fail "petrel exited with status $T_RC"

# --- session 2: url_command and html_command ---------------------------------
cat >"$T/url.sh" <<EOF
#!/bin/sh
printf '%s\n' "\$#" "\$@" >"$T/url.out"
EOF
cat >"$T/render.py" <<'EOF'
import sys
html = sys.stdin.read()
sys.stdout.write("\x1b]0;pwned-title\x07\x1b[31mRENDERED BY SCRIPT %d\x1b[0m\n"
                 % len(html))
sys.stdout.write("\x1b]52;c;cGF5bG9hZA==\x07second line\n")
EOF
chmod +x "$T/url.sh"
write_config "$T/two.conf" "url_command = $T/url.sh
html_command = python3 '$T/render.py'"
S=two
export XDG_DATA_HOME=$T/data-two
t_tmux_start $S "$PETREL" -F "$T/two.conf"
t_tmux_wait $S "[test] INBOX: 3 messages" 60 "INBOX status line (2)"
title=$(tmux -S "$T_TMUX_SOCK" display -p -t $S '#{pane_title}')
open_msg $S pager-flowed
t_tmux_keys $S u
t_tmux_wait $S "URLs (3)" 5 "u lists the URLs (2)"
t_tmux_keys $S j
t_tmux_keys $S Enter
t_poll 5 "url_command did not run" test -s "$T/url.out"
printf '1\nhttp://example.net/two?x=1&y=2\n' | cmp -s - "$T/url.out" ||
    t_fail "url_command got: $(cat "$T/url.out")"
t_tmux_keys $S q
back $S
open_msg $S pager-html
t_tmux_wait $S "RENDERED BY SCRIPT" 5 "html_command output"
t_tmux_wait $S "second line" 5 "html_command output, line 2"
t_tmux_wait $S "text/html rendered by python3" 5 "the note on the renderer"
screen_e $S >"$T/html-screen"
python3 - "$T/html-screen" <<'PY' || t_fail "escape sequences of the renderer reached the screen"
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
rest = re.sub(r"\x1b\[[0-9;]*m", "", s)     # tmux's own SGR
assert "\x1b" not in rest and "\x07" not in rest, repr(rest[:200])
row = next(r for r in s.split("\n") if "RENDERED BY SCRIPT" in r)
assert "\x1b[31m" not in row, repr(row)
PY
now=$(tmux -S "$T_TMUX_SOCK" display -p -t $S '#{pane_title}')
[ "$now" = "$title" ] || t_fail "the pane title changed from '$title' to '$now'"
t_tmux_keys $S q
t_tmux_keys $S q
t_tmux_wait_exit $S 10
[ "$T_RC" = 0 ] || t_fail "petrel exited with status $T_RC"

t_pass "headers, flowed text, wrapping, quotes, search, URLs, wide text and HTML"
