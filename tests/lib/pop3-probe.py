#!/usr/bin/env python3
"""pop3-probe.py - an independent POP3 client (Python stdlib) for the tests.

It tells the tests what the POP3 server really holds, deletes messages on
purpose (a second client), and compares petrel's cache (as `petrel ls`
prints it) with the server.  It reads with TOP, never RETR, and ends every
session with QUIT only when it deleted something, so reading changes
nothing on the server.

Usage: pop3-probe.py [--host H] --port P [--ca FILE | --plain]
                     [--user U] [--password PW] COMMAND ...
  count                     the number of messages (STAT)
  uidls                     the unique-ids, one a line, in server order
  list                      "UIDL<TAB>DATE<TAB>FROM<TAB>SUBJECT", by UIDL
  dele UIDL...              delete these messages (DELE, QUIT); exit 1 if
                            one of them is not there
  raw UIDL                  the message as RETR gives it, line ends LF,
                            without the session's QUIT (nothing changes)
  compare --petrel BIN --config CFG --account NAME [--kept N]
          [--flags UIDL=LETTERS ...]
                            run `petrel ls NAME INBOX` and compare with the
                            server: the same unique-ids, and for each the
                            date (UTC, minute), the FROM column (display
                            name, else address) and the decoded subject;
                            flags "-" unless --flags says otherwise; and
                            exactly N rows kept by petrel ("local UIDL",
                            default 0), whose UIDLs the server must not have

Exit status: 0 ok, 1 a check failed (the reason on stderr), 2 usage or
connection trouble.
"""

import argparse
import datetime
import email.header
import email.parser
import email.utils
import poplib
import ssl
import subprocess
import sys


def die(msg, status=2):
    """Print a message and exit."""
    print("pop3-probe: " + msg, file=sys.stderr)
    sys.exit(status)


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


def utc_minutes(raw):
    """The Date: value as YYYY-MM-DD HH:MM in UTC."""
    dt = email.utils.parsedate_to_datetime(raw)
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")


class Probe:
    """One authenticated POP3 session."""

    def __init__(self, args):
        try:
            if args.plain:
                self.conn = poplib.POP3(args.host, args.port, timeout=30)
            else:
                ctx = ssl.create_default_context(cafile=args.ca)
                self.conn = poplib.POP3_SSL(args.host, args.port,
                                            context=ctx, timeout=30)
            self.conn.user(args.user)
            self.conn.pass_(args.password)
        except (OSError, poplib.error_proto) as e:
            die("cannot log in to %s:%s: %s" % (args.host, args.port, e))

    def close(self, quit_):
        """QUIT (commits deletions) or just hang up (changes nothing)."""
        try:
            if quit_:
                self.conn.quit()
            else:
                self.conn.close()
        except (OSError, poplib.error_proto):
            pass

    def uidls(self):
        """[(number, uidl)] in server order."""
        _, lines, _ = self.conn.uidl()
        out = []
        for line in lines:
            num, uidl = line.decode("ascii").split(" ", 1)
            out.append((int(num), uidl))
        return out

    def headers(self, num):
        """The parsed header block of message num (TOP n 0)."""
        _, lines, _ = self.conn.top(num, 0)
        raw = b"\r\n".join(lines).decode("utf-8", "replace")
        return email.parser.Parser().parsestr(raw, headersonly=True)

    def rows(self):
        """{uidl: (date, from, subject)} of every message."""
        out = {}
        for num, uidl in self.uidls():
            h = self.headers(num)
            out[uidl] = (utc_minutes(h["Date"]), from_column(h["From"]),
                         decode_text(h["Subject"]))
        return out


def petrel_rows(args):
    """[(uid, flags, date, from, subject)] of `petrel ls ACCOUNT INBOX`."""
    run = subprocess.run([args.petrel, "-F", args.config, "ls",
                          args.account, "INBOX"], capture_output=True,
                         timeout=60)
    if run.returncode != 0:
        die("petrel ls failed (%d): %s" % (run.returncode,
                                           run.stderr.decode(errors="replace")),
            1)
    out = []
    for line in run.stdout.decode("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) != 5:
            die("petrel ls printed a malformed line: %r" % line, 1)
        out.append(tuple(fields))
    return out


def compare(p, args):
    """Compare petrel's cache with the server (see the usage)."""
    server = p.rows()
    flags = dict(f.split("=", 1) for f in args.flags)
    problems = []
    kept = [r for r in petrel_rows(args) if r[0].startswith("local ")]
    rows = [r for r in petrel_rows(args) if not r[0].startswith("local ")]
    if len(kept) != args.kept:
        problems.append("%d kept rows, expected %d" % (len(kept), args.kept))
    for r in kept:
        if r[0][len("local "):] in server:
            problems.append("kept row %s is still on the server" % r[0])
    got = {r[0]: r for r in rows}
    if len(got) != len(rows):
        problems.append("petrel lists a unique-id twice")
    for uidl in sorted(set(server) - set(got)):
        problems.append("missing in petrel: %s %r" % (uidl, server[uidl]))
    for uidl in sorted(set(got) - set(server)):
        problems.append("not on the server: %s %r" % (uidl, got[uidl]))
    for uidl in sorted(set(server) & set(got)):
        want = (flags.get(uidl, "-"),) + server[uidl]
        have = got[uidl][1:]
        if have != want:
            problems.append("%s: petrel has %r, expected %r" % (uidl, have,
                                                                 want))
    for line in problems[:20]:
        print("pop3-probe: " + line, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("%d messages match, %d kept" % (len(rows), len(kept)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ca")
    ap.add_argument("--plain", action="store_true")
    ap.add_argument("--user", default="alice")
    ap.add_argument("--password", default="secret")
    ap.add_argument("command")
    ap.add_argument("rest", nargs="*")
    ap.add_argument("--petrel")
    ap.add_argument("--config")
    ap.add_argument("--account")
    ap.add_argument("--kept", type=int, default=0)
    ap.add_argument("--flags", action="append", default=[])
    args = ap.parse_args()
    p = Probe(args)
    changed = False
    if args.command == "count":
        print(p.conn.stat()[0])
    elif args.command == "uidls":
        for _, uidl in p.uidls():
            print(uidl)
    elif args.command == "list":
        for uidl, row in sorted(p.rows().items()):
            print("\t".join((uidl,) + row))
    elif args.command == "dele":
        nums = dict((u, n) for n, u in p.uidls())
        for uidl in args.rest:
            if uidl not in nums:
                die("no message %s" % uidl, 1)
            p.conn.dele(nums[uidl])
        changed = True
    elif args.command == "raw":
        nums = dict((u, n) for n, u in p.uidls())
        if not args.rest or args.rest[0] not in nums:
            die("no message %s" % (args.rest[:1],), 1)
        _, lines, _ = p.conn.retr(nums[args.rest[0]])
        sys.stdout.buffer.write(b"".join(line + b"\n" for line in lines))
    elif args.command == "compare":
        if not (args.petrel and args.config and args.account):
            die("compare needs --petrel, --config and --account")
        compare(p, args)
    else:
        die("unknown command %r" % args.command)
    p.close(changed)


if __name__ == "__main__":
    main()
