#!/usr/bin/env python3
"""pop3-hostile.py - a hostile POP3 server against `petrel sync`.

Each scenario runs a small POP3 server on 127.0.0.1 (a port the kernel
picks) that behaves (CAPA with PIPELINING, USER/PASS, two messages) until
one chosen command, then does something a broken or hostile server does:

  endless-top         TOP answered with header lines forever, never "."
  endless-uidl        UIDL answered with new listing lines forever
  long-greeting       a 10 MB greeting without a line end, then silence
  long-status         a 10 MB status line (answer to USER), then silence
  long-listing-line   a 10 MB line inside the UIDL answer
  early-dot           a TOP answer with a bare "." line inside (a server
                      that forgot to dot-stuff): what follows is not a reply
  garbage             random bytes (NUL, 8-bit, terminal escapes) after
                      the greeting
  hostile-text        PASS refused with terminal escapes in the text
  close-mid-reply     the connection closed in the middle of a TOP answer
  long-message-line   (must work) a 10 MB header line in a TOP answer
  dot-stuffing        (must work) "..", a lone ".x" and ".\\r" lines in a
                      TOP answer: ".Subject: lone dot" is the Subject

For each, `petrel -F CONFIG sync test` (security = none, fresh HOME and
XDG_* directories) must finish within TIME_LIMIT seconds, not by a signal,
with a peak RSS (ru_maxrss from wait4, checked against /proc/PID/status
while it runs) under RSS_LIMIT_MB (200 MB).  The failing scenarios must
exit non-zero with exactly one line on stderr, starting "petrel: " and
free of control characters; the two that must work must exit 0 and
`petrel ls test INBOX` must show the subject they carry.  ru_maxrss
survives exec, so the figure includes the forking Python's own RSS
(about 10 MB): it errs high.

Usage: PETREL=/path/to/petrel pop3-hostile.py [scenario...]
       (HOSTILE_RSS_LIMIT_MB=N changes the 200 MB limit, e.g. for ASan)
Python 3 standard library only.  Exit status 0 if every scenario passed,
1 otherwise; a missing or non-executable PETREL is a failure, not a skip.
"""

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
import hostile  # noqa: E402  (tests/lib: the shared harness)

TIME_LIMIT = 45.0         # seconds petrel may take, per scenario
RSS_LIMIT_MB = int(os.environ.get("HOSTILE_RSS_LIMIT_MB", "200"))
RSS_KILL_MB = 1024        # kill petrel early past this, to spare the machine
SERVER_CAP = 60.0         # a hostile stream never runs longer than this
OP_TIMEOUT = 5            # petrel's "timeout" setting, seconds
TEN_MB = 10 * 1024 * 1024

GREETING = b"+OK hostile POP3 ready\r\n"
CAPA = b"+OK\r\nTOP\r\nUIDL\r\nUSER\r\nPIPELINING\r\nRESP-CODES\r\n.\r\n"
HEADER = (b"Date: Mon, 1 Feb 2021 10:00:00 +0000\r\nFrom: A <a@example.org>\r\n"
          b"Subject: message %d\r\nMessage-ID: <%d@example.org>\r\n\r\n")


def honest(peer, verb, args):
    """The honest answer to a command; None after QUIT."""
    if verb == "CAPA":
        return CAPA
    if verb in ("USER", "PASS", "NOOP", "RSET"):
        return b"+OK\r\n"
    if verb == "UIDL":
        return b"+OK\r\n1 uid-1\r\n2 uid-2\r\n.\r\n"
    if verb == "LIST":
        return b"+OK 2 messages\r\n1 150\r\n2 150\r\n.\r\n"
    if verb in ("TOP", "RETR") and args and args[0] in ("1", "2"):
        n = int(args[0])
        return b"+OK\r\n" + HEADER % (n, n) + b".\r\n"
    if verb == "QUIT":
        peer.send(b"+OK bye\r\n")
        return None
    return b"-ERR unknown command\r\n"


def serve(peer, trigger, payload):
    """Answer honestly until the command named trigger (or at once when
    trigger is None), then let payload act; it returns True to go on
    answering honestly."""
    if trigger is None:
        payload(peer, [])
        return
    if not peer.send(GREETING):
        return
    fired = False
    while not peer.expired():
        line = peer.readline()
        if not line:
            return
        words = line.decode("utf-8", "replace").split()
        verb = words[0].upper() if words else ""
        if verb == trigger and not fired:
            fired = True
            if not payload(peer, words[1:]):
                return
            continue
        reply = honest(peer, verb, words[1:])
        if reply is None or not peer.send(reply):
            return


def endless_top(peer, args):
    peer.send(b"+OK\r\n")
    peer.stream(lambda i: b"X-Junk-%d: %s\r\n" % (i, b"a" * 200))


def endless_uidl(peer, args):
    peer.send(b"+OK\r\n")
    peer.stream(lambda i: b"".join(b"%d uid-%d-%d\r\n" % (i * 100 + k + 1, i, k)
                                   for k in range(100)))


def ten_mb(peer, prefix):
    """Send prefix and then 10 MB without a line end; hold the line."""
    peer.send(prefix)
    chunk = b"x" * 65536
    for _ in range(TEN_MB // len(chunk)):
        if not peer.send(chunk):
            return
    peer.hold()


def long_greeting(peer, args):
    ten_mb(peer, b"+OK ")


def long_status(peer, args):
    ten_mb(peer, b"+OK ")


def long_listing_line(peer, args):
    ten_mb(peer, b"+OK\r\n1 ")


def early_dot(peer, args):
    peer.send(b"+OK\r\nSubject: early\r\n\r\n.\r\nmore text after a bare dot"
              b"\r\n.\r\n")
    return True


def garbage(peer, args):
    peer.send(GREETING)
    rnd = random.Random(20240305)
    junk = bytearray(rnd.getrandbits(8) for _ in range(256 * 1024))
    for pos, seq in ((0, b"* "), (100, b"\x1b]0;pwned\x07"),
                     (5000, b"\x1b[2J\x1b[H"), (9000, b"\x00\x00\r\n-ERR \x1b[31m"),
                     (20000, b"\x9b1;31m")):
        junk[pos:pos + len(seq)] = seq
    peer.send(bytes(junk))
    peer.hold()


def hostile_text(peer, args):
    peer.send(b"-ERR [AUTH] \x1b]0;pwned\x07\x1b[2J bad \x9b31m password\r\n")
    peer.hold()


def close_mid_reply(peer, args):
    peer.send(b"+OK\r\nDate: Mon, 1 Feb 2021 10:00:00 +0000\r\nSubject: ha")
    time.sleep(0.2)


def long_message_line(peer, args):
    n = int(args[0]) if args and args[0] in ("1", "2") else 1
    peer.send(b"+OK\r\nSubject: big one\r\nX-Big: ")
    chunk = b"y" * 65536
    for _ in range(TEN_MB // len(chunk)):
        if not peer.send(chunk):
            return False
    peer.send(b"\r\nMessage-ID: <%d@example.org>\r\n\r\n.\r\n" % n)
    return True


def dot_stuffing(peer, args):
    peer.send(b"+OK\r\n..X-Dots: two\r\n.Subject: lone dot\r\n"
              b"From: b@example.org\r\n.\rX-CR: y\r\n..\r\n\r\n.\r\n")
    return True


# (name, trigger command, payload, what must be in `petrel ls` or None
# when the sync must fail)
SCENARIOS = [
    ("endless-top", "TOP", endless_top, None),
    ("endless-uidl", "UIDL", endless_uidl, None),
    ("long-greeting", None, long_greeting, None),
    ("long-status", "USER", long_status, None),
    ("long-listing-line", "UIDL", long_listing_line, None),
    ("early-dot", "TOP", early_dot, None),
    ("garbage", None, garbage, None),
    ("hostile-text", "PASS", hostile_text, None),
    ("close-mid-reply", "TOP", close_mid_reply, None),
    ("long-message-line", "TOP", long_message_line, "\tbig one"),
    ("dot-stuffing", "TOP", dot_stuffing, "\tlone dot"),
]


def petrel_env(tmp):
    """The environment petrel runs in: everything under tmp."""
    return dict(os.environ, HOME=tmp, XDG_DATA_HOME=os.path.join(tmp, "data"),
                XDG_CONFIG_HOME=os.path.join(tmp, "config"),
                LC_ALL="C.UTF-8")


def check_ls(petrel, cfg, tmp, want):
    """Problems with `petrel ls test INBOX`: it must contain want."""
    run = subprocess.run([petrel, "-F", cfg, "ls", "test", "INBOX"],
                         env=petrel_env(tmp), capture_output=True, timeout=30)
    if run.returncode != 0:
        return ["petrel ls failed: %r" % run.stderr[:300]]
    if want.encode() not in run.stdout:
        return ["petrel ls does not show %r: %r" % (want, run.stdout[:300])]
    return []


def run_scenario(petrel, name, trigger, payload, want):
    tmp = tempfile.mkdtemp(prefix="petrel-pop3-hostile-")
    try:
        server = hostile.Server(lambda peer: serve(peer, trigger, payload),
                                TIME_LIMIT, SERVER_CAP)
        server.start()
        cfg = os.path.join(tmp, "config.ini")
        with open(cfg, "w") as f:
            f.write("[account test]\ndriver = pop3\nhost = 127.0.0.1\n"
                    "port = %d\nuser = user\npassword = hostile-pw\n"
                    "security = none\nallow_plaintext_auth = yes\n"
                    "timeout = %d\nconnect_timeout = 5\n"
                    % (server.port, OP_TIMEOUT))
        os.chmod(cfg, 0o600)
        run = hostile.run_watched([petrel, "-F", cfg, "sync", "test"],
                                  petrel_env(tmp), tmp, TIME_LIMIT,
                                  RSS_KILL_MB)
        status, _, _, stdout, stderr, killed = run
        server.give_up()
        server.join(SERVER_CAP + 5)
        problems = hostile.run_problems(run, server, TIME_LIMIT, RSS_LIMIT_MB)
        problems += hostile.exit_problems(status, killed, want is not None)
        if not killed and want is None:
            problems += hostile.stderr_problems(stderr)
        if not killed and want is not None and not problems:
            problems += check_ls(petrel, cfg, tmp, want)
        if b"hostile-pw" in stdout + stderr:
            problems.append("the password reached the output")
        return hostile.report(name, problems, run, server,
                              stdout.decode("utf-8", "replace").strip())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    petrel = hostile.find_petrel(sys.argv[0])
    if petrel is None:
        return 1
    return hostile.main_loop(
        "pop3-hostile", SCENARIOS,
        lambda name, trigger, payload, want: run_scenario(
            petrel, name, trigger, payload, want),
        sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
