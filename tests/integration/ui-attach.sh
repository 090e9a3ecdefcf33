#!/usr/bin/env bash
# ui-attach.sh - attachments in the UI (driven through tmux): the part
# list, saving one part or all of them with safe names, mailcap viewers
# and piping a part to a command.
#
# A private Dovecot holds one multipart/mixed message the test writes:
#   1.1 text/plain (the body shown), 1.2 application/octet-stream named
#   "Übersicht März.bin" by RFC 2231 (charset, percent-encoding, split in
#   two continuations), 1.3 application/pdf named "../../.bashrc",
#   1.4 text/plain attached as notes.txt, 1.5 application/x-petrel-test
#   (a mailcap copiousoutput entry), 1.6 application/x-petrel-term (a
#   mailcap entry that gets the terminal), 1.7 a forwarded message/rfc822.
# With HOME and TMPDIR inside the test directory, petrel opens the message
# and shows the text part; v lists the parts with their filenames; s saves
# 1.2 to the offered ~/Downloads and the file's SHA-256 is the part's; s on
# 1.3 into another directory saves "_.bashrc" there and nothing anywhere
# else; s again asks before overwriting (n keeps, y overwrites); a planted
# symbolic link is not followed; S saves every attachment (the forwarded
# message whole, as part-1.7.eml); Enter shows notes.txt in the pager;
# | sha256sum shows the part's hash; Enter on 1.5
# shows the mailcap command's output and removes its 0600 temporary file;
# Enter on 1.6 runs the viewer on the terminal and the UI comes back;
# Enter on 1.7 shows the forwarded message's headers and text.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"
# shellcheck source=tests/lib/dovecot.sh
. "$here/../lib/dovecot.sh"

t_init ui-attach
t_need python3 openssl dovecot doveconf doveadm tmux timeout sha256sum
t_find_petrel
mkdir -p "$T/cwd" "$T/home/Downloads" "$T/tmp" "$T/other" "$T/all" "$T/linkdir"
cd "$T/cwd"

dovecot_init "$T/dovecot" || t_fail "cannot prepare the Dovecot directory"

python3 - "$(dovecot_maildir alice)" "$T" <<'PY' || t_fail "cannot write the test message"
import base64, email.utils, os, random, sys
md, t = sys.argv[1], sys.argv[2]
rnd = random.Random(5)
binary = bytes(rnd.randrange(256) for _ in range(3000))
pdf = b"%PDF-1.4 not really\n.bashrc payload\n"
test = b"petrel mailcap test part\n"
term = b"terminal viewer input\n"
open(os.path.join(t, "part-bin"), "wb").write(binary)
open(os.path.join(t, "part-pdf"), "wb").write(pdf)
open(os.path.join(t, "part-test"), "wb").write(test)
open(os.path.join(t, "part-term"), "wb").write(term)
inner = ("From: Inner <inner@example.org>\r\nSubject: Inner subject\r\n"
         "Content-Type: text/plain\r\n\r\nInner body text.")
open(os.path.join(t, "part-eml"), "wb").write(inner.encode())
def b64(data):
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))
date = 1700000000
msg = ("From: Sender <sender@example.org>\r\nTo: alice@example.org\r\n"
       "Date: %s\r\nSubject: attach-test\r\nMessage-ID: <a1@test>\r\n"
       "MIME-Version: 1.0\r\n"
       "Content-Type: multipart/mixed; boundary=\"=-b1\"\r\n\r\n"
       "--=-b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
       "Attachment test body text.\r\n"
       "--=-b1\r\nContent-Type: application/octet-stream\r\n"
       "Content-Disposition: attachment;\r\n"
       " filename*0*=UTF-8''%%C3%%9Cbersicht%%20;\r\n"
       " filename*1*=M%%C3%%A4rz.bin\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n"
       "--=-b1\r\nContent-Type: application/pdf\r\n"
       "Content-Disposition: attachment; filename=\"../../.bashrc\"\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n"
       "--=-b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
       "Content-Disposition: attachment; filename=notes.txt\r\n"
       "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
       "Notes: caf=E9 cr=E8me.\r\n"
       "--=-b1\r\nContent-Type: application/x-petrel-test\r\n"
       "Content-Disposition: attachment; filename=\"t;$(id).dat\"\r\n\r\n"
       "petrel mailcap test part\r\n\r\n"
       "--=-b1\r\nContent-Type: application/x-petrel-term\r\n\r\n"
       "terminal viewer input\r\n\r\n"
       "--=-b1\r\nContent-Type: message/rfc822\r\n\r\n%s\r\n"
       "--=-b1--\r\n" % (email.utils.formatdate(date), b64(binary), b64(pdf),
                         inner))
name = os.path.join(md, "cur", "%d.M1P1.attach:2,S" % date)
open(name, "wb").write(msg.encode())
os.utime(name, (date, date))
PY
# The parts with a body line end in CRLF before the delimiter: the
# decoded body is the text without the last line break.
printf 'petrel mailcap test part\r\n' >"$T/part-test"
printf 'terminal viewer input\r\n' >"$T/part-term"

cat >"$T/home/.mailcap" <<EOF
# test entries
application/x-petrel-test; sha256sum %s; copiousoutput
application/x-petrel-term; cat > '$T/term.out'; needsterminal
EOF

t_on_exit dovecot_stop
dovecot_start || t_fail "Dovecot did not start (see $DOVECOT_DIR/dovecot.log)"

cat >"$T/p.conf" <<EOF
[account test]
driver = imap
host = 127.0.0.1
port = $DOVECOT_IMAPS_PORT
user = alice
password = secret
security = implicit
tls_ca_file = $DOVECOT_CA
EOF

sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# row PART: the list row of a part path ("1.2 ...") as drawn.
wait_cursor() {
	local s=$1 text=$2 i row
	for ((i = 0; i < 25; i++)); do
		row=$(tmux -S "$T_TMUX_SOCK" capture-pane -e -p -t "$s" |
		    grep -F -- "$text" | head -n 1 || true)
		case $row in *$'\x1b[7m'*) return 0 ;; esac
		sleep 0.2
	done
	t_tmux_dump "$s"
	t_fail "the cursor is not on the row '$text'"
}

S=att
t_tmux_start $S env HOME="$T/home" TMPDIR="$T/tmp" "$PETREL" -F "$T/p.conf"
t_tmux_wait $S "[test] INBOX: 1 messages" 60 "INBOX status line"
t_tmux_keys $S Enter
t_tmux_wait $S "Attachment test body text." 10 "the text part"
t_tmux_wait $S "Subject: attach-test" 5 "the subject"

# The part list.
t_tmux_keys $S v
t_tmux_wait $S "Parts: Enter views" 5 "v opens the part list"
t_tmux_wait $S '1.2 application/octet-stream, 3 kB, "Übersicht März.bin"' 5 "RFC 2231 filename"
t_tmux_wait $S '1.3 application/pdf, 36 B, "../../.bashrc"' 5 "the traversal name as sent"
t_tmux_wait $S '1 multipart/mixed' 5 "the container"
wait_cursor $S "1.1 text/plain"

# s: the non-ASCII name into the offered ~/Downloads.
t_tmux_keys $S j
wait_cursor $S "1.2 application"
t_tmux_keys $S s
t_tmux_wait $S "Save the part to directory: $T/home/Downloads" 5 "s offers ~/Downloads"
t_tmux_keys $S Enter
f="$T/home/Downloads/Übersicht März.bin"
t_tmux_wait $S "Saved 3000 bytes to $f." 5 "the save's message"
[ -f "$f" ] || t_fail "$f was not written"
[ "$(sha "$f")" = "$(sha "$T/part-bin")" ] || t_fail "the saved part's SHA-256 differs"
[ "$(stat -c %a "$f")" = 600 ] || t_fail "the saved part is not 0600"
t_log "1.2 saved as '$f', SHA-256 matches"

# s: the traversal name stays inside the chosen directory.
t_tmux_keys $S j
wait_cursor $S "1.3 application/pdf"
t_tmux_keys $S s
t_tmux_wait $S "Save the part to directory: $T/home/Downloads" 5 "s offers the last directory"
t_tmux_keys $S C-u
t_tmux_type $S "$T/other"
t_tmux_keys $S Enter
t_tmux_wait $S "Saved 36 bytes to $T/other/_.bashrc." 5 "the traversal save"
[ "$(ls -A "$T/other")" = _.bashrc ] || t_fail "$T/other holds: $(ls -A "$T/other")"
[ "$(sha "$T/other/_.bashrc")" = "$(sha "$T/part-pdf")" ] || t_fail "_.bashrc differs from the part"
for x in "$T/.bashrc" "$T/home/.bashrc" "$T/home/Downloads/.bashrc" /tmp/.bashrc; do
	[ ! -e "$x" ] || t_fail "a traversal name wrote $x"
done
t_log "../../.bashrc saved as $T/other/_.bashrc only"

# s again: asked before overwriting; n keeps the file, y overwrites.
printf 'changed\n' >"$T/other/_.bashrc"
t_tmux_keys $S s
t_tmux_keys $S Enter
t_tmux_wait $S "$T/other/_.bashrc exists: overwrite? (y/n)" 5 "overwrite question"
t_tmux_keys $S n
t_tmux_wait $S "Not done." 5 "n to the overwrite question"
[ "$(cat "$T/other/_.bashrc")" = changed ] || t_fail "n overwrote the file"
t_tmux_keys $S s
t_tmux_keys $S Enter
t_tmux_wait $S "overwrite? (y/n)" 5 "overwrite question (2)"
t_tmux_keys $S y
t_tmux_wait $S "Saved 36 bytes to $T/other/_.bashrc." 5 "y overwrites"
[ "$(sha "$T/other/_.bashrc")" = "$(sha "$T/part-pdf")" ] || t_fail "y did not overwrite"

# A symbolic link planted under the name is not followed.
printf 'victim\n' >"$T/victim"
ln -s "$T/victim" "$T/linkdir/_.bashrc"
t_tmux_keys $S s
t_tmux_keys $S C-u
t_tmux_type $S "$T/linkdir"
t_tmux_keys $S Enter
t_tmux_wait $S "overwrite? (y/n)" 5 "overwrite question for the link"
t_tmux_keys $S y
t_tmux_wait $S "Error: $T/linkdir/_.bashrc: Too many levels of symbolic links" 5 "the link is refused"
[ "$(cat "$T/victim")" = victim ] || t_fail "the save followed a symbolic link"
t_log "overwrite asked; n keeps, y overwrites, links are not followed"

# S: every attachment, into an empty directory.
t_tmux_keys $S S
t_tmux_wait $S "Save all attachments to directory:" 5 "S asks for a directory"
t_tmux_keys $S C-u
t_tmux_type $S "$T/all"
t_tmux_keys $S Enter
t_tmux_wait $S "Saved 6 of 6 attachments to $T/all." 5 "S saves all"
(cd "$T/all" && ls -A | LC_ALL=C sort) >"$T/all.list"
printf '%s\n' _.bashrc notes.txt part-1.6 part-1.7.eml 't;$(id).dat' 'Übersicht März.bin' | LC_ALL=C sort |
    cmp -s - "$T/all.list" || t_fail "S saved: $(tr '\n' '|' <"$T/all.list")"
[ "$(sha "$T/all/Übersicht März.bin")" = "$(sha "$T/part-bin")" ] || t_fail "S: the binary differs"
[ "$(sha "$T/all/t;\$(id).dat")" = "$(sha "$T/part-test")" ] || t_fail "S: the test part differs"
[ "$(sha "$T/all/part-1.7.eml")" = "$(sha "$T/part-eml")" ] || t_fail "S: the message part differs"
t_log "S saved all six attachments, the forwarded message whole"

# Enter on a text attachment: shown in the pager, decoded.
t_tmux_keys $S j
wait_cursor $S "1.4 text/plain; iso-8859-1"
t_tmux_keys $S Enter
t_tmux_wait $S "Notes: café crème." 5 "notes.txt in the pager"
t_tmux_wait $S '[1.4 text/plain; iso-8859-1, 18 B, "notes.txt"]' 5 "the part's title"
t_tmux_keys $S q
t_tmux_wait $S "Parts: Enter views" 5 "q back to the part list"

# |: pipe a part to a command, see its output.
t_tmux_keys $S k
t_tmux_keys $S k
wait_cursor $S "1.2 application"
t_tmux_keys $S '|'
t_tmux_wait $S "Pipe to command:" 5 "| asks for a command"
t_tmux_type $S "sha256sum"
t_tmux_keys $S Enter
t_tmux_wait $S "$(sha "$T/part-bin")  -" 10 "the pipe's output"
t_tmux_wait $S '[Output of "sha256sum": exit status 0]' 5 "the pipe's title"
t_tmux_keys $S q

# Mailcap: copiousoutput shown in the pager, its temporary file removed.
t_tmux_keys $S j
t_tmux_keys $S j
t_tmux_keys $S j
wait_cursor $S "1.5 application/x-petrel-test"
t_tmux_keys $S Enter
# (wrapped at the blank: 64 + 2 + the path are more than 100 columns)
t_tmux_wait_re $S "^$(sha "$T/part-test") *\$" 10 "the mailcap viewer's output" >/dev/null
t_tmux_wait_re $S "^$T/tmp/petrel-[A-Za-z0-9]{6}/tid.dat\$" 5 "the temporary file's name" >/dev/null
t_tmux_wait $S 'shown by "sha256sum %s"' 5 "the viewer's title"
[ -z "$(ls -A "$T/tmp")" ] || t_fail "the temporary file was left: $(ls -AR "$T/tmp")"
t_tmux_keys $S q

# Mailcap on the terminal: the viewer runs, the UI comes back.
t_tmux_keys $S j
wait_cursor $S "1.6 application/x-petrel-term"
t_tmux_keys $S Enter
t_poll 10 "the terminal viewer did not run" test -s "$T/term.out"
cmp -s "$T/term.out" "$T/part-term" || t_fail "the terminal viewer got other bytes"
t_tmux_wait $S "Parts: Enter views" 10 "the part list after the viewer"
[ -z "$(ls -A "$T/tmp")" ] || t_fail "the temporary file was left (2)"
t_log "mailcap viewers: copiousoutput in the pager, others on the terminal"

# Enter on a message/rfc822 part: its headers and text.
t_tmux_keys $S j
wait_cursor $S "1.7 message/rfc822"
t_tmux_keys $S Enter
t_tmux_wait $S "Subject: Inner subject" 5 "the inner message's subject"
t_tmux_wait $S "Inner body text." 5 "the inner message's text"
t_tmux_keys $S q

t_tmux_keys $S q
t_tmux_keys $S q
t_tmux_keys $S q
t_tmux_wait_exit $S 10
[ "$T_RC" = 0 ] || t_fail "petrel exited with status $T_RC"
t_pass "part list, safe saves, overwrite question, mailcap and pipe"
