#!/usr/bin/env python3
"""imap-probe.py - an independent IMAP client (Python stdlib) for the tests.

It tells the tests what the server really holds, changes it on purpose, and
compares petrel's cache (as printed by `petrel ls`) against it.  It never
changes anything unless asked: reads use EXAMINE and BODY.PEEK.

Usage: imap-probe.py [--port P] [--starttls] [--ca FILE] [--user U]
                     [--password PW] COMMAND ...
  folders                       decoded names of the selectable folders
  dump [--out FILE]             JSON: every folder, every message (uid, flags,
                                decoded subject, from column, dates)
  compare --petrel BIN --config CFG --account NAME [--sync-output FILE]
                                run `petrel ls` for every folder and compare
                                with the server; with --sync-output also check
                                the "FOLDER: N messages, U unread" lines
  message FOLDER (--uid U | --newest K)
                                JSON of one message: uid, flags, subject,
                                from, key_line (a distinctive body line)
  flags FOLDER UID              the message's flags, space separated
  wait FOLDER UID FLAG (--set|--unset) [--timeout S]
                                poll until the flag is (un)set; exit 1 if not
  uids FOLDER                   the UIDs, one a line
  append FOLDER --subject TEXT [--flags '\\Seen ...'] [--date-epoch N]
                                add a message (subject RFC 2047 encoded)
  store FOLDER UID (+|-) FLAG...
                                add or remove flags
  expunge FOLDER UID            remove one message (UID EXPUNGE)
  caps                          the post-login CAPABILITY list, one line
  status FOLDER                 JSON: messages, unseen, uidvalidity, uidnext,
                                highestmodseq (STATUS; no SELECT)
  create NAME / delete NAME / rename OLD NEW
                                folder operations (names decoded, sent in
                                modified UTF-7)
  find FOLDER (--message-id ID | --subject TEXT)
                                the UIDs with that Message-ID / subject
                                (exact, decoded), one a line; exit 1 if none
  raw FOLDER UID                the message as the server has it (BODY.PEEK[])
  bulk-append FOLDER --count N [--prefix TEXT] [--date-epoch N]
                                N new messages in one connection; their UIDs
  bulk-toggle FOLDER --count N [--seed S] [--flag F ...]
                                N distinct messages (seeded choice) each get
                                one flag toggled; prints "UID +F" / "UID -F"
  compare ... [--folders A,B]   (compare only these folders)

Environment: IMAP_PROBE_TRIES (default 1): retry the login this many times,
0.5 s apart (for a server that is being restarted).

Exit status: 0 ok, 1 a check failed (the reason on stderr), 2 usage or
connection trouble.
"""

import argparse
import base64
import datetime
import email
import email.header
import email.policy
import email.utils
import imaplib
import json
import os
import random
import re
import ssl
import subprocess
import sys
import time

SYSTEM_FLAGS = ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"]
# petrel ls prints these letters, in this order
PETREL_LETTERS = [("\\Seen", "S"), ("\\Answered", "A"), ("\\Flagged", "F"),
                  ("\\Deleted", "D"), ("\\Draft", "T")]
FETCH_ITEMS = ("(UID FLAGS INTERNALDATE "
               "BODY.PEEK[HEADER.FIELDS (SUBJECT FROM DATE MESSAGE-ID)])")


def die(msg, status=2):
    """Print a message and exit."""
    print("imap-probe: " + msg, file=sys.stderr)
    sys.exit(status)


def mutf7_decode(name):
    """Decode an IMAP modified UTF-7 mailbox name (RFC 3501 5.1.3)."""
    out = []
    i = 0
    while i < len(name):
        ch = name[i]
        if ch != "&":
            out.append(ch)
            i += 1
            continue
        end = name.index("-", i)
        chunk = name[i + 1:end]
        if not chunk:
            out.append("&")
        else:
            b64 = chunk.replace(",", "/")
            b64 += "=" * (-len(b64) % 4)
            out.append(base64.b64decode(b64).decode("utf-16-be"))
        i = end + 1
    return "".join(out)


def quote(s):
    """An IMAP quoted string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def decode_text(raw):
    """Unfold a header value and decode RFC 2047 words (RFC 2047 s.6.2)."""
    if raw is None:
        return ""
    unfolded = raw.replace("\r\n", "").replace("\n", "")
    return str(email.header.make_header(email.header.decode_header(unfolded)))


def from_column(raw):
    """Display name if any, else the address (name decoded after splitting)."""
    if raw is None:
        return ""
    name, addr = email.utils.parseaddr(raw.replace("\r\n", "").replace("\n", ""))
    return decode_text(name) if name else addr


def utc_minutes(dt):
    """YYYY-MM-DD HH:MM in UTC."""
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


def petrel_flags(flags):
    """The FLAGS column petrel prints for a list of IMAP flags."""
    s = "".join(letter for flag, letter in PETREL_LETTERS if flag in flags)
    return s or "-"


def mutf7_encode(name):
    """Encode a folder name in IMAP modified UTF-7 (RFC 3501 5.1.3)."""
    out, run = [], []

    def flush():
        if run:
            b = base64.b64encode("".join(run).encode("utf-16-be")).decode()
            out.append("&" + b.rstrip("=").replace("/", ",") + "-")
            run.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7e:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


class Probe:
    """One authenticated IMAP connection."""

    def __init__(self, args):
        tries = max(1, int(os.environ.get("IMAP_PROBE_TRIES", "1")))
        for attempt in range(tries):
            try:
                self.connect(args)
                return
            except (OSError, imaplib.IMAP4.error) as e:
                if attempt + 1 == tries:
                    die("cannot log in to %s:%s: %s" % (args.host, args.port, e))
                time.sleep(0.5)

    def connect(self, args):
        """Connect and log in (raises on failure)."""
        ctx = ssl.create_default_context(cafile=args.ca)
        if args.starttls:
            self.conn = imaplib.IMAP4(args.host, args.port, timeout=30)
            self.conn.starttls(ssl_context=ctx)
        else:
            self.conn = imaplib.IMAP4_SSL(args.host, args.port,
                                          ssl_context=ctx, timeout=30)
        self.conn.login(args.user, args.password)

    def close(self):
        """Log out, ignoring errors."""
        try:
            self.conn.logout()
        except (OSError, imaplib.IMAP4.error):
            pass

    def check(self, typ, data, what):
        """Fail unless a command answered OK."""
        if typ != "OK":
            die("%s failed: %s %r" % (what, typ, data))
        return data

    def folders(self):
        """[(decoded name, raw mailbox name)] of selectable folders, sorted."""
        data = self.check(*self.conn.list('""', '"*"'), what="LIST")
        out = []
        for item in data:
            if item is None:
                continue
            if isinstance(item, tuple):       # name sent as a literal
                head, name = item[0].decode(), item[1].decode()
                flags = head[head.index("(") + 1:head.index(")")]
            else:
                line = item.decode()
                m = re.match(r'\(([^)]*)\) (?:"(?:[^"\\]|\\.)*"|NIL) (.*)$', line)
                if not m:
                    die("cannot parse LIST line %r" % line)
                flags, name = m.group(1), m.group(2)
                if name.startswith('"'):
                    name = re.sub(r'\\(.)', r'\1', name[1:-1])
            if "\\noselect" in flags.lower() or "\\nonexistent" in flags.lower():
                continue
            out.append((mutf7_decode(name), name))
        return sorted(out)

    def select(self, mailbox, readonly=True):
        """EXAMINE (or SELECT) a raw mailbox name; returns EXISTS."""
        typ, data = self.conn.select(quote(mailbox), readonly=readonly)
        if typ != "OK":
            die("cannot select %r: %r" % (mailbox, data))
        return int(data[0])

    def status(self, mailbox):
        """STATUS counters as a dict."""
        data = self.check(*self.conn.status(
            quote(mailbox), "(MESSAGES UNSEEN UIDVALIDITY UIDNEXT HIGHESTMODSEQ)"),
            what="STATUS")
        text = data[0].decode()
        return {k.lower(): int(v) for k, v in re.findall(r"([A-Z]+) (\d+)", text)}

    def fetch_all(self, mailbox):
        """Every message of a folder: list of dicts, by UID."""
        exists = self.select(mailbox)
        if exists == 0:
            return []
        typ, data = self.conn.uid("FETCH", "1:*", FETCH_ITEMS)
        self.check(typ, data, "UID FETCH")
        msgs = []
        for item in data:
            if not isinstance(item, tuple):
                continue
            meta = item[0].decode("ascii", "replace")
            uid = re.search(r"UID (\d+)", meta)
            flags = re.search(r"FLAGS \(([^)]*)\)", meta)
            idate = re.search(r'INTERNALDATE "([^"]+)"', meta)
            if not (uid and flags and idate):
                die("cannot parse FETCH response %r" % meta)
            hdr = email.message_from_bytes(item[1], policy=email.policy.compat32)
            fl = sorted(f for f in flags.group(1).split() if f != "\\Recent")
            idt = datetime.datetime.strptime(idate.group(1), "%d-%b-%Y %H:%M:%S %z")
            date_hdr = hdr["Date"]
            try:
                hdt = utc_minutes(email.utils.parsedate_to_datetime(date_hdr))
            except (TypeError, ValueError, IndexError):
                hdt = None
            msgs.append({"uid": int(uid.group(1)), "flags": fl,
                         "petrel_flags": petrel_flags(fl),
                         "subject": decode_text(hdr["Subject"]),
                         "from": from_column(hdr["From"]),
                         "date_utc": hdt, "internaldate_utc": utc_minutes(idt),
                         "message_id": (hdr["Message-ID"] or "").strip()})
        if len(msgs) != exists:
            die("FETCH returned %d messages, EXISTS said %d" % (len(msgs), exists))
        return sorted(msgs, key=lambda m: m["uid"])

    def dump(self, only=None):
        """The whole account (or only the named folders) as a dictionary."""
        out = []
        for name, raw in self.folders():
            if only and name not in only:
                continue
            st = self.status(raw)
            msgs = self.fetch_all(raw)
            out.append({"name": name, "mailbox": raw,
                        "exists": len(msgs),
                        "unseen": sum(1 for m in msgs if "\\Seen" not in m["flags"]),
                        "uidvalidity": st.get("uidvalidity"),
                        "highestmodseq": st.get("highestmodseq"),
                        "messages": msgs})
        return {"folders": out}

    def mailbox_of(self, folder):
        """The raw mailbox name for a decoded folder name (or die)."""
        for name, raw in self.folders():
            if name == folder:
                return raw
        die("no folder %r on the server" % folder)

    def message(self, folder, uid=None, newest=None):
        """One message with a distinctive body line."""
        raw = self.mailbox_of(folder)
        msgs = self.fetch_all(raw)
        if newest is not None:
            if newest < 1 or newest > len(msgs):
                die("folder %r has only %d messages" % (folder, len(msgs)))
            meta = msgs[-newest]
        else:
            meta = next((m for m in msgs if m["uid"] == uid), None)
            if meta is None:
                die("no UID %d in %r" % (uid, folder))
        typ, data = self.conn.uid("FETCH", str(meta["uid"]), "(BODY.PEEK[])")
        self.check(typ, data, "UID FETCH BODY.PEEK[]")
        body = next(i[1] for i in data if isinstance(i, tuple))
        msg = email.message_from_bytes(body, policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
        body_lines = []
        for ln in text.splitlines():
            if ln == "-- ":         # the signature separator (RFC 3676 4.3)
                break
            body_lines.append(ln.rstrip())
        meta = dict(meta)
        meta["folder"] = folder
        meta["body_lines"] = body_lines
        candidates = [ln for ln in body_lines[:15] if ln.strip()]
        meta["key_line"] = max(candidates, key=len) if candidates else ""
        return meta


def parse_ls(text):
    """petrel ls output -> ({uid: (flags, date, from, subject)}, problems)."""
    rows, problems = {}, []
    for n, line in enumerate(text.split("\n"), 1):
        if line == "":
            continue
        f = line.split("\t")
        if len(f) != 5:
            problems.append("line %d has %d tab-separated fields, not 5: %r"
                            % (n, len(f), line[:120]))
            continue
        if not f[0].isdigit():
            problems.append("line %d: UID %r is not a number" % (n, f[0]))
            continue
        if int(f[0]) in rows:
            problems.append("line %d: UID %s listed twice" % (n, f[0]))
        rows[int(f[0])] = tuple(f[1:])
    return rows, problems


def compare_folder(folder, server_msgs, rows):
    """List of mismatch descriptions between the server and petrel ls."""
    bad = []
    want = {m["uid"]: m for m in server_msgs}
    missing = sorted(set(want) - set(rows))
    extra = sorted(set(rows) - set(want))
    if missing:
        bad.append("%d UIDs on the server are not in the cache, e.g. %s"
                   % (len(missing), missing[:8]))
    if extra:
        bad.append("%d UIDs in the cache are not on the server, e.g. %s"
                   % (len(extra), extra[:8]))
    kinds = {"flags": [], "subject": [], "from": [], "date": []}
    for uid in sorted(set(want) & set(rows)):
        m = want[uid]
        flags, date, frm, subj = rows[uid]
        if flags != m["petrel_flags"]:
            kinds["flags"].append("UID %d: server %s (%s), petrel %r"
                                  % (uid, m["petrel_flags"], " ".join(m["flags"]) or "none", flags))
        if subj != m["subject"]:
            kinds["subject"].append("UID %d: server %r, petrel %r" % (uid, m["subject"], subj))
        if frm != m["from"]:
            kinds["from"].append("UID %d: server %r, petrel %r" % (uid, m["from"], frm))
        if date not in (m["date_utc"], m["internaldate_utc"]):
            kinds["date"].append("UID %d: server %s (internal %s), petrel %r"
                                 % (uid, m["date_utc"], m["internaldate_utc"], date))
    for kind, items in kinds.items():
        if items:
            bad.append("%d messages differ in %s; first ones:\n      %s"
                       % (len(items), kind, "\n      ".join(items[:5])))
    return bad


def check_sync_output(path, dump):
    """Mismatches between `petrel sync` output lines and the server."""
    bad = []
    seen = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            m = re.match(r"^(.*): (\d+) messages, (\d+) unread$", line)
            if not m:
                bad.append("sync printed an unexpected line: %r" % line)
                continue
            seen[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    for f in dump["folders"]:
        got = seen.pop(f["name"], None)
        want = (f["exists"], f["unseen"])
        if got is None:
            bad.append("sync printed no line for folder %r" % f["name"])
        elif got != want:
            bad.append("sync says %r has %d messages, %d unread; the server: %d, %d"
                       % (f["name"], got[0], got[1], want[0], want[1]))
    for name in seen:
        bad.append("sync printed folder %r, which the server does not have" % name)
    return bad


def cmd_compare(probe, args):
    """Compare petrel's cache (via ls) with the server; exit 1 on mismatch."""
    # --sync-output checks every folder's line, so it needs the whole dump
    dump = probe.dump(None if args.sync_output or not args.folders
                      else set(args.folders.split(",")))
    problems = []
    if args.sync_output:
        problems += check_sync_output(args.sync_output, dump)
    only = set(args.folders.split(",")) if args.folders else None
    if only:
        unknown = only - {f["name"] for f in dump["folders"]}
        problems += ["%s: no such folder on the server" % n for n in sorted(unknown)]
    for f in dump["folders"]:
        if only and f["name"] not in only:
            continue
        cmd = [args.petrel, "-F", args.config, "ls", args.account, f["name"]]
        try:
            res = subprocess.run(cmd, capture_output=True, timeout=120)
        except subprocess.TimeoutExpired:
            problems.append("%s: `petrel ls` did not finish in 120 s" % f["name"])
            continue
        if res.returncode != 0:
            problems.append("%s: `petrel ls` exited %d: %s"
                            % (f["name"], res.returncode, res.stderr.decode(errors="replace").strip()))
            continue
        try:
            text = res.stdout.decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append("%s: `petrel ls` printed invalid UTF-8: %s" % (f["name"], e))
            continue
        rows, bad = parse_ls(text)
        bad += compare_folder(f["name"], f["messages"], rows)
        if bad:
            problems += ["%s: %s" % (f["name"], b) for b in bad]
        else:
            print("  %-10s %5d messages, %4d unread: UIDs, flags, subjects, senders, dates match"
                  % (f["name"], f["exists"], f["unseen"]))
    if problems:
        for p in problems:
            print("MISMATCH " + p, file=sys.stderr)
        sys.exit(1)


def cmd_wait(probe, args):
    """Poll a message's flags until FLAG is set/unset."""
    raw = probe.mailbox_of(args.folder)
    deadline = time.monotonic() + args.timeout
    while True:
        flags = flags_of(probe, raw, args.uid)
        if (args.flag in flags) == args.set:
            print(" ".join(flags))
            return
        if time.monotonic() >= deadline:
            print("imap-probe: after %.0f s UID %d in %r has flags (%s); wanted %s %s"
                  % (args.timeout, args.uid, args.folder, " ".join(flags),
                     args.flag, "set" if args.set else "unset"), file=sys.stderr)
            sys.exit(1)
        time.sleep(0.25)


def flags_of(probe, raw, uid):
    """The flags of one message (fresh EXAMINE each time, so none are cached)."""
    probe.select(raw)
    typ, data = probe.conn.uid("FETCH", str(uid), "(FLAGS)")
    probe.check(typ, data, "UID FETCH FLAGS")
    for item in data:
        if isinstance(item, bytes) and b"FLAGS" in item:
            m = re.search(rb"FLAGS \(([^)]*)\)", item)
            return sorted(f for f in m.group(1).decode().split() if f != "\\Recent")
    die("no message with UID %d" % uid, 1)


def cmd_append(probe, args):
    """APPEND a small message with an RFC 2047 subject."""
    raw = probe.mailbox_of(args.folder)
    when = datetime.datetime.fromtimestamp(args.date_epoch, datetime.timezone.utc)
    subj = email.header.Header(args.subject, "utf-8").encode() if not args.subject.isascii() else args.subject
    msgid = "<probe.%d@petrel-test.example>" % args.date_epoch
    text = ("From: =?UTF-8?Q?Zo=C3=AB_Probe?= <probe@example.net>\r\n"
            "To: Alice Example <alice@example.org>\r\n"
            "Subject: %s\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            "Added by imap-probe.py while petrel was not looking.\r\n"
            % (subj, email.utils.format_datetime(when), msgid))
    flags = "(%s)" % args.flags if args.flags else None
    typ, data = probe.conn.append(quote(raw), flags, imaplib.Time2Internaldate(when),
                                  text.encode("utf-8"))
    probe.check(typ, data, "APPEND")
    m = re.search(rb"APPENDUID \d+ (\d+)", data[0] or b"")
    print(m.group(1).decode() if m else "")


def cmd_store(probe, args):
    """Add or remove flags on one message."""
    probe.select(probe.mailbox_of(args.folder), readonly=False)
    item = ("+FLAGS.SILENT" if args.op == "+" else "-FLAGS.SILENT")
    typ, data = probe.conn.uid("STORE", str(args.uid), item, "(%s)" % " ".join(args.flag))
    probe.check(typ, data, "UID STORE")


def cmd_expunge(probe, args):
    """Remove exactly one message with UID EXPUNGE (RFC 4315)."""
    probe.select(probe.mailbox_of(args.folder), readonly=False)
    typ, data = probe.conn.uid("STORE", str(args.uid), "+FLAGS.SILENT", "(\\Deleted)")
    probe.check(typ, data, "UID STORE")
    typ, data = probe.conn._simple_command("UID", "EXPUNGE", str(args.uid))
    probe.check(typ, data, "UID EXPUNGE")


def make_message(subject, when, msgid, body="Added by imap-probe.py while petrel was not looking."):
    """A small RFC 5322 message (bytes) with an RFC 2047 subject if needed."""
    subj = (email.header.Header(subject, "utf-8").encode()
            if not subject.isascii() else subject)
    text = ("From: =?UTF-8?Q?Zo=C3=AB_Probe?= <probe@example.net>\r\n"
            "To: Alice Example <alice@example.org>\r\n"
            "Subject: %s\r\nDate: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
            % (subj, email.utils.format_datetime(when), msgid, body))
    return text.encode("utf-8")


def cmd_bulk_append(probe, args):
    """APPEND COUNT messages; print their UIDs."""
    raw = probe.mailbox_of(args.folder)
    for i in range(args.count):
        when = datetime.datetime.fromtimestamp(args.date_epoch + 60 * i,
                                               datetime.timezone.utc)
        msgid = "<bulk.%d.%d@petrel-test.example>" % (args.date_epoch, i)
        data = make_message("%s %d" % (args.prefix, i + 1), when, msgid)
        typ, resp = probe.conn.append(quote(raw), None,
                                      imaplib.Time2Internaldate(when), data)
        probe.check(typ, resp, "APPEND")
        m = re.search(rb"APPENDUID \d+ (\d+)", resp[0] or b"")
        print(m.group(1).decode() if m else "")


def cmd_bulk_toggle(probe, args):
    """Toggle one flag on COUNT distinct messages (seeded choice)."""
    raw = probe.mailbox_of(args.folder)
    flags = args.flag or ["\\Flagged", "\\Seen"]
    msgs = probe.fetch_all(raw)
    if args.count > len(msgs):
        die("folder %r has only %d messages" % (args.folder, len(msgs)))
    rng = random.Random(args.seed)
    chosen = sorted(rng.sample(msgs, args.count), key=lambda m: m["uid"])
    probe.select(raw, readonly=False)
    for i, m in enumerate(chosen):
        flag = flags[i % len(flags)]
        op = "-" if flag in m["flags"] else "+"
        typ, data = probe.conn.uid("STORE", str(m["uid"]), op + "FLAGS.SILENT",
                                   "(%s)" % flag)
        probe.check(typ, data, "UID STORE")
        print("%d %s%s" % (m["uid"], op, flag))


def cmd_find(probe, args):
    """UIDs of the messages with a given Message-ID or decoded subject."""
    msgs = probe.fetch_all(probe.mailbox_of(args.folder))
    if args.message_id:
        hits = [m["uid"] for m in msgs if m["message_id"] == args.message_id]
    else:
        hits = [m["uid"] for m in msgs if m["subject"] == args.subject]
    for uid in hits:
        print(uid)
    if not hits:
        sys.exit(1)


def cmd_raw(probe, args):
    """Write one message, as the server holds it, to stdout."""
    probe.select(probe.mailbox_of(args.folder))
    typ, data = probe.conn.uid("FETCH", str(args.uid), "(BODY.PEEK[])")
    probe.check(typ, data, "UID FETCH BODY.PEEK[]")
    body = next((i[1] for i in data if isinstance(i, tuple)), None)
    if body is None:
        die("no message with UID %d" % args.uid, 1)
    sys.stdout.buffer.write(body)


def cmd_folder_op(probe, args):
    """CREATE, DELETE or RENAME a folder (decoded names)."""
    if args.cmd == "create":
        typ, data = probe.conn.create(quote(mutf7_encode(args.name)))
    elif args.cmd == "delete":
        typ, data = probe.conn.delete(quote(probe.mailbox_of(args.name)))
    else:
        typ, data = probe.conn.rename(quote(probe.mailbox_of(args.old)),
                                      quote(mutf7_encode(args.new)))
    probe.check(typ, data, args.cmd.upper())


def main():
    """Parse the command line and run one command."""
    ap = argparse.ArgumentParser(description="independent IMAP client for petrel's tests")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--starttls", action="store_true", help="plain port + STARTTLS (default: implicit TLS)")
    ap.add_argument("--ca", required=True, help="CA certificate to trust")
    ap.add_argument("--user", default="alice")
    ap.add_argument("--password", default="secret")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("folders")
    p = sub.add_parser("dump")
    p.add_argument("--out")
    p = sub.add_parser("compare")
    p.add_argument("--petrel", required=True)
    p.add_argument("--config", required=True)
    p.add_argument("--account", required=True)
    p.add_argument("--sync-output")
    p.add_argument("--folders", help="comma-separated folder names to compare")
    p = sub.add_parser("message")
    p.add_argument("folder")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--uid", type=int)
    g.add_argument("--newest", type=int)
    p = sub.add_parser("flags")
    p.add_argument("folder")
    p.add_argument("uid", type=int)
    p = sub.add_parser("wait")
    p.add_argument("folder")
    p.add_argument("uid", type=int)
    p.add_argument("flag")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--set", dest="set", action="store_true")
    g.add_argument("--unset", dest="set", action="store_false")
    p.add_argument("--timeout", type=float, default=5)
    p = sub.add_parser("uids")
    p.add_argument("folder")
    p = sub.add_parser("append")
    p.add_argument("folder")
    p.add_argument("--subject", required=True)
    p.add_argument("--flags", default="")
    p.add_argument("--date-epoch", type=int, default=1751200000)
    p = sub.add_parser("store")
    p.add_argument("folder")
    p.add_argument("uid", type=int)
    p.add_argument("op", choices=["+", "-"])
    p.add_argument("flag", nargs="+")
    p = sub.add_parser("expunge")
    p.add_argument("folder")
    p.add_argument("uid", type=int)
    sub.add_parser("caps")
    p = sub.add_parser("status")
    p.add_argument("folder")
    for name in ("create", "delete"):
        p = sub.add_parser(name)
        p.add_argument("name")
    p = sub.add_parser("rename")
    p.add_argument("old")
    p.add_argument("new")
    p = sub.add_parser("find")
    p.add_argument("folder")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--message-id")
    g.add_argument("--subject")
    p = sub.add_parser("raw")
    p.add_argument("folder")
    p.add_argument("uid", type=int)
    p = sub.add_parser("bulk-append")
    p.add_argument("folder")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--prefix", default="Bulk message")
    p.add_argument("--date-epoch", type=int, default=1751300000)
    p = sub.add_parser("bulk-toggle")
    p.add_argument("folder")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--flag", action="append")
    args = ap.parse_args()

    probe = Probe(args)
    try:
        if args.cmd == "folders":
            for name, _ in probe.folders():
                print(name)
        elif args.cmd == "dump":
            text = json.dumps(probe.dump(), ensure_ascii=False, indent=1, sort_keys=True)
            if args.out:
                with open(args.out, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            else:
                print(text)
        elif args.cmd == "compare":
            cmd_compare(probe, args)
        elif args.cmd == "message":
            print(json.dumps(probe.message(args.folder, args.uid, args.newest),
                             ensure_ascii=False, sort_keys=True))
        elif args.cmd == "flags":
            print(" ".join(flags_of(probe, probe.mailbox_of(args.folder), args.uid)))
        elif args.cmd == "wait":
            cmd_wait(probe, args)
        elif args.cmd == "uids":
            for m in probe.fetch_all(probe.mailbox_of(args.folder)):
                print(m["uid"])
        elif args.cmd == "append":
            cmd_append(probe, args)
        elif args.cmd == "store":
            cmd_store(probe, args)
        elif args.cmd == "expunge":
            cmd_expunge(probe, args)
        elif args.cmd == "caps":
            typ, data = probe.conn.capability()
            probe.check(typ, data, "CAPABILITY")
            print(data[0].decode())
        elif args.cmd == "status":
            print(json.dumps(probe.status(probe.mailbox_of(args.folder)), sort_keys=True))
        elif args.cmd in ("create", "delete", "rename"):
            cmd_folder_op(probe, args)
        elif args.cmd == "find":
            cmd_find(probe, args)
        elif args.cmd == "raw":
            cmd_raw(probe, args)
        elif args.cmd == "bulk-append":
            cmd_bulk_append(probe, args)
        elif args.cmd == "bulk-toggle":
            cmd_bulk_toggle(probe, args)
    finally:
        probe.close()


if __name__ == "__main__":
    main()
