#!/usr/bin/env bash
# mime-build.sh - the message builder (src/mime/build*.c) read by an oracle
# nobody here wrote: Python's email package (policy=default).
#
# tests/unit/mime_build_probe (built with the unit tests) builds messages
# from its command line; Python must read back exactly what went in:
#   - the Subject (German, CJK, emoji, folded over several lines), the
#     From, To, Cc and Reply-To display names and addresses, a group, a
#     display name too long for one encoded word (read with the RFC 2047
#     6.2 decoder of email.header, as policy=default keeps the space
#     between encoded words of a phrase);
#   - the text as quoted-printable, as 8bit (--8bit), and as
#     format=flowed (unflowed here per RFC 3676, delsp=no);
#   - attachments: a 5 MB random file (SHA-256), a name needing RFC 2231
#     continuations, a CJK name, a forwarded message/rfc822 not in base64
#     (7bit, and 8bit inside a multipart marked 8bit);
#   - Date with the zone's +hhmm, Message-ID from the sender's domain,
#     MIME-Version, no Bcc anywhere, no defect Python notices;
#   - raw form: CRLF line ends only, no line over 998 octets, header lines
#     at most 78, base64 lines of 76.
# --rcpts must list To, Cc and Bcc; a bad address must fail cleanly.
# First a self-check: the checker must catch a message with one attachment
# byte changed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"

t_init mime-build
t_need python3 timeout head
builddir=${PETREL_BUILDDIR:-$(dirname "${PETREL:-./petrel}")}
PROBE=${MIME_BUILD_PROBE:-$builddir/tests/unit/mime_build_probe}
[ -x "$PROBE" ] ||
    t_fail "mime_build_probe not found at $PROBE (make tests/unit/mime_build_probe, or set PETREL_BUILDDIR)"

# --- what goes in ------------------------------------------------------------
export MB_SUBJECT='Grüße aus München — 日本語の件名と絵文字 🎉👩‍💻 und ein recht langer Betreff, der gefaltet werden muss'
export MB_FROM='Jöhn Dœ <john@mail.example.org>'
export MB_TO='Team Ünïcode: a@example.net, "Doe, John" <d@example.net>;, 山田太郎 <taro@example.jp>, plain@example.com, "Ein sehr langer Anzeigename mit Ümläuten, der in kein einziges Wort passt" <long@example.de>'
export MB_CC='Émile Zola <emile@example.fr>'
export MB_BCC='Secret Watcher <secret@example.org>, a@example.net'
export MB_REPLY_TO='Ünïcode Replies <replies@example.org>'
export MB_ATTACH_NAME='Bericht für März 2025 — ein sehr langer Dateiname mit Umlauten äöü und 日本語.bin'
export MB_NOTES_NAME='日本語のメモ.txt'
export MB_DATE=1751371509	# 2025-07-01 12:05:09 UTC
mkdir -p "$T/in"
head -c 5242880 /dev/urandom >"$T/in/random.bin"
printf '日本語のメモ\nzweite Zeile\n' >"$T/in/notes.txt"
printf 'From: Inner <inner@example.org>\nSubject: the forwarded one\n\nforwarded body\n' >"$T/in/inner.eml"
printf '%s\n' 'From: Inner <inner@example.org>' \
    'Subject: =?utf-8?q?f=C3=BCr_dich?=' 'MIME-Version: 1.0' \
    'Content-Type: text/plain; charset=utf-8' \
    'Content-Transfer-Encoding: 8bit' '' 'Grüße 8bit' >"$T/in/inner-8bit.eml"
python3 - "$T/in" <<'PY'
import os, sys
d = sys.argv[1]
long_line = "Sehr lange Zeile " + "äöü" * 400          # over 998 octets
text = ("Hallo Welt,\n\nGrüße aus München! 日本語のテキスト 🎉.\n"
        "Trailing blanks stay:   \n" + long_line + "\n"
        "A line with = and =?utf-8?q?x?= in it.\n.\nFrom here on.\n")
open(os.path.join(d, "body-qp.txt"), "w", encoding="utf-8").write(text)
open(os.path.join(d, "body-8bit.txt"), "w", encoding="utf-8").write(
    "Grüße aus München! 日本語のテキスト 🎉.\nZweite Zeile.\n")
flowed = ("Ein Absatz, der viel länger ist als zweiundsiebzig Zeichen und "
          "deshalb umbrochen werden muss, mit Ümläuten und 日本語.\n"
          "> Ein Zitat, das ebenfalls recht lang ist und über die Grenze von "
          "zweiundsiebzig Zeichen geht.\n"
          "From the start\n"
          " leading blank\n"
          "\n-- \nJöhn\n")
open(os.path.join(d, "body-flowed.txt"), "w", encoding="utf-8").write(flowed)
PY

# build NAME ARGS...: build a message into $T/NAME.eml (fails the test on
# error).
build() {
	local name=$1
	shift
	t_run "$name" 60 env TZ='CET-1CEST,M3.5.0,M10.5.0/3' "$PROBE" \
	    --from "$MB_FROM" --to "$MB_TO" --cc "$MB_CC" --bcc "$MB_BCC" \
	    --reply-to "$MB_REPLY_TO" --subject "$MB_SUBJECT" \
	    --date "$MB_DATE" --references '<parent@example.org> <x@y.org>' \
	    --header 'X-Mailer:petrel test' "$@"
	if [ "$T_RC" != 0 ]; then
		t_show "$name"
		t_fail "the probe failed to build $name"
	fi
	mv "$T/$name.out" "$T/$name.eml"
}

build qp --body "$T/in/body-qp.txt" \
    --attach "$T/in/random.bin" --name "$MB_ATTACH_NAME" \
    --attach "$T/in/notes.txt" --name "$MB_NOTES_NAME" --type text/plain \
    --charset utf-8 --inline \
    --message "$T/in/inner.eml"
build 8bit --8bit --body "$T/in/body-8bit.txt" \
    --message "$T/in/inner-8bit.eml" --name 'weitergeleitet.eml'
build flowed --flowed --8bit --body "$T/in/body-flowed.txt"

# --- the oracle ---------------------------------------------------------------
cat >"$T/check.py" <<'PY'
import email, email.policy, email.utils, hashlib, os, re, sys
from email.header import decode_header, make_header

path, case, indir = sys.argv[1], sys.argv[2], sys.argv[3]
raw = open(path, "rb").read()
env = os.environ
bad = []

def check(ok, what):
    if not ok:
        bad.append(what)

# Raw form: CRLF only, lines within 998, header lines within 78.
check(b"\n" not in raw.replace(b"\r\n", b"") and
      b"\r" not in raw.replace(b"\r\n", b""), "a line end that is not CRLF")
lines = raw.split(b"\r\n")
check(max(len(l) for l in lines) <= 998, "a line over 998 octets")
head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
check(all(len(l) <= 78 for l in head), "a header line over 78 octets: %r"
      % [l for l in head if len(l) > 78][:1])
check(all(l[:1] not in (b" ", b"\t") or l.strip() for l in head),
      "a blank continuation line")
check(b"Secret" not in raw and b"secret@" not in raw, "Bcc leaked")

m = email.message_from_bytes(raw, policy=email.policy.default)
for p in m.walk():
    check(not p.defects, "defects in %s: %r" % (p.get_content_type(),
                                                p.defects))
check(m["MIME-Version"] == "1.0", "MIME-Version")
check(m["Subject"] == env["MB_SUBJECT"], "Subject: %r" % m["Subject"])
check(m["Bcc"] is None, "a Bcc field")
check(m["X-Mailer"] == "petrel test", "X-Mailer")
check(m["References"] == "<parent@example.org> <x@y.org>", "References")

# Date: the zone's offset, the same instant.
date = raw[6:raw.index(b"\r\n")].decode() if raw.startswith(b"Date: ") else ""
check(date == "Tue, 1 Jul 2025 14:05:09 +0200", "Date: %r" % date)
check(email.utils.parsedate_to_datetime(m["Date"]).timestamp()
      == int(env["MB_DATE"]), "Date is not the given instant")
check(re.fullmatch(r"<[a-z2-7]{24}@mail\.example\.org>", m["Message-ID"])
      is not None, "Message-ID: %r" % m["Message-ID"])

def addrs(h):
    return [(a.display_name, a.addr_spec) for a in m[h].addresses]

check(addrs("From") == [("Jöhn Dœ", "john@mail.example.org")], "From")
check(addrs("Cc") == [("Émile Zola", "emile@example.fr")], "Cc")
check(addrs("Reply-To") == [("Ünïcode Replies", "replies@example.org")],
      "Reply-To")
groups = [(g.display_name, [(a.display_name, a.addr_spec)
                            for a in g.addresses]) for g in m["To"].groups]
check(groups[:4] == [
    ("Team Ünïcode", [("", "a@example.net"), ("Doe, John", "d@example.net")]),
    (None, [("山田太郎", "taro@example.jp")]),
    (None, [("", "plain@example.com")]),
    (None, [(groups[3][1][0][0], "long@example.de")])] and len(groups) == 4,
    "To: %r" % groups)
# The long name spans encoded words: the RFC 2047 6.2 decoder reads it.
to_raw = raw.split(b"\r\nTo:", 1)[1].split(b"\r\nCc:", 1)[0].decode()
check("Ein sehr langer Anzeigename mit Ümläuten, der in kein einziges "
      "Wort passt <long@example.de>" in str(make_header(decode_header(
          to_raw.replace("\r\n", "")))), "the long display name")

def body_of(p):
    return p.get_content().replace("\r\n", "\n")

def want_text(name):
    return open(os.path.join(indir, name), encoding="utf-8").read()

def unflow(text):
    """RFC 3676 section 4, delsp=no: logical lines, quotes as '> '."""
    out, open_depth = [], None
    for line in text.split("\n")[:-1]:
        depth = len(line) - len(line.lstrip(">"))
        c = line[depth:]
        if c.startswith(" "):
            c = c[1:]
        soft = c.endswith(" ") and c != "-- "
        if open_depth is not None and open_depth != depth:
            out.append("\n")
            open_depth = None
        if open_depth is None:
            out.append(">" * depth + (" " if depth and c else ""))
        out.append(c)
        if soft:
            open_depth = depth
        else:
            out.append("\n")
            open_depth = None
    return "".join(out)

text = m.get_body(("plain",))
cte = text["Content-Transfer-Encoding"]
if case == "qp":
    check(cte == "quoted-printable", "text CTE %r" % cte)
    check(body_of(text) == want_text("body-qp.txt"), "QP body differs")
    atts = list(m.iter_attachments())
    check(len(atts) == 3, "%d attachments" % len(atts))
    a0, a1, a2 = atts
    check(a0.get_filename() == env["MB_ATTACH_NAME"], "filename %r"
          % a0.get_filename())
    check(hashlib.sha256(a0.get_content()).hexdigest() == hashlib.sha256(
        open(os.path.join(indir, "random.bin"), "rb").read()).hexdigest(),
        "SHA-256 of the 5 MB attachment")
    check(a0["Content-Transfer-Encoding"] == "base64", "attachment CTE")
    check(a1.get_filename() == env["MB_NOTES_NAME"], "CJK filename %r"
          % a1.get_filename())
    check(a1.get_content_disposition() == "inline", "inline")
    check(a1.get_content() == want_text("notes.txt"), "notes.txt content")
    check(a2.get_content_type() == "message/rfc822", "message/rfc822")
    check(a2["Content-Transfer-Encoding"] == "7bit", "message CTE")
    inner = a2.get_content()
    check(inner["Subject"] == "the forwarded one", "inner Subject")
    check(inner.get_content().replace("\r\n", "\n") == "forwarded body\n",
          "inner body")
    b64 = raw.split(b"base64\r\n\r\n", 1)[1].split(b"\r\n--", 1)[0]
    blines = b64.split(b"\r\n")
    check(all(len(l) == 76 for l in blines[:-1]) and len(blines) > 60000,
          "base64 lines of 76")
    check(b"filename*0*=utf-8''Bericht" in raw, "RFC 2231 continuations")
elif case == "8bit":
    check(cte == "8bit", "text CTE %r" % cte)
    check(body_of(text) == want_text("body-8bit.txt"), "8bit body differs")
    check(m["Content-Transfer-Encoding"] == "8bit", "multipart not 8bit")
    fw = list(m.iter_attachments())
    check(len(fw) == 1 and fw[0].get_content_type() == "message/rfc822"
          and fw[0]["Content-Transfer-Encoding"] == "8bit" and
          fw[0].get_filename() == "weitergeleitet.eml", "8bit forward")
    inner = fw[0].get_content()
    check(inner["Subject"] == "für dich" and inner.get_content().replace(
        "\r\n", "\n") == "Grüße 8bit\n", "8bit inner message")
elif case == "flowed":
    check(text.get_param("format") == "flowed" and
          text.get_param("delsp") == "no", "format=flowed; delsp=no")
    b = body_of(text)
    check(all(len(l) <= 72 for l in b.split("\n")), "flowed lines over 72")
    check(" \n" in b, "no soft break")
    check("\n From the start\n" in b, "From not space-stuffed")
    check(unflow(b) == want_text("body-flowed.txt"), "unflowed text: %r"
          % unflow(b))
if bad:
    print("\n".join("BAD %s: %s" % (case, x) for x in bad))
    sys.exit(1)
print("ok %s" % case)
PY

# --- self-check: a damaged message must be caught ---------------------------
python3 - "$T/qp.eml" "$T/damaged.eml" <<'PY'
import sys
raw = bytearray(open(sys.argv[1], "rb").read())
at = raw.index(b"base64\r\n\r\n") + 5000
raw[at] = ord("A") if raw[at] != ord("A") else ord("B")
open(sys.argv[2], "wb").write(raw)
PY
t_run selfcheck 120 python3 "$T/check.py" "$T/damaged.eml" qp "$T/in"
if [ "$T_RC" != 1 ] || ! grep -q '^BAD qp: SHA-256' "$T/selfcheck.out"; then
	t_show selfcheck
	t_fail "the checker did not catch a changed attachment byte"
fi
t_log "self-check: a changed attachment byte is caught"

# --- the three messages -------------------------------------------------------
for c in qp 8bit flowed; do
	t_run "check-$c" 120 python3 "$T/check.py" "$T/$c.eml" "$c" "$T/in"
	if [ "$T_RC" != 0 ]; then
		t_show "check-$c"
		t_fail "Python's email package reads the $c message differently"
	fi
	t_log "$(cat "$T/check-$c.out")"
done

# --- envelope recipients and a bad address ----------------------------------
t_run rcpts 60 "$PROBE" --to "$MB_TO" --cc "$MB_CC" --bcc "$MB_BCC" --rcpts
assert_rc 0 rcpts
printf '%s\n' a@example.net d@example.net taro@example.jp plain@example.com \
    long@example.de emile@example.fr secret@example.org >"$T/rcpts.want"
cmp -s "$T/rcpts.want" "$T/rcpts.out" || {
	diff "$T/rcpts.want" "$T/rcpts.out" >&2 || true
	t_fail "--rcpts: not To, Cc and Bcc in order without duplicates"
}
t_run bad 60 "$PROBE" --from "$MB_FROM" --to 'ok@example.org, Nobody'
assert_rc 1 bad
[ ! -s "$T/bad.out" ] || t_fail "a bad address still wrote a message"
assert_grep '^error: .*To: "Nobody" is not an address' "$T/bad.err" \
    "the error names the bad member"

t_pass "Python's email package reads back subject, names, groups, QP, 8bit and flowed text, RFC 2231 and CJK filenames, a 5 MB attachment and a message/rfc822 part"
