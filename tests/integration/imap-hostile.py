#!/usr/bin/env python3
"""imap-hostile.py - a hostile IMAP server against `petrel sync`.

Each scenario runs a small IMAP server on 127.0.0.1 (a port the kernel
picks) that behaves until one chosen command and then turns hostile:

  endless-literal   a FETCH with a {4294967295} literal, then bytes forever
  literal-64mib     a {67108864} literal (the body cap) inside an ENVELOPE
  long-line         a 10 MB line without CRLF, then silence
  garbage           random bytes (NUL, 8-bit, terminal escapes) after the
                    greeting
  nested-parens     a FETCH response with 100,000 nested parentheses
  untagged-flood    an endless flood of untagged responses, no tagged reply
  close-mid-line    the connection closed in the middle of a FETCH response

For each, `petrel -F CONFIG sync test` (security = none, fresh HOME and
XDG_* directories) must: exit non-zero and not by a signal, print exactly
one line on stderr, starting "petrel: " and free of control characters,
finish within TIME_LIMIT seconds, and keep its peak RSS (the kernel's
ru_maxrss from wait4, checked against /proc/PID/status while it runs)
under RSS_LIMIT_MB (200 MB).  ru_maxrss survives exec, so the figure
includes the forking Python's own RSS (about 10 MB): it errs high.

Usage: PETREL=/path/to/petrel imap-hostile.py [scenario...]
       (HOSTILE_RSS_LIMIT_MB=N changes the 200 MB limit, e.g. for ASan)
Python 3 standard library only.  Exit status 0 if every scenario passed,
1 otherwise; a missing or non-executable PETREL is a failure, not a skip.
"""

import os
import random
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import hostile  # noqa: E402  (tests/lib: the shared harness)

TIME_LIMIT = 30.0         # seconds petrel may take, per scenario
# Peak resident set size allowed; a sanitizer build needs more (ASan keeps
# freed memory in quarantine): HOSTILE_RSS_LIMIT_MB=400 for those.
RSS_LIMIT_MB = int(os.environ.get("HOSTILE_RSS_LIMIT_MB", "200"))
RSS_KILL_MB = 1024        # kill petrel early past this, to spare the machine
SERVER_CAP = 45.0         # a hostile stream never runs longer than this
OP_TIMEOUT = 5            # petrel's "timeout" setting, seconds

GREETING = b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hostile ready\r\n"
FIELDS = (b"Date: Mon, 1 Feb 2021 10:00:00 +0000\r\nSubject: hi\r\n"
          b"From: A <a@example.org>\r\nMessage-ID: <x@y>\r\n\r\n")
FETCH_OK = (b'* 1 FETCH (UID 1 FLAGS () INTERNALDATE "01-Feb-2021 10:00:00 '
            b'+0000" RFC822.SIZE 10 BODY[HEADER.FIELDS (DATE FROM TO CC SUBJECT '
            b'MESSAGE-ID IN-REPLY-TO REFERENCES)] {%d}\r\n' % len(FIELDS)
            + FIELDS + b')\r\n')


def split_command(line):
    """(tag, upper-case command words) of a client line."""
    words = line.decode("utf-8", "replace").rstrip("\r\n").split(" ")
    tag = words[0] if words else "*"
    cmd = [w.upper() for w in words[1:3]]
    if cmd and cmd[0] == "UID":
        cmd = cmd[1:]
    return tag, cmd[0] if cmd else ""


def serve(peer, trigger, payload):
    """Answer like a small, honest server until the command named trigger
    (or at once when trigger is None), then hand over to payload."""
    if trigger is None:
        payload(peer, "*")
        return
    if not peer.send(GREETING):
        return
    while not peer.expired():
        line = peer.readline()
        if not line:
            return
        tag, cmd = split_command(line)
        t = tag.encode()
        if cmd == trigger:
            payload(peer, tag)
            return
        if cmd == "AUTHENTICATE" and len(line.split()) < 4:
            peer.send(b"+ \r\n")
            peer.readline()
            reply = t + b" OK [CAPABILITY IMAP4rev1] Logged in\r\n"
        elif cmd in ("AUTHENTICATE", "LOGIN"):
            reply = t + b" OK [CAPABILITY IMAP4rev1] Logged in\r\n"
        elif cmd == "CAPABILITY":
            reply = (b"* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\n" + t
                     + b" OK done\r\n")
        elif cmd in ("LIST", "LSUB"):
            reply = b'* LIST (\\HasNoChildren) "/" INBOX\r\n' + t + b" OK done\r\n"
        elif cmd in ("SELECT", "EXAMINE"):
            reply = (b"* 1 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] ok\r\n"
                     b"* OK [UIDNEXT 2] ok\r\n" + t + b" OK [READ-WRITE] done\r\n")
        elif cmd == "FETCH":
            reply = FETCH_OK + t + b" OK done\r\n"
        elif cmd == "LOGOUT":
            peer.send(b"* BYE bye\r\n" + t + b" OK done\r\n")
            return
        else:
            reply = t + b" OK done\r\n"
        if not peer.send(reply):
            return


def endless_literal(peer, tag):
    peer.send(b"* 1 FETCH (UID 1 BODY[] {4294967295}\r\n")
    peer.stream(b"A" * 65536)


def literal_64mib(peer, tag):
    peer.send(b'* 1 FETCH (UID 1 ENVELOPE ("Mon, 1 Feb 2021" {67108864}\r\n')
    chunk = b"B" * 65536
    for _ in range(67108864 // len(chunk)):
        if not peer.send(chunk):
            return
    peer.send(b" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n")
    peer.hold()


def long_line(peer, tag):
    peer.send(b'* LIST () "/" ')
    chunk = b"x" * 65536
    for _ in range(10 * 1024 * 1024 // len(chunk)):
        if not peer.send(chunk):
            return
    peer.hold()


def garbage(peer, tag):
    peer.send(GREETING)
    rnd = random.Random(20240305)
    junk = bytearray(rnd.getrandbits(8) for _ in range(256 * 1024))
    # Terminal escapes and NUL bytes must never reach the terminal.
    for pos, seq in ((100, b"\x1b]0;pwned\x07"), (5000, b"\x1b[2J\x1b[H"),
                     (9000, b"\x00\x00\r\n* OK \x1b[31mred\r\n"),
                     (20000, b"\x9b1;31m")):
        junk[pos:pos + len(seq)] = seq
    peer.send(bytes(junk))
    peer.hold()


def nested_parens(peer, tag):
    n = 100000
    peer.send(b"* 1 FETCH (UID 1 BODYSTRUCTURE " + b"(" * n + b")" * n
              + b")\r\n")
    peer.hold()


def untagged_flood(peer, tag):
    batch = b"".join(b"* %d EXISTS\r\n* OK [ALERT] flood %d\r\n"
                     b"* %d FETCH (FLAGS (\\Seen))\r\n* 1 RECENT\r\n"
                     % (i + 2, i, i % 7 + 1) for i in range(2000))
    peer.stream(batch)


def close_mid_line(peer, tag):
    peer.send(b'* 1 FETCH (UID 1 FLAGS (\\Seen) BODY[HEADER.FIELDS (DATE)] '
              b'"Date: Mon, 1 Feb 2021 10:00:00 +0000 half a da')
    time.sleep(0.2)


SCENARIOS = [
    ("endless-literal", "FETCH", endless_literal),
    ("literal-64mib", "FETCH", literal_64mib),
    ("long-line", "LIST", long_line),
    ("garbage", None, garbage),
    ("nested-parens", "FETCH", nested_parens),
    ("untagged-flood", "SELECT", untagged_flood),
    ("close-mid-line", "FETCH", close_mid_line),
]


def run_scenario(petrel, name, trigger, payload):
    tmp = tempfile.mkdtemp(prefix="petrel-hostile-")
    try:
        server = hostile.Server(lambda peer: serve(peer, trigger, payload),
                                TIME_LIMIT, SERVER_CAP)
        server.start()
        cfg = os.path.join(tmp, "config.ini")
        with open(cfg, "w") as f:
            f.write("[account test]\ndriver = imap\nhost = 127.0.0.1\n"
                    "port = %d\nuser = user\npassword = hostile-pw\n"
                    "security = none\nallow_plaintext_auth = yes\n"
                    "timeout = %d\nconnect_timeout = 5\n"
                    % (server.port, OP_TIMEOUT))
        os.chmod(cfg, 0o600)
        env = dict(os.environ, HOME=tmp,
                   XDG_DATA_HOME=os.path.join(tmp, "data"),
                   XDG_CONFIG_HOME=os.path.join(tmp, "config"),
                   LC_ALL="C.UTF-8")
        run = hostile.run_watched([petrel, "-F", cfg, "sync", "test"], env,
                                  tmp, TIME_LIMIT, RSS_KILL_MB)
        status, _, _, stdout, stderr, killed = run
        server.give_up()
        server.join(SERVER_CAP + 5)
        problems = hostile.run_problems(run, server, TIME_LIMIT, RSS_LIMIT_MB)
        problems += hostile.exit_problems(status, killed, False)
        if not killed:
            problems += hostile.stderr_problems(stderr)
        if b"hostile-pw" in stdout + stderr:
            problems.append("the password reached the output")
        return hostile.report(name, problems, run, server)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    petrel = hostile.find_petrel(sys.argv[0])
    if petrel is None:
        return 1
    return hostile.main_loop(
        "imap-hostile", SCENARIOS,
        lambda name, trigger, payload: run_scenario(petrel, name, trigger,
                                                    payload),
        sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
