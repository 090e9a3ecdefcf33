#!/usr/bin/env bash
# maildir.sh - a local Maildir of 10,000 messages, opened and changed by
# petrel, compared file by file with what it must be.
#
# tests/lib/gen-mailbox.py writes a Maildir++ tree (INBOX, Archive, Lists,
# Sent, Entwürfe as .Entw&APw-rfe, a few unseen files left in new/).
#   1. `petrel sync` exits 0 with the generator's counts; for every folder
#      `petrel ls` equals the manifest (id = the file's unique part, flags,
#      date, sender, subject) and the files on disk; what was in new/ is
#      now in cur/ with ":2,".  A second sync reads nothing again.
#   2. In the UI (tmux; delete = expunge): on the newest INBOX message
#      N (S added to the file name), F (F added), d (T added), $ y (file
#      unlinked); on the next newest s Archive (the file leaves INBOX and
#      its bytes are in .Archive/cur under a new unique name).  Then all
#      files are compared with the expected names and flags, and `petrel
#      ls` with the files.
#   3. A delivery into new/ by another program while petrel shows INBOX
#      appears on screen within 2 s (inotify), and moves to cur/.
#   4. Read-only (`-R`): a file in new/ stays there, opening an unseen
#      message and N F d $ change nothing; the listing of every file name
#      is the same before and after.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib/common.sh
. "$here/../lib/common.sh"

t_init maildir
t_need python3 tmux timeout
t_find_petrel
mkdir -p "$T/cwd"
cd "$T/cwd"

MD=$T/Maildir
S=md
DELIVER_SECS=2

python3 "$T_LIB/gen-mailbox.py" --out "$MD" -n 10000 --seed 7 \
    --manifest "$T/manifest.json" >&2 || t_fail "gen-mailbox.py failed"
cat >"$T/petrel.conf" <<EOF
[account local]
driver = maildir
path = $MD
delete = expunge
EOF

# The independent side: the files themselves, read with Python.
cat >"$T/md.py" <<'PY'
"""Maildir checks: snapshot the files, compare petrel ls with them."""
import json, os, subprocess, sys

LETTERS = [("S", "S"), ("R", "A"), ("F", "F"), ("T", "D"), ("D", "T")]

def folders(root):
    out = {"INBOX": root}
    for d in sorted(os.listdir(root)):
        if d.startswith(".") and d not in (".", "..") and os.path.isdir(os.path.join(root, d, "cur")):
            out[d[1:]] = os.path.join(root, d)
    return out

def snapshot(root):
    """{folder: {unique: "new" or the info letters}}"""
    snap = {}
    for name, path in folders(root).items():
        files = {}
        for sub in ("new", "cur"):
            for f in os.listdir(os.path.join(path, sub)):
                if f.startswith("."):
                    continue
                uniq, _, info = f.partition(":")
                files[uniq] = "new" if sub == "new" else info
        snap[name] = files
    return snap

def petrel_flags(info):
    letters = info[2:] if info.startswith("2,") else ""
    s = "".join(p for m, p in LETTERS if m in letters)
    return s or "-"

def ls(petrel, conf, folder):
    out = subprocess.run([petrel, "-F", conf, "ls", "local", folder],
                         capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        uid, flags, date, frm, subj = line.split("\t")
        rows[uid] = (flags, date, frm, subj)
    return rows

def fail(msg):
    sys.exit("md.py: " + msg)

def cmd_snapshot(root, out):
    json.dump(snapshot(root), open(out, "w"), indent=0, sort_keys=True)

def cmd_compare(petrel, conf, root, manifest=None):
    """petrel ls of every folder equals the files (and the manifest)."""
    snap = snapshot(root)
    want = {}
    if manifest:
        for f in json.load(open(manifest))["folders"]:
            for m in f["messages"]:
                uniq = os.path.basename(m["file"]).split(":")[0]
                want[(f["mailbox"], uniq)] = (m["date_utc"], m["from"], m["subject"])
    n = 0
    for folder, files in snap.items():
        rows = ls(petrel, conf, folder)
        if set(rows) != set(files):
            fail("%s: petrel ls has %d ids, the folder %d files; only in ls: %s; only on disk: %s"
                 % (folder, len(rows), len(files), sorted(set(rows) - set(files))[:3],
                    sorted(set(files) - set(rows))[:3]))
        for uniq, info in files.items():
            flags = rows[uniq][0]
            if info == "new":
                fail("%s: %s is still in new/ after a read-write sync" % (folder, uniq))
            if flags != petrel_flags(info):
                fail("%s: %s: petrel shows flags %s, the file name says %s"
                     % (folder, uniq, flags, info))
            if manifest and (folder, uniq) in want and rows[uniq][1:] != want[(folder, uniq)]:
                fail("%s: %s: petrel shows %r, the manifest %r"
                     % (folder, uniq, rows[uniq][1:], want[(folder, uniq)]))
            n += 1
    print("%d messages in %d folders match" % (n, len(snap)))

def cmd_expect(before, changes, root):
    """Apply changes (JSON list) to a snapshot; compare with the disk."""
    snap = json.load(open(before))
    for c in json.loads(changes):
        op = c[0]
        if op == "flags":
            snap[c[1]][c[2]] = c[3]
        elif op == "gone":
            del snap[c[1]][c[2]]
        elif op == "move":
            snap[c[3]][c[2]] = snap[c[1]].pop(c[2])
        elif op == "add":
            snap[c[1]][c[2]] = c[3]
    now = snapshot(root)
    if now != snap:
        for folder in sorted(set(now) | set(snap)):
            a, b = snap.get(folder, {}), now.get(folder, {})
            for u in sorted(set(a) | set(b)):
                if a.get(u) != b.get(u):
                    print("  %s/%s: expected %r, found %r" % (folder, u, a.get(u), b.get(u)),
                          file=sys.stderr)
        fail("the Maildir is not what the operations should have made")
    print("every file as expected (%d)" % sum(len(v) for v in now.values()))

def cmd_newest(manifest, folder, k):
    f = [f for f in json.load(open(manifest))["folders"] if f["mailbox"] == folder][0]
    m = f["messages"][-int(k)]
    print("%s\t%s" % (os.path.basename(m["file"]).split(":")[0], m["subject"]))

def cmd_counts(manifest):
    for f in json.load(open(manifest))["folders"]:
        print("%s: %d messages, %d unread" % (f["name"], f["count"], f["unseen"]))

def cmd_moved(before, root, folder, original):
    """The unique part of the one new file of folder holding original."""
    known = json.load(open(before))[folder]
    data = open(original, "rb").read()
    path = folders(root)[folder]
    found = [f for f in os.listdir(os.path.join(path, "cur"))
             if f.split(":")[0] not in known
             and open(os.path.join(path, "cur", f), "rb").read() == data]
    if len(found) != 1:
        fail("%s: %d new files with the moved bytes" % (folder, len(found)))
    print(found[0].split(":")[0])

def cmd_names(root):
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            print(os.path.relpath(os.path.join(d, f), root))

globals()["cmd_" + sys.argv[1].replace("-", "_")](*sys.argv[2:])
PY
md() { python3 "$T/md.py" "$@"; }

# --- 1. sync and ls --------------------------------------------------------
md counts "$T/manifest.json" | sort >"$T/want-summary"
[ -n "$(find "$MD/new" -type f)" ] || t_fail "test setup: the generator left nothing in new/"
t_run sync1 60 "$PETREL" -F "$T/petrel.conf" sync
assert_rc 0 sync1
[ ! -s "$T/sync1.err" ] || { t_show sync1; t_fail "petrel sync wrote on stderr"; }
sort "$T/sync1.out" >"$T/got-summary"
diff -u "$T/want-summary" "$T/got-summary" >&2 ||
    t_fail "petrel sync: the folder counts differ from the generator's"
t_log "sync of 10,000 messages took ${T_SECS}s"
left=$(find "$MD/new" -type f | head -n 3)
[ -z "$left" ] || t_fail "after a read-write sync, new/ still holds $left"
md compare "$PETREL" "$T/petrel.conf" "$MD" "$T/manifest.json" >&2 ||
    t_fail "petrel ls does not match the Maildir and the manifest"
# Files never change in place, so a resync reads no known file again:
# rewrite one (keeping its name) and its old subject must stay.
probe=$(cd "$MD/.Lists/cur" && set -- * && printf '%s' "$1")
cp "$MD/.Lists/cur/$probe" "$T/probe.eml"
printf 'Subject: rewritten in place\n\n' >"$MD/.Lists/cur/$probe"
t_run sync2 30 "$PETREL" -F "$T/petrel.conf" sync
assert_rc 0 sync2
"$PETREL" -F "$T/petrel.conf" ls local Lists >"$T/lists.out"
if grep -q 'rewritten in place' "$T/lists.out"; then
	t_fail "the second sync read a known file again"
fi
cp "$T/probe.eml" "$MD/.Lists/cur/$probe"
t_log "a resync of 10,000 unchanged messages took ${T_SECS}s"
md snapshot "$MD" "$T/snap0.json"

# --- 2. operations in the UI ---------------------------------------------------
read -r new1 subj1 < <(md newest "$T/manifest.json" INBOX 1 | tr '\t' ' ')
read -r new2 subj2 < <(md newest "$T/manifest.json" INBOX 2 | tr '\t' ' ')
read -r n u < <(sed -n 's/^INBOX: \([0-9]*\) messages, \([0-9]*\) unread$/\1 \2/p' "$T/want-summary")
# (called through t_poll)
# shellcheck disable=SC2317
has_name() { [ -e "$1" ]; }
# shellcheck disable=SC2317
gone() { ! compgen -G "$MD/cur/$1:*" >/dev/null && [ ! -e "$MD/new/$1" ]; }
status() { t_tmux_wait "$S" "[local] INBOX: $1 messages, $2 unread" 10 "$3"; }

t_tmux_start $S "$PETREL" -F "$T/petrel.conf" -d debug -L "$T/ui.log"
status "$n" "$u" "INBOX status line"
t_tmux_keys $S G
t_tmux_wait_selected $S "${subj1:0:20}" 5 "cursor on the newest INBOX message"
t_tmux_keys $S N
t_poll 5 "N: $new1 did not get S" has_name "$MD/cur/$new1:2,S"
status "$n" "$((u - 1))" "unread count after N"
t_tmux_keys $S F
t_poll 5 "F: $new1 did not get F" has_name "$MD/cur/$new1:2,FS"
t_tmux_keys $S d
t_poll 5 "d: $new1 did not get T" has_name "$MD/cur/$new1:2,FST"
t_tmux_keys $S '$'
t_tmux_wait_re $S '\(y/n\)|\[y/n\]|y/n' 5 "\$ asks for confirmation" >/dev/null
t_tmux_keys $S y
t_poll 5 "\$ y: $new1 was not unlinked" gone "$new1"
status "$((n - 1))" "$((u - 1))" "count after the expunge"
t_tmux_keys $S G
t_tmux_wait_selected $S "${subj2:0:12}" 5 "cursor on the next newest INBOX message"
cp "$MD/cur/$new2:2," "$T/moved.eml"
t_tmux_keys $S s
t_tmux_type $S Archive
t_tmux_keys $S Enter
t_poll 5 "s Archive: $new2 is still in INBOX" gone "$new2"
moved=$(md moved "$T/snap0.json" "$MD" Archive "$T/moved.eml") ||
    t_fail "s Archive: the message's bytes are not in .Archive/cur"
status "$((n - 2))" "$((u - 2))" "count after the move"
if t_tmux_screen $S | grep -q 'Error:'; then
	t_tmux_dump $S
	t_fail "an Error: line is on the screen"
fi
t_log "N, F, d, \$ y on $new1 and s Archive on $new2 (now $moved) reached the files"

# --- 3. a delivery by another program ---------------------------------------
drop=1751200000.P$$Q1.othermta
printf 'From: Mail Delivery <mda@example.org>\nTo: alice@example.org\nDate: Sun, 29 Jun 2025 12:00:00 +0000\nSubject: Dropped into new by another program\nMessage-ID: <drop@example.org>\n\nhello\n' >"$MD/tmp/$drop"
start=$(t_now_ms)
mv "$MD/tmp/$drop" "$MD/new/$drop"
status "$((n - 1))" "$((u - 1))" "a file dropped into new/ is counted"
t_tmux_wait $S "Dropped into new by another" "$DELIVER_SECS" "the delivered message on screen"
took=$(($(t_now_ms) - start))
[ "$took" -le $((DELIVER_SECS * 1000)) ] || t_fail "the delivery took ${took} ms to appear"
t_log "a delivery into new/ appeared after ${took} ms"
t_poll 5 "the delivered file stays in new/" has_name "$MD/cur/$drop:2,"
t_tmux_keys $S q
t_tmux_wait_exit $S 15
[ "$T_RC" = 0 ] || { t_tmux_dump $S; t_fail "petrel exited with status $T_RC after q"; }

changes='[["gone","INBOX","'$new1'"],["gone","INBOX","'$new2'"],["add","Archive","'$moved'","2,"],["add","INBOX","'$drop'","2,"]]'
md expect "$T/snap0.json" "$changes" "$MD" >&2 ||
    t_fail "the files are not what N F d \$ s and the delivery make"
md compare "$PETREL" "$T/petrel.conf" "$MD" >&2 ||
    t_fail "petrel ls does not match the files after the operations"

# --- 4. read-only changes nothing --------------------------------------------
printf 'Subject: still new\nDate: Mon, 30 Jun 2025 12:00:00 +0000\n\nx\n' >"$MD/new/1751300000.P$$Q2.othermta"
md names "$MD" >"$T/names-before"
S=ro
t_tmux_start $S "$PETREL" -R -F "$T/petrel.conf"
t_tmux_wait $S "[local] (read-only) INBOX: $n messages, $u unread" 30 \
    "read-only INBOX counts the file in new/"
t_tmux_keys $S G
t_tmux_keys $S Enter
t_tmux_wait $S "still new" 5 "read-only: the new message opens"
t_tmux_keys $S q
for k in N:'mark read/unread' F:flag d:delete '$:expunge'; do
	t_tmux_keys $S "${k%%:*}"
	t_tmux_wait $S "Read-only: ${k#*:} not done" 5 "read-only: ${k%%:*} is refused"
done
t_tmux_keys $S q
t_tmux_wait_exit $S 15
[ "$T_RC" = 0 ] || { t_tmux_dump $S; t_fail "read-only petrel exited with status $T_RC"; }
t_run sync-ro 30 "$PETREL" -R -F "$T/petrel.conf" sync
assert_rc 0 sync-ro
md names "$MD" >"$T/names-after"
diff -u "$T/names-before" "$T/names-after" >&2 ||
    t_fail "read-only: file names changed"
t_pass "10,000 messages synced and listed exactly; N F d \$ s and a delivery seen file by file; read-only changes nothing"
