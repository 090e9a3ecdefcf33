#!/usr/bin/env python3
"""rawlog.py - read Dovecot's raw IMAP session logs (rawlog_dir) for the tests.

With DOVECOT_RAWLOG=1 (tests/lib/dovecot.sh) Dovecot writes, for every IMAP
session, SESSION.in (what the client sent, after TLS) and SESSION.out (what
the server answered), one line per protocol line, each prefixed with a
timestamp.  This tells the tests what petrel really did on the wire,
independently of petrel's own log.  Only the files directly in DIR are read
(dovecot_rawlog_reset moves older sessions to DIR/old-N).

Usage: rawlog.py DIR COMMAND
  commands              every client command verb with its count ("UID FETCH 12")
  grep REGEX [--out]    client (or, with --out, server) lines matching REGEX
                        (case-insensitive); exit 1 if there is none
  header-fetches        how many FETCH responses carried message headers
                        (ENVELOPE, BODY[HEADER...], RFC822.HEADER)
  writes                client lines that would change the server (SELECT,
                        STORE, EXPUNGE, COPY, MOVE, APPEND, CREATE, DELETE,
                        RENAME, (UN)SUBSCRIBE, FETCH of BODY[, BINARY[, RFC822
                        or RFC822.TEXT: no PEEK); exit 1 if there is any
  sessions              number of sessions (.in files)
"""

import glob
import os
import re
import sys

STAMP = re.compile(rb"^\d+\.\d+ ")
# verbs that change the server, or (SELECT) allow implicit changes
WRITE_VERBS = {"SELECT", "STORE", "UID STORE", "EXPUNGE", "UID EXPUNGE", "COPY",
               "UID COPY", "MOVE", "UID MOVE", "APPEND", "CREATE", "DELETE",
               "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "SETMETADATA", "SETACL",
               "DELETEACL"}
# a FETCH item that sets \Seen (RFC 3501 6.4.5): BODY[...] without .PEEK,
# RFC822 and RFC822.TEXT (RFC822.SIZE and RFC822.HEADER do not)
SEEN_ITEM = re.compile(r"(?<![.\w])(?:BODY|BINARY)\[|\bRFC822(?![.\w])|\bRFC822\.TEXT\b", re.I)
HEADER_FETCH = re.compile(rb"^\* \d+ FETCH .*(ENVELOPE \(|BODY\[HEADER|RFC822\.HEADER)", re.I)


def lines(directory, suffix):
    """(file, line) for every line of the DIR/*.SUFFIX files, stamp removed."""
    for path in sorted(glob.glob(os.path.join(directory, "*." + suffix))):
        with open(path, "rb") as fh:
            for raw in fh:
                raw = STAMP.sub(b"", raw.rstrip(b"\r\n"))
                yield os.path.basename(path), raw


def verb_of(line):
    """The command verb of a client line ("UID FETCH", "SELECT"), or None."""
    parts = line.decode("utf-8", "replace").split(" ", 3)
    if len(parts) < 2 or not re.match(r"^[A-Za-z0-9.+_-]+$", parts[0]):
        return None
    verb = parts[1].upper()
    if verb == "UID" and len(parts) > 2:
        verb = "UID " + parts[2].upper()
    return verb


def main():
    """Run one command."""
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    directory, cmd, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not os.path.isdir(directory):
        sys.exit("rawlog.py: no directory %s" % directory)
    if cmd == "commands":
        counts = {}
        for _, line in lines(directory, "in"):
            v = verb_of(line)
            if v and v.isascii() and re.match(r"^[A-Z]+( [A-Z]+)?$", v):
                counts[v] = counts.get(v, 0) + 1
        for v in sorted(counts):
            print("%s %d" % (v, counts[v]))
    elif cmd == "grep":
        if not rest:
            sys.exit("rawlog.py: grep needs a REGEX")
        rx = re.compile(rest[0].encode(), re.I)
        side = "out" if "--out" in rest[1:] else "in"
        found = 0
        for name, line in lines(directory, side):
            if rx.search(line):
                found += 1
                if found <= 20:
                    print("%s: %s" % (name, line.decode("utf-8", "replace")[:200]))
        sys.exit(0 if found else 1)
    elif cmd == "header-fetches":
        print(sum(1 for _, line in lines(directory, "out") if HEADER_FETCH.search(line)))
    elif cmd == "writes":
        bad = []
        for name, line in lines(directory, "in"):
            v = verb_of(line)
            text = line.decode("utf-8", "replace")
            if v in WRITE_VERBS or (v in ("FETCH", "UID FETCH") and SEEN_ITEM.search(text)):
                bad.append("%s: %s" % (name, text[:200]))
        for b in bad[:20]:
            print(b)
        sys.exit(1 if bad else 0)
    elif cmd == "sessions":
        print(len(glob.glob(os.path.join(directory, "*.in"))))
    else:
        sys.exit("rawlog.py: unknown command %r" % cmd)


if __name__ == "__main__":
    main()
